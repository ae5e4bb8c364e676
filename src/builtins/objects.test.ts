import { describe, it } from "vitest";
import { expectOutcome, O, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["object.get", [{ a: { b: { c: 1 } } }, ["a", "b", "c"], 0], 1],
  ["object.get", [{ a: 1 }, "b", "default"], "default"],
  ["object.get", [{ a: [{ b: true }] }, ["a", 0, "b"], false], true],
  ["object.get", [{ a: 1 }, [], 0], { a: 1 }],
  ["object.get", [O([[1], "x"]), [1], "d"], "d"],
  ["object.get", [[1], 0, 0], /object.get: operand 1 must be object but got array/],
  ["object.keys", [{ a: 1, b: 2 }], S("a", "b")],
  [
    "object.union",
    [
      { a: 1, b: 2, c: { d: 3 } },
      { a: 7, c: { d: 4, e: 5 } },
    ],
    { a: 7, b: 2, c: { d: 4, e: 5 } },
  ],
  ["object.union_n", [[{ a: 1 }, { b: 2 }, { a: 3 }]], { a: 3, b: 2 }],
  ["object.union_n", [[{ a: 1 }, 2]], /object.union_n: operand 1 must be array of objects/],
  ["object.remove", [{ a: 1, b: 2, c: 3 }, ["a", "c"]], { b: 2 }],
  ["object.remove", [{ a: 1, b: 2 }, S("b")], { a: 1 }],
  ["object.remove", [{ a: 1, b: 2 }, { b: true }], { a: 1 }],
  [
    "object.remove",
    [{ a: 1 }, "a"],
    /object.remove: operand 2 must be one of \{array, object, set\}/,
  ],
  ["object.filter", [{ a: 1, b: 2, c: 3 }, ["a", "c", "z"]], { a: 1, c: 3 }],
  [
    "object.subset",
    [{ a: "b", c: { x: S(10, 15, 20, 25), y: "z" } }, { c: { x: S(10, 15, 20) } }],
    true,
  ],
  ["object.subset", [{ a: 1 }, { a: 2 }], false],
  [
    "object.subset",
    [
      [1, 2, 3, 4, 5, 6],
      [2, 3, 4],
    ],
    true,
  ],
  [
    "object.subset",
    [
      [1, 2, 3],
      [3, 2],
    ],
    false,
  ],
  ["object.subset", [[1, 2, 3], S(3, 1)], true],
  ["object.subset", [S(1, 2, 3), S(1, 3)], true],
  ["object.subset", [{ a: 1 }, [1]], /object.subset: both arguments must be/],
  ["json.filter", [{ a: { x: 100, y: 200 }, b: { x: 300 } }, ["a/x"]], { a: { x: 100 } }],
  ["json.filter", [{ a: { x: 100, y: 200 }, b: 2 }, S("a", "a/x")], { a: { x: 100, y: 200 } }],
  ["json.filter", [{ a: { "x/y": 1, z: 2 } }, ["a/x~1y"]], { a: { "x/y": 1 } }],
  ["json.filter", [{ a: { b: 1, c: 2 } }, [["a", "c"]]], { a: { c: 2 } }],
  ["json.remove", [{ a: { x: 100, y: 200 }, b: { x: 300 } }, ["a/x", "b"]], { a: { y: 200 } }],
  ["json.remove", [{ a: [1, 2, 3] }, ["a/1"]], { a: [1, 3] }],
  [
    "json.remove",
    [{ a: 1 }, [1]],
    /json.remove: operand 2 must be one of \{set, array\} containing string paths/,
  ],
];

describe("object builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
