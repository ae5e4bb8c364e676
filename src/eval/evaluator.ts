// The reference evaluator: a second engine over the checked program with OPA's top-down
// semantics, used to explain decisions and as the oracle the Wasm engine is tested against.
//
// Evaluation is backtracking search in continuation-passing style. Every `eval*` method
// takes a continuation that is called once per solution with the frame's bindings in place;
// a continuation returns `true` to stop the search (negation and `every` need only one
// solution), and the call returns whether the search was stopped. Bindings are undone when
// the continuation returns, so no state outlives its branch.
//
// Documents under `data` are computed per rule group, in full, and memoized for the
// evaluation (per `with` context). Base data and rules are walked side by side through the
// rule tree, so `data.pkg[x]` iterates both and a virtual document wins over base data.
import type {
  Body,
  Expr,
  Location,
  RefTerm,
  Rule,
  Term,
  VarTerm,
  WithModifier,
} from "../rego/ast.js";
import type { Program, ResolvedRule, RuleGroup } from "../compiler/program.js";
import { BuiltinError, getBuiltin, type Builtin, type BuiltinContext } from "../builtins/index.js";
import {
  DiagnosticError,
  diagnostic,
  type DiagnosticCode,
  type SourcePosition,
} from "../diagnostics/diagnostic.js";
import {
  RegoObject,
  RegoSet,
  compareValues,
  fromJSON,
  valueKey,
  valuesEqual,
  type Value,
} from "../value/value.js";
import { regoString } from "../builtins/define.js";
import { buildRuleTree, mergeValues, nodeAt, pathKey, upsertPath, type TreeNode } from "./tree.js";
import { TraceRecorder, type TraceEvent } from "./trace.js";
import { exprText, sourceText } from "./text.js";
import { constantValue, isConstant } from "../rego/constants.js";
import { FailureExplainer } from "./failure.js";
import {
  collectionEntries,
  dataRef,
  displayVar,
  isCollection,
  lookup,
  lookupPath,
  patternVars,
  queryVarNames,
  targetPath,
  unboundName,
} from "./terms.js";
import { DocBuilder, FUNCTION_CONFLICT, KEY_CONFLICT } from "./doc.js";

/** Continuation for a solution; returns true to stop the search. */
type K = () => boolean;
/** Continuation receiving a value. */
type VK = (v: Value) => boolean;
type Frame = Map<string, Value>;

export type BuiltinLookup = (name: string) => Builtin | undefined;

export interface EvaluatorOptions {
  /** Base data rooted at `data` (a JSON-like object or a Rego object). */
  data?: unknown;
  /** Builtin errors become eval_builtin_error / eval_type_error instead of undefined. */
  strict?: boolean;
  /** The builtin library; defaults to src/builtins (`getBuiltin`). */
  builtins?: BuiltinLookup;
  /** Source texts by file name, so traces show expressions as written. */
  sources?: ReadonlyMap<string, string>;
  /** Where `print(...)` writes; defaults to stderr. */
  print?: (line: string) => void;
  /**
   * Steps (expressions entered and body solutions reached) one `evalRef` may take before it
   * throws StepLimitError (build-time folding bounds its work with it); unlimited if absent.
   */
  maxSteps?: number;
}

/** An evaluation took more expression evaluations than EvaluatorOptions.maxSteps allows. */
export class StepLimitError extends Error {
  override name = "StepLimitError";
}

export interface EvalOptions {
  trace?: boolean;
}

export interface TracedResult {
  value: Value | undefined;
  trace: TraceEvent[];
}

/** One solution of a query: the value of each expression and the query's bindings. */
export interface QueryResult {
  expressions: { value: Value; text: string; location: SourcePosition }[];
  bindings: Record<string, Value>;
}

type Mock = { kind: "value"; value: Value } | { kind: "function"; name: string[] };

interface EvalCtx {
  readonly input: Value | undefined;
  readonly data: Value;
  /** Paths (pathKey) replaced by `with data...`: rules at and below them are hidden. */
  readonly overrides: ReadonlySet<string>;
  /** Functions and builtins replaced by `with f as ...`, by dotted name. */
  readonly mocks: ReadonlyMap<string, Mock>;
  readonly docs: Map<RuleGroup, DocEntry>;
  readonly calls: Map<string, CallEntry>;
  readonly bctx: BuiltinContext;
}

interface Callee {
  name: string;
  group?: RuleGroup;
  builtin?: Builtin;
}

const NOT_CONSTANT: unique symbol = Symbol("not constant");

type DocEntry = { state: "busy" } | { state: "done"; value: Value | undefined };
type CallEntry = { state: "busy" } | { state: "done"; value: Value | undefined };

/** One way a rule can produce its value: the body, then each `else` in order. */
interface Clause {
  body: Body;
  value: Term | undefined;
  loc: Location;
}

export class Evaluator {
  private readonly tree: TreeNode;
  private readonly baseData: Value;
  private readonly strict: boolean;
  private readonly builtins: BuiltinLookup;
  private readonly sources: ReadonlyMap<string, string> | undefined;
  private readonly printer: (line: string) => void;
  private readonly maxSteps: number;
  private steps = 0;
  private tracer: TraceRecorder | undefined;
  private readonly ruleIdsCache = new Map<Rule, string[]>();
  private readonly constants = new WeakMap<Term, Value | typeof NOT_CONSTANT>();
  private readonly callees = new WeakMap<string[], Callee>();

  constructor(
    readonly program: Program,
    options: EvaluatorOptions,
  ) {
    this.tree = buildRuleTree(program);
    const data = options.data ?? {};
    this.baseData = toValue(data);
    this.strict = options.strict ?? false;
    this.builtins = options.builtins ?? getBuiltin;
    this.sources = options.sources;
    this.printer = options.print ?? ((line) => process.stderr.write(line + "\n"));
    this.maxSteps = options.maxSteps ?? Infinity;
  }

  // ------------------------------------------------------------------ public API

  /** The value of the document at `path` below `data`, or undefined. */
  evalRef(path: readonly string[], input?: Value): Value | undefined;
  evalRef(path: readonly string[], input: Value | undefined, opts: { trace: true }): TracedResult;
  evalRef(
    path: readonly string[],
    input: Value | undefined,
    opts?: EvalOptions,
  ): Value | undefined | TracedResult;
  evalRef(
    path: readonly string[],
    input?: Value,
    opts?: EvalOptions,
  ): Value | undefined | TracedResult {
    const run = (): Value | undefined => {
      this.steps = 0;
      const ctx = this.rootCtx(input);
      let out: Value | undefined;
      const ref = dataRef(path);
      this.evalRefTerm(ctx, new Map(), ref, (v) => {
        out = v;
        return true;
      });
      return out;
    };
    if (!opts?.trace) return run();
    return this.traced(run, `data${path.map((p) => "." + p).join("")}`);
  }

  /** Every solution of a query, as the bindings of its named variables. */
  evalQuery(body: Body, input?: Value): Array<Record<string, Value>> {
    return this.queryResults(body, input).map((r) => r.bindings);
  }

  /** Every solution of a query with the value of each expression, like `opa eval`. */
  queryResults(body: Body, input?: Value): QueryResult[];
  queryResults(
    body: Body,
    input: Value | undefined,
    opts: { trace: true },
  ): { results: QueryResult[]; trace: TraceEvent[] };
  queryResults(
    body: Body,
    input?: Value,
    opts?: EvalOptions,
  ): QueryResult[] | { results: QueryResult[]; trace: TraceEvent[] } {
    const run = (): QueryResult[] => this.runQuery(body, input);
    if (!opts?.trace) return run();
    let results: QueryResult[] = [];
    const { trace } = this.traced(() => {
      results = run();
      return undefined;
    }, "query");
    return { results, trace };
  }

  /** The METADATA `custom.rule_ids` of a rule (strings only). */
  ruleIds(rule: Rule): string[] {
    let ids = this.ruleIdsCache.get(rule);
    if (ids === undefined) {
      ids = [];
      for (const a of rule.annotations) {
        const raw = a.custom?.["rule_ids"];
        if (typeof raw === "string") ids.push(raw);
        if (Array.isArray(raw)) {
          for (const x of raw) if (typeof x === "string") ids.push(x);
        }
      }
      this.ruleIdsCache.set(rule, ids);
    }
    return ids;
  }

  // ------------------------------------------------------------------ contexts and tracing

  private rootCtx(input: Value | undefined): EvalCtx {
    return {
      input: input === undefined ? undefined : toValue(input),
      data: this.baseData,
      overrides: new Set(),
      mocks: new Map(),
      docs: new Map(),
      calls: new Map(),
      bctx: { nowNs: BigInt(Date.now()) * 1_000_000n, strict: this.strict, cache: new Map() },
    };
  }

  private traced(run: () => Value | undefined, what: string): TracedResult {
    const saved = this.tracer;
    const tracer = new TraceRecorder();
    this.tracer = tracer;
    try {
      tracer.emit("enter", { file: "query", line: 1, col: 1 }, what);
      tracer.depth++;
      const value = run();
      tracer.depth--;
      tracer.emit("exit", { file: "query", line: 1, col: 1 }, what);
      return { value, trace: tracer.events };
    } finally {
      this.tracer = saved;
    }
  }

  private runQuery(body: Body, input: Value | undefined): QueryResult[] {
    const ctx = this.rootCtx(input);
    const frame: Frame = new Map();
    const names = queryVarNames(body);
    const values: Value[] = new Array<Value>(body.length).fill(true);
    const results: QueryResult[] = [];
    const step = (i: number): boolean => {
      if (i === body.length) {
        const bindings: Record<string, Value> = Object.create(null) as Record<string, Value>;
        for (const n of names) {
          const v = frame.get(n);
          if (v !== undefined) bindings[n] = v;
        }
        results.push({
          expressions: body.map((e, j) => ({
            value: values[j]!,
            text: this.exprSource(e),
            location: { file: e.loc.file, line: e.loc.line, col: e.loc.col },
          })),
          bindings,
        });
        return false;
      }
      const e = body[i]!;
      const plain = e.body.kind === "term" && !e.negated;
      return this.evalExpr(
        ctx,
        frame,
        e,
        () => step(i + 1),
        plain ? (v) => (values[i] = v) : undefined,
      );
    };
    step(0);
    return results;
  }

  private exprSource(e: Expr): string {
    return sourceText(this.sources, e.loc) ?? exprText(e);
  }

  // ------------------------------------------------------------------ bodies and expressions

  private evalBody(ctx: EvalCtx, frame: Frame, body: Body, i: number, k: K): boolean {
    // A step is one expression entered, or one solution reached (iteration counts).
    if (++this.steps > this.maxSteps) {
      throw new StepLimitError(`evaluation took more than ${this.maxSteps} steps`);
    }
    if (i === body.length) return k();
    return this.evalExpr(ctx, frame, body[i]!, () => this.evalBody(ctx, frame, body, i + 1, k));
  }

  /** `onValue` receives the value of a term expression (for query results). */
  private evalExpr(
    outer: EvalCtx,
    frame: Frame,
    expr: Expr,
    k: K,
    onValue?: (v: Value) => void,
  ): boolean {
    const tr = this.tracer;
    if (tr !== undefined) tr.emit("eval", expr.loc, this.exprSource(expr));
    const ctx = expr.with.length > 0 ? this.applyWith(outer, frame, expr.with) : outer;
    if (ctx === undefined) {
      if (tr !== undefined) this.traceFail(outer, frame, expr, "the `with` value is undefined");
      return false;
    }
    if (tr === undefined) return this.evalExprIn(ctx, frame, expr, k, onValue);
    let solutions = 0;
    const stopped = this.evalExprIn(
      ctx,
      frame,
      expr,
      () => {
        if (solutions++ > 0) tr.emit("redo", expr.loc, this.exprSource(expr));
        return k();
      },
      onValue,
    );
    if (solutions === 0 && !stopped) this.traceFail(ctx, frame, expr);
    return stopped;
  }

  private evalExprIn(
    ctx: EvalCtx,
    frame: Frame,
    expr: Expr,
    k: K,
    onValue?: (v: Value) => void,
  ): boolean {
    if (!expr.negated) return this.evalExprBody(ctx, frame, expr, k, onValue);
    const tr = this.tracer;
    if (tr !== undefined) {
      tr.depth++;
      tr.negation++;
    }
    let found: boolean;
    try {
      found = this.evalExprBody(ctx, frame, expr, () => true);
    } finally {
      if (tr !== undefined) {
        tr.depth--;
        tr.negation--;
      }
    }
    return found ? false : k();
  }

  private evalExprBody(
    ctx: EvalCtx,
    frame: Frame,
    expr: Expr,
    k: K,
    onValue?: (v: Value) => void,
  ): boolean {
    const b = expr.body;
    switch (b.kind) {
      case "term":
        return this.evalTerm(ctx, frame, b.term, (v) => {
          if (v === false) return false;
          onValue?.(v);
          return k();
        });
      case "assign":
        return this.shadowing(frame, patternVars(b.lhs), () =>
          this.unify(ctx, frame, b.lhs, b.rhs, k),
        );
      case "unify":
        return this.unify(ctx, frame, b.lhs, b.rhs, k);
      case "some":
        return this.shadowing(
          frame,
          b.vars.map((v) => v.name),
          k,
        );
      case "somein":
        return this.evalSomeIn(ctx, frame, b.key, b.value, b.collection, k);
      case "every":
        return this.evalEvery(ctx, frame, b.key, b.value, b.domain, b.body, k);
    }
  }

  /** Runs `fn` with `names` unbound, restoring any outer bindings afterwards (scoping). */
  private shadowing(frame: Frame, names: string[], fn: K): boolean {
    let saved: [string, Value][] | undefined;
    for (const n of names) {
      const v = frame.get(n);
      if (v !== undefined) {
        (saved ??= []).push([n, v]);
        frame.delete(n);
      }
    }
    if (saved === undefined) return fn();
    try {
      return fn();
    } finally {
      for (const [n, v] of saved) frame.set(n, v);
    }
  }

  private evalSomeIn(
    ctx: EvalCtx,
    frame: Frame,
    key: Term | undefined,
    value: Term,
    collection: Term,
    k: K,
  ): boolean {
    const declared = [...(key ? patternVars(key) : []), ...patternVars(value)];
    return this.evalTerm(ctx, frame, collection, (coll) =>
      this.shadowing(frame, declared, () => {
        for (const [ck, cv] of collectionEntries(coll)) {
          const stop = key
            ? this.unifyValue(ctx, frame, key, ck, () => this.unifyValue(ctx, frame, value, cv, k))
            : this.unifyValue(ctx, frame, value, cv, k);
          if (stop) return true;
        }
        return false;
      }),
    );
  }

  private evalEvery(
    ctx: EvalCtx,
    frame: Frame,
    key: VarTerm | undefined,
    value: VarTerm,
    domain: Term,
    body: Body,
    k: K,
  ): boolean {
    let dom: Value | undefined;
    this.evalTerm(ctx, frame, domain, (v) => {
      dom = v;
      return true;
    });
    // As in OPA, `every` over an undefined domain or a scalar fails.
    if (dom === undefined || !isCollection(dom)) return false;
    const entries = collectionEntries(dom);
    const names = [...(key ? [key.name] : []), value.name];
    const tr = this.tracer;
    if (tr !== undefined) tr.depth++;
    let allHold = true;
    try {
      this.shadowing(frame, names, () => {
        for (const [ck, cv] of entries) {
          const holds = key
            ? this.unifyValue(ctx, frame, key, ck, () =>
                this.unifyValue(ctx, frame, value, cv, () =>
                  this.evalBody(ctx, frame, body, 0, () => true),
                ),
              )
            : this.unifyValue(ctx, frame, value, cv, () =>
                this.evalBody(ctx, frame, body, 0, () => true),
              );
          if (!holds) {
            allHold = false;
            return true;
          }
        }
        return false;
      });
    } finally {
      if (tr !== undefined) tr.depth--;
    }
    return allHold ? k() : false;
  }

  // ------------------------------------------------------------------ unification

  /** True when a term still has unbound variables in pattern position (var, array, object). */
  private isPattern(t: Term, frame: Frame): boolean {
    switch (t.type) {
      case "var":
        return !frame.has(t.name) && t.name !== "input" && t.name !== "data";
      case "array":
        return t.items.some((x) => this.isPattern(x, frame));
      case "object":
        return t.entries.some(([, v]) => this.isPattern(v, frame));
      default:
        return false;
    }
  }

  private unify(ctx: EvalCtx, frame: Frame, a: Term, b: Term, k: K): boolean {
    const pa = this.isPattern(a, frame);
    const pb = this.isPattern(b, frame);
    if (pa && pb) return this.unifyPatterns(ctx, frame, a, b, k);
    if (pa) return this.evalTerm(ctx, frame, b, (v) => this.unifyValue(ctx, frame, a, v, k));
    if (pb) return this.evalTerm(ctx, frame, a, (v) => this.unifyValue(ctx, frame, b, v, k));
    return this.evalTerm(ctx, frame, a, (va) =>
      this.evalTerm(ctx, frame, b, (vb) => (valuesEqual(va, vb) ? k() : false)),
    );
  }

  /** Both sides have unbound variables: only literal arrays/objects can be matched up. */
  private unifyPatterns(ctx: EvalCtx, frame: Frame, a: Term, b: Term, k: K): boolean {
    if (a.type === "array" && b.type === "array") {
      if (a.items.length !== b.items.length) return false;
      return this.unifyPairs(
        ctx,
        frame,
        a.items.map((x, i) => [x, b.items[i]!] as [Term, Term]),
        k,
      );
    }
    if (a.type === "object" && b.type === "object") {
      if (a.entries.length !== b.entries.length) return false;
      const pairs: [Term, Term][] = [];
      for (const [ka, va] of a.entries) {
        const kv = this.groundValue(ctx, frame, ka);
        const match = b.entries.find(([kb]) => {
          const other = this.groundValue(ctx, frame, kb);
          return kv !== undefined && other !== undefined && valuesEqual(kv, other);
        });
        if (match === undefined) return false;
        pairs.push([va, match[1]]);
      }
      return this.unifyPairs(ctx, frame, pairs, k);
    }
    if (a.type === "var" || b.type === "var" || a.type !== b.type) {
      if (a.type !== "var" && b.type !== "var") return false;
      throw this.evalError("rego_unsafe_var_error", `var ${unboundName(a, b)} is unsafe`, a.loc);
    }
    return false;
  }

  /** Unifies pairs in an order where each step has at least one side it can evaluate. */
  private unifyPairs(ctx: EvalCtx, frame: Frame, pairs: [Term, Term][], k: K): boolean {
    if (pairs.length === 0) return k();
    let idx = pairs.findIndex(([x, y]) => !this.isPattern(x, frame) || !this.isPattern(y, frame));
    if (idx < 0) idx = 0;
    const [x, y] = pairs[idx]!;
    const rest = pairs.filter((_, i) => i !== idx);
    return this.unify(ctx, frame, x, y, () => this.unifyPairs(ctx, frame, rest, k));
  }

  /** Matches a (possibly partially unbound) term against a value, binding its variables. */
  private unifyValue(ctx: EvalCtx, frame: Frame, t: Term, v: Value, k: K): boolean {
    switch (t.type) {
      case "var": {
        const bound = frame.get(t.name);
        if (bound !== undefined) return valuesEqual(bound, v) ? k() : false;
        if (t.name === "input" || t.name === "data") break;
        frame.set(t.name, v);
        try {
          return k();
        } finally {
          frame.delete(t.name);
        }
      }
      case "array": {
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        const arr = v;
        const step = (i: number): boolean =>
          i === arr.length
            ? k()
            : this.unifyValue(ctx, frame, t.items[i]!, arr[i]!, () => step(i + 1));
        return step(0);
      }
      case "object": {
        if (!(v instanceof RegoObject) || v.size !== t.entries.length) return false;
        const obj = v;
        const step = (i: number): boolean => {
          if (i === t.entries.length) return k();
          const [kt, vt] = t.entries[i]!;
          return this.evalTerm(ctx, frame, kt, (key) => {
            const child = obj.get(key);
            return child === undefined
              ? false
              : this.unifyValue(ctx, frame, vt, child, () => step(i + 1));
          });
        };
        return step(0);
      }
      default:
        break;
    }
    return this.evalTerm(ctx, frame, t, (tv) => (valuesEqual(tv, v) ? k() : false));
  }

  /** The first value of a term, or undefined (used where a term must be ground). */
  private groundValue(ctx: EvalCtx, frame: Frame, t: Term): Value | undefined {
    if (this.isPattern(t, frame)) return undefined;
    let out: Value | undefined;
    this.evalTerm(ctx, frame, t, (v) => {
      out = v;
      return true;
    });
    return out;
  }

  // ------------------------------------------------------------------ terms

  private evalTerm(ctx: EvalCtx, frame: Frame, t: Term, k: VK): boolean {
    switch (t.type) {
      case "null":
        return k(null);
      case "boolean":
      case "number":
      case "string":
        return k(t.value);
      case "var":
        return this.evalVar(ctx, frame, t, k);
      case "ref":
        return this.evalRefTerm(ctx, frame, t, k);
      case "array":
      case "set":
      case "object": {
        const constant = this.constantOf(t);
        if (constant !== undefined) return k(constant);
        if (t.type === "object") return this.evalObjectLiteral(ctx, frame, t.entries, k);
        if (t.type === "set") {
          return this.evalTermList(ctx, frame, t.items, (items) => k(RegoSet.of(items)));
        }
        return this.evalTermList(ctx, frame, t.items, (items) => k(items));
      }
      case "arraycompr": {
        const out: Value[] = [];
        this.eachComprehensionValue(ctx, frame, t.body, t.term, (v) => out.push(v));
        return k(out);
      }
      case "setcompr": {
        const out = new RegoSet();
        this.eachComprehensionValue(ctx, frame, t.body, t.term, (v) => out.add(v));
        return k(out);
      }
      case "objectcompr": {
        const out = new RegoObject();
        this.inComprehension(() =>
          this.evalBody(ctx, frame, t.body, 0, () =>
            this.evalTerm(ctx, frame, t.key, (key) =>
              this.evalTerm(ctx, frame, t.value, (val) => {
                const prev = out.get(key);
                if (prev !== undefined && !valuesEqual(prev, val)) {
                  throw this.evalError("eval_conflict_error", KEY_CONFLICT, t.loc);
                }
                out.set(key, val);
                return false;
              }),
            ),
          ),
        );
        return k(out);
      }
      case "call":
        return this.evalCall(ctx, frame, t, k);
    }
  }

  /**
   * The value of a literal without variables, refs or calls, computed once per term.
   * Values are never mutated after construction, so sharing them is safe.
   */
  private constantOf(t: Term): Value | undefined {
    const hit = this.constants.get(t);
    if (hit !== undefined) return hit === NOT_CONSTANT ? undefined : hit;
    const value = isConstant(t) ? constantValue(t) : NOT_CONSTANT;
    this.constants.set(t, value);
    return value === NOT_CONSTANT ? undefined : value;
  }

  /** Calls `add` with the value of `term` for every solution of a comprehension body. */
  private eachComprehensionValue(
    ctx: EvalCtx,
    frame: Frame,
    body: Body,
    term: Term,
    add: (v: Value) => void,
  ): void {
    this.inComprehension(() =>
      this.evalBody(ctx, frame, body, 0, () =>
        this.evalTerm(ctx, frame, term, (v) => {
          add(v);
          return false;
        }),
      ),
    );
  }

  private inComprehension(run: () => boolean): void {
    const tr = this.tracer;
    if (tr === undefined) {
      run();
      return;
    }
    tr.depth++;
    try {
      run();
    } finally {
      tr.depth--;
    }
  }

  private evalVar(ctx: EvalCtx, frame: Frame, t: VarTerm, k: VK): boolean {
    const v = frame.get(t.name);
    if (v !== undefined) return k(v);
    if (t.name === "input") return ctx.input === undefined ? false : k(ctx.input);
    if (t.name === "data") return this.evalData(ctx, frame, [], 0, this.tree, ctx.data, [], k);
    throw this.evalError("rego_unsafe_var_error", `var ${displayVar(t.name)} is unsafe`, t.loc);
  }

  private evalTermList(ctx: EvalCtx, frame: Frame, terms: Term[], k: (vs: Value[]) => boolean) {
    const out: Value[] = new Array<Value>(terms.length);
    const step = (i: number): boolean =>
      i === terms.length
        ? k(out.slice())
        : this.evalTerm(ctx, frame, terms[i]!, (v) => {
            out[i] = v;
            return step(i + 1);
          });
    return step(0);
  }

  private evalObjectLiteral(ctx: EvalCtx, frame: Frame, entries: [Term, Term][], k: VK) {
    const flat = entries.flat();
    return this.evalTermList(ctx, frame, flat, (vs) => {
      const o = new RegoObject();
      for (let i = 0; i < vs.length; i += 2) o.set(vs[i]!, vs[i + 1]!);
      return k(o);
    });
  }

  // ------------------------------------------------------------------ refs

  private evalRefTerm(ctx: EvalCtx, frame: Frame, ref: RefTerm, k: VK): boolean {
    const head = ref.head;
    if (head.type === "var" && !frame.has(head.name)) {
      if (head.name === "data") {
        return this.evalData(ctx, frame, ref.path, 0, this.tree, ctx.data, [], k);
      }
      if (head.name === "input") {
        return ctx.input === undefined
          ? false
          : this.walkValue(ctx, frame, ref.path, 0, ctx.input, k);
      }
    }
    return this.evalTerm(ctx, frame, head, (v) => this.walkValue(ctx, frame, ref.path, 0, v, k));
  }

  /** Follows `path[i:]` into a value; unbound variables in the path iterate. */
  private walkValue(ctx: EvalCtx, frame: Frame, path: Term[], i: number, v: Value, k: VK): boolean {
    if (i === path.length) return k(v);
    const seg = path[i]!;
    if (this.isPattern(seg, frame)) {
      for (const [key, child] of collectionEntries(v)) {
        const stop = this.unifyValue(ctx, frame, seg, key, () =>
          this.walkValue(ctx, frame, path, i + 1, child, k),
        );
        if (stop) return true;
      }
      return false;
    }
    return this.evalTerm(ctx, frame, seg, (key) => {
      const child = lookup(v, key);
      return child === undefined ? false : this.walkValue(ctx, frame, path, i + 1, child, k);
    });
  }

  /**
   * Follows `path[i:]` under `data`, walking the rule tree (`node`) and base data (`base`)
   * together. Once a rule group is reached, its document is computed and walked as a value.
   */
  private evalData(
    ctx: EvalCtx,
    frame: Frame,
    path: Term[],
    i: number,
    node: TreeNode | undefined,
    base: Value | undefined,
    prefix: string[],
    k: VK,
  ): boolean {
    if (node !== undefined && ctx.overrides.size > 0 && ctx.overrides.has(pathKey(prefix))) {
      node = undefined;
    }
    if (node === undefined) {
      return base === undefined ? false : this.walkValue(ctx, frame, path, i, base, k);
    }
    if (node.group !== undefined || i === path.length) {
      const doc = this.nodeValue(ctx, node, base, prefix);
      return doc === undefined ? false : this.walkValue(ctx, frame, path, i, doc, k);
    }
    const seg = path[i]!;
    if (this.isPattern(seg, frame)) {
      for (const key of this.childKeys(node, base)) {
        const stop = this.unifyValue(ctx, frame, seg, key, () =>
          this.evalData(
            ctx,
            frame,
            path,
            i + 1,
            typeof key === "string" ? node.children.get(key) : undefined,
            lookup(base, key),
            typeof key === "string" ? [...prefix, key] : prefix,
            k,
          ),
        );
        if (stop) return true;
      }
      return false;
    }
    return this.evalTerm(ctx, frame, seg, (key) => {
      if (typeof key !== "string") {
        const child = lookup(base, key);
        return child === undefined ? false : this.walkValue(ctx, frame, path, i + 1, child, k);
      }
      return this.evalData(
        ctx,
        frame,
        path,
        i + 1,
        node.children.get(key),
        lookup(base, key),
        [...prefix, key],
        k,
      );
    });
  }

  /** Keys under a tree node merged with the base object's keys, in value order. */
  private childKeys(node: TreeNode, base: Value | undefined): Value[] {
    const keys = new Map<string, Value>();
    for (const name of node.children.keys()) keys.set(name, name);
    if (base instanceof RegoObject) {
      for (const key of base.keys()) keys.set(typeof key === "string" ? key : valueKey(key), key);
    }
    return [...keys.values()].sort(compareValues);
  }

  /** The full document at a tree node: its rule group, sub-documents and base data. */
  private nodeValue(
    ctx: EvalCtx,
    node: TreeNode | undefined,
    base: Value | undefined,
    prefix: string[],
  ): Value | undefined {
    if (node === undefined) return base;
    if (ctx.overrides.size > 0 && ctx.overrides.has(pathKey(prefix))) return base;
    const group = node.group;
    const doc =
      group !== undefined && group.kind !== "function" ? this.groupDoc(ctx, group) : undefined;
    let virtual: RegoObject | undefined;
    for (const [name, child] of node.children) {
      const cv = this.nodeValue(ctx, child, lookup(base, name), [...prefix, name]);
      if (cv === undefined) continue;
      virtual ??= new RegoObject();
      virtual.set(name, cv);
    }
    const own =
      doc !== undefined && virtual !== undefined
        ? this.mergeRuleDocs(virtual, doc, group!)
        : doc !== undefined
          ? doc
          : virtual;
    if (own === undefined) {
      if (base !== undefined) return base;
      return node.isPackage ? new RegoObject() : undefined;
    }
    // Sub-documents computed above already include their base data; virtual ones win.
    return base === undefined ? own : mergeValues(base, own);
  }

  /** Documents of rules at a path and below it (`p[k]` and `p.a`) must agree on keys. */
  private mergeRuleDocs(below: RegoObject, doc: Value, group: RuleGroup): Value {
    const loc = (group.rules[0] ?? group.default)!.rule.loc;
    if (!(doc instanceof RegoObject))
      throw this.evalError("eval_conflict_error", KEY_CONFLICT, loc);
    const out = RegoObject.fromEntries(doc.entries());
    for (const [k, v] of below.entries()) {
      const prev = out.get(k);
      if (prev !== undefined && !valuesEqual(prev, v)) {
        if (!(prev instanceof RegoObject) || !(v instanceof RegoObject)) {
          throw this.evalError("eval_conflict_error", KEY_CONFLICT, loc);
        }
        out.set(k, mergeValues(prev, v));
      } else {
        out.set(k, v);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ rules

  /** The memoized document of a rule group, computed from all of its rules. */
  private groupDoc(ctx: EvalCtx, group: RuleGroup): Value | undefined {
    const key = group;
    const hit = ctx.docs.get(key);
    if (hit !== undefined) {
      if (hit.state === "done") return hit.value;
      const loc = (group.rules[0] ?? group.default)!.rule.loc;
      throw this.evalError(
        "rego_recursion_error",
        `rule data.${group.path.join(".")} is recursive`,
        loc,
      );
    }
    ctx.docs.set(key, { state: "busy" });
    let value: Value | undefined;
    try {
      value = this.computeGroup(ctx, group);
    } catch (err) {
      ctx.docs.delete(key);
      throw err;
    }
    ctx.docs.set(key, { state: "done", value });
    return value;
  }

  private computeGroup(ctx: EvalCtx, group: RuleGroup): Value | undefined {
    const doc = new DocBuilder(group.kind, (msg, loc) =>
      this.evalError("eval_conflict_error", msg, loc),
    );
    const earlyExit = sharesOneConstantValue(group);
    let found = false;
    for (const rr of group.rules) {
      this.ruleSolutions(ctx, group, rr, earlyExit, (keys, value, loc) => {
        found = true;
        doc.add(keys, value, loc);
      });
      if (earlyExit && found) break;
    }
    const value = doc.result(isSingleKeyGroup(group));
    if (value !== undefined || group.default === undefined) return value;
    return this.defaultValue(ctx, group, group.default);
  }

  /** The value of a `default` rule; traced as a rule that applied (it decides the value). */
  private defaultValue(ctx: EvalCtx, group: RuleGroup, rr: ResolvedRule): Value | undefined {
    const term = rr.rule.head.value;
    const value = term === undefined ? true : this.groundValue(ctx, new Map(), term);
    const tr = this.tracer;
    if (tr !== undefined && value !== undefined) {
      const name = "data." + group.path.join(".");
      tr.emit("enter", rr.rule.loc, name + " (default)");
      tr.emit("exit", rr.rule.loc, name + " (default)", { ruleIds: this.ruleIds(rr.rule) });
    }
    return value;
  }

  /**
   * Calls `emit` with the key path and value of every solution of a rule (its body, or the
   * first `else` clause with a solution). With `stopEarly` (every rule of the group yields
   * one shared constant, as the planner's early exit requires too), a rule stops after its
   * first solution: more solutions cannot change the document. Otherwise every solution is
   * evaluated, so an error in a later one is raised in both engines alike.
   */
  private ruleSolutions(
    ctx: EvalCtx,
    group: RuleGroup,
    rr: ResolvedRule,
    stopEarly: boolean,
    emit: (keys: Value[], value: Value, loc: Location) => void,
    frame: Frame = new Map(),
  ): void {
    const tr = this.tracer;
    const name = "data." + group.path.join(".");
    for (const clause of clausesOf(rr, group.kind)) {
      const once = stopEarly && (clause.value === undefined || isConstant(clause.value));
      let found = false;
      const negation = tr !== undefined ? this.traceEnter(tr, name, clause.loc) : 0;
      try {
        this.evalBody(ctx, frame, clause.body, 0, () =>
          this.evalTermList(ctx, frame, rr.keyTerms, (keys) => {
            const emitValue = (v: Value): boolean => {
              found = true;
              if (tr !== undefined) {
                tr.emit("exit", clause.loc, name, { ruleIds: this.ruleIds(rr.rule) });
              }
              emit(keys, v, clause.loc);
              return once;
            };
            return clause.value === undefined
              ? emitValue(true)
              : this.evalTerm(ctx, frame, clause.value, emitValue);
          }),
        );
      } finally {
        if (tr !== undefined) this.traceLeave(tr, negation);
      }
      if (found) return;
    }
  }

  /**
   * A rule's document does not depend on who asked for it (it is memoized), so a rule body
   * is never "inside a negation" even when the first reference came from one.
   */
  private traceEnter(tr: TraceRecorder, name: string, loc: Location): number {
    tr.emit("enter", loc, name);
    tr.depth++;
    tr.rules.push(name);
    const negation = tr.negation;
    tr.negation = 0;
    return negation;
  }

  private traceLeave(tr: TraceRecorder, negation: number): void {
    tr.depth--;
    tr.rules.pop();
    tr.negation = negation;
  }

  // ------------------------------------------------------------------ calls

  private evalCall(ctx: EvalCtx, frame: Frame, t: Term & { type: "call" }, k: VK): boolean {
    const name = this.calleeOf(t.operator).name;
    switch (name) {
      case "eq":
      case "assign":
        if (t.args.length === 2)
          return this.unify(ctx, frame, t.args[0]!, t.args[1]!, () => k(true));
        break;
      case "print":
      case "internal.print":
        return this.evalPrint(ctx, frame, t.args, () => k(true));
      case "trace":
        if (this.tracer !== undefined && t.args.length === 1) {
          const note = this.groundValue(ctx, frame, t.args[0]!);
          if (typeof note === "string") this.tracer.emit("note", t.loc, note);
        }
        break;
    }
    const mock = ctx.mocks.get(name);
    if (mock !== undefined) return this.callMocked(ctx, frame, t, mock, k);
    return this.callNamed(ctx, frame, t, t.operator, k);
  }

  private callNamed(
    ctx: EvalCtx,
    frame: Frame,
    t: Term & { type: "call" },
    operator: string[],
    k: VK,
  ): boolean {
    const callee = this.calleeOf(operator);
    const group = callee.group;
    if (group !== undefined) {
      const arity = group.arity ?? group.rules[0]?.rule.head.args?.length ?? 0;
      return this.callWith(
        ctx,
        frame,
        t,
        arity,
        (args) => resultsOf(this.callFunction(ctx, group, args, t.loc)),
        k,
      );
    }
    if (callee.builtin === undefined) {
      throw this.evalError("rego_type_error", `undefined function ${callee.name}`, t.loc);
    }
    return this.callBuiltin(ctx, frame, t, callee.builtin, k);
  }

  /** What an operator names (a user function or a builtin), resolved once per operator. */
  private calleeOf(operator: string[]): Callee {
    let callee = this.callees.get(operator);
    if (callee === undefined) {
      const name = operator.join(".");
      const group =
        operator[0] === "data" ? this.program.groups.get(operator.slice(1).join(".")) : undefined;
      callee =
        group?.kind === "function" ? { name, group } : { name, builtin: this.builtins(name) };
      this.callees.set(operator, callee);
    }
    return callee;
  }

  /**
   * Evaluates the input arguments of a call, applies `fn`, and passes each of its results
   * on (a relation gives several, an undefined call none): an extra argument beyond the
   * arity is an output, unified with the result.
   */
  private callWith(
    ctx: EvalCtx,
    frame: Frame,
    t: Term & { type: "call" },
    arity: number,
    fn: (args: Value[]) => readonly Value[],
    k: VK,
  ): boolean {
    const output = t.args[arity];
    return this.evalTermList(ctx, frame, t.args.slice(0, arity), (args) => {
      for (const r of fn(args)) {
        const stop =
          output === undefined ? k(r) : this.unifyValue(ctx, frame, output, r, () => k(true));
        if (stop) return true;
      }
      return false;
    });
  }

  private callBuiltin(
    ctx: EvalCtx,
    frame: Frame,
    t: Term & { type: "call" },
    builtin: Builtin,
    k: VK,
  ): boolean {
    return this.callWith(
      ctx,
      frame,
      t,
      builtin.arity,
      (args) => {
        const result = this.invokeBuiltin(ctx, builtin, args, t.loc);
        if (builtin.relation && result !== undefined) return result as Value[];
        return resultsOf(result);
      },
      k,
    );
  }

  private invokeBuiltin(
    ctx: EvalCtx,
    builtin: Builtin,
    args: Value[],
    loc: Location,
  ): Value | undefined {
    try {
      return builtin.impl(args, ctx.bctx);
    } catch (err) {
      if (!(err instanceof BuiltinError)) throw err;
      if (this.strict) {
        throw this.evalError(err.code, err.message, loc);
      }
      if (this.tracer !== undefined) this.tracer.emit("note", loc, `builtin error: ${err.message}`);
      return undefined;
    }
  }

  private callMocked(
    ctx: EvalCtx,
    frame: Frame,
    t: Term & { type: "call" },
    mock: Mock,
    k: VK,
  ): boolean {
    if (mock.kind === "function") return this.callNamed(ctx, frame, t, mock.name, k);
    const arity = this.arityOf(t.operator) ?? t.args.length;
    return this.callWith(ctx, frame, t, arity, () => [mock.value], k);
  }

  private arityOf(operator: string[]): number | undefined {
    if (operator[0] === "data") {
      const group = this.program.groups.get(operator.slice(1).join("."));
      if (group?.kind === "function") return group.arity ?? group.rules[0]?.rule.head.args?.length;
    }
    return this.builtins(operator.join("."))?.arity;
  }

  /** Calls a user function: every matching definition must agree; memoized per arguments. */
  private callFunction(
    ctx: EvalCtx,
    group: RuleGroup,
    args: Value[],
    loc: Location,
  ): Value | undefined {
    const key = pathKey(group.path) + "\u0001" + args.map(valueKey).join("\u0001");
    const hit = ctx.calls.get(key);
    if (hit !== undefined) {
      if (hit.state === "done") return hit.value;
      throw this.evalError(
        "rego_recursion_error",
        `function data.${group.path.join(".")} is recursive`,
        loc,
      );
    }
    ctx.calls.set(key, { state: "busy" });
    let result: Value | undefined;
    try {
      result = this.computeCall(ctx, group, args);
    } catch (err) {
      ctx.calls.delete(key);
      throw err;
    }
    ctx.calls.set(key, { state: "done", value: result });
    return result;
  }

  private computeCall(ctx: EvalCtx, group: RuleGroup, args: Value[]): Value | undefined {
    let result: Value | undefined;
    const collect = (_keys: Value[], value: Value, loc: Location): void => {
      if (result !== undefined && !valuesEqual(result, value)) {
        throw this.evalError("eval_conflict_error", FUNCTION_CONFLICT, loc);
      }
      result = value;
    };
    const earlyExit = sharesOneConstantValue(group);
    for (const rr of group.rules) {
      const params = rr.rule.head.args ?? [];
      if (params.length !== args.length) continue;
      const frame: Frame = new Map();
      this.unifyArgs(ctx, frame, params, args, 0, () => {
        this.ruleSolutions(ctx, group, rr, earlyExit, collect, frame);
        return false;
      });
      if (earlyExit && result !== undefined) break;
    }
    if (result !== undefined || group.default === undefined) return result;
    return this.defaultValue(ctx, group, group.default);
  }

  /** Binds a function's parameters (which may be patterns or constants) to its arguments. */
  private unifyArgs(
    ctx: EvalCtx,
    frame: Frame,
    params: Term[],
    args: Value[],
    i: number,
    k: K,
  ): boolean {
    if (i === params.length) return k();
    return this.unifyValue(ctx, frame, params[i]!, args[i]!, () =>
      this.unifyArgs(ctx, frame, params, args, i + 1, k),
    );
  }

  private evalPrint(ctx: EvalCtx, frame: Frame, args: Term[], k: K): boolean {
    const parts = args.map((a) => {
      let out: Value | undefined;
      this.evalTerm(ctx, frame, a, (v) => {
        out = v;
        return true;
      });
      return out === undefined ? "<undefined>" : typeof out === "string" ? out : regoString(out);
    });
    this.printer(parts.join(" "));
    return k();
  }

  // ------------------------------------------------------------------ with

  /** The context an expression with `with` modifiers runs in; undefined if a value is. */
  private applyWith(ctx: EvalCtx, frame: Frame, mods: WithModifier[]): EvalCtx | undefined {
    let input = ctx.input;
    let data = ctx.data;
    let overrides: Set<string> | undefined;
    let mocks: Map<string, Mock> | undefined;
    for (const w of mods) {
      const target = targetPath(w.target);
      if (target === undefined) {
        throw this.evalError("rego_compile_error", "with target must be a reference", w.loc);
      }
      const [head, ...path] = target;
      const fnName = this.functionTarget(target);
      if (fnName !== undefined) {
        (mocks ??= new Map(ctx.mocks)).set(fnName, this.mockFor(ctx, frame, w.value));
        continue;
      }
      const value = this.groundValue(ctx, frame, w.value);
      if (value === undefined) return undefined;
      if (head === "input") {
        input = upsertPath(input, path, value);
      } else if (head === "data") {
        overrides ??= new Set(ctx.overrides);
        data = this.overrideData(ctx, data, overrides, path, value);
      } else {
        throw this.evalError(
          "rego_compile_error",
          "with keyword target must reference existing input, data, or a function",
          w.loc,
        );
      }
    }
    return {
      input,
      data,
      overrides: overrides ?? ctx.overrides,
      mocks: mocks ?? ctx.mocks,
      docs: new Map(),
      calls: new Map(),
      bctx: ctx.bctx,
    };
  }

  /** The dotted function name a `with` target replaces, if it names a function. */
  private functionTarget(target: string[]): string | undefined {
    if (target[0] === "data") {
      const group = this.program.groups.get(target.slice(1).join("."));
      return group?.kind === "function" ? target.join(".") : undefined;
    }
    if (target[0] === "input") return undefined;
    const name = target.join(".");
    return this.builtins(name) !== undefined || name.startsWith("internal.") ? name : undefined;
  }

  private mockFor(ctx: EvalCtx, frame: Frame, value: Term): Mock {
    const path = value.type === "var" && frame.has(value.name) ? undefined : targetPath(value);
    if (path !== undefined && this.functionTarget(path) !== undefined) {
      return { kind: "function", name: path };
    }
    const v = this.groundValue(ctx, frame, value);
    if (v === undefined) {
      throw this.evalError("eval_type_error", "with value is undefined", value.loc);
    }
    return { kind: "value", value: v };
  }

  /**
   * Replaces the document at `data.<path>`: base data is updated and rules at or below the
   * path are hidden. A path inside a rule's document replaces part of that document.
   */
  private overrideData(
    ctx: EvalCtx,
    data: Value,
    overrides: Set<string>,
    path: Value[],
    value: Value,
  ): Value {
    const strings = path.every((p) => typeof p === "string") ? (path as string[]) : undefined;
    if (strings !== undefined) {
      for (let n = 1; n < strings.length; n++) {
        const prefix = strings.slice(0, n);
        const node = nodeAt(this.tree, prefix);
        if (node?.group !== undefined && node.group.kind !== "function") {
          const current = this.nodeValue(ctx, node, lookupPath(ctx.data, prefix), prefix);
          overrides.add(pathKey(prefix));
          return upsertPath(data, prefix, upsertPath(current, path.slice(n), value));
        }
      }
      overrides.add(pathKey(strings));
    }
    return upsertPath(data, path, value);
  }

  // ------------------------------------------------------------------ errors and traces

  private evalError(code: DiagnosticCode, message: string, loc: Location): DiagnosticError {
    return new DiagnosticError([diagnostic(code, message, loc)]);
  }

  /**
   * How many segments of a ref the failure explainer should start from, and whether that
   * prefix names a rule: for `data` refs, the prefix that reaches a rule or leaves the rule
   * tree (shorter prefixes are whole packages, whose documents would evaluate every rule).
   */
  private firstUsefulPrefix(ref: RefTerm, frame: Frame): { start: number; rule: boolean } {
    if (ref.head.type !== "var" || ref.head.name !== "data" || frame.has("data")) {
      return { start: 1, rule: false };
    }
    let node: TreeNode | undefined = this.tree;
    for (let i = 0; i < ref.path.length; i++) {
      const seg = ref.path[i]!;
      if (seg.type !== "string") return { start: i + 1, rule: false };
      node = node.children.get(seg.value);
      if (node === undefined) return { start: i + 1, rule: false };
      if (node.group !== undefined) return { start: i + 1, rule: true };
    }
    return { start: ref.path.length, rule: false };
  }

  private traceFail(ctx: EvalCtx, frame: Frame, expr: Expr, reason?: string): void {
    const tr = this.tracer;
    if (tr === undefined) return;
    this.tracer = undefined;
    let why: string;
    try {
      why =
        reason ??
        new FailureExplainer(
          this.sources,
          (t) => this.groundValue(ctx, frame, t),
          (ref) => this.firstUsefulPrefix(ref, frame),
        ).explain(expr);
    } catch (err) {
      why = err instanceof Error ? err.message : String(err);
    } finally {
      this.tracer = tr;
    }
    tr.emit("fail", expr.loc, this.exprSource(expr), { reason: why });
  }
}

// ------------------------------------------------------------------ helpers

/** Accepts Rego values and plain JSON (as parsed), mixed at any depth. */
export function toValue(x: unknown): Value {
  if (x instanceof RegoObject || x instanceof RegoSet) return x;
  if (Array.isArray(x)) return x.map(toValue);
  if (x !== null && typeof x === "object") {
    const o = new RegoObject();
    for (const k of Object.keys(x)) o.set(k, toValue((x as Record<string, unknown>)[k]));
    return o;
  }
  return fromJSON(x);
}

/** The program's bodies are already in safety order (docs/decisions.md D6). */
/** The results of a call that gives at most one. */
function resultsOf(v: Value | undefined): Value[] {
  return v === undefined ? [] : [v];
}

function clausesOf(rr: ResolvedRule, kind: RuleGroup["kind"]): Clause[] {
  const rule = rr.rule;
  const value = kind === "set" ? rule.head.key : rule.head.value;
  const first: Clause = { body: rule.body, value, loc: rule.loc };
  return [first, ...rule.else.map((e) => ({ body: e.body, value: e.value, loc: e.loc }))];
}

/**
 * OPA's early exit: when every definition of a complete rule or function has the same
 * constant value and no `else`, the first definition that succeeds decides the value and
 * later ones are not evaluated (so their errors are never raised).
 */
function sharesOneConstantValue(group: RuleGroup): boolean {
  if (group.kind === "set" || group.kind === "object") return false;
  let shared: string | undefined;
  for (const rr of group.rules) {
    if (rr.keyTerms.length > 0 || rr.rule.else.length > 0) return false;
    const v = rr.rule.head.value;
    if (v !== undefined && !isConstant(v)) return false;
    const key = valueKey(v === undefined ? true : constantValue(v));
    if (shared !== undefined && shared !== key) return false;
    shared = key;
  }
  return shared !== undefined;
}

/** A group whose document is an object keyed by one term right below the rule name. */
function isSingleKeyGroup(group: RuleGroup): boolean {
  const rr = group.rules[0];
  return rr !== undefined && rr.keyTerms.length === 1 && rr.rule.head.ref.length === 2;
}

export function createEvaluator(program: Program, options: EvaluatorOptions = {}): Evaluator {
  return new Evaluator(program, options);
}
