import { describe, expect, it } from "vitest";
import { call, expectOutcome, newCtx, type Row } from "./testing.js";

const rows: Row[] = [
  // The example UUID of RFC 4122, generated at 1997-02-03T17:43:12.216875Z.
  [
    "uuid.parse",
    ["f81d4fae-7dec-11d0-a765-00a0c91e6bf6"],
    {
      version: 1,
      variant: "RFC4122",
      time: 854_991_792_216_875_000,
      clocksequence: 10085,
      nodeid: "global:unicast:00a0c91e6bf6",
    },
  ],
  ["uuid.parse", ["{6ba7b810-9dad-41d1-80b4-00c04fd430c8}"], { version: 4, variant: "RFC4122" }],
  [
    "uuid.parse",
    ["urn:uuid:6ba7b810-9dad-41d1-c0b4-00c04fd430c8"],
    { version: 4, variant: "Microsoft" },
  ],
  ["uuid.parse", ["6ba7b8109dad51d180b400c04fd430c8"], { version: 5, variant: "RFC4122" }],
  ["uuid.parse", ["not-a-uuid"], undefined],
  ["uuid.parse", [1], /uuid.parse: operand 1 must be string but got number/],
];

describe("uuid builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));

  it("uuid.rfc4122 is a random version 4 UUID, stable per key within an evaluation", () => {
    const ctx = newCtx();
    const a = call("uuid.rfc4122", ["k"], ctx);
    const b = call("uuid.rfc4122", ["k"], ctx);
    const c = call("uuid.rfc4122", ["other"], ctx);
    const d = call("uuid.rfc4122", ["k"], newCtx());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
    const id = "value" in a ? a.value : undefined;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
