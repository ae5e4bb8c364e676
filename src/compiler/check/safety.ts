// Safety analysis and body ordering (OPA's "reorder for safety"): a var is safe once some
// expression binds it — by `:=`/`=` against a computable side, by iteration in a ref
// (`xs[i]`), by `some ... in`, or as a call's output argument. Each body is ordered so that
// every expression runs after the expressions that bind its inputs: repeatedly the earliest
// expression (in source order) whose inputs are safe is taken next, so an already safe body
// keeps its order. Expressions that can never become safe stay at the end, in source order,
// and their unsafe vars are reported.
import type { Body, Expr, Location, Rule, Term, VarTerm } from "../../rego/ast.js";
import {
  declaredVarsOfBody,
  declaredVarsOfExpr,
  exprVars,
  isWildcard,
  patternVars,
  ROOT_DOCUMENTS,
  termVars,
  walkBodyTerms,
  walkTerm,
} from "./vars.js";

/** Arity of a called function (builtin or user), undefined when unknown or variadic. */
export type ArityOf = (operator: readonly string[]) => number | undefined;

export interface SafetyOptions {
  arity: ArityOf;
  /** Write the safe order back into each body (buildProgram does; checks only look). */
  reorder: boolean;
  /**
   * Called once per unsafe var per scope, at its first unsafe occurrence; `at` is where to
   * report it when that is not the var itself (a rule head var is reported at the rule).
   */
  report: (v: VarTerm, at?: Location) => void;
}

/** Orders every body of a rule (rule body, else bodies, closures) and reports unsafe vars. */
export function checkRuleSafety(rule: Rule, opts: SafetyOptions): void {
  const args = new Set<string>(ROOT_DOCUMENTS);
  for (const a of rule.head.args ?? []) for (const v of patternVars(a)) args.add(v.name);
  const headTerms: Term[] = [...rule.head.ref.slice(1)];
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  // A default value must be constant; checkRuleDeclarations reports vars in it.
  if (rule.head.value !== undefined && !rule.default) headTerms.push(rule.head.value);
  checkBodyWithHead(rule.body, headTerms, args, opts, rule.loc);
  for (const e of rule.else) {
    checkBodyWithHead(e.body, e.value === undefined ? [] : [e.value], args, opts, e.loc);
  }
}

/**
 * Orders `body` given the `outer` safe vars; the head terms must be safe afterwards. As in
 * OPA, an unsafe var of a rule (or else) head is reported at `headAt`, the start of the
 * rule; one of a comprehension head at the var.
 */
function checkBodyWithHead(
  body: Body,
  headTerms: readonly Term[],
  outer: ReadonlySet<string>,
  opts: SafetyOptions,
  headAt?: Location,
): void {
  const reported = new Set<string>();
  const safe = orderBody(body, withoutDeclared(outer, body), opts, reported);
  for (const t of headTerms) {
    checkClosures(t, safe, opts);
    for (const v of termVars(t)) {
      if (!safe.has(v.name) && !reported.has(v.name)) {
        reported.add(v.name);
        opts.report(v, headAt);
      }
    }
  }
}

/** Vars declared in a body shadow the outer scope's vars of the same name. */
function withoutDeclared(outer: ReadonlySet<string>, body: Body): Set<string> {
  const out = new Set(outer);
  for (const v of declaredVarsOfBody(body)) out.delete(v.name);
  return out;
}

/**
 * Orders one body (in place when `opts.reorder`), reports its unsafe vars (names already in
 * `reported` are not reported again) and returns the vars safe after it.
 */
function orderBody(
  body: Body,
  outer: ReadonlySet<string>,
  opts: SafetyOptions,
  reported: Set<string>,
): Set<string> {
  const safe = new Set(outer);
  const local = bodyVarNames(body);
  const hidden = laterDeclarations(body);
  const captured = new Map(body.map((e) => [e, capturedVars(e, local, hidden.get(e))] as const));
  const remaining = [...body];
  const ordered: Expr[] = [];
  while (remaining.length > 0) {
    const next = nextReady(remaining, safe, captured, opts.arity);
    if (next === undefined) break;
    const [e] = remaining.splice(next.index, 1) as [Expr];
    for (const v of next.analysis.outputs) safe.add(v);
    ordered.push(e);
    checkExprClosures(e, without(safe, hidden.get(e)), opts);
  }
  for (const e of remaining) reportUnsafeExpr(e, safe, local, hidden.get(e), opts, reported);
  if (opts.reorder) body.splice(0, body.length, ...ordered, ...remaining);
  return safe;
}

/** The earliest expression whose inputs and captured vars are all safe. */
function nextReady(
  remaining: readonly Expr[],
  safe: ReadonlySet<string>,
  captured: ReadonlyMap<Expr, readonly VarTerm[]>,
  arity: ArityOf,
): { index: number; analysis: ExprAnalysis } | undefined {
  for (let index = 0; index < remaining.length; index++) {
    const e = remaining[index] as Expr;
    if (!(captured.get(e) ?? []).every((v) => safe.has(v.name))) continue;
    const analysis = analyzeExpr(e, safe, arity);
    if (analysis.unsafe.length === 0) return { index, analysis };
  }
  return undefined;
}

function reportUnsafeExpr(
  e: Expr,
  safe: Set<string>,
  local: ReadonlySet<string>,
  hidden: ReadonlySet<string> | undefined,
  opts: SafetyOptions,
  reported: Set<string>,
): void {
  const { unsafe, outputs } = analyzeExpr(e, safe, opts.arity);
  const captured = capturedVars(e, local, hidden).filter((v) => !safe.has(v.name));
  for (const v of [...unsafe, ...captured]) {
    if (!reported.has(v.name)) {
      reported.add(v.name);
      opts.report(v);
    }
    // Judge later expressions and this one's closures as if the var were bound, so each
    // unsafe var is reported once.
    safe.add(v.name);
  }
  for (const v of outputs) safe.add(v);
  for (const v of exprVars(e)) safe.add(v.name);
  checkExprClosures(e, without(safe, hidden), opts);
}

/**
 * For each expression, the vars declared (`:=`, `some`) by it or after it. A closure cannot
 * capture those, as in OPA, where a declaration renames the var only from that point on:
 * `ys := [y | y := x]; x := 1` leaves the comprehension's `x` unbound.
 */
function laterDeclarations(body: Body): Map<Expr, ReadonlySet<string>> {
  const out = new Map<Expr, ReadonlySet<string>>();
  let later = new Set<string>();
  for (let i = body.length - 1; i >= 0; i--) {
    const e = body[i] as Expr;
    const declared = declaredVarsOfExpr(e);
    if (declared.length > 0) {
      later = new Set(later);
      for (const v of declared) later.add(v.name);
    }
    out.set(e, later);
  }
  return out;
}

function without(
  safe: ReadonlySet<string>,
  hidden: ReadonlySet<string> | undefined,
): ReadonlySet<string> {
  if (hidden === undefined || hidden.size === 0) return safe;
  let out: Set<string> | undefined;
  for (const name of hidden) {
    if (!safe.has(name)) continue;
    out ??= new Set(safe);
    out.delete(name);
  }
  return out ?? safe;
}

/** Vars of a body's own expressions (not of its closures), declared ones included. */
function bodyVarNames(body: Body): Set<string> {
  const names = new Set<string>();
  for (const e of body) for (const v of exprVars(e)) names.add(v.name);
  for (const v of declaredVarsOfBody(body)) names.add(v.name);
  return names;
}

// ---------------------------------------------------------------------------- closures

/** Closures directly inside an expression: comprehensions and the body of `every`. */
function exprClosureTerms(e: Expr): Term[] {
  const out: Term[] = [];
  const collect = (t: Term): void => collectClosures(t, out);
  const b = e.body;
  switch (b.kind) {
    case "term":
      collect(b.term);
      break;
    case "assign":
    case "unify":
      collect(b.lhs);
      collect(b.rhs);
      break;
    case "somein":
      if (b.key !== undefined) collect(b.key);
      collect(b.value);
      collect(b.collection);
      break;
    case "every":
      collect(b.domain);
      break;
    case "some":
      break;
  }
  for (const w of e.with) collect(w.value);
  return out;
}

/** Outermost comprehensions of a term (nested ones belong to their enclosing closure). */
function collectClosures(t: Term, out: Term[]): void {
  switch (t.type) {
    case "arraycompr":
    case "setcompr":
    case "objectcompr":
      out.push(t);
      return;
    case "ref":
      collectClosures(t.head, out);
      for (const p of t.path) collectClosures(p, out);
      return;
    case "array":
    case "set":
      for (const i of t.items) collectClosures(i, out);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        collectClosures(k, out);
        collectClosures(v, out);
      }
      return;
    case "call":
      for (const a of t.args) collectClosures(a, out);
      return;
    default:
      return;
  }
}

/**
 * Vars an expression's closures use that belong to the enclosing body (`local`): they must
 * be bound before the expression runs.
 */
function capturedVars(
  e: Expr,
  local: ReadonlySet<string>,
  hidden: ReadonlySet<string> | undefined,
): VarTerm[] {
  const isCaptured = (v: VarTerm): boolean => local.has(v.name) && !(hidden?.has(v.name) ?? false);
  const out: VarTerm[] = [];
  for (const c of exprClosureTerms(e)) out.push(...freeVars(c).filter(isCaptured));
  if (e.body.kind === "every") {
    const own = new Set([e.body.value.name, ...(e.body.key ? [e.body.key.name] : [])]);
    out.push(...freeVarsOfBody(e.body.body, own).filter(isCaptured));
  }
  return out;
}

/** Var occurrences in a closure that are not declared inside it. */
function freeVars(t: Term): VarTerm[] {
  return freeVarsOf((visit) => walkTerm(t, visit), new Set());
}

function freeVarsOfBody(body: Body, own: ReadonlySet<string>): VarTerm[] {
  const declared = new Set(own);
  for (const v of declaredVarsOfBody(body)) declared.add(v.name);
  noteEveryVars(body, declared);
  return freeVarsOf((visit) => walkBodyTerms(body, visit), declared);
}

/** Walks a closure: collects var occurrences and the names its scopes declare. */
function freeVarsOf(walk: (visit: (t: Term) => void) => void, declared: Set<string>): VarTerm[] {
  const all: VarTerm[] = [];
  walk((x) => {
    if (x.type === "var") all.push(x);
    if (x.type === "arraycompr" || x.type === "setcompr" || x.type === "objectcompr") {
      for (const v of declaredVarsOfBody(x.body)) declared.add(v.name);
      noteEveryVars(x.body, declared);
    }
  });
  return all.filter((v) => !declared.has(v.name));
}

/** `every` key/value vars are declared inside the closure that contains the `every`. */
function noteEveryVars(body: Body, declared: Set<string>): void {
  for (const e of body) {
    if (e.body.kind !== "every") continue;
    declared.add(e.body.value.name);
    if (e.body.key !== undefined) declared.add(e.body.key.name);
    for (const v of declaredVarsOfBody(e.body.body)) declared.add(v.name);
    noteEveryVars(e.body.body, declared);
  }
}

/** Orders and checks the closures of an expression once its position is fixed. */
function checkExprClosures(e: Expr, safe: ReadonlySet<string>, opts: SafetyOptions): void {
  for (const c of exprClosureTerms(e)) checkClosures(c, safe, opts);
  if (e.body.kind === "every") {
    const scope = withoutDeclared(safe, e.body.body);
    scope.add(e.body.value.name);
    if (e.body.key !== undefined) scope.add(e.body.key.name);
    orderBody(e.body.body, scope, opts, new Set());
  }
}

/** Checks every outermost comprehension in `t` with `outer` safe. */
function checkClosures(t: Term, outer: ReadonlySet<string>, opts: SafetyOptions): void {
  const closures: Term[] = [];
  collectClosures(t, closures);
  for (const c of closures) {
    if (c.type === "arraycompr" || c.type === "setcompr") {
      checkBodyWithHead(c.body, [c.term], outer, opts);
    } else if (c.type === "objectcompr") {
      checkBodyWithHead(c.body, [c.key, c.value], outer, opts);
    }
  }
}

// ---------------------------------------------------------------------------- expressions

/** Read access to a set of bound var names. */
interface VarLookup {
  has(name: string): boolean;
}

/**
 * The vars bound while analysing one expression: the safe set plus what the expression
 * adds, kept apart so the (possibly large) safe set is never copied.
 */
class Bound implements VarLookup {
  readonly added = new Set<string>();

  constructor(private readonly base: ReadonlySet<string>) {}

  has(name: string): boolean {
    return this.base.has(name) || this.added.has(name);
  }

  add(name: string): void {
    if (!this.base.has(name)) this.added.add(name);
  }
}

export interface ExprAnalysis {
  /** Vars the expression binds when run with the given safe vars. */
  outputs: Set<string>;
  /** Occurrences of vars that keep it from running (first occurrence per name). */
  unsafe: VarTerm[];
}

/** What an expression binds, and what keeps it from running, given the safe vars. */
export function analyzeExpr(e: Expr, safe: ReadonlySet<string>, arity: ArityOf): ExprAnalysis {
  const withVars = e.with.flatMap((w) => termVars(w.value));
  if (e.negated) return { outputs: new Set(), unsafe: unsafeOf([...exprVars(e)], safe) };
  const b = e.body;
  let result: ExprAnalysis;
  switch (b.kind) {
    case "term":
      result = analyzeTermExpr(b.term, safe, arity);
      break;
    case "assign":
      result = analyzeAssign(b.lhs, b.rhs, safe);
      break;
    case "unify":
      result = analyzeUnify(b.lhs, b.rhs, safe);
      break;
    case "some":
      result = { outputs: new Set(), unsafe: [] };
      break;
    case "somein": {
      const bound = new Bound(safe);
      refOutputs(b.collection, bound);
      const unsafe = unsafeOf(termVars(b.collection), bound);
      if (unsafe.length === 0) {
        if (b.key !== undefined) bindPattern(b.key, bound);
        bindPattern(b.value, bound);
        unsafe.push(...unsafeOf([...(b.key ? termVars(b.key) : []), ...termVars(b.value)], bound));
      }
      result = { outputs: bound.added, unsafe };
      break;
    }
    case "every":
      result = { outputs: new Set(), unsafe: unsafeOf(termVars(b.domain), safe) };
      break;
  }
  const withUnsafe = unsafeOf(withVars, safe).filter(
    (v) => !result.unsafe.some((u) => u.name === v.name),
  );
  return { outputs: result.outputs, unsafe: [...result.unsafe, ...withUnsafe] };
}

/** A call with one argument more than its arity binds the last one (`count(xs, n)`). */
function analyzeTermExpr(t: Term, safe: ReadonlySet<string>, arity: ArityOf): ExprAnalysis {
  const bound = new Bound(safe);
  const n = t.type === "call" ? arity(t.operator) : undefined;
  if (t.type === "call" && n !== undefined && t.args.length === n + 1) {
    const inputs = t.args.slice(0, n);
    const output = t.args[n] as Term;
    for (const a of inputs) refOutputs(a, bound);
    const unsafe = unsafeOf(
      inputs.flatMap((a) => termVars(a)),
      bound,
    );
    if (unsafe.length > 0) return { outputs: new Set(), unsafe };
    refOutputs(output, bound);
    bindPattern(output, bound);
    return { outputs: bound.added, unsafe: unsafeOf(termVars(output), bound) };
  }
  refOutputs(t, bound);
  return { outputs: bound.added, unsafe: unsafeOf(termVars(t), bound) };
}

/** `:=` declares its left side: when it cannot run, the right side is to blame. */
function analyzeAssign(lhs: Term, rhs: Term, safe: ReadonlySet<string>): ExprAnalysis {
  const result = analyzeUnify(lhs, rhs, safe);
  if (result.unsafe.length === 0) return result;
  const declared = new Set(patternVars(lhs).map((v) => v.name));
  const blamed = result.unsafe.filter((v) => !declared.has(v.name));
  return { outputs: result.outputs, unsafe: blamed.length > 0 ? blamed : result.unsafe };
}

function analyzeUnify(lhs: Term, rhs: Term, safe: ReadonlySet<string>): ExprAnalysis {
  const bound = new Bound(safe);
  let size = -1;
  while (size !== bound.added.size) {
    size = bound.added.size;
    refOutputs(lhs, bound);
    refOutputs(rhs, bound);
    unify(lhs, rhs, bound);
  }
  return {
    outputs: bound.added,
    unsafe: unsafeOf([...termVars(lhs), ...termVars(rhs)], bound),
  };
}

/** One round of unification: binds vars of one side that the other side determines. */
function unify(a: Term, b: Term, bound: Bound): void {
  if (a.type === "var" || b.type === "var") {
    const [v, other] = a.type === "var" ? [a, b] : [b as VarTerm, a];
    if (!bound.has(v.name) && isComputable(other, bound)) bound.add(v.name);
    else if (bound.has(v.name) && isPattern(other)) bindPattern(other, bound);
    return;
  }
  if (a.type === "array" && b.type === "array") {
    if (a.items.length !== b.items.length) return;
    a.items.forEach((item, i) => unify(item, b.items[i] as Term, bound));
    return;
  }
  if (a.type === "object" && b.type === "object") {
    for (const [ka, va] of a.entries) {
      const match = b.entries.find(([kb]) => sameScalar(ka, kb));
      if (match !== undefined) unify(va, match[1], bound);
    }
    return;
  }
  if (isPattern(a) && isComputable(b, bound)) bindPattern(a, bound);
  else if (isPattern(b) && isComputable(a, bound)) bindPattern(b, bound);
}

function isPattern(t: Term): boolean {
  return t.type === "var" || t.type === "array" || t.type === "object";
}

function sameScalar(a: Term, b: Term): boolean {
  if (a.type === "string" && b.type === "string") return a.value === b.value;
  if (a.type === "number" && b.type === "number") return a.value === b.value;
  if (a.type === "boolean" && b.type === "boolean") return a.value === b.value;
  return a.type === "null" && b.type === "null";
}

/** Binds the vars in the value positions of a pattern (arrays, object values). */
function bindPattern(t: Term, bound: Bound): void {
  switch (t.type) {
    case "var":
      bound.add(t.name);
      return;
    case "array":
      for (const i of t.items) bindPattern(i, bound);
      return;
    case "object":
      for (const [k, v] of t.entries) if (isComputable(k, bound)) bindPattern(v, bound);
      return;
    default:
      return;
  }
}

/** Whether the term's value can be computed from the bound vars. */
function isComputable(t: Term, bound: VarLookup): boolean {
  switch (t.type) {
    case "var":
      return bound.has(t.name);
    case "ref":
      return isComputable(t.head, bound) && t.path.every((p) => isComputable(p, bound));
    case "array":
    case "set":
      return t.items.every((i) => isComputable(i, bound));
    case "object":
      return t.entries.every(([k, v]) => isComputable(k, bound) && isComputable(v, bound));
    case "call":
      return t.args.every((a) => isComputable(a, bound));
    default:
      return true;
  }
}

/**
 * Iteration: a ref whose head is computable binds the vars of its path (`xs[i]` binds i,
 * `xs[_][k]` binds both). Nested refs in the path are handled the same way.
 */
function refOutputs(t: Term, bound: Bound): void {
  switch (t.type) {
    case "ref":
      refOutputs(t.head, bound);
      if (isComputable(t.head, bound)) {
        for (const p of t.path) {
          refOutputs(p, bound);
          if (isPattern(p)) bindPattern(p, bound);
        }
      } else {
        for (const p of t.path) refOutputs(p, bound);
      }
      return;
    case "array":
    case "set":
      for (const i of t.items) refOutputs(i, bound);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        refOutputs(k, bound);
        refOutputs(v, bound);
      }
      return;
    case "call":
      for (const a of t.args) refOutputs(a, bound);
      return;
    default:
      return;
  }
}

/** First occurrence of each var not in `safe`. */
function unsafeOf(vars: readonly VarTerm[], safe: VarLookup): VarTerm[] {
  const seen = new Set<string>();
  const out: VarTerm[] = [];
  for (const v of vars) {
    if (safe.has(v.name) || seen.has(v.name)) continue;
    seen.add(v.name);
    out.push(v);
  }
  return out;
}

/** The name shown for a var in messages: wildcards read `_`. */
export function displayVar(v: VarTerm): string {
  return isWildcard(v.name) ? "_" : v.name;
}
