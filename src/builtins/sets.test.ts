import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["union", [S(S(1, 2), S(2, 3))], S(1, 2, 3)],
  ["union", [S()], S()],
  ["intersection", [S(S(1, 2, 3), S(2, 3, 4), S(3, 2))], S(2, 3)],
  ["intersection", [S()], S()],
  ["union", [S(1)], /union: operand 1 must be set of sets/],
  ["intersection", [[S(1)]], /intersection: operand 1 must be set but got array/],
];

describe("set builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
