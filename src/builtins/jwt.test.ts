import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, expectOutcome, newCtx, type Row } from "./testing.js";

// The example token of jwt.io, signed with HS256 and the secret "your-256-bit-secret".
const HS_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const HS_SECRET = "your-256-bit-secret";

const rows: Row[] = [
  [
    "io.jwt.decode",
    [HS_TOKEN],
    [
      { alg: "HS256", typ: "JWT" },
      { sub: "1234567890", name: "John Doe", iat: 1516239022 },
      "49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397",
    ],
  ],
  ["io.jwt.decode", ["a.b"], /io.jwt.decode: encoded JWT had no period separators/],
  ["io.jwt.decode", ["!!.e30.sig"], /io.jwt.decode: failed to decode JWT headers/],
  ["io.jwt.verify_hs256", [HS_TOKEN, HS_SECRET], true],
  ["io.jwt.verify_hs256", [HS_TOKEN, "wrong"], false],
  ["io.jwt.verify_hs384", [HS_TOKEN, HS_SECRET], false],
  [
    "io.jwt.verify_hs256",
    ["nope", HS_SECRET],
    /io.jwt.verify_hs256: encoded JWT had no period separators/,
  ],
];

function jwkOf(key: KeyObject): string {
  return JSON.stringify(key.export({ format: "jwk" }));
}

function sign(headers: object, payload: object, privateKey: KeyObject): string {
  const out = call("io.jwt.encode_sign", [headers, payload, JSON.parse(jwkOf(privateKey))]);
  if (!("value" in out) || typeof out.value !== "string") throw new Error(JSON.stringify(out));
  return out.value;
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ec384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherEc = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsaPem = rsa.publicKey.export({ format: "pem", type: "spki" }).toString();

describe("io.jwt builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));

  it.each([
    ["RS256", rsa, "io.jwt.verify_rs256"],
    ["RS512", rsa, "io.jwt.verify_rs512"],
    ["PS256", rsa, "io.jwt.verify_ps256"],
    ["PS384", rsa, "io.jwt.verify_ps384"],
    ["ES256", ec256, "io.jwt.verify_es256"],
    ["ES384", ec384, "io.jwt.verify_es384"],
  ] as const)("signs %s and verifies with PEM, JWK and JWK set keys", (alg, pair, verify) => {
    const token = sign({ alg, typ: "JWT" }, { sub: "alice" }, pair.privateKey);
    const pem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const jwk = jwkOf(pair.publicKey);
    expectOutcome(verify, [token, pem], true);
    expectOutcome(verify, [token, jwk], true);
    expectOutcome(verify, [token, JSON.stringify({ keys: [JSON.parse(jwk)] })], true);
    const other = alg.startsWith("ES") ? otherEc : otherRsa;
    expectOutcome(verify, [token, jwkOf(other.publicKey)], false);
    const [h, p] = token.split(".");
    const forged = `${h}.${Buffer.from('{"sub":"mallory"}').toString("base64url")}.${token.split(".")[2]}`;
    expectOutcome(verify, [forged, pem], false);
    expectOutcome(verify, [`${h}.${p}.`, pem], false);
  });

  it("rejects keys that are neither PEM nor JWK", () =>
    expectOutcome(
      "io.jwt.verify_rs256",
      [HS_TOKEN, "garbage"],
      /io.jwt.verify_rs256: failed to parse a JWK key/,
    ));

  it("encode_sign_raw signs HS256 with an oct JWK", () => {
    const key = JSON.stringify({ kty: "oct", k: Buffer.from(HS_SECRET).toString("base64url") });
    const out = call("io.jwt.encode_sign_raw", ['{"alg":"HS256","typ":"JWT"}', '{"a":1}', key]);
    const token = "value" in out ? (out.value as string) : "";
    expectOutcome("io.jwt.verify_hs256", [token, HS_SECRET], true);
    expectOutcome(
      "io.jwt.decode",
      [token],
      [{ alg: "HS256", typ: "JWT" }, { a: 1 }, hexSig(token)],
    );
  });

  describe("io.jwt.decode_verify", () => {
    const nowSec = 1_700_000_000;
    const token = sign(
      { alg: "RS256" },
      { iss: "idp", aud: ["svc", "other"], exp: nowSec + 60, nbf: nowSec - 60, sub: "alice" },
      rsa.privateKey,
    );
    const payload = {
      iss: "idp",
      aud: ["svc", "other"],
      exp: nowSec + 60,
      nbf: nowSec - 60,
      sub: "alice",
    };
    const valid = [true, { alg: "RS256" }, payload];
    const invalid = [false, {}, {}];
    const at = (sec: number): number => sec * 1e9;

    it.each([
      ["all constraints met", { cert: rsaPem, iss: "idp", aud: "svc", time: at(nowSec) }, valid],
      ["time defaults to now", { cert: rsaPem, aud: "svc" }, valid],
      ["expired", { cert: rsaPem, aud: "svc", time: at(nowSec + 60) }, invalid],
      ["not yet valid", { cert: rsaPem, aud: "svc", time: at(nowSec - 61) }, invalid],
      ["wrong issuer", { cert: rsaPem, aud: "svc", iss: "other-idp" }, invalid],
      ["audience missing from constraints", { cert: rsaPem }, invalid],
      ["wrong audience", { cert: rsaPem, aud: "nope" }, invalid],
      ["wrong algorithm", { cert: rsaPem, aud: "svc", alg: "RS512" }, invalid],
      ["secret for an RSA token", { secret: "s", aud: "svc" }, invalid],
      ["other key", { cert: jwkOf(otherRsa.publicKey), aud: "svc" }, invalid],
    ])("%s", (_label, constraints, expected) => {
      expectOutcome("io.jwt.decode_verify", [token, constraints], expected, newCtx());
    });

    it("verifies HS256 with a secret", () =>
      expectOutcome(
        "io.jwt.decode_verify",
        [HS_TOKEN, { secret: HS_SECRET }],
        [
          true,
          { alg: "HS256", typ: "JWT" },
          { sub: "1234567890", name: "John Doe", iat: 1516239022 },
        ],
      ));

    it("rejects bad constraints", () => {
      expectOutcome(
        "io.jwt.decode_verify",
        [token, { cert: rsaPem, bogus: 1 }],
        /io.jwt.decode_verify: unknown token validation constraint: bogus/,
      );
      expectOutcome(
        "io.jwt.decode_verify",
        [token, {}],
        /io.jwt.decode_verify: exactly one of the cert and secret constraints/,
      );
    });

    it("answers invalid for a malformed token", () =>
      expectOutcome("io.jwt.decode_verify", ["x.y", { secret: "s" }], invalid));
  });

  it("decodes a nested token (cty: JWT) through to the inner one", () => {
    const inner = sign({ alg: "ES256" }, { sub: "inner" }, ec256.privateKey);
    const key = JSON.stringify({ kty: "oct", k: Buffer.from("k").toString("base64url") });
    const outer = call("io.jwt.encode_sign_raw", ['{"alg":"HS256","cty":"JWT"}', inner, key]);
    const token = "value" in outer ? (outer.value as string) : "";
    expectOutcome("io.jwt.decode", [token], [{ alg: "ES256" }, { sub: "inner" }, hexSig(inner)]);
    expectOutcome("io.jwt.verify_hs256", [token, "k"], true);
  });

  it("is undefined on errors unless strict", () => {
    expect(call("io.jwt.decode", ["x"], newCtx(true))).toHaveProperty("error");
  });
});

function hexSig(token: string): string {
  return Buffer.from(token.split(".")[2]!, "base64url").toString("hex");
}
