// Variable queries over the AST shared by resolution and the checks.
import type { Body, Expr, RuleHead, Term, VarTerm } from "../../rego/ast.js";

/** The root documents; they are always bound and never local. */
export const ROOT_DOCUMENTS: ReadonlySet<string> = new Set(["input", "data"]);

/**
 * Var occurrences in a term, in source order, outside comprehension bodies (closures have
 * their own scope). Call operators are names, not vars.
 */
export function termVars(t: Term, out: VarTerm[] = []): VarTerm[] {
  if (t.type === "var") out.push(t);
  else forEachChildTerm(t, termVars, out, undefined);
  return out;
}

/**
 * Calls `visit(child, a, b)` on each direct sub-term of `t` outside comprehension bodies: a
 * ref's head and segments, collection items, object keys and values, call arguments. The
 * walkers over a scope's terms share it; it runs on every term of a program, so it uses
 * index loops and takes its context as arguments rather than allocating a closure.
 */
export function forEachChildTerm<A, B>(
  t: Term,
  visit: (child: Term, a: A, b: B) => unknown,
  a: A,
  b: B,
): void {
  switch (t.type) {
    case "ref":
      visit(t.head, a, b);
      for (let i = 0; i < t.path.length; i++) visit(t.path[i]!, a, b);
      return;
    case "array":
    case "set":
      for (let i = 0; i < t.items.length; i++) visit(t.items[i]!, a, b);
      return;
    case "object":
      for (let i = 0; i < t.entries.length; i++) {
        const entry = t.entries[i]!;
        visit(entry[0], a, b);
        visit(entry[1], a, b);
      }
      return;
    case "call":
      for (let i = 0; i < t.args.length; i++) visit(t.args[i]!, a, b);
      return;
    default:
      return;
  }
}

/**
 * Vars in the binding positions of a pattern (`:=` left side, `some ... in` key/value,
 * function args): the pattern itself, array items and object values, recursively.
 */
export function bindingVars(t: Term, out: VarTerm[] = []): VarTerm[] {
  switch (t.type) {
    case "var":
      out.push(t);
      break;
    case "array":
      for (let j = 0; j < t.items.length; j++) bindingVars(t.items[j]!, out);
      break;
    case "object":
      for (let i = 0; i < t.entries.length; i++) bindingVars(t.entries[i]![1], out);
      break;
    default:
      break;
  }
  return out;
}

/** The vars a pattern declares (binding vars other than the root documents). */
export function patternVars(t: Term, out: VarTerm[] = []): VarTerm[] {
  switch (t.type) {
    case "var":
      if (!ROOT_DOCUMENTS.has(t.name)) out.push(t);
      break;
    case "array":
      for (let j = 0; j < t.items.length; j++) patternVars(t.items[j]!, out);
      break;
    case "object":
      for (let i = 0; i < t.entries.length; i++) patternVars(t.entries[i]![1], out);
      break;
    default:
      break;
  }
  return out;
}

/** Vars declared in a body by `:=`, `some x` and `some ... in` (not by nested scopes). */
export function declaredVarsOfBody(body: readonly Expr[], out: VarTerm[] = []): VarTerm[] {
  for (let i = 0; i < body.length; i++) declaredVarsOfExpr(body[i]!, out);
  return out;
}

/** Appends the vars `e` declares to `out` (callers that collect many avoid an array each). */
export function declaredVarsOfExpr(e: Expr, out: VarTerm[] = []): VarTerm[] {
  const b = e.body;
  switch (b.kind) {
    case "assign":
      return patternVars(b.lhs, out);
    case "some":
      for (let i = 0; i < b.vars.length; i++) out.push(b.vars[i]!);
      return out;
    case "somein":
      if (b.key !== undefined) patternVars(b.key, out);
      return patternVars(b.value, out);
    default:
      return out;
  }
}

/** Var occurrences of an expression outside closures (every bodies, comprehensions). */
export function exprVars(e: Expr, out: VarTerm[] = []): VarTerm[] {
  const b = e.body;
  switch (b.kind) {
    case "term":
      termVars(b.term, out);
      break;
    case "assign":
    case "unify":
      termVars(b.lhs, out);
      termVars(b.rhs, out);
      break;
    case "some":
      break;
    case "somein":
      if (b.key !== undefined) termVars(b.key, out);
      termVars(b.value, out);
      termVars(b.collection, out);
      break;
    case "every":
      termVars(b.domain, out);
      break;
  }
  for (let i = 0; i < e.with.length; i++) termVars(e.with[i]!.value, out);
  return out;
}

/** `data.a.b.p` for the path `["a", "b", "p"]`. */
export function dataPathText(path: readonly string[]): string {
  return ["data", ...path].join(".");
}

/** True for the parser's renamed wildcards (`_` → `$_N`). */
export function isWildcard(name: string): boolean {
  return name.startsWith("$");
}

/** Calls `visit` on every term of a body, including inside closures. */
export function walkBodyTerms(body: Body, visit: (t: Term) => void): void {
  for (let i = 0; i < body.length; i++) walkExprTerms(body[i]!, visit);
}

export function walkExprTerms(e: Expr, visit: (t: Term) => void): void {
  const b = e.body;
  switch (b.kind) {
    case "term":
      walkTerm(b.term, visit);
      break;
    case "assign":
    case "unify":
      walkTerm(b.lhs, visit);
      walkTerm(b.rhs, visit);
      break;
    case "some":
      for (let i = 0; i < b.vars.length; i++) walkTerm(b.vars[i]!, visit);
      break;
    case "somein":
      if (b.key !== undefined) walkTerm(b.key, visit);
      walkTerm(b.value, visit);
      walkTerm(b.collection, visit);
      break;
    case "every":
      if (b.key !== undefined) walkTerm(b.key, visit);
      walkTerm(b.value, visit);
      walkTerm(b.domain, visit);
      walkBodyTerms(b.body, visit);
      break;
  }
  for (let i = 0; i < e.with.length; i++) {
    const w = e.with[i]!;
    walkTerm(w.target, visit);
    walkTerm(w.value, visit);
  }
}

/** Pre-order walk of a term and every term nested in it (closure bodies included). */
export function walkTerm(t: Term, visit: (t: Term) => void): void {
  visit(t);
  switch (t.type) {
    case "ref":
      walkTerm(t.head, visit);
      for (let i = 0; i < t.path.length; i++) walkTerm(t.path[i]!, visit);
      break;
    case "array":
    case "set":
      for (let j = 0; j < t.items.length; j++) walkTerm(t.items[j]!, visit);
      break;
    case "object":
      for (let i = 0; i < t.entries.length; i++) {
        const entry = t.entries[i]!;
        const k = entry[0];
        const v = entry[1];
        walkTerm(k, visit);
        walkTerm(v, visit);
      }
      break;
    case "call":
      for (let i = 0; i < t.args.length; i++) walkTerm(t.args[i]!, visit);
      break;
    case "arraycompr":
    case "setcompr":
      walkTerm(t.term, visit);
      walkBodyTerms(t.body, visit);
      break;
    case "objectcompr":
      walkTerm(t.key, visit);
      walkTerm(t.value, visit);
      walkBodyTerms(t.body, visit);
      break;
    default:
      break;
  }
}

/** Splits a head ref into its static path (after the package) and the remaining terms. */
export function splitHeadRef(head: RuleHead): { path: string[]; keyTerms: Term[] } {
  const path = [head.name];
  let i = 1;
  for (; i < head.ref.length; i++) {
    const t = head.ref[i] as Term;
    if (t.type !== "string") break;
    path.push(t.value);
  }
  return { path, keyTerms: head.ref.slice(i) };
}
