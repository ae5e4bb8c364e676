import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["internal.member_2", [2, [1, 2]], true],
  ["internal.member_2", [2, S(1, 2)], true],
  ["internal.member_2", ["a", { k: "a" }], true],
  ["internal.member_2", ["k", { k: "a" }], false],
  ["internal.member_2", ["a", "abc"], false],
  ["internal.member_3", [0, "a", ["a"]], true],
  ["internal.member_3", [1, "a", ["a"]], false],
  ["internal.member_3", ["k", 1, { k: 1 }], true],
  ["internal.member_3", ["x", "x", S("x")], true],
  ["internal.member_3", ["x", "y", S("x")], false],
];

describe("membership builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
