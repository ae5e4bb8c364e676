import { describe, expect, it } from "vitest";
import { errorsOf } from "../test-helpers.js";

function errors(src: string): string[] {
  return errorsOf(`package a\n${src}`);
}

describe(":= redeclarations", () => {
  it("accepts distinct declarations and shadowing in nested scopes", () => {
    expect(errors("p if { x := 1; y := x + 1; y > x }")).toEqual([]);
    expect(errors("p if { x := 1; ys := [x | x := 2]; ys[0] > x }")).toEqual([]);
    expect(errors("p if { x := 1; every x in input.xs { x > 0 } }")).toEqual([]);
  });

  it("reports a var assigned twice", () => {
    expect(errors("p if { x := 1; x := 2 }")).toEqual([
      "a.rego:2:16: rego_compile_error: var x assigned above",
    ]);
  });

  it("reports a var used before its declaration", () => {
    expect(errors("p if { x == 1; x := 1 }")).toEqual([
      "a.rego:2:16: rego_compile_error: var x referenced above",
    ]);
  });

  it("reports := after some and some after :=", () => {
    expect(errors("p if { some x; x := 1 }")).toEqual([
      "a.rego:2:16: rego_compile_error: var x declared above",
    ]);
    expect(errors("p if { x := [1]; some x in input.xs }")).toEqual([
      "a.rego:2:23: rego_compile_error: var x assigned above",
    ]);
  });

  it("reports a function argument redeclared", () => {
    expect(errors("f(x) := y if { x := 1; y := x }")).toEqual([
      "a.rego:2:16: rego_compile_error: arg x redeclared",
    ]);
  });

  it("checks each else body as its own scope", () => {
    expect(errors("p := x if { x := 1 } else := x if { x := 2 }")).toEqual([]);
    expect(errors("p := 1 if { input.a } else := x if { x := 2; x := 3 }")).toEqual([
      "a.rego:2:46: rego_compile_error: var x assigned above",
    ]);
  });

  it("reports := inside a negation", () => {
    expect(errors("p if { input.a; not x := 1 }")).toEqual([
      "a.rego:2:17: rego_compile_error: cannot assign vars inside negated expression",
      "a.rego:2:21: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  it("reports assignment targets that are not vars or patterns", () => {
    expect(errors("p if { input.x := 1 }")).toEqual([
      "a.rego:2:8: rego_compile_error: cannot assign to ref",
    ]);
    expect(errors("p if { [a, input.x] := [1, 2]; a }")).toEqual([
      "a.rego:2:12: rego_compile_error: cannot assign to ref",
    ]);
  });
});

describe("declared vars", () => {
  it("accepts a some var used later", () => {
    expect(errors("p if { some x; input.xs[x] }")).toEqual([]);
    expect(errors("s contains x if { some x; input.xs[x] }")).toEqual([]);
  });

  it("reports an unused some var", () => {
    expect(errors("p if { some x; input.a }")).toEqual([
      "a.rego:2:13: rego_compile_error: declared var x unused",
    ]);
  });

  it("reports unused some vars inside comprehensions", () => {
    expect(errors("p := [1 | some y; input.a]")).toEqual([
      "a.rego:2:16: rego_compile_error: declared var y unused",
    ]);
  });
});

describe("default values", () => {
  it("accepts constants, composites of constants and comprehensions", () => {
    expect(errors('default p := {"a": [1, true, null], "b": {"x"}}')).toEqual([]);
    expect(errors("default q := [x | some x in input.xs]")).toEqual([]);
    expect(errors("default f(_) := false")).toEqual([]);
  });

  it("reports vars, refs and calls in a default value", () => {
    expect(errors("default p := x")).toEqual([
      "a.rego:2:14: rego_compile_error: default rule value cannot contain var",
    ]);
    expect(errors("default p := [input.x]")).toEqual([
      "a.rego:2:15: rego_compile_error: default rule value cannot contain ref",
    ]);
    expect(errors("default p := count([])")).toEqual([
      "a.rego:2:14: rego_compile_error: default rule value cannot contain call",
    ]);
  });
});

describe("root documents", () => {
  it("reports locals that shadow input or data", () => {
    expect(errors("p if { input := 1 }")).toEqual([
      "a.rego:2:8: rego_compile_error: variables must not shadow input (use a different variable name)",
    ]);
    expect(errors("p if { some data in [1] }")).toEqual([
      "a.rego:2:13: rego_compile_error: variables must not shadow data (use a different variable name)",
    ]);
    expect(errors("p if { every input in [1] { true } }")).toEqual([
      "a.rego:2:14: rego_compile_error: variables must not shadow input (use a different variable name)",
    ]);
  });

  it("reports function arguments named input or data", () => {
    expect(errors("f(input) := 1")).toEqual([
      "a.rego:2:3: rego_compile_error: args must not shadow input (use a different variable name)",
    ]);
  });

  it("reports rules named input or data", () => {
    expect(errors("input := 1")).toEqual([
      "a.rego:2:1: rego_compile_error: rules must not shadow input (use a different rule name)",
    ]);
    expect(errors("data contains 1")).toEqual([
      "a.rego:2:1: rego_compile_error: rules must not shadow data (use a different rule name)",
    ]);
  });

  it("allows comparing with the root documents", () => {
    expect(errors("p if { input = {}; data = x; x }")).toEqual([]);
  });
});
