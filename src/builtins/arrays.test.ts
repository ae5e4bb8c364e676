import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const rows: Row[] = [
  ["array.concat", [[1, 2], [3]], [1, 2, 3]],
  ["array.concat", [[], []], []],
  ["array.slice", [[1, 2, 3, 4, 5], 1, 3], [2, 3]],
  ["array.slice", [[1, 2, 3], -5, 10], [1, 2, 3]],
  ["array.slice", [[1, 2, 3], 2, 1], []],
  ["array.slice", [[1, 2, 3], 0.5, 1], /array.slice: operand 2 must be integer number/],
  ["array.reverse", [[1, "a", null]], [null, "a", 1]],
  ["array.flatten", [[1, [2, [3, []]], 4]], [1, 2, 3, 4]],
  ["array.concat", [[1], "x"], /array.concat: operand 2 must be array but got string/],
];

describe("array builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
