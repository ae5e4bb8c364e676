import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const g = { a: ["b"], b: S("c", "d"), c: [], d: ["a"], x: ["y"] };

const rows: Row[] = [
  [
    "walk",
    [{ a: [1], b: S("s") }],
    [
      [[], { a: [1], b: S("s") }],
      [["a"], [1]],
      [["a", 0], 1],
      [["b"], S("s")],
      [["b", "s"], "s"],
    ],
  ],
  ["walk", [1], [[[], 1]]],
  ["graph.reachable", [g, ["a"]], S("a", "b", "c", "d")],
  ["graph.reachable", [g, S("x")], S("x")],
  ["graph.reachable", [g, ["nope"]], S()],
  [
    "graph.reachable",
    [g, "a"],
    /graph.reachable: operand 2 must be one of \{array, set\} but got string/,
  ],
  ["graph.reachable_paths", [g, ["a"]], S(["a", "b", "c"], ["a", "b", "d"])],
  ["graph.reachable_paths", [{ a: [] }, ["a"]], S(["a"])],
  ["graph.reachable_paths", [g, ["x"]], S(["x"])],
];

describe("graph builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
