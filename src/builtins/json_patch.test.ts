import { describe, it } from "vitest";
import { expectOutcome, S, type Row } from "./testing.js";

const rows: Row[] = [
  [
    "json.patch",
    [{ a: { foo: 1 } }, [{ op: "add", path: "/a/bar", value: 2 }]],
    { a: { foo: 1, bar: 2 } },
  ],
  ["json.patch", [{ a: [1, 3] }, [{ op: "add", path: "/a/1", value: 2 }]], { a: [1, 2, 3] }],
  ["json.patch", [{ a: [1] }, [{ op: "add", path: "/a/-", value: 2 }]], { a: [1, 2] }],
  ["json.patch", [{ a: S(1) }, [{ op: "add", path: "/a/2", value: 2 }]], { a: S(1, 2) }],
  ["json.patch", [{ a: 1, b: 2 }, [{ op: "remove", path: "/a" }]], { b: 2 }],
  ["json.patch", [[1, 2, 3], [{ op: "remove", path: "/1" }]], [1, 3]],
  ["json.patch", [{ a: S("x", "y") }, [{ op: "remove", path: "/a/x" }]], { a: S("y") }],
  ["json.patch", [{ a: 1 }, [{ op: "replace", path: "/a", value: 9 }]], { a: 9 }],
  ["json.patch", [{ a: 1 }, [{ op: "replace", path: "", value: [] }]], []],
  [
    "json.patch",
    [{ a: { b: 1 }, c: {} }, [{ op: "move", from: "/a/b", path: "/c/d" }]],
    { a: {}, c: { d: 1 } },
  ],
  ["json.patch", [{ a: [1] }, [{ op: "copy", from: "/a/0", path: "/b" }]], { a: [1], b: 1 }],
  ["json.patch", [{ a: 1 }, [{ op: "test", path: "/a", value: 1 }]], { a: 1 }],
  [
    "json.patch",
    [{ a: { "x/y": 1 } }, [{ op: "replace", path: "/a/x~1y", value: 2 }]],
    { a: { "x/y": 2 } },
  ],
  [
    "json.patch",
    [{ a: { b: 1 } }, [{ op: "add", path: ["a", "c"], value: 2 }]],
    { a: { b: 1, c: 2 } },
  ],
  ["json.patch", [{ a: 1 }, [{ op: "test", path: "/a", value: 2 }]], undefined],
  ["json.patch", [{ a: 1 }, [{ op: "remove", path: "/b" }]], undefined],
  ["json.patch", [{ a: 1 }, [{ op: "replace", path: "/b", value: 1 }]], undefined],
  ["json.patch", [{ a: [] }, [{ op: "add", path: "/a/5", value: 1 }]], undefined],
  ["json.patch", [{ a: 1 }, [{ op: "add", path: "/x/y", value: 1 }]], undefined],
  ["json.patch", [{ a: 1 }, [{ op: "frobnicate", path: "/a" }]], undefined],
  ["json.patch", [{ a: 1 }, [{ path: "/a" }]], undefined],
  ["json.patch", [{ a: 1 }, { op: "add" }], /json.patch: operand 2 must be array but got object/],
];

describe("json.patch", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
