import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["count", [[1, 2, 3]], 3],
  ["count", ["héllo"], 5],
  ["count", ["😀a"], 2],
  ["count", [{ a: 1 }], 1],
  ["count", [S(1, 2)], 2],
  ["count", [1], /count: operand 1 must be one of \{array, object, set, string\} but got number/],
  ["sum", [[1, 2, 3.5]], 6.5],
  ["sum", [S(1, 2)], 3],
  ["sum", [[]], 0],
  ["sum", [[1, "2"]], /sum: operand 1 must be one of \{array, set\} of numbers but got string/],
  ["product", [[2, 3, 4]], 24],
  ["product", [[]], 1],
  ["sum", [[1e308, 1e308]], /sum: arithmetic overflow/],
  ["product", [[1e308, 10]], /product: arithmetic overflow/],
  ["max", [[1, 3, 2]], 3],
  ["max", [[1, "a", null]], "a"],
  ["max", [[]], undefined],
  ["min", [S(3, 2, 9)], 2],
  ["sort", [[3, "a", 1, null]], [null, 1, 3, "a"]],
  ["sort", [S(3, 1, 2)], [1, 2, 3]],
  ["sort", [{ a: 1 }], /sort: operand 1 must be one of \{array, set\} but got object/],
];

describe("aggregate builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
