import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const MSG = "what do ya want for nothing?";

const rows: Row[] = [
  ["crypto.md5", [""], "d41d8cd98f00b204e9800998ecf8427e"],
  ["crypto.sha1", ["abc"], "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["crypto.sha256", ["abc"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  // RFC 2104 and RFC 4231 test vectors (key "Jefe").
  ["crypto.hmac.md5", [MSG, "Jefe"], "750c783e6ab0b503eaa86e310a5db738"],
  ["crypto.hmac.sha1", [MSG, "Jefe"], "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"],
  [
    "crypto.hmac.sha256",
    [MSG, "Jefe"],
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  ],
  [
    "crypto.hmac.sha512",
    [MSG, "Jefe"],
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
  ],
  ["crypto.hmac.equal", ["abc", "abc"], true],
  ["crypto.hmac.equal", ["abc", "abd"], false],
  ["crypto.hmac.equal", ["abc", "abcd"], false],
  ["crypto.sha256", [1], /crypto.sha256: operand 1 must be string but got number/],
];

describe("crypto builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
