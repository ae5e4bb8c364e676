// Helpers for the compiler's tests: parse sources, build, and show terms and diagnostics
// in a compact text form so expectations read like Rego.
import type { Term } from "../rego/ast.js";
import { bodyPrinter } from "../rego/expr-text.js";
import { parseModule } from "../rego/parser.js";
import { formatDiagnosticHeader } from "../diagnostics/diagnostic.js";
import type { Program } from "./program.js";
import { buildProgramWithDiagnostics, resolveModules } from "./resolve.js";

/** Sources as `[file, text]` pairs (or one text, named `a.rego`). */
export type Sources = string | [string, string][];

function modulesOf(sources: Sources) {
  const list: [string, string][] = typeof sources === "string" ? [["a.rego", sources]] : sources;
  return list.map(([file, text]) => parseModule(text, file));
}

/** Every diagnostic of a full build, as `file:line:col: code: message` lines. */
export function errorsOf(sources: Sources): string[] {
  return buildProgramWithDiagnostics(modulesOf(sources)).diagnostics.map(formatDiagnosticHeader);
}

/** The built program; fails the test (throws) if the build reported anything. */
export function programOf(sources: Sources): Program {
  const { program, diagnostics } = buildProgramWithDiagnostics(modulesOf(sources));
  if (diagnostics.length > 0) {
    throw new Error(
      `unexpected diagnostics:\n${diagnostics.map(formatDiagnosticHeader).join("\n")}`,
    );
  }
  return program;
}

/** Resolution only (no checks, no reordering). */
export function resolvedOf(sources: Sources): Program {
  return resolveModules(modulesOf(sources)).program;
}

/** Compact Rego-like text of a term. */
export function showTerm(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return (
        showTerm(t.head) +
        t.path
          .map((p) =>
            p.type === "string" && /^\w+$/.test(p.value) ? `.${p.value}` : `[${showTerm(p)}]`,
          )
          .join("")
      );
    case "array":
      return `[${t.items.map(showTerm).join(", ")}]`;
    case "set":
      return `{${t.items.map(showTerm).join(", ")}}`;
    case "object":
      return `{${t.entries.map(([k, v]) => `${showTerm(k)}: ${showTerm(v)}`).join(", ")}}`;
    case "arraycompr":
      return `[${showTerm(t.term)} | ${showBody(t.body)}]`;
    case "setcompr":
      return `{${showTerm(t.term)} | ${showBody(t.body)}}`;
    case "objectcompr":
      return `{${showTerm(t.key)}: ${showTerm(t.value)} | ${showBody(t.body)}}`;
    case "call":
      return `${t.operator.join(".")}(${t.args.map(showTerm).join(", ")})`;
  }
}

export const { showExpr, showBody } = bodyPrinter(showTerm);
