import { describe, expect, it } from "vitest";
import { compileModules } from "../resolve.js";
import { entrypointPath, planProgram } from "./planner.js";
import { DiagnosticError } from "../../diagnostics/diagnostic.js";
import type { Stmt } from "../ir.js";

function plan(
  text: string,
  entrypoints: string[],
  options: { index?: boolean; debug?: boolean } = {},
) {
  const program = compileModules([{ file: "p.rego", text }]);
  return planProgram(program, { entrypoints, ...options });
}

function allStmts(stmts: readonly Stmt[]): Stmt[] {
  return stmts.flatMap((s) => {
    const nested =
      s.op === "block" || s.op === "scan"
        ? allStmts(s.body)
        : s.op === "index"
          ? s.cases.flatMap((c) => allStmts(c.body))
          : [];
    return [s, ...nested];
  });
}

describe("planProgram", () => {
  it("plans only what the entrypoints reach", () => {
    const p = plan(
      `package a
x := 1
y := x + 1
unused := 3
`,
      ["a/y"],
    );
    expect(p.funcs.map((f) => f.name).sort()).toEqual(["entry$a/y", "rego$a.x", "rego$a.y"]);
    expect(p.entrypoints).toEqual([{ name: "a/y", func: "entry$a/y" }]);
    expect(p.builtins).toEqual(["plus"]);
  });

  it("builds a package document from its rules", () => {
    const p = plan(`package a\nx := 1\ny := 2\n`, ["a"]);
    expect(p.funcs.map((f) => f.name)).toContain("doc$a");
  });

  it("dispatches through an index unless disabled", () => {
    const src = `package a
allow if input.action == "r"
allow if input.action == "w"
`;
    const indexed = plan(src, ["a/allow"]);
    expect(indexed.stats).toEqual({ indexedGroups: 1, indexedBodies: 2 });
    const allow = indexed.funcs.find((f) => f.name === "rego$a.allow")!;
    expect(allStmts(allow.body).some((s) => s.op === "index")).toBe(true);
    // Few cases stay inline; many become functions (input, data, result so far) → result.
    expect(indexed.funcs.filter((f) => f.name.startsWith("rego$a.allow#"))).toEqual([]);
    const many = Array.from({ length: 70 }, (_, i) => `allow if input.action == "a${i}"`);
    const large = plan(`package a\n${many.join("\n")}\n`, ["a/allow"]);
    const cases = large.funcs.filter((f) => f.name.startsWith("rego$a.allow#"));
    expect(cases.map((f) => f.params)).toEqual(new Array(70).fill(1));
    const plain = plan(src, ["a/allow"], { index: false });
    expect(plain.stats.indexedGroups).toBe(0);
  });

  it("locates conflicts at the rule that produced the second value", () => {
    const p = plan(`package a\np := 1\np := 2 if true\n`, ["a/p"]);
    const f = p.funcs.find((x) => x.name === "rego$a.p")!;
    const setonce = allStmts(f.body).filter((s) => s.op === "setonce");
    expect(setonce.map((s) => s.op === "setonce" && s.conflict)).toContainEqual({
      code: "eval_conflict_error",
      message: "complete rules must not produce multiple outputs",
      loc: { file: "p.rego", line: 3, col: 1 },
    });
  });

  it("compiles print away unless debugging", () => {
    const src = `package a\np if { print("hi", input.x); true }\n`;
    const has = (debug: boolean) =>
      plan(src, ["a/p"], { debug }).funcs.some((f) =>
        allStmts(f.body).some((s) => s.op === "print"),
      );
    expect(has(false)).toBe(false);
    expect(has(true)).toBe(true);
  });

  it("rejects what it cannot compile with a located rego_compile_error", () => {
    const src = `package a
f(x) := x
p if f(1) with f as 2
`;
    try {
      plan(src, ["a/p"]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DiagnosticError);
      const d = (err as DiagnosticError).diagnostics[0]!;
      expect(d.code).toBe("rego_compile_error");
      expect(d.message).toContain("not supported by the Wasm compiler");
      expect(d.loc).toMatchObject({ file: "p.rego", line: 3 });
    }
  });

  it("shares constants", () => {
    const p = plan(`package a\np if { input.x == "k"; input.y == "k" }\n`, ["a/p"], {
      index: false,
    });
    expect(p.constants.filter((c) => c.value === "k")).toHaveLength(1);
  });
});

describe("entrypointPath", () => {
  it("accepts slash, dotted and data-rooted paths", () => {
    expect(entrypointPath("a/b/p")).toEqual(["a", "b", "p"]);
    expect(entrypointPath("a.b.p")).toEqual(["a", "b", "p"]);
    expect(entrypointPath("data.a.b.p")).toEqual(["a", "b", "p"]);
  });
});
