// Local declaration checks, in source order (they must run before bodies are reordered):
// `:=` may not redeclare a var of the same scope, `some x` must be used, assignment
// targets must be vars or patterns, and no local may shadow the root documents.
import type { Body, Expr, Rule, Term, VarTerm } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import {
  bindingVars,
  exprVars,
  isWildcard,
  ROOT_DOCUMENTS,
  termVars,
  walkExprTerms,
  walkTerm,
} from "./vars.js";

type Occurrence = "arg" | "seen" | "assigned" | "declared";

const REDECLARED: Readonly<Record<Occurrence, (name: string) => string>> = {
  arg: (n) => `arg ${n} redeclared`,
  seen: (n) => `var ${n} referenced above`,
  assigned: (n) => `var ${n} assigned above`,
  declared: (n) => `var ${n} declared above`,
};

export function checkRuleDeclarations(rule: Rule, out: Diagnostic[]): void {
  const args = (rule.head.args ?? []).flatMap((a) => bindingVars(a));
  for (const v of args) {
    if (ROOT_DOCUMENTS.has(v.name)) {
      out.push(
        diagnostic(
          "rego_compile_error",
          `args must not shadow ${v.name} (use a different variable name)`,
          v.loc,
        ),
      );
    }
  }
  const headTerms: Term[] = [...rule.head.ref.slice(1)];
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  if (rule.head.value !== undefined) headTerms.push(rule.head.value);
  if (rule.default && rule.head.value !== undefined) checkDefaultValue(rule.head.value, out);
  checkScope(rule.body, args, headTerms, out);
  for (const e of rule.else) checkScope(e.body, args, e.value ? [e.value] : [], out);
}

/**
 * A default value is a constant: scalars, composites of constants, or comprehensions
 * (whose bodies run like any other). Vars, refs and calls are rejected, as in OPA.
 */
function checkDefaultValue(t: Term, out: Diagnostic[]): void {
  switch (t.type) {
    case "var":
    case "ref":
    case "call":
      out.push(
        diagnostic("rego_compile_error", `default rule value cannot contain ${t.type}`, t.loc),
      );
      return;
    case "array":
    case "set":
      for (const i of t.items) checkDefaultValue(i, out);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        checkDefaultValue(k, out);
        checkDefaultValue(v, out);
      }
      return;
    default:
      return;
  }
}

/** Checks one scope (a body) and, through `walkClosures`, every scope nested in it. */
function checkScope(
  body: Body,
  args: readonly VarTerm[],
  head: readonly Term[],
  out: Diagnostic[],
): void {
  const occurrences = new Map<string, Occurrence>();
  for (const v of args) occurrences.set(v.name, "arg");
  for (const e of body) checkExpr(e, occurrences, out);
  checkUnusedSome(body, head, out);
  for (const t of head) checkClosuresIn(t, out);
}

function checkExpr(e: Expr, occ: Map<string, Occurrence>, out: Diagnostic[]): void {
  const b = e.body;
  for (const w of e.with) see(termVars(w.value), occ);
  switch (b.kind) {
    case "assign":
      see(termVars(b.rhs), occ);
      if (e.negated) {
        out.push(
          diagnostic("rego_compile_error", "cannot assign vars inside negated expression", e.loc),
        );
      }
      checkAssignTarget(b.lhs, out);
      declare(bindingVars(b.lhs), "assigned", occ, out);
      break;
    case "some":
      declare(b.vars, "declared", occ, out);
      break;
    case "somein":
      see(termVars(b.collection), occ);
      declare(
        [...(b.key === undefined ? [] : bindingVars(b.key)), ...bindingVars(b.value)],
        "declared",
        occ,
        out,
      );
      break;
    case "every": {
      see(termVars(b.domain), occ);
      const own = [b.value, ...(b.key === undefined ? [] : [b.key])];
      for (const v of own) checkRootShadow(v, out);
      checkScope(b.body, [], [], out);
      break;
    }
    default:
      see(exprVars(e), occ);
  }
  checkClosuresInExpr(e, out);
}

function see(vars: readonly VarTerm[], occ: Map<string, Occurrence>): void {
  for (const v of vars) if (!occ.has(v.name)) occ.set(v.name, "seen");
}

function declare(
  vars: readonly VarTerm[],
  kind: Occurrence,
  occ: Map<string, Occurrence>,
  out: Diagnostic[],
): void {
  for (const v of vars) {
    if (isWildcard(v.name)) continue;
    if (checkRootShadow(v, out)) continue;
    const before = occ.get(v.name);
    if (before !== undefined) {
      out.push(diagnostic("rego_compile_error", REDECLARED[before](v.name), v.loc));
      continue;
    }
    occ.set(v.name, kind);
  }
}

function checkRootShadow(v: VarTerm, out: Diagnostic[]): boolean {
  if (!ROOT_DOCUMENTS.has(v.name)) return false;
  out.push(
    diagnostic(
      "rego_compile_error",
      `variables must not shadow ${v.name} (use a different variable name)`,
      v.loc,
    ),
  );
  return true;
}

/** `:=` assigns to vars, or to arrays and objects of them (patterns); nothing else. */
function checkAssignTarget(t: Term, out: Diagnostic[]): void {
  switch (t.type) {
    case "var":
      return;
    case "array":
      for (const i of t.items) checkAssignTarget(i, out);
      return;
    case "object":
      for (const [, v] of t.entries) checkAssignTarget(v, out);
      return;
    case "null":
    case "boolean":
    case "number":
    case "string":
      // Constants inside a pattern must match; a bare constant target is meaningless.
      return;
    default:
      out.push(diagnostic("rego_compile_error", `cannot assign to ${describeTerm(t)}`, t.loc));
  }
}

function describeTerm(t: Term): string {
  switch (t.type) {
    case "ref":
      return "ref";
    case "call":
      return "call";
    case "set":
      return "set";
    case "arraycompr":
      return "array comprehension";
    case "setcompr":
      return "set comprehension";
    case "objectcompr":
      return "object comprehension";
    default:
      return t.type;
  }
}

/** `some x` that nothing else in the body (or the head) mentions is an error. */
function checkUnusedSome(body: Body, head: readonly Term[], out: Diagnostic[]): void {
  body.forEach((e, i) => {
    if (e.body.kind !== "some") return;
    for (const v of e.body.vars) {
      if (isWildcard(v.name) || ROOT_DOCUMENTS.has(v.name)) continue;
      if (!usedElsewhere(v.name, body, i, head)) {
        out.push(diagnostic("rego_compile_error", `declared var ${v.name} unused`, v.loc));
      }
    }
  });
}

function usedElsewhere(
  name: string,
  body: Body,
  declIndex: number,
  head: readonly Term[],
): boolean {
  let used = false;
  const visit = (t: Term): void => {
    if (t.type === "var" && t.name === name) used = true;
  };
  body.forEach((e, i) => {
    if (i !== declIndex) walkExprTerms(e, visit);
  });
  for (const t of head) walkTerm(t, visit);
  return used;
}

// ---------------------------------------------------------------------------- closures

function checkClosuresInExpr(e: Expr, out: Diagnostic[]): void {
  const b = e.body;
  const terms: Term[] = [];
  switch (b.kind) {
    case "term":
      terms.push(b.term);
      break;
    case "assign":
    case "unify":
      terms.push(b.lhs, b.rhs);
      break;
    case "somein":
      terms.push(b.collection, b.value, ...(b.key ? [b.key] : []));
      break;
    case "every":
      terms.push(b.domain);
      break;
    case "some":
      break;
  }
  for (const w of e.with) terms.push(w.value);
  for (const t of terms) checkClosuresIn(t, out);
}

/** Each outermost comprehension in `t` is its own scope. */
function checkClosuresIn(t: Term, out: Diagnostic[]): void {
  switch (t.type) {
    case "arraycompr":
    case "setcompr":
      checkScope(t.body, [], [t.term], out);
      return;
    case "objectcompr":
      checkScope(t.body, [], [t.key, t.value], out);
      return;
    case "ref":
      checkClosuresIn(t.head, out);
      for (const p of t.path) checkClosuresIn(p, out);
      return;
    case "array":
    case "set":
      for (const i of t.items) checkClosuresIn(i, out);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        checkClosuresIn(k, out);
        checkClosuresIn(v, out);
      }
      return;
    case "call":
      for (const a of t.args) checkClosuresIn(a, out);
      return;
    default:
      return;
  }
}
