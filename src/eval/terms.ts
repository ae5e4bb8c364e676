// Helpers over terms and values shared by the evaluator's parts: collection access in
// OPA's order, pattern variables, and the names a query binds.
import type { Body, Location, RefTerm, Term } from "../rego/ast.js";
import { RegoObject, RegoSet, type Value } from "../value/value.js";

/** The ref `data.<path>` for a path of names. */
export function dataRef(path: readonly string[]): RefTerm {
  const loc: Location = { file: "query", line: 1, col: 1, offset: 0, end: 0 };
  return {
    type: "ref",
    head: { type: "var", name: "data", loc },
    path: path.map((p) => ({ type: "string", value: p, loc })),
    loc,
  };
}

/** Variables a pattern declares (`:=` lhs, `some ... in` key/value). */
export function patternVars(t: Term): string[] {
  switch (t.type) {
    case "var":
      return [t.name];
    case "array":
      return t.items.flatMap(patternVars);
    case "object":
      return t.entries.flatMap(([, v]) => patternVars(v));
    default:
      return [];
  }
}

/** Named variables of a query, in order of first appearance (wildcards excluded). */
export function queryVarNames(body: Body): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const visitTerm = (t: Term): void => {
    switch (t.type) {
      case "var":
        if (
          !t.name.startsWith("$") &&
          t.name !== "input" &&
          t.name !== "data" &&
          !seen.has(t.name)
        ) {
          seen.add(t.name);
          names.push(t.name);
        }
        return;
      case "ref":
        visitTerm(t.head);
        t.path.forEach(visitTerm);
        return;
      case "array":
      case "set":
        t.items.forEach(visitTerm);
        return;
      case "object":
        t.entries.forEach(([k, v]) => {
          visitTerm(k);
          visitTerm(v);
        });
        return;
      case "call":
        t.args.forEach(visitTerm);
        return;
      default:
        return;
    }
  };
  for (const e of body) {
    const b = e.body;
    switch (b.kind) {
      case "term":
        visitTerm(b.term);
        break;
      case "assign":
      case "unify":
        visitTerm(b.lhs);
        visitTerm(b.rhs);
        break;
      case "some":
        b.vars.forEach(visitTerm);
        break;
      case "somein":
        if (b.key) visitTerm(b.key);
        visitTerm(b.value);
        visitTerm(b.collection);
        break;
      case "every":
        visitTerm(b.domain);
        break;
    }
  }
  return names;
}

export function isCollection(v: Value): boolean {
  return Array.isArray(v) || v instanceof RegoObject || v instanceof RegoSet;
}

/** (key, value) pairs of a collection in OPA's order; scalars have none. */
export function collectionEntries(v: Value): [Value, Value][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (v instanceof RegoSet) return v.values().map((x) => [x, x]);
  if (v instanceof RegoObject) return v.entries() as [Value, Value][];
  return [];
}

export function lookup(v: Value | undefined, key: Value): Value | undefined {
  if (v === undefined || v === null || typeof v !== "object") return undefined;
  if (Array.isArray(v)) {
    return typeof key === "number" && Number.isInteger(key) && key >= 0 ? v[key] : undefined;
  }
  if (v instanceof RegoSet) return v.has(key) ? key : undefined;
  return v.get(key);
}

export function lookupPath(v: Value | undefined, path: readonly Value[]): Value | undefined {
  let cur = v;
  for (const p of path) {
    cur = lookup(cur, p);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** `input.a.b` / `data.x` / `count` / `object.get` as a path of names, if all static. */
export function targetPath(t: Term): string[] | undefined {
  if (t.type === "var") return [t.name];
  if (t.type !== "ref" || t.head.type !== "var") return undefined;
  const out = [t.head.name];
  for (const seg of t.path) {
    if (seg.type !== "string") return undefined;
    out.push(seg.value);
  }
  return out;
}

export function displayVar(name: string): string {
  return name.startsWith("$_") ? "_" : name;
}

export function unboundName(a: Term, b: Term): string {
  if (a.type === "var") return displayVar(a.name);
  if (b.type === "var") return displayVar(b.name);
  return "?";
}
