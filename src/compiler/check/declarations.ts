// Local declaration checks, in source order (they must run before bodies are reordered):
// `:=` may not redeclare a var of the same scope, `some x` must be used, assignment
// targets must be vars or patterns, and no local may shadow the root documents.
import type { Body, Expr, Rule, Term, VarTerm } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import {
  bindingVars,
  forEachChildTerm,
  isWildcard,
  ROOT_DOCUMENTS,
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
  const args: VarTerm[] = [];
  if (rule.head.args !== undefined) {
    for (let i = 0; i < rule.head.args.length; i++) bindingVars(rule.head.args[i]!, args);
  }
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!;
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
  const headTerms: Term[] = rule.head.ref.slice(1);
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  if (rule.head.value !== undefined) headTerms.push(rule.head.value);
  if (rule.default && rule.head.value !== undefined) checkDefaultValue(rule.head.value, out);
  checkScope(rule.body, args, headTerms, out);
  for (let i = 0; i < rule.else.length; i++) {
    const e = rule.else[i]!;
    checkScope(e.body, args, e.value ? [e.value] : [], out);
  }
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
    default:
      forEachChildTerm(t, checkDefaultValue, out, undefined);
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
  for (let i = 0; i < args.length; i++) occurrences.set(args[i]!.name, "arg");
  for (let i = 0; i < body.length; i++) checkExpr(body[i]!, occurrences, out);
  checkUnusedSome(body, head, out);
  for (let i = 0; i < head.length; i++) checkClosuresIn(head[i]!, out);
}

function checkExpr(e: Expr, occ: Map<string, Occurrence>, out: Diagnostic[]): void {
  const b = e.body;
  for (let i = 0; i < e.with.length; i++) see(e.with[i]!.value, occ);
  switch (b.kind) {
    case "assign":
      see(b.rhs, occ);
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
      see(b.collection, occ);
      declare(
        bindingVars(b.value, b.key === undefined ? [] : bindingVars(b.key)),
        "declared",
        occ,
        out,
      );
      break;
    case "every": {
      see(b.domain, occ);
      checkRootShadow(b.value, out);
      if (b.key !== undefined) checkRootShadow(b.key, out);
      checkScope(b.body, [], [], out);
      break;
    }
    case "term":
      see(b.term, occ);
      break;
    case "unify":
      see(b.lhs, occ);
      see(b.rhs, occ);
      break;
  }
  checkClosuresInExpr(e, out);
}

/**
 * Notes the vars of `t` (outside closures, as termVars lists them) not met before. Walks the
 * term itself rather than listing its vars: it runs on every term of the program.
 */
function see(t: Term, occ: Map<string, Occurrence>): void {
  if (t.type === "var") {
    if (!occ.has(t.name)) occ.set(t.name, "seen");
  } else forEachChildTerm(t, see, occ, undefined);
}

function declare(
  vars: readonly VarTerm[],
  kind: Occurrence,
  occ: Map<string, Occurrence>,
  out: Diagnostic[],
): void {
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i]!;
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
      for (let j = 0; j < t.items.length; j++) checkAssignTarget(t.items[j]!, out);
      return;
    case "object":
      for (let i = 0; i < t.entries.length; i++) checkAssignTarget(t.entries[i]![1], out);
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
  for (let i = 0; i < body.length; i++) {
    const e = body[i]!;
    if (e.body.kind !== "some") continue;
    for (let j = 0; j < e.body.vars.length; j++) {
      const v = e.body.vars[j]!;
      if (isWildcard(v.name) || ROOT_DOCUMENTS.has(v.name)) continue;
      if (!usedElsewhere(v.name, body, i, head)) {
        out.push(diagnostic("rego_compile_error", `declared var ${v.name} unused`, v.loc));
      }
    }
  }
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
  switch (b.kind) {
    case "term":
      checkClosuresIn(b.term, out);
      break;
    case "assign":
    case "unify":
      checkClosuresIn(b.lhs, out);
      checkClosuresIn(b.rhs, out);
      break;
    case "somein":
      checkClosuresIn(b.collection, out);
      checkClosuresIn(b.value, out);
      if (b.key) checkClosuresIn(b.key, out);
      break;
    case "every":
      checkClosuresIn(b.domain, out);
      break;
    case "some":
      break;
  }
  for (let i = 0; i < e.with.length; i++) checkClosuresIn(e.with[i]!.value, out);
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
    default:
      forEachChildTerm(t, checkClosuresIn, out, undefined);
  }
}
