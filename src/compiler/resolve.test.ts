import { describe, expect, it } from "vitest";
import { parseModule } from "../rego/parser.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { buildProgram, compileModules } from "./resolve.js";
import {
  errorsOf,
  programOf,
  resolvedOf,
  showBody,
  showTerm,
  type Sources,
} from "./test-helpers.js";

/** The body of the first rule named `name` (package `a` unless given). */
function bodyOf(sources: Sources, name: string): string {
  const program = programOf(sources);
  for (const m of program.modules) {
    const rule = m.rules.find((r) => r.head.name === name);
    if (rule !== undefined) return showBody(rule.body);
  }
  throw new Error(`no rule ${name}`);
}

describe("name resolution", () => {
  it("turns a bare rule name of the same package into a data ref", () => {
    expect(bodyOf("package a.b\np := 1\nq if { p == 1 }", "q")).toBe("equal(data.a.b.p, 1)");
  });

  it("rewrites refs headed by a rule name", () => {
    expect(bodyOf('package a\nroles := {"x": [1]}\nq if { roles.x[0] == 1 }', "q")).toBe(
      "equal(data.a.roles.x[0], 1)",
    );
  });

  it("finds rules of the same package in other files", () => {
    const sources: [string, string][] = [
      ["a.rego", "package a\nq if { p }"],
      ["b.rego", "package a\np := true"],
    ];
    expect(bodyOf(sources, "q")).toBe("data.a.p");
  });

  it("lets local declarations shadow rule names", () => {
    const src = [
      "package a",
      "p := 1",
      "q if { p := 2; p == 2 }",
      "f(p) := p + 1",
      "r if { some p in [1]; p == 1 }",
      "s if { every p in [1] { p == 1 } }",
      "t := [p | p := 3]",
      "u if { p == 1 }",
    ].join("\n");
    const program = programOf(src);
    const rules = program.modules[0]!.rules;
    expect(showBody(rules[1]!.body)).toBe("p := 2; equal(p, 2)");
    expect(showTerm(rules[2]!.head.value!)).toBe("plus(p, 1)");
    expect(showBody(rules[3]!.body)).toBe("some p in [1]; equal(p, 1)");
    expect(showBody(rules[4]!.body)).toBe("every p in [1] { equal(p, 1) }");
    expect(showTerm(rules[5]!.head.value!)).toBe("[p | p := 3]");
    expect(showBody(rules[6]!.body)).toBe("equal(data.a.p, 1)");
  });

  it("keeps unification vars resolvable (they do not declare)", () => {
    expect(bodyOf("package a\np := 1\nq if { p = 1 }", "q")).toBe("data.a.p = 1");
  });

  it("expands data imports, aliases and input imports", () => {
    const src = [
      "package a",
      "import data.lib.roles",
      "import data.lib.tenants as t",
      "import input.user as u",
      "import input.request",
      "q if { roles.admin[u.name]; t[request.tenant] }",
    ].join("\n");
    const sources: [string, string][] = [
      ["a.rego", src],
      ["lib.rego", "package lib\nroles := {}\ntenants := {}"],
    ];
    expect(bodyOf(sources, "q")).toBe(
      "data.lib.roles.admin[input.user.name]; data.lib.tenants[input.request.tenant]",
    );
  });

  it("drops rego.v1 and future.keywords imports and keeps the others", () => {
    const program = resolvedOf(
      "package a\nimport rego.v1\nimport future.keywords.in\nimport data.lib\np := 1",
    );
    expect(program.modules[0]!.imports.map((i) => showTerm(i.path))).toEqual(["data.lib"]);
  });

  it("qualifies user function calls and keeps builtin calls", () => {
    const sources: [string, string][] = [
      [
        "a.rego",
        [
          "package a",
          "import data.lib",
          "f(x) := x",
          'q if { f(1) == lib.g(2); count([]) == 0; object.get({}, "k", 1) == 1 }',
        ].join("\n"),
      ],
      ["lib.rego", "package lib\ng(x) := x - 1"],
    ];
    expect(bodyOf(sources, "q")).toBe(
      'equal(data.a.f(1), data.lib.g(2)); equal(count([]), 0); equal(object.get({}, "k", 1), 1)',
    );
  });

  it("keeps infix operators as builtins even when a rule has the operator's name", () => {
    expect(bodyOf("package a\nplus(x, y) := 0\nq if { 1 + 2 == 3 }", "q")).toBe(
      "equal(plus(1, 2), 3)",
    );
  });

  it("resolves with targets and function replacements", () => {
    const src = [
      "package a",
      "p := input.x",
      "f(x) := x",
      "mock(x) := 2",
      "q if { p == 1 with input.x as 1; f(1) == 2 with f as mock; count([]) == 5 with count as 5 }",
    ].join("\n");
    expect(bodyOf(src, "q")).toBe(
      "equal(data.a.p, 1) with input.x as 1; equal(data.a.f(1), 2) with data.a.f as data.a.mock; equal(count([]), 5) with count as 5",
    );
  });

  it("resolves head values, keys and else values", () => {
    const src = [
      "package a",
      "base := 10",
      "p := base + 1",
      "s contains base",
      "o[base] := base",
      "e := 1 if { false } else := base",
    ].join("\n");
    const rules = programOf(src).modules[0]!.rules;
    expect(showTerm(rules[1]!.head.value!)).toBe("plus(data.a.base, 1)");
    expect(showTerm(rules[2]!.head.key!)).toBe("data.a.base");
    expect(showTerm(rules[3]!.head.ref[1]!)).toBe("data.a.base");
    expect(showTerm(rules[4]!.else[0]!.value!)).toBe("data.a.base");
  });

  it("does not modify the parser's modules", () => {
    const m = parseModule("package a\np := 1\nq if { p == 1; x = p }", "a.rego");
    const before = structuredClone(m);
    buildProgram([m]);
    expect(m).toEqual(before);
  });
});

describe("rule groups", () => {
  it("groups complete, set, object, function and ref-head rules by path", () => {
    const src = [
      "package a",
      "p := 1",
      "s contains 1",
      "s contains 2",
      'o[k] := 1 if { some k in ["x"] }',
      "f(x) := 1 if { x == 1 }",
      "f(x) := 2 if { x == 2 }",
      "b.c.d := 3",
      'g.h[x] contains y if { x := "k"; y := 1 }',
      'n[x].leaf := 1 if { x := "k" }',
    ].join("\n");
    const groups = programOf(src).groups;
    const summary = [...groups.values()].map(
      (g) =>
        `${g.path.join(".")} ${g.kind} ${g.rules.length} ${g.rules[0]!.keyTerms.map(showTerm).join(",")}`,
    );
    expect(summary).toEqual([
      "a.p complete 1 ",
      "a.s set 2 ",
      "a.o object 1 k",
      "a.f function 2 ",
      "a.b.c.d complete 1 ",
      "a.g.h set 1 x",
      'a.n object 1 x,"leaf"',
    ]);
    expect(groups.get("a.f")!.arity).toBe(1);
  });

  it("puts default rules in `default` and keeps else chains on the rule", () => {
    const src = [
      "package a",
      "default allow := false",
      "allow if { input.x == 1 } else := false if { input.x == 2 }",
      "default f(_) := 0",
      "f(x) := 1 if { x == 1 }",
    ].join("\n");
    const groups = programOf(src).groups;
    const allow = groups.get("a.allow")!;
    expect(showTerm(allow.default!.rule.head.value!)).toBe("false");
    expect(allow.rules).toHaveLength(1);
    expect(allow.rules[0]!.rule.else).toHaveLength(1);
    expect(groups.get("a.f")!.default).toBeDefined();
    expect(groups.get("a.f")!.rules).toHaveLength(1);
  });

  it("keeps rules of one path in source order across files", () => {
    const sources: [string, string][] = [
      ["a.rego", "package a\ns contains 1"],
      ["b.rego", "package a\ns contains 2"],
    ];
    const g = programOf(sources).groups.get("a.s")!;
    expect(g.rules.map((r) => r.module.file)).toEqual(["a.rego", "b.rego"]);
  });

  it("collects annotated entrypoints (rule and package scope)", () => {
    const src = [
      "# METADATA",
      "# entrypoint: true",
      "package authz",
      "",
      "# METADATA",
      "# entrypoint: true",
      "allow if { input.x }",
      "",
      "deny if { input.y }",
    ].join("\n");
    expect(programOf(src).annotatedEntrypoints).toEqual(["authz", "authz.allow"]);
  });
});

describe("structural errors", () => {
  it("reports rules of different kinds on one path", () => {
    expect(errorsOf("package a\np := 1\np contains 2")).toEqual([
      "a.rego:3:1: rego_type_error: conflicting rules data.a.p found",
    ]);
  });

  it("reports a function and a rule with the same name", () => {
    expect(errorsOf("package a\nf(x) := x\nf := 1")).toEqual([
      "a.rego:3:1: rego_type_error: conflicting rules data.a.f found",
    ]);
  });

  it("reports functions of one name with different arities", () => {
    expect(errorsOf("package a\nf(x) := x\nf(x, y) := y")).toEqual([
      "a.rego:3:1: rego_type_error: conflicting rules data.a.f found",
    ]);
  });

  it("reports multiple default rules", () => {
    expect(errorsOf("package a\ndefault p := 1\ndefault p := 2\np := 3")).toEqual([
      "a.rego:3:1: rego_type_error: multiple default rules data.a.p found",
    ]);
  });

  it("reports a default rule whose kind differs from the rules", () => {
    expect(errorsOf('package a\ndefault p := {}\np[k] := 1 if { k := "x" }')).toEqual([
      "a.rego:3:1: rego_type_error: conflicting rules data.a.p found",
    ]);
  });

  it("reports a rule path below another rule", () => {
    expect(errorsOf("package a\np := 1\np.q := 2")).toEqual([
      "a.rego:3:1: rego_type_error: rule data.a.p.q conflicts with rule data.a.p",
    ]);
    const sources: [string, string][] = [
      ["a.rego", "package a\nb := 1"],
      ["b.rego", "package a.b\nc := 2"],
    ];
    expect(errorsOf(sources)).toEqual([
      "b.rego:2:1: rego_type_error: rule data.a.b.c conflicts with rule data.a.b",
    ]);
  });

  it("reports duplicate import aliases and imports clashing with rules", () => {
    const src = "package a\nimport data.x.p\nimport data.y.p\nimport data.z as q\nq := 1";
    expect(errorsOf(src)).toEqual([
      "a.rego:3:1: rego_compile_error: import must not shadow import data.x.p",
      "a.rego:4:1: rego_compile_error: import data.z conflicts with rule q of package a",
    ]);
  });

  it("rejects unknown keyword imports", () => {
    expect(errorsOf("package a\nimport rego.v2\np := 1")).toEqual([
      "a.rego:2:1: rego_compile_error: invalid import rego.v2",
    ]);
  });
});

describe("buildProgram / compileModules", () => {
  it("throws one DiagnosticError with every problem, sorted by position", () => {
    const sources = [
      { file: "b.rego", text: "package b\np if { nope(1) }" },
      { file: "a.rego", text: "package a\nq if { x }\nr if { count(1, 2, 3) }" },
    ];
    let error: unknown;
    try {
      compileModules(sources);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DiagnosticError);
    expect(
      (error as DiagnosticError).diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.col}`),
    ).toEqual(["a.rego:2:8", "a.rego:3:8", "b.rego:2:8"]);
  });

  it("reports parse errors of every file before building", () => {
    const sources = [
      { file: "a.rego", text: "package a\np := " },
      { file: "b.rego", text: "package b\nq if {" },
    ];
    let error: unknown;
    try {
      compileModules(sources);
    } catch (err) {
      error = err;
    }
    const files = (error as DiagnosticError).diagnostics.map((d) => `${d.code} ${d.loc.file}`);
    expect(files).toEqual(["rego_parse_error a.rego", "rego_parse_error b.rego"]);
  });

  it("caps the diagnostics at 50", () => {
    const rules = Array.from({ length: 60 }, (_, i) => `p${i} if { x${i} }`).join("\n");
    let error: unknown;
    try {
      compileModules([{ file: "a.rego", text: `package a\n${rules}` }]);
    } catch (err) {
      error = err;
    }
    expect((error as DiagnosticError).diagnostics).toHaveLength(50);
  });

  it("returns a program for valid sources", () => {
    const program = compileModules([
      { file: "a.rego", text: "package a\nallow if { input.x == 1 }" },
    ]);
    expect([...program.groups.keys()]).toEqual(["a.allow"]);
  });
});
