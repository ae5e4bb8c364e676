// Hashes and HMACs (hex digests of the UTF-8 bytes), via node:crypto.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin } from "./registry.js";

function hash(name: string, algorithm: string): Builtin {
  return defineBuiltin({
    name,
    args: [T.string],
    result: T.string,
    impl: ([s]) =>
      createHash(algorithm)
        .update(s as string, "utf8")
        .digest("hex"),
  });
}

function hmac(name: string, algorithm: string): Builtin {
  return defineBuiltin({
    name,
    args: [T.string, T.string],
    result: T.string,
    impl: ([x, key]) =>
      createHmac(algorithm, Buffer.from(key as string, "utf8"))
        .update(x as string, "utf8")
        .digest("hex"),
  });
}

/** Constant-time comparison of two MACs. */
function hmacEqual([a, b]: Value[]): Value {
  const x = Buffer.from(a as string, "utf8");
  const y = Buffer.from(b as string, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export const cryptoBuiltins: Builtin[] = [
  hash("crypto.md5", "md5"),
  hash("crypto.sha1", "sha1"),
  hash("crypto.sha256", "sha256"),
  hmac("crypto.hmac.md5", "md5"),
  hmac("crypto.hmac.sha1", "sha1"),
  hmac("crypto.hmac.sha256", "sha256"),
  hmac("crypto.hmac.sha512", "sha512"),
  defineBuiltin({
    name: "crypto.hmac.equal",
    args: [T.string, T.string],
    result: T.boolean,
    impl: hmacEqual,
  }),
];
