// Values in the Wasm runtime: OPA's order and equality (checked against the reference
// implementation in src/value/value.ts), hashing of composite keys, the rt_* accessors
// and opa_value_add_path / opa_value_remove_path.
import { beforeAll, describe, expect, it } from "vitest";
import { RegoObject, RegoSet, type Value, compareValues } from "../../value/value.js";
import { type Runtime, newRuntime } from "./testing.js";

let rt: Runtime;
beforeAll(() => {
  rt = newRuntime();
});

/** Rego value syntax of a TS value (input for opa_value_parse). */
function regoText(v: Value): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(regoText).join(",") + "]";
  if (v instanceof RegoSet) {
    return v.size === 0 ? "set()" : "{" + v.values().map(regoText).join(",") + "}";
  }
  return "{" + v.entries().map(([k, x]) => regoText(k) + ":" + regoText(x)) + "}";
}

const CORPUS: Value[] = [
  null,
  false,
  true,
  -1,
  0,
  0.5,
  1,
  2,
  1e21,
  "",
  "A",
  "a",
  "ab",
  "b",
  "é",
  "😀",
  [],
  [1],
  [1, 2],
  [2],
  [null],
  ["a", [1]],
  RegoObject.fromEntries([]),
  RegoObject.fromEntries([["a", 1]]),
  RegoObject.fromEntries([["a", 2]]),
  RegoObject.fromEntries([["b", 0]]),
  RegoObject.fromEntries([
    ["a", 1],
    ["b", 2],
  ]),
  RegoObject.fromEntries([[1, "x"]]),
  RegoObject.fromEntries([[[1, 2], RegoSet.of([1])]]),
  RegoSet.of([]),
  RegoSet.of([1]),
  RegoSet.of([1, 2]),
  RegoSet.of([2]),
  RegoSet.of(["a", null]),
  RegoSet.of([RegoSet.of([1]), [1]]),
];

describe("order and equality", () => {
  it("rt_compare agrees with compareValues on every pair", () => {
    const ptrs = CORPUS.map((v) => rt.value(regoText(v)));
    for (let i = 0; i < CORPUS.length; i++) {
      for (let j = 0; j < CORPUS.length; j++) {
        const want = Math.sign(compareValues(CORPUS[i]!, CORPUS[j]!));
        const got = rt.call("rt_compare", ptrs[i]!, ptrs[j]!);
        expect([regoText(CORPUS[i]!), regoText(CORPUS[j]!), got]).toEqual([
          regoText(CORPUS[i]!),
          regoText(CORPUS[j]!),
          want,
        ]);
        expect(rt.call("rt_equal", ptrs[i]!, ptrs[j]!)).toBe(want === 0 ? 1 : 0);
      }
    }
  });

  it("treats 1 and 1.0, -0 and 0 as equal with equal hashes", () => {
    const pairs: [string, string][] = [
      ["1", "1.0"],
      ["0", "-0"],
      ["[1, {2}]", "[1.0, {2.0}]"],
      ['{"a": 1, "b": [2]}', '{"b": [2.0], "a": 1.0}'],
      ["{1, 2, 3}", "{3, 2, 1}"],
    ];
    for (const [a, b] of pairs) {
      const x = rt.value(a);
      const y = rt.value(b);
      expect(rt.call("rt_equal", x, y)).toBe(1);
      expect(rt.call("rt_compare", x, y)).toBe(0);
      expect(rt.call("rt_hash", x)).toBe(rt.call("rt_hash", y));
    }
  });
});

describe("objects and sets", () => {
  it("look up composite keys by value", () => {
    const obj = rt.value('{[1, "a"]: "arr", {"k": {1}}: "obj", {2, 1}: "set", 1: "one"}');
    const get = (key: string): string | undefined => {
      const v = rt.call("rt_get", obj, rt.value(key));
      return v === 0 ? undefined : rt.dumpValue(v);
    };
    expect(get('[1.0, "a"]')).toBe('"arr"');
    expect(get('{"k": {1}}')).toBe('"obj"');
    expect(get("{1, 2}")).toBe('"set"');
    expect(get("1.0")).toBe('"one"');
    expect(get('"1"')).toBeUndefined();
    expect(get("[1]")).toBeUndefined();
  });

  it("keeps O(1) lookups and sorted iteration through thousands of inserts", () => {
    const obj = rt.call("rt_object");
    const set = rt.call("rt_set");
    const n = 5000;
    for (let i = n - 1; i >= 0; i--) {
      const k = rt.call("rt_number", (i * 7919) % n);
      rt.call("rt_object_set", obj, k, rt.call("rt_number", i));
      rt.call("rt_set_add", set, k);
      rt.call("rt_set_add", set, k);
    }
    expect(rt.call("rt_length", obj)).toBe(n);
    expect(rt.call("rt_length", set)).toBe(n);
    for (let i = 0; i < n; i += 97) {
      expect(rt.call("rt_number_value", rt.call("rt_key_at", obj, i))).toBe(i);
      expect(rt.call("rt_number_value", rt.call("rt_value_at", set, i))).toBe(i);
      expect(rt.call("rt_get", set, rt.call("rt_number", i))).not.toBe(0);
    }
    expect(rt.call("rt_get", obj, rt.call("rt_number", n))).toBe(0);
  });

  it("reports key conflicts from rt_object_insert", () => {
    const obj = rt.call("rt_object");
    const k = rt.value('"a"');
    expect(rt.call("rt_object_insert", obj, k, rt.value("1"))).toBe(0);
    expect(rt.call("rt_object_insert", obj, k, rt.value("1.0"))).toBe(0);
    expect(rt.call("rt_object_insert", obj, k, rt.value("2"))).toBe(1);
    expect(rt.dumpJson(obj)).toBe('{"a":1}');
  });

  it("indexes arrays only by integral numbers in range", () => {
    const arr = rt.value('["x", "y"]');
    const at = (k: string): number => rt.call("rt_get", arr, rt.value(k));
    expect(rt.dumpValue(at("1"))).toBe('"y"');
    expect(at("1.5")).toBe(0);
    expect(at("-1")).toBe(0);
    expect(at("2")).toBe(0);
    expect(at('"0"')).toBe(0);
    expect(rt.call("rt_number_value", rt.call("rt_key_at", arr, 1))).toBe(1);
  });

  it("rt_type, rt_truthy, rt_length and constructors", () => {
    expect(
      ["null", "true", "1", '"s"', "[]", "{}", "set()"].map((t) => rt.call("rt_type", rt.value(t))),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rt.call("rt_type", 0)).toBe(0);
    expect(rt.call("rt_truthy", rt.value("false"))).toBe(0);
    expect(rt.call("rt_truthy", 0)).toBe(0);
    expect(rt.call("rt_truthy", rt.value("0"))).toBe(1);
    expect(rt.call("rt_truthy", rt.call("rt_null"))).toBe(1);
    expect(rt.dumpJson(rt.call("rt_bool", 7))).toBe("true");
    expect(rt.call("rt_length", rt.value('"héllo"'))).toBe(6);
    const bytes = rt.writeBytes(new TextEncoder().encode("hey"));
    const s = rt.call("rt_string", bytes, 3);
    expect(rt.dumpJson(rt.call("rt_string_concat", s, s))).toBe('"heyhey"');
    const arr = rt.call("rt_array", 0);
    for (let i = 0; i < 20; i++) rt.call("rt_array_push", arr, rt.call("rt_number", i));
    expect(rt.call("rt_length", arr)).toBe(20);
    expect(rt.call("rt_is_integer", rt.value("2.0"))).toBe(1);
    expect(rt.call("rt_is_integer", rt.value("2.5"))).toBe(0);
  });
});

describe("opa_value_add_path / opa_value_remove_path", () => {
  const path = (p: string): number => rt.value(p);

  it("adds values, creating intermediate objects", () => {
    const base = rt.value('{"a": {"b": 1}}');
    expect(rt.call("opa_value_add_path", base, path('["a", "c"]'), rt.value("2"))).toBe(0);
    expect(rt.call("opa_value_add_path", base, path('["x", "y", "z"]'), rt.value("[3]"))).toBe(0);
    expect(rt.call("opa_value_add_path", base, path('["a", "b"]'), rt.value('"new"'))).toBe(0);
    expect(rt.dumpJson(base)).toBe('{"a":{"b":"new","c":2},"x":{"y":{"z":[3]}}}');
  });

  it("reports invalid types and paths", () => {
    const base = rt.value('{"a": 1}');
    expect(rt.call("opa_value_add_path", base, path('["a", "b"]'), rt.value("2"))).toBe(2);
    expect(rt.call("opa_value_add_path", rt.value("[]"), path('["a"]'), rt.value("2"))).toBe(2);
    expect(rt.call("opa_value_add_path", base, path("[]"), rt.value("2"))).toBe(3);
    expect(rt.call("opa_value_add_path", base, path('"a"'), rt.value("2"))).toBe(3);
    expect(rt.dumpJson(base)).toBe('{"a":1}');
    expect(rt.call("opa_value_remove_path", base, path('["a", "b"]'))).toBe(2);
    expect(rt.call("opa_value_remove_path", base, path("[]"))).toBe(3);
  });

  it("removes keys and keeps lookups and order consistent", () => {
    const base = rt.value('{"a": {"b": 1, "c": 2, "d": 3}, "e": 4}');
    expect(rt.call("opa_value_remove_path", base, path('["a", "c"]'))).toBe(0);
    expect(rt.call("opa_value_remove_path", base, path('["a", "zz"]'))).toBe(0);
    expect(rt.call("opa_value_remove_path", base, path('["q", "zz"]'))).toBe(0);
    expect(rt.call("opa_value_remove_path", base, path('["e"]'))).toBe(0);
    expect(rt.dumpJson(base)).toBe('{"a":{"b":1,"d":3}}');
    const a = rt.call("rt_get", base, rt.value('"a"'));
    expect(rt.dumpJson(rt.call("rt_get", a, rt.value('"d"')))).toBe("3");
    expect(rt.call("rt_get", a, rt.value('"c"'))).toBe(0);
  });
});

describe("rt_patch", () => {
  it("replaces a nested value in a copy, creating objects, leaving the base unchanged", () => {
    const base = rt.value('{"a": {"b": 1, "c": 2}, "d": 3}');
    const patched = rt.call("rt_patch", base, rt.value('["a", "b"]'), rt.value("9"));
    expect(rt.dumpJson(patched)).toBe('{"a":{"b":9,"c":2},"d":3}');
    const deeper = rt.call("rt_patch", base, rt.value('["d", "x", "y"]'), rt.value("true"));
    expect(rt.dumpJson(deeper)).toBe('{"a":{"b":1,"c":2},"d":{"x":{"y":true}}}');
    expect(rt.dumpJson(base)).toBe('{"a":{"b":1,"c":2},"d":3}');
    expect(rt.dumpJson(rt.call("rt_patch", 0, rt.value('["k"]'), rt.value("1")))).toBe('{"k":1}');
    expect(rt.dumpJson(rt.call("rt_patch", base, rt.value("[]"), rt.value("1")))).toBe("1");
    expect(rt.call("rt_patch", base, rt.value('"a"'), rt.value("1"))).toBe(0);
  });
});
