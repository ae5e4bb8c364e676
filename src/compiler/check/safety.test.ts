import { describe, expect, it } from "vitest";
import { errorsOf, programOf, showBody } from "../test-helpers.js";

function ok(src: string): void {
  expect(errorsOf(`package a\n${src}`)).toEqual([]);
}

function errors(src: string): string[] {
  return errorsOf(`package a\n${src}`);
}

/** Body of the first rule after reordering. */
function ordered(src: string): string {
  return showBody(programOf(`package a\n${src}`).modules[0]!.rules[0]!.body);
}

describe("safe programs", () => {
  it("accepts vars bound by assignment, unification, iteration and some-in", () => {
    ok("p if { x := 1; x == 1 }");
    ok("p if { 1 = x; x > 0 }");
    ok("p if { input.xs[i] > 0; i > 0 }");
    ok("p if { some k, v in input.obj; k == v }");
    ok("p if { [a, b] = [1, input.x]; a < b }");
    ok('p if { {"k": v} = input.o; v }');
    ok("p if { x := input.xs[_].name; x }");
  });

  it("accepts builtin and function output arguments", () => {
    ok("p if { count(input.xs, n); n > 1 }");
    ok("f(x) := x + 1\np if { f(1, y); y == 2 }");
    ok("p if { walk(input, [path, value]); path; value }");
  });

  it("accepts function args and head vars bound by the body", () => {
    ok("f(x, [y, z]) := x + y + z");
    ok("s contains x if { some x in input.xs }");
    ok("o[k] := v if { some k, v in input.obj }");
    ok("n[x].leaf := 1 if { some x in input.xs }");
  });

  it("accepts comprehensions that close over outer vars", () => {
    ok("p := ys if { x := 1; ys := [y | some y in input.xs; y > x] }");
    ok("p := {k: v | some k, v in input.obj}");
    ok("p := {x | x := input.xs[_]}");
  });

  it("accepts every with safe domain and body", () => {
    ok("p if { limit := 3; every x in input.xs { x < limit } }");
    ok("p if { every k, v in input.obj { k != v } }");
  });

  it("accepts negation of bound vars", () => {
    ok("p if { some x in input.xs; not x == 1 }");
    ok("p if { not input.deny }");
  });
});

describe("unsafe variables", () => {
  it("reports a var used but never bound, at the var", () => {
    expect(errors("p if { x == 1 }")).toEqual([
      "a.rego:2:8: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports a var bound only inside a negation", () => {
    expect(errors("p if { not input.xs[i] }")).toEqual([
      "a.rego:2:21: rego_unsafe_var_error: var i is unsafe",
    ]);
  });

  it("reports wildcards in negations as _", () => {
    expect(errors("p if { not input.xs[_] == 1 }")).toEqual([
      "a.rego:2:21: rego_unsafe_var_error: var _ is unsafe",
    ]);
  });

  it("reports builtin inputs that nothing binds", () => {
    expect(errors("p if { count(xs, n); n > 0 }")).toEqual([
      "a.rego:2:14: rego_unsafe_var_error: var xs is unsafe",
    ]);
  });

  it("reports head vars the body does not bind at the start of the rule, as OPA", () => {
    expect(errors("p := x if { input.y }")).toEqual([
      "a.rego:2:1: rego_unsafe_var_error: var x is unsafe",
    ]);
    expect(errors("s contains y if { input.y }")).toEqual([
      "a.rego:2:1: rego_unsafe_var_error: var y is unsafe",
    ]);
    expect(errors("o[k] := 1 if { input.y }")).toEqual([
      "a.rego:2:1: rego_unsafe_var_error: var k is unsafe",
    ]);
    expect(errors("f(x) := y if x > 0")).toEqual([
      "a.rego:2:1: rego_unsafe_var_error: var y is unsafe",
    ]);
    expect(errors("  n[x].leaf := 1 if input.y")).toEqual([
      "a.rego:2:3: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports a head var only used in a closure of the body at the rule", () => {
    expect(errors("p := x if { ys := [x | some x in input.xs]; ys }")).toEqual([
      "a.rego:2:1: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports a head var unsafe in the body once, in the body", () => {
    expect(errors("p := x if { not x }")).toEqual([
      "a.rego:2:17: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports unsafe comprehension head vars at the var", () => {
    expect(errors("p := [x | input.y]")).toEqual([
      "a.rego:2:7: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("blames the right-hand side of :=", () => {
    expect(errors("p if { x := y + 1; x }")).toEqual([
      "a.rego:2:13: rego_unsafe_var_error: var y is unsafe",
    ]);
  });

  it("reports each unsafe var once per body", () => {
    expect(errors("p if { x > 1; x < 5 }")).toEqual([
      "a.rego:2:8: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports unsafe vars inside comprehensions and every bodies", () => {
    expect(errors("p := [y | y := z]")).toEqual([
      "a.rego:2:16: rego_unsafe_var_error: var z is unsafe",
    ]);
    expect(errors("p if { every x in input.xs { x > z } }")).toEqual([
      "a.rego:2:34: rego_unsafe_var_error: var z is unsafe",
    ]);
    expect(errors("p if { every x in xs { x > 1 } }")).toEqual([
      "a.rego:2:19: rego_unsafe_var_error: var xs is unsafe",
    ]);
  });

  it("does not let a closure capture a var declared with := after it", () => {
    expect(errors("p if { ys := [y | y := x]; x := 1; count(ys) > x }")).toEqual([
      "a.rego:2:24: rego_unsafe_var_error: var x is unsafe",
    ]);
    expect(errors("p if { x := [y | y := x] }")).toEqual([
      "a.rego:2:23: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports unsafe with values", () => {
    expect(errors("p if { input.x with input as v }")).toEqual([
      "a.rego:2:30: rego_unsafe_var_error: var v is unsafe",
    ]);
  });

  it("reports unsafe vars in else bodies and values", () => {
    // An else value is reported at its `else`, the start of that clause.
    expect(errors("p := 1 if { input.a } else := z if { input.b }")).toEqual([
      "a.rego:2:23: rego_unsafe_var_error: var z is unsafe",
    ]);
    expect(errors("p := 1 if { input.a } else := 2 if { z }")).toEqual([
      "a.rego:2:38: rego_unsafe_var_error: var z is unsafe",
    ]);
  });

  it("reports unsafe vars in every file, sorted", () => {
    const sources: [string, string][] = [
      ["b.rego", "package b\np if { y }"],
      ["a.rego", "package a\np if { x }"],
    ];
    expect(errorsOf(sources)).toEqual([
      "a.rego:2:8: rego_unsafe_var_error: var x is unsafe",
      "b.rego:2:8: rego_unsafe_var_error: var y is unsafe",
    ]);
  });
});

describe("reordering for safety", () => {
  it("keeps a safe body in source order", () => {
    expect(ordered("p if { x = 1; y = x + 1; y > 1 }")).toBe("x = 1; y = plus(x, 1); gt(y, 1)");
  });

  it("moves an expression after the one binding its input", () => {
    expect(ordered("p if { y = x + 1; x = 2 }")).toBe("x = 2; y = plus(x, 1)");
  });

  it("moves comparisons after iteration", () => {
    expect(ordered("p if { x > 1; input.xs[_] = x }")).toBe("input.xs[$_0] = x; gt(x, 1)");
  });

  it("moves a comprehension after the vars it closes over are bound", () => {
    expect(ordered("p if { ys = [y | y := x]; x = 1 }")).toBe("x = 1; ys = [y | y := x]");
  });

  it("moves negations and every after their inputs", () => {
    expect(ordered("p if { not x == 1; x = input.a }")).toBe("x = input.a; not equal(x, 1)");
    expect(ordered("p if { every v in xs { v }; xs = input.a }")).toBe(
      "xs = input.a; every v in xs { v }",
    );
  });

  it("reorders comprehension bodies", () => {
    const src = "p := [y | y = x + 1; x = input.a]";
    const rule = programOf(`package a\n${src}`).modules[0]!.rules[0]!;
    const compr = rule.head.value!;
    expect(compr.type === "arraycompr" && showBody(compr.body)).toBe("x = input.a; y = plus(x, 1)");
  });

  it("reports every unsafe expression, in source order", () => {
    expect(errors("p if { z > 1; x = 1; w < x }")).toEqual([
      "a.rego:2:8: rego_unsafe_var_error: var z is unsafe",
      "a.rego:2:22: rego_unsafe_var_error: var w is unsafe",
    ]);
  });
});
