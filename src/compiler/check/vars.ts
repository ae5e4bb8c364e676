// Variable queries over the AST shared by resolution and the checks.
import type { Body, Expr, RuleHead, Term, VarTerm } from "../../rego/ast.js";

/** The root documents; they are always bound and never local. */
export const ROOT_DOCUMENTS: ReadonlySet<string> = new Set(["input", "data"]);

/**
 * Var occurrences in a term, in source order, outside comprehension bodies (closures have
 * their own scope). Call operators are names, not vars.
 */
export function termVars(t: Term, out: VarTerm[] = []): VarTerm[] {
  switch (t.type) {
    case "var":
      out.push(t);
      break;
    case "ref":
      termVars(t.head, out);
      for (const p of t.path) termVars(p, out);
      break;
    case "array":
    case "set":
      for (const i of t.items) termVars(i, out);
      break;
    case "object":
      for (const [k, v] of t.entries) {
        termVars(k, out);
        termVars(v, out);
      }
      break;
    case "call":
      for (const a of t.args) termVars(a, out);
      break;
    default:
      break;
  }
  return out;
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
      for (const i of t.items) bindingVars(i, out);
      break;
    case "object":
      for (const [, v] of t.entries) bindingVars(v, out);
      break;
    default:
      break;
  }
  return out;
}

/** The vars a pattern declares (binding vars other than the root documents). */
export function patternVars(t: Term): VarTerm[] {
  return bindingVars(t).filter((v) => !ROOT_DOCUMENTS.has(v.name));
}

/** Vars declared in a body by `:=`, `some x` and `some ... in` (not by nested scopes). */
export function declaredVarsOfBody(body: Body): VarTerm[] {
  const out: VarTerm[] = [];
  for (const e of body) {
    const b = e.body.kind;
    if (b === "assign" || b === "some" || b === "somein") out.push(...declaredVarsOfExpr(e));
  }
  return out;
}

export function declaredVarsOfExpr(e: Expr): VarTerm[] {
  const b = e.body;
  switch (b.kind) {
    case "assign":
      return patternVars(b.lhs);
    case "some":
      return b.vars;
    case "somein":
      return [...(b.key === undefined ? [] : patternVars(b.key)), ...patternVars(b.value)];
    default:
      return [];
  }
}

/** Var occurrences of an expression outside closures (every bodies, comprehensions). */
export function exprVars(e: Expr): VarTerm[] {
  const out: VarTerm[] = [];
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
  for (const w of e.with) termVars(w.value, out);
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
  for (const e of body) walkExprTerms(e, visit);
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
      for (const v of b.vars) walkTerm(v, visit);
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
  for (const w of e.with) {
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
      for (const p of t.path) walkTerm(p, visit);
      break;
    case "array":
    case "set":
      for (const i of t.items) walkTerm(i, visit);
      break;
    case "object":
      for (const [k, v] of t.entries) {
        walkTerm(k, visit);
        walkTerm(v, visit);
      }
      break;
    case "call":
      for (const a of t.args) walkTerm(a, visit);
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
