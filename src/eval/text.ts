// Rego source text for AST fragments, used by traces and explanations when the original
// source text is not at hand (queries built in code, modules compiled from ASTs). When the
// source is known, `sourceText` slices it by the node's offsets instead, so explanations
// show exactly what the author wrote.
import type { Location, Term } from "../rego/ast.js";
import { bodyPrinter } from "../rego/expr-text.js";
import { regoString } from "../builtins/define.js";
import type { Value } from "../value/value.js";

const INFIX: Readonly<Record<string, string>> = {
  equal: "==",
  neq: "!=",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
  plus: "+",
  minus: "-",
  mul: "*",
  div: "/",
  rem: "%",
  and: "&",
  or: "|",
  "internal.member_2": "in",
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function termText(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return t.value ? "true" : "false";
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name.startsWith("$_") ? "_" : t.name;
    case "ref":
      return termText(t.head) + t.path.map(refSegmentText).join("");
    case "array":
      return "[" + t.items.map(termText).join(", ") + "]";
    case "set":
      return t.items.length === 0 ? "set()" : "{" + t.items.map(termText).join(", ") + "}";
    case "object":
      return "{" + t.entries.map(([k, v]) => `${termText(k)}: ${termText(v)}`).join(", ") + "}";
    case "arraycompr":
      return `[${termText(t.term)} | ${bodyText(t.body)}]`;
    case "setcompr":
      return `{${termText(t.term)} | ${bodyText(t.body)}}`;
    case "objectcompr":
      return `{${termText(t.key)}: ${termText(t.value)} | ${bodyText(t.body)}}`;
    case "call":
      return callText(t.operator, t.args);
  }
}

function refSegmentText(seg: Term): string {
  if (seg.type === "string" && IDENT.test(seg.value)) return "." + seg.value;
  return "[" + termText(seg) + "]";
}

function callText(operator: string[], args: Term[]): string {
  const name = operator.join(".");
  const infix = INFIX[name];
  if (infix !== undefined && args.length === 2) {
    return `${termText(args[0]!)} ${infix} ${termText(args[1]!)}`;
  }
  if (name === "internal.member_3" && args.length === 3) {
    return `${termText(args[0]!)}, ${termText(args[1]!)} in ${termText(args[2]!)}`;
  }
  return `${name}(${args.map(termText).join(", ")})`;
}

export const { showExpr: exprText, showBody: bodyText } = bodyPrinter(termText);

/** The source slice of a node when the source is known and the offsets are sane. */
export function sourceText(
  sources: ReadonlyMap<string, string> | undefined,
  loc: Location,
): string | undefined {
  const text = sources?.get(loc.file);
  if (text === undefined || loc.end <= loc.offset || loc.end > text.length) return undefined;
  return text.slice(loc.offset, loc.end).replace(/\s*\n\s*/g, " ");
}

/** A value as Rego text, shortened for one-line trace output. */
export function valueText(v: Value | undefined, max = 120): string {
  if (v === undefined) return "undefined";
  const s = regoString(v);
  return s.length > max ? s.slice(0, max - 3) + "..." : s;
}
