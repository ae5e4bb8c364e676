import { describe, expect, it } from "vitest";
import { errorsOf } from "../test-helpers.js";

function errors(src: string): string[] {
  return errorsOf(`package a\n${src}`);
}

describe("undefined functions", () => {
  it("accepts builtins, same-package and imported functions", () => {
    const sources: [string, string][] = [
      [
        "a.rego",
        "package a\nimport data.lib\nf(x) := x\np if { f(1) == lib.g(1); count([]) == 0 }",
      ],
      ["lib.rego", "package lib\ng(x) := x"],
    ];
    expect(errorsOf(sources)).toEqual([]);
  });

  it("reports an unknown builtin", () => {
    expect(errors("p if { frobnicate(1) }")).toEqual([
      "a.rego:2:8: rego_type_error: undefined function frobnicate",
    ]);
    expect(errors('p if { strings.frob("x") }')).toEqual([
      "a.rego:2:8: rego_type_error: undefined function strings.frob",
    ]);
  });

  it("reports calls to missing user functions", () => {
    expect(errors("p if { data.lib.f(1) }")).toEqual([
      "a.rego:2:8: rego_type_error: undefined function data.lib.f",
    ]);
    const sources: [string, string][] = [
      ["a.rego", "package a\nimport data.lib\np if { lib.nope(1) }"],
      ["lib.rego", "package lib\ng(x) := x"],
    ];
    expect(errorsOf(sources)).toEqual([
      "a.rego:3:8: rego_type_error: undefined function data.lib.nope",
    ]);
  });

  it("reports calling a rule that is not a function", () => {
    expect(errors("q := 1\np if { q(1) }")).toEqual([
      "a.rego:3:8: rego_type_error: undefined function data.a.q",
    ]);
  });
});

describe("arity", () => {
  it("accepts the exact arity and one output argument at the top level", () => {
    expect(
      errors("f(x) := x\np if { count([1]) == 1; count([1], n); n == 1; f(1, y); y == 1 }"),
    ).toEqual([]);
  });

  it("reports builtins called with too many or too few arguments", () => {
    expect(errors("p if { count(1, 2, 3) }")).toEqual([
      "a.rego:2:8: rego_type_error: count: arity mismatch: have 3 arguments, want 1 argument",
    ]);
    expect(errors('p if { startswith("a") }')).toEqual([
      "a.rego:2:8: rego_type_error: startswith: arity mismatch: have 1 argument, want 2 arguments",
    ]);
  });

  it("reports an output argument in a nested call", () => {
    expect(errors("p if { x := count([1], n); x }")).toEqual([
      "a.rego:2:13: rego_type_error: count: arity mismatch: have 2 arguments, want 1 argument",
      "a.rego:2:24: rego_unsafe_var_error: var n is unsafe",
    ]);
  });

  it("reports user functions called with the wrong arity", () => {
    expect(errors("f(x, y) := x + y\np if { f(1) == 1 }")).toEqual([
      "a.rego:3:8: rego_type_error: data.a.f: arity mismatch: have 1 argument, want 2 arguments",
    ]);
  });

  it("accepts print with any number of arguments", () => {
    expect(errors("p if { print(1, 2, 3, 4, 5) }")).toEqual([]);
  });
});

describe("undefined refs", () => {
  it("accepts refs to rules, inside rule values, to namespaces and to base data", () => {
    const sources: [string, string][] = [
      ["lib.rego", 'package lib\np := {"x": 1}\nb.c := 1'],
      [
        "a.rego",
        [
          "package a",
          "q if { data.lib.p.x == 1 }",
          "r if { data.lib.b.c == 1 }",
          "s if { data.lib.b }",
          "t if { data.lib[k]; k }",
          "u if { data.tenants.acme }",
        ].join("\n"),
      ],
    ];
    expect(errorsOf(sources)).toEqual([]);
  });

  it("accepts refs to base data below a package the program defines, as OPA", () => {
    expect(errors("p := 1\nq if { data.a.nope == 1 }")).toEqual([]);
    expect(errors("b.c := 1\nq if { data.a.b.d }")).toEqual([]);
    expect(errors("p := data.a.base_value * 2")).toEqual([]);
  });

  it("accepts base data reached through an import of a package with rules", () => {
    const sources: [string, string][] = [
      ["a.rego", "package a\nimport data.lib\np if { lib.missing }"],
      ["lib.rego", "package lib\nq := 1"],
    ];
    expect(errorsOf(sources)).toEqual([]);
  });

  it("still reports calls of functions no package defines", () => {
    expect(errors("p := 1\nq if { data.a.nope(1) }")).toEqual([
      "a.rego:3:8: rego_type_error: undefined function data.a.nope",
    ]);
  });
});

describe("with targets", () => {
  it("accepts input, data, user functions and builtins", () => {
    const src = [
      "f(x) := x",
      "g(x) := 2",
      "q := input.x",
      "p if { q == 1 with input.x as 1 with data.a.q as 1; f(1) == 2 with f as g; count([]) == 1 with count as 1 }",
      'r if { object.get({}, "k", 1) == 2 with object.get as 2 }',
    ].join("\n");
    expect(errors(src)).toEqual([]);
  });

  it("reports other targets", () => {
    expect(errors("p if { input.x with foo as 1 }")).toEqual([
      "a.rego:2:21: rego_compile_error: with keyword target must reference existing input, data, or a function",
    ]);
    expect(errors("p if { x := 1; input.y with x as 1 }")).toEqual([
      "a.rego:2:29: rego_compile_error: with keyword target must reference existing input, data, or a function",
    ]);
  });
});
