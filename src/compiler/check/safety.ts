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
  forEachChildTerm,
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
  const args = copySet(ROOT_DOCUMENTS);
  for (const a of rule.head.args ?? []) for (const v of patternVars(a)) args.add(v.name);
  const headTerms: Term[] = rule.head.ref.slice(1);
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  // A default value must be constant; checkRuleDeclarations reports vars in it.
  if (rule.head.value !== undefined && !rule.default) headTerms.push(rule.head.value);
  checkBodyWithHead(rule.body, headTerms, args, opts, rule.loc);
  for (let i = 0; i < rule.else.length; i++) {
    const e = rule.else[i]!;
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
  // Names already reported in this scope; a list, as it is empty for almost every body.
  const reported: string[] = [];
  const facts = new BodyFacts(body);
  const safe = orderBody(body, facts, facts.withoutDeclared(outer), opts, reported);
  for (let i = 0; i < headTerms.length; i++) {
    const t = headTerms[i]!;
    checkClosures(t, safe, opts);
    const vars = termVars(t);
    for (let j = 0; j < vars.length; j++) {
      const v = vars[j]!;
      if (!safe.has(v.name) && !reported.includes(v.name)) {
        reported.push(v.name);
        opts.report(v, headAt);
      }
    }
  }
}

/** Shared by every expression that has no closures: nothing to capture or to check. */
const NO_TERMS: readonly Term[] = [];
const NO_VARS: readonly VarTerm[] = [];

/**
 * What ordering needs to know of a body's expressions, gathered in one pass over them (it
 * runs for every body of the program): the comprehensions directly inside each and where
 * each var is declared. Most bodies declare nothing and have no closure: the map and set
 * below are only made for those that do.
 */
class BodyFacts {
  /** The comprehensions directly inside the expression at each position. */
  readonly closures: (readonly Term[])[];
  /** Whether some expression has closures (comprehensions or an `every` body). */
  readonly anyClosure: boolean;
  /** The last position declaring (`:=`, `some`) each name declared in the body. */
  private readonly lastDeclared: Map<string, number> | undefined;
  private localNames: Set<string> | undefined;

  constructor(private readonly exprs: readonly Expr[]) {
    this.closures = new Array<readonly Term[]>(exprs.length);
    let anyClosure = false;
    let lastDeclared: Map<string, number> | undefined;
    const declared: VarTerm[] = [];
    const closures: Term[] = [];
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i]!;
      closures.length = 0;
      exprClosureTerms(e, closures);
      this.closures[i] = closures.length === 0 ? NO_TERMS : closures.slice();
      if (hasClosures(e, this.closures[i]!)) anyClosure = true;
      declared.length = 0;
      declaredVarsOfExpr(e, declared);
      for (let k = 0; k < declared.length; k++) {
        (lastDeclared ??= new Map()).set(declared[k]!.name, i);
      }
    }
    this.anyClosure = anyClosure;
    this.lastDeclared = lastDeclared;
  }

  /** Vars of the body's own expressions (not of its closures), declared ones included. */
  get local(): ReadonlySet<string> {
    if (this.localNames === undefined) {
      const vars: VarTerm[] = [];
      for (let i = 0; i < this.exprs.length; i++) exprVars(this.exprs[i]!, vars);
      declaredVarsOfBody(this.exprs, vars);
      this.localNames = new Set();
      for (let i = 0; i < vars.length; i++) this.localNames.add(vars[i]!.name);
    }
    return this.localNames;
  }

  /** Vars declared in the body shadow the outer scope's vars of the same name. */
  withoutDeclared(outer: ReadonlySet<string>): Set<string> {
    const out = copySet(outer);
    this.lastDeclared?.forEach((_, name) => out.delete(name));
    return out;
  }

  /**
   * Whether `name` is declared at position `index` or after it. A closure cannot capture
   * those, as in OPA, where a declaration renames the var only from that point on:
   * `ys := [y | y := x]; x := 1` leaves the comprehension's `x` unbound.
   */
  hides(name: string, index: number): boolean {
    const at = this.lastDeclared?.get(name);
    return at !== undefined && at >= index;
  }

  /** `safe` without the names hidden at `index` (`safe` itself when none is in it). */
  without(safe: ReadonlySet<string>, index: number): ReadonlySet<string> {
    if (this.lastDeclared === undefined) return safe;
    let out: Set<string> | undefined;
    for (const [name, at] of this.lastDeclared) {
      if (at < index || !safe.has(name)) continue;
      out ??= copySet(safe);
      out.delete(name);
    }
    return out ?? safe;
  }
}

/**
 * Orders one body (in place when `opts.reorder`), reports its unsafe vars (names already in
 * `reported` are not reported again) and returns the vars safe after it. `safe` (the outer
 * scope's safe vars) belongs to the call, which adds to it and returns it.
 */
function orderBody(
  body: Body,
  facts: BodyFacts,
  safe: Set<string>,
  opts: SafetyOptions,
  reported: string[],
): Set<string> {
  // Read in source order throughout; `body` itself is only rewritten at the end.
  const exprs: readonly Expr[] = body;
  // The vars each expression's closures capture; none at all in most bodies.
  let captured: (readonly VarTerm[])[] | undefined;
  if (facts.anyClosure) {
    captured = new Array<readonly VarTerm[]>(exprs.length);
    for (let i = 0; i < exprs.length; i++) captured[i] = capturedVars(exprs[i]!, facts, i);
  }
  // Source positions of the expressions not placed yet, in source order.
  const remaining = new Array<number>(exprs.length);
  for (let i = 0; i < exprs.length; i++) remaining[i] = i;
  const ordered: Expr[] = [];
  while (remaining.length > 0) {
    const next = nextReady(exprs, remaining, safe, captured, opts.arity);
    if (next === undefined) break;
    const [i] = remaining.splice(next.index, 1) as [number];
    addAll(safe, next.analysis.outputs);
    ordered.push(exprs[i]!);
    const closures = facts.closures[i]!;
    if (hasClosures(exprs[i]!, closures)) {
      checkExprClosures(exprs[i]!, closures, facts.without(safe, i), opts);
    }
  }
  for (const i of remaining) {
    const capturedHere = captured?.[i] ?? NO_VARS;
    reportUnsafeExpr(exprs[i]!, i, facts, capturedHere, safe, opts, reported);
  }
  if (opts.reorder) {
    for (const i of remaining) ordered.push(exprs[i]!);
    // `ordered` holds every expression of `body` once: overwrite it in place.
    for (let i = 0; i < ordered.length; i++) body[i] = ordered[i]!;
  }
  return safe;
}

/** The earliest expression whose inputs and captured vars are all safe. */
function nextReady(
  exprs: readonly Expr[],
  remaining: readonly number[],
  safe: ReadonlySet<string>,
  captured: readonly (readonly VarTerm[])[] | undefined,
  arity: ArityOf,
): { index: number; analysis: ExprAnalysis } | undefined {
  for (let index = 0; index < remaining.length; index++) {
    const i = remaining[index]!;
    if (captured !== undefined && !allSafe(captured[i]!, safe)) continue;
    const analysis = analyzeExpr(exprs[i]!, safe, arity);
    if (analysis.unsafe.length === 0) return { index, analysis };
  }
  return undefined;
}

/**
 * A copy of a set of names. `new Set(set)` walks its argument with an iterator, which
 * allocates a result object per name until the code is optimized; `forEach` does not, and
 * every body's scope starts as such a copy.
 */
function copySet(names: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  names.forEach(addTo, out);
  return out;
}

function addTo(this: Set<string>, name: string): void {
  this.add(name);
}

/** Adds `names` to `safe` (most expressions bind nothing, so there is often nothing to do). */
function addAll(safe: Set<string>, names: ReadonlySet<string>): void {
  if (names.size > 0) names.forEach(addTo, safe);
}

function allSafe(vars: readonly VarTerm[], safe: ReadonlySet<string>): boolean {
  for (let i = 0; i < vars.length; i++) if (!safe.has(vars[i]!.name)) return false;
  return true;
}

/** Reports the unsafe vars of an expression that could not be placed (at `index`). */
function reportUnsafeExpr(
  e: Expr,
  index: number,
  facts: BodyFacts,
  capturedByClosures: readonly VarTerm[],
  safe: Set<string>,
  opts: SafetyOptions,
  reported: string[],
): void {
  const { unsafe, outputs } = analyzeExpr(e, safe, opts.arity);
  const captured = capturedByClosures.filter((v) => !safe.has(v.name));
  for (const v of [...unsafe, ...captured]) {
    if (!reported.includes(v.name)) {
      reported.push(v.name);
      opts.report(v);
    }
    // Judge later expressions and this one's closures as if the var were bound, so each
    // unsafe var is reported once.
    safe.add(v.name);
  }
  addAll(safe, outputs);
  for (const v of exprVars(e)) safe.add(v.name);
  const closures = facts.closures[index]!;
  if (hasClosures(e, closures)) {
    checkExprClosures(e, closures, facts.without(safe, index), opts);
  }
}

// ---------------------------------------------------------------------------- closures

/** Appends the comprehensions directly inside an expression (`every` bodies are apart). */
function exprClosureTerms(e: Expr, out: Term[]): void {
  const b = e.body;
  switch (b.kind) {
    case "term":
      collectClosures(b.term, out);
      break;
    case "assign":
    case "unify":
      collectClosures(b.lhs, out);
      collectClosures(b.rhs, out);
      break;
    case "somein":
      if (b.key !== undefined) collectClosures(b.key, out);
      collectClosures(b.value, out);
      collectClosures(b.collection, out);
      break;
    case "every":
      collectClosures(b.domain, out);
      break;
    case "some":
      break;
  }
  for (let i = 0; i < e.with.length; i++) collectClosures(e.with[i]!.value, out);
}

/** Outermost comprehensions of a term (nested ones belong to their enclosing closure). */
function collectClosures(t: Term, out: Term[]): void {
  if (t.type === "arraycompr" || t.type === "setcompr" || t.type === "objectcompr") out.push(t);
  else forEachChildTerm(t, collectClosures, out, undefined);
}

/**
 * Vars the closures of the expression at `index` (its comprehensions and its `every` body)
 * use that belong to the enclosing body and are not declared at or after `index`: they must
 * be bound before the expression runs.
 */
function capturedVars(e: Expr, facts: BodyFacts, index: number): readonly VarTerm[] {
  const closures = facts.closures[index]!;
  if (!hasClosures(e, closures)) return NO_VARS;
  const isCaptured = (v: VarTerm): boolean =>
    facts.local.has(v.name) && !facts.hides(v.name, index);
  const out: VarTerm[] = [];
  for (let i = 0; i < closures.length; i++) out.push(...freeVars(closures[i]!).filter(isCaptured));
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
  for (let i = 0; i < body.length; i++) {
    const e = body[i]!;
    if (e.body.kind !== "every") continue;
    declared.add(e.body.value.name);
    if (e.body.key !== undefined) declared.add(e.body.key.name);
    for (const v of declaredVarsOfBody(e.body.body)) declared.add(v.name);
    noteEveryVars(e.body.body, declared);
  }
}

/** Most expressions have none: they skip computing the scope their closures would see. */
function hasClosures(e: Expr, closures: readonly Term[]): boolean {
  return closures.length > 0 || e.body.kind === "every";
}

/** Orders and checks the closures of an expression once its position is fixed. */
function checkExprClosures(
  e: Expr,
  closures: readonly Term[],
  safe: ReadonlySet<string>,
  opts: SafetyOptions,
): void {
  for (let i = 0; i < closures.length; i++) checkClosures(closures[i]!, safe, opts);
  if (e.body.kind === "every") {
    const facts = new BodyFacts(e.body.body);
    const scope = facts.withoutDeclared(safe);
    scope.add(e.body.value.name);
    if (e.body.key !== undefined) scope.add(e.body.key.name);
    orderBody(e.body.body, facts, scope, opts, []);
  }
}

/** Checks every outermost comprehension in `t` with `outer` safe. */
function checkClosures(t: Term, outer: ReadonlySet<string>, opts: SafetyOptions): void {
  const closures: Term[] = [];
  collectClosures(t, closures);
  for (let i = 0; i < closures.length; i++) {
    const c = closures[i]!;
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

/** The outputs of an expression that binds nothing (shared, never modified). */
const NO_OUTPUTS: ReadonlySet<string> = new Set();

/**
 * The vars bound while analysing one expression: the safe set plus what the expression
 * adds, kept apart so the (possibly large) safe set is never copied. Many expressions
 * (comparisons, tests) bind nothing, so the set of added vars is made on the first one.
 */
class Bound implements VarLookup {
  private added: Set<string> | undefined;

  constructor(private readonly base: ReadonlySet<string>) {}

  has(name: string): boolean {
    return this.base.has(name) || (this.added?.has(name) ?? false);
  }

  add(name: string): void {
    if (!this.base.has(name)) (this.added ??= new Set()).add(name);
  }

  /** How many vars the expression has bound so far. */
  get size(): number {
    return this.added?.size ?? 0;
  }

  /** The vars the expression binds. */
  outputs(): ReadonlySet<string> {
    return this.added ?? NO_OUTPUTS;
  }
}

export interface ExprAnalysis {
  /** Vars the expression binds when run with the given safe vars. */
  outputs: ReadonlySet<string>;
  /** Occurrences of vars that keep it from running (first occurrence per name). */
  unsafe: VarTerm[];
}

/** What an expression binds, and what keeps it from running, given the safe vars. */
export function analyzeExpr(e: Expr, safe: ReadonlySet<string>, arity: ArityOf): ExprAnalysis {
  if (e.negated) return { outputs: NO_OUTPUTS, unsafe: unsafeOf(exprVars(e), safe) };
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
      result = { outputs: NO_OUTPUTS, unsafe: [] };
      break;
    case "somein":
      result = analyzeSomeIn(b.key, b.value, b.collection, safe);
      break;
    case "every":
      result = { outputs: NO_OUTPUTS, unsafe: unsafeVars(b.domain, safe, []) };
      break;
  }
  if (e.with.length === 0) return result;
  const withVars: VarTerm[] = [];
  for (let i = 0; i < e.with.length; i++) termVars(e.with[i]!.value, withVars);
  const withUnsafe = unsafeOf(withVars, safe).filter((v) => !hasName(result.unsafe, v.name));
  return { outputs: result.outputs, unsafe: [...result.unsafe, ...withUnsafe] };
}

/** `some k, v in xs`: binds the key and value patterns once the collection is safe. */
function analyzeSomeIn(
  key: Term | undefined,
  value: Term,
  collection: Term,
  safe: ReadonlySet<string>,
): ExprAnalysis {
  const bound = new Bound(safe);
  refOutputs(collection, bound);
  const unsafe = unsafeVars(collection, bound, []);
  if (unsafe.length === 0) {
    if (key !== undefined) bindPattern(key, bound);
    bindPattern(value, bound);
    if (key !== undefined) unsafeVars(key, bound, unsafe);
    unsafeVars(value, bound, unsafe);
  }
  return { outputs: bound.outputs(), unsafe };
}

/** A call with one argument more than its arity binds the last one (`count(xs, n)`). */
function analyzeTermExpr(t: Term, safe: ReadonlySet<string>, arity: ArityOf): ExprAnalysis {
  const bound = new Bound(safe);
  const n = t.type === "call" ? arity(t.operator) : undefined;
  if (t.type === "call" && n !== undefined && t.args.length === n + 1) {
    for (let i = 0; i < n; i++) refOutputs(t.args[i]!, bound);
    const unsafe: VarTerm[] = [];
    for (let i = 0; i < n; i++) unsafeVars(t.args[i]!, bound, unsafe);
    if (unsafe.length > 0) return { outputs: NO_OUTPUTS, unsafe };
    const output = t.args[n]!;
    refOutputs(output, bound);
    bindPattern(output, bound);
    return { outputs: bound.outputs(), unsafe: unsafeVars(output, bound, []) };
  }
  refOutputs(t, bound);
  return { outputs: bound.outputs(), unsafe: unsafeVars(t, bound, []) };
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
  while (size !== bound.size) {
    size = bound.size;
    refOutputs(lhs, bound);
    refOutputs(rhs, bound);
    unify(lhs, rhs, bound);
  }
  const unsafe = unsafeVars(lhs, bound, []);
  return { outputs: bound.outputs(), unsafe: unsafeVars(rhs, bound, unsafe) };
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
    for (let i = 0; i < a.items.length; i++) unify(a.items[i]!, b.items[i]!, bound);
    return;
  }
  if (a.type === "object" && b.type === "object") {
    for (let i = 0; i < a.entries.length; i++) {
      const entry = a.entries[i]!;
      const ka = entry[0];
      const va = entry[1];
      const match = entryWithKey(b.entries, ka);
      if (match !== undefined) unify(va, match[1], bound);
    }
    return;
  }
  if (isPattern(a) && isComputable(b, bound)) bindPattern(a, bound);
  else if (isPattern(b) && isComputable(a, bound)) bindPattern(b, bound);
}

/** The first entry whose key is the same scalar as `key`. */
function entryWithKey(
  entries: readonly (readonly [Term, Term])[],
  key: Term,
): readonly [Term, Term] | undefined {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (sameScalar(key, entry[0])) return entry;
  }
  return undefined;
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
      for (let j = 0; j < t.items.length; j++) bindPattern(t.items[j]!, bound);
      return;
    case "object":
      for (let i = 0; i < t.entries.length; i++)
        if (isComputable(t.entries[i]![0], bound)) bindPattern(t.entries[i]![1], bound);
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
      return isComputable(t.head, bound) && allComputable(t.path, bound);
    case "array":
    case "set":
      return allComputable(t.items, bound);
    case "object":
      for (let i = 0; i < t.entries.length; i++) {
        const entry = t.entries[i]!;
        const k = entry[0];
        const v = entry[1];
        if (!isComputable(k, bound) || !isComputable(v, bound)) return false;
      }
      return true;
    case "call":
      return allComputable(t.args, bound);
    default:
      return true;
  }
}

function allComputable(ts: readonly Term[], bound: VarLookup): boolean {
  for (let i = 0; i < ts.length; i++) if (!isComputable(ts[i]!, bound)) return false;
  return true;
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
        for (let i = 0; i < t.path.length; i++) {
          const p = t.path[i]!;
          refOutputs(p, bound);
          if (isPattern(p)) bindPattern(p, bound);
        }
      } else {
        for (let i = 0; i < t.path.length; i++) refOutputs(t.path[i]!, bound);
      }
      return;
    default:
      forEachChildTerm(t, refOutputs, bound, undefined);
  }
}

/** First occurrence of each var not in `safe`. */
function unsafeOf(vars: readonly VarTerm[], safe: VarLookup): VarTerm[] {
  const out: VarTerm[] = [];
  for (let i = 0; i < vars.length; i++) addUnsafe(vars[i]!, safe, out);
  return out;
}

/**
 * Appends to `out` the var occurrences of `t` (in termVars order) whose name is neither
 * safe nor already in `out`; returns `out`. Walks the term directly rather than listing its
 * vars first: it runs for every expression each time the expression is considered.
 */
function unsafeVars(t: Term, safe: VarLookup, out: VarTerm[]): VarTerm[] {
  if (t.type === "var") addUnsafe(t, safe, out);
  else forEachChildTerm(t, unsafeVars, safe, out);
  return out;
}

function addUnsafe(v: VarTerm, safe: VarLookup, out: VarTerm[]): void {
  if (!safe.has(v.name) && !hasName(out, v.name)) out.push(v);
}

/** Lists of unsafe vars are short: a scan beats building a set. */
function hasName(vars: readonly VarTerm[], name: string): boolean {
  for (let i = 0; i < vars.length; i++) if (vars[i]!.name === name) return true;
  return false;
}

/** The name shown for a var in messages: wildcards read `_`. */
export function displayVar(v: VarTerm): string {
  return isWildcard(v.name) ? "_" : v.name;
}
