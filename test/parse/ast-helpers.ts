// Helpers for parser and formatter tests: a compact s-expression view of terms (so tests
// state the expected tree in one line) and an AST normalizer for "same meaning" checks.
import type { Module, Term } from "../../src/rego/ast.js";
import { bodyPrinter } from "../../src/rego/expr-text.js";

/** `equal(x, "a")`, `ref(input, "a", 0)`, `[1, 2]`, `{"a": 1}`, `set(1)`, ... */
export function show(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return (t.raw === true ? "raw:" : "") + JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return `ref(${[t.head, ...t.path].map(show).join(", ")})`;
    case "call":
      return `${t.operator.join(".")}(${t.args.map(show).join(", ")})`;
    case "array":
      return `[${t.items.map(show).join(", ")}]`;
    case "set":
      return `set(${t.items.map(show).join(", ")})`;
    case "object":
      return `{${t.entries.map(([k, v]) => `${show(k)}: ${show(v)}`).join(", ")}}`;
    case "arraycompr":
      return `[${show(t.term)} | ${showBody(t.body)}]`;
    case "setcompr":
      return `set(${show(t.term)} | ${showBody(t.body)})`;
    case "objectcompr":
      return `{${show(t.key)}: ${show(t.value)} | ${showBody(t.body)}}`;
  }
}

export const { showExpr, showBody } = bodyPrinter(show);

/**
 * The module without source positions, with wildcards unnumbered, head `=` and `:=`
 * treated alike and imports in sorted order: what must survive formatting.
 */
export function normalizeModule(m: Module): unknown {
  const plain = JSON.parse(
    JSON.stringify(m, (key, value: unknown) => {
      if (key === "loc" || key === "assign" || key === "hasIf") return undefined;
      if (key === "name" && typeof value === "string" && value.startsWith("$_")) return "$_";
      return value;
    }),
  ) as { imports: unknown[] };
  // The formatter sorts imports; their order carries no meaning.
  plain.imports.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return plain;
}
