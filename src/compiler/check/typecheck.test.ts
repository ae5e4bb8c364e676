import { describe, expect, it } from "vitest";
import { errorsOf } from "../test-helpers.js";

function errors(src: string): string[] {
  return errorsOf(`package a\n${src}`);
}

const COLLECTION = "any<array[any], object[any: any], set[any], string>";

describe("builtin argument types", () => {
  it("reports constants of the wrong type, at the call", () => {
    expect(errors("p if {\n  count(1) > 0\n}")).toEqual([
      `a.rego:3:3: rego_type_error: count: invalid argument(s): have (number, ???), want (${COLLECTION}, number)`,
    ]);
    expect(errors('p if { x := 1 + "a"; x > 0 }')).toEqual([
      "a.rego:2:13: rego_type_error: plus: invalid argument(s): have (number, string, ???), want (number, number, number)",
    ]);
    expect(errors("p := upper(1)")).toEqual([
      "a.rego:2:6: rego_type_error: upper: invalid argument(s): have (number, ???), want (string, string)",
    ]);
    expect(errors('p if startswith(1, "a")')).toEqual([
      "a.rego:2:6: rego_type_error: startswith: invalid argument(s): have (number, string), want (string, string, boolean)",
    ]);
  });

  it("types local vars bound to typed terms", () => {
    expect(errors('p if { x := [1, 2]; concat(",", x) }')).toEqual([
      "a.rego:2:21: rego_type_error: concat: invalid argument(s): have (string, array<number, number>), want (string, any<array[string], set[string]>, string)",
    ]);
    expect(errors('p if { xs := split("a,b", ","); sum(xs) > 1 }')).toEqual([
      "a.rego:2:33: rego_type_error: sum: invalid argument(s): have (array[string], ???), want (any<array[number], set[number]>, number)",
    ]);
    expect(errors('p if { n := count("abc"); lower(n) }')).toEqual([
      "a.rego:2:27: rego_type_error: lower: invalid argument(s): have (number), want (string, string)",
    ]);
    expect(errors("p if { [a, b] := [1, true]; upper(b) }")).toEqual([
      "a.rego:2:29: rego_type_error: upper: invalid argument(s): have (boolean), want (string, string)",
    ]);
    expect(errors('p if { o := {"n": 1}; upper(o.n) }')).toEqual([
      "a.rego:2:23: rego_type_error: upper: invalid argument(s): have (number), want (string, string)",
    ]);
  });

  it("matches composite literals item by item", () => {
    expect(errors('p := concat(",", ["a", 1])')).toEqual([
      "a.rego:2:6: rego_type_error: concat: invalid argument(s): have (string, array<string, number>, ???), want (string, any<array[string], set[string]>, string)",
    ]);
    expect(errors('p := strings.replace_n({"a": 1}, "abc")')).toEqual([
      "a.rego:2:6: rego_type_error: strings.replace_n: invalid argument(s): have (object<a: number>, string, ???), want (object[string: string], string, string)",
    ]);
    expect(errors('p := sum({1, "a"})')).toHaveLength(1);
  });

  it("checks output arguments against the result type", () => {
    expect(errors('p if { x := "a"; count([1], x) }')).toEqual([
      `a.rego:2:18: rego_type_error: count: invalid argument(s): have (array<number>, string), want (${COLLECTION}, number)`,
    ]);
    expect(errors('p if count([1], "one")')).toHaveLength(1);
    expect(errors("p if { count(input.x, n); upper(n) }")).toEqual([
      "a.rego:2:27: rego_type_error: upper: invalid argument(s): have (number), want (string, string)",
    ]);
  });

  it("checks calls in heads, comprehensions, every, negations, else and with values", () => {
    expect(errors("p := [x | x := upper(1)]")).toEqual([
      "a.rego:2:16: rego_type_error: upper: invalid argument(s): have (number, ???), want (string, string)",
    ]);
    expect(errors('p if { every x in input.xs { abs("a") > x } }')).toHaveLength(1);
    expect(errors("p if { not lower(1) }")).toHaveLength(1);
    expect(errors("p := 1 if input.a else := upper(2)")).toHaveLength(1);
    expect(errors("p if { input.a with input.b as lower(3) }")).toHaveLength(1);
    expect(errors("s contains upper(1) if input.a")).toHaveLength(1);
  });

  it("reports a wrong nested call once, not again in the enclosing call", () => {
    expect(errors("p if { x := upper(1); lower(x) }")).toEqual([
      "a.rego:2:13: rego_type_error: upper: invalid argument(s): have (number, ???), want (string, string)",
    ]);
    expect(errors("p := lower(upper(1))")).toHaveLength(1);
  });
});

describe("no false type errors", () => {
  it("accepts anything from input, data, rules and user functions", () => {
    expect(errors("p if count(input.x) > 0")).toEqual([]);
    expect(errors("q := 1\np if upper(q)")).toEqual([]);
    expect(errors("p if upper(data.base.value)")).toEqual([]);
    expect(errors("f(x) := x\np if upper(f(1))")).toEqual([]);
    expect(errors("f(x) := upper(x)\np := f(1)")).toEqual([]);
    expect(errors("p if { f(1, y); upper(y) }\nf(x) := x")).toEqual([]);
  });

  it("accepts well-typed calls of every shape", () => {
    const ok = [
      'p if { x := 1 + 2; y := "a"; upper(y) == "A"; x > 1 }',
      'p if { xs := split("a,b", ","); concat("-", xs) == "a-b" }',
      "p if { count({1, 2}) == 2; count([]) == 0; count({}) == 0; count(set()) == 0 }",
      'p if { sprintf("%v %d", ["a", 1]) }',
      "p if { {1, 2} - {1} == {2}; 3 - 1 == 2 }",
      "p if { walk(input, [path, value]); count(path) > 0; value }",
      'p if { s := {"a", "b"}; concat(",", s) }',
      "p if { n := count(input.xs); n > 1; abs(n) > 1 }",
      'p := object.get({"a": 1}, "a", 0) + 1',
      "p if { x := [y | some y in input.ys]; count(x) > 0 }",
      "p if { [a, b] := [1, input.b]; upper(b); a > 0 }",
      "p if { some x in [1, 2]; upper(x) }",
      "p if { x := input.a; count(x, n); n > 1 }",
      'p if { strings.replace_n({"a": "b"}, "abc") }',
      'p if { time.date([1, "UTC"]) }',
      'p if { print(1, "a") }',
    ];
    for (const src of ok) expect(errors(src), src).toEqual([]);
  });

  it("keeps shadowed vars apart in closures and else bodies", () => {
    expect(errors('p if { x := 1; ys := [x | x := "a"; upper(x)]; x > 0; ys }')).toEqual([]);
    expect(errors('p := x if { x := 1 } else := x if { x := "a"; upper(x) }')).toEqual([]);
    expect(errors('f(x) := upper(x) if x == "a"\nf(x) := x + 1 if x == 1')).toEqual([]);
  });
});

describe("unification of known types", () => {
  it("reports values that can never unify (OPA's match error), at the expression", () => {
    expect(errors('p if { x := 1; x = "a" }')).toEqual([
      "a.rego:2:16: rego_type_error: match error: left: number, right: string",
    ]);
    expect(errors('p if { [1, "b"] = [1, 2] }')).toEqual([
      "a.rego:2:8: rego_type_error: match error: left: array<number, string>, right: array<number, number>",
    ]);
    expect(errors('p if { o := {"k": 1}; o = [1] }')).toHaveLength(1);
  });

  it("accepts unifications that bind vars or involve unknown types", () => {
    const ok = [
      "p if { [a, b] = [1, 2]; a < b }",
      'p if { {"k": v} = {"k": 1}; v }',
      "p if { x = input.a; x = 1 }",
      "p if { x := 1; x = 1 }",
      "p if { [x | some x in input.xs] = [1] }",
      "p if { x := [1, 2]; x = [_, y]; y }",
      'q := 1\np if { q = "a" }',
    ];
    for (const src of ok) expect(errors(src), src).toEqual([]);
  });
});

describe("refs into typed local values", () => {
  it("reports members a local value cannot have (OPA's undefined ref), at the ref", () => {
    expect(errors('p if { o := {"a": 1}; o.b == 1 }')).toEqual([
      "a.rego:2:23: rego_type_error: undefined ref: o.b",
    ]);
    expect(errors("p if { xs := [1, 2]; xs[2] }")).toEqual([
      "a.rego:2:22: rego_type_error: undefined ref: xs[2]",
    ]);
    expect(errors("p if { n := count(input.x); n[_] }")).toEqual([
      "a.rego:2:29: rego_type_error: undefined ref: n[_]",
    ]);
    expect(errors('p if { s := "abc"; s[0] == "a" }')).toHaveLength(1);
    expect(errors('p if { s := {1, 2}; s["a"] }')).toHaveLength(1);
    expect(errors('p if { o := {"a": {"b": 1}}; o.a.c }')).toEqual([
      "a.rego:2:30: rego_type_error: undefined ref: o.a.c",
    ]);
  });

  it("accepts members that can exist, and refs into values of unknown shape", () => {
    const ok = [
      'p if { o := {"a": 1}; o.a == 1; o[k] == 1; k }',
      "p if { xs := [1, 2]; xs[1] == 2; xs[i] == 1; i }",
      'p if { xs := split("a.b", "."); xs[5] == "b" }',
      "p if { s := {1, 2}; s[1] }",
      "p if { x := input.a; x.b.c }",
      "p if { ys := [y | some y in input.xs]; ys[3] }",
      'p if { o := {"a": 1}; ys := [o.b | some o in input.os]; ys }',
      "q := 1\np if { q.x }",
      "p if { o := {k: 1 | some k in input.ks}; o.anything }",
    ];
    for (const src of ok) expect(errors(src), src).toEqual([]);
  });
});
