import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["equal", [1, 1.0], true],
  ["equal", [S(1, 2), S(2, 1)], true],
  ["equal", [[1, 2], S(1, 2)], false],
  ["neq", ["a", "b"], true],
  ["lt", [1, 2], true],
  ["lt", ["a", 1], false],
  ["lt", [null, false], true],
  [
    "lt",
    [
      [1, 2],
      [1, 2, 0],
    ],
    true,
  ],
  ["lte", [2, 2], true],
  ["gt", [{ a: 1 }, [9]], true],
  ["gt", [S(), { a: 1 }], true],
  ["gte", ["b", "a"], true],
  ["lt", ["Z", "a"], true],
];

describe("comparison builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
