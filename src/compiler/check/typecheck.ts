// Type checking of builtin calls, as OPA's type checker does it: every argument of a builtin
// call must unify with the builtin's declared argument type, else `rego_type_error:
// <name>: invalid argument(s)`; an output argument must unify with the declared result.
//
// The types of terms are inferred conservatively: scalars, composite literals,
// comprehensions, local vars bound to typed terms (`:=`, `=`, call outputs) and the results
// of builtins are typed; refs to `input` and `data` (rules included), user function
// results, iteration vars and anything else are `any`, which never fails. So every error
// reported here is one OPA reports too (OPA, which also types rules, finds more).
//
// Runs on the program after safety ordering, so a var's binding comes before its uses.
import type { Body, CallTerm, Expr, Rule, Term } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { BUILTINS } from "../../builtins/index.js";
import type { FunctionDecl } from "../../builtins/registry.js";
import type { Program } from "../program.js";
import { operatorName } from "./references.js";
import { isWildcard, patternVars } from "./vars.js";
import {
  ANY,
  BOOLEAN,
  isPlainAny,
  joinTypes,
  NULL,
  NUMBER,
  selectIndex,
  selectKey,
  showType,
  STRING,
  unifies,
  valuesOf,
  type Type,
} from "./types.js";

/** Arity of a user function (by fully qualified operator), for output arguments. */
export type FunctionArity = (operator: readonly string[]) => number | undefined;

/** Type errors of every builtin call in the program. */
export function checkTypes(program: Program, functionArity: FunctionArity): Diagnostic[] {
  const checker = new TypeChecker(functionArity);
  for (const m of program.modules) for (const r of m.rules) checker.rule(r);
  return checker.out;
}

/** Declares the vars of a pattern (`some ... in`, function arguments) as `any`. */
function declarePattern(t: Term, env: TypeEnv): void {
  const vars = patternVars(t);
  for (let i = 0; i < vars.length; i++) env.declare(vars[i]!.name, ANY);
}

/** Types of the local vars of one scope; closures see (and may shadow) their parents'. */
class TypeEnv {
  /** Made on the first var: many scopes (negated expressions, small closures) bind none. */
  private vars: Map<string, Type> | undefined;

  constructor(private readonly parent?: TypeEnv) {}

  get(name: string): Type | undefined {
    return this.vars?.get(name) ?? this.parent?.get(name);
  }

  /** A var binds once: a later unification only tests the value. */
  bind(name: string, t: Type): void {
    if (!isWildcard(name) && this.get(name) === undefined) (this.vars ??= new Map()).set(name, t);
  }

  /** `:=`, `some`, arguments: a new var here, whatever the enclosing scopes hold. */
  declare(name: string, t: Type): void {
    if (!isWildcard(name)) (this.vars ??= new Map()).set(name, t);
  }

  child(): TypeEnv {
    return new TypeEnv(this);
  }
}

class TypeChecker {
  readonly out: Diagnostic[] = [];
  /** Result types of the calls checked so far; a call with invalid arguments is `any`. */
  private readonly callTypes = new Map<CallTerm, Type>();

  constructor(private readonly functionArity: FunctionArity) {}

  rule(r: Rule): void {
    const fresh = (): TypeEnv => {
      const env = new TypeEnv();
      for (const a of r.head.args ?? []) declarePattern(a, env);
      return env;
    };
    const env = fresh();
    this.body(r.body, env);
    for (let i = 1; i < r.head.ref.length; i++) this.terms(r.head.ref[i] as Term, env);
    if (r.head.key !== undefined) this.terms(r.head.key, env);
    if (r.head.value !== undefined) this.terms(r.head.value, env);
    for (let i = 0; i < r.else.length; i++) {
      const e = r.else[i]!;
      const elseEnv = fresh();
      this.body(e.body, elseEnv);
      if (e.value !== undefined) this.terms(e.value, elseEnv);
    }
  }

  private body(body: Body, env: TypeEnv): void {
    for (let i = 0; i < body.length; i++) this.expr(body[i]!, env);
  }

  private expr(e: Expr, outer: TypeEnv): void {
    for (let i = 0; i < e.with.length; i++) this.terms(e.with[i]!.value, outer);
    // A negated expression binds nothing outside itself.
    const env = e.negated ? outer.child() : outer;
    const b = e.body;
    switch (b.kind) {
      case "term":
        if (b.term.type === "call") this.call(b.term, env, true);
        else this.terms(b.term, env);
        return;
      case "assign":
        this.terms(b.rhs, env);
        this.bindPattern(b.lhs, this.typeOf(b.rhs, env), env, true);
        return;
      case "unify":
        this.unify(e, b.lhs, b.rhs, env);
        return;
      case "some":
        for (let i = 0; i < b.vars.length; i++) env.declare(b.vars[i]!.name, ANY);
        return;
      case "somein":
        this.terms(b.collection, env);
        if (b.key !== undefined) this.terms(b.key, env);
        this.terms(b.value, env);
        if (b.key !== undefined) declarePattern(b.key, env);
        declarePattern(b.value, env);
        return;
      case "every": {
        this.terms(b.domain, env);
        const inner = env.child();
        inner.declare(b.value.name, ANY);
        if (b.key !== undefined) inner.declare(b.key.name, ANY);
        this.body(b.body, inner);
        return;
      }
    }
  }

  /**
   * `a = b`: checks both sides; when the types of both are fully known and cannot meet,
   * the expression can never succeed (OPA's `match error`); otherwise types the vars one
   * side binds from the other.
   */
  private unify(e: Expr, a: Term, b: Term, env: TypeEnv): void {
    this.terms(a, env);
    this.terms(b, env);
    const left = this.knownType(a, env);
    const right = this.knownType(b, env);
    if (left !== undefined && right !== undefined && !unifies(left, right)) {
      const detail = `left: ${showType(left)}, right: ${showType(right)}`;
      this.out.push(diagnostic("rego_type_error", `match error: ${detail}`, e.loc));
      return;
    }
    this.bindPattern(a, this.typeOf(b, env), env, false);
    this.bindPattern(b, this.typeOf(a, env), env, false);
  }

  /** The type of a term none of whose vars is unbound; undefined while one is. */
  private knownType(t: Term, env: TypeEnv): Type | undefined {
    switch (t.type) {
      case "var":
        return env.get(t.name);
      case "array":
      case "set":
        return t.items.every((i) => this.knownType(i, env) !== undefined)
          ? this.typeOf(t, env)
          : undefined;
      case "object":
        return t.entries.every(
          ([k, v]) => this.knownType(k, env) !== undefined && this.knownType(v, env) !== undefined,
        )
          ? this.typeOf(t, env)
          : undefined;
      default:
        return this.typeOf(t, env);
    }
  }

  /** Types the vars of a pattern from the type of the value it matches. */
  private bindPattern(p: Term, t: Type, env: TypeEnv, declare: boolean): void {
    switch (p.type) {
      case "var":
        if (declare) env.declare(p.name, t);
        else env.bind(p.name, t);
        return;
      case "array":
        p.items.forEach((item, i) => {
          const at = t.type === "array" ? (selectIndex(t, i) ?? ANY) : ANY;
          this.bindPattern(item, at, env, declare);
        });
        return;
      case "object":
        for (let i = 0; i < p.entries.length; i++)
          this.bindPattern(p.entries[i]![1], ANY, env, declare);
        return;
      default:
        return;
    }
  }

  /** Checks the calls and closures inside a term. */
  private terms(t: Term, env: TypeEnv): void {
    switch (t.type) {
      case "call":
        this.call(t, env, false);
        return;
      case "ref":
        this.terms(t.head, env);
        for (let i = 0; i < t.path.length; i++) this.terms(t.path[i]!, env);
        this.checkRef(t, env);
        return;
      case "array":
      case "set":
        for (let j = 0; j < t.items.length; j++) this.terms(t.items[j]!, env);
        return;
      case "object":
        for (let i = 0; i < t.entries.length; i++) {
          const entry = t.entries[i]!;
          const k = entry[0];
          const v = entry[1];
          this.terms(k, env);
          this.terms(v, env);
        }
        return;
      case "arraycompr":
      case "setcompr": {
        const inner = env.child();
        this.body(t.body, inner);
        this.terms(t.term, inner);
        return;
      }
      case "objectcompr": {
        const inner = env.child();
        this.body(t.body, inner);
        this.terms(t.key, inner);
        this.terms(t.value, inner);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Checks a call (its nested calls first, as OPA, which evaluates them before) and returns
   * its result type. `topLevel`: the call is a whole expression, so it may have an output
   * argument, which gets the result type.
   */
  private call(c: CallTerm, env: TypeEnv, topLevel: boolean): Type {
    const t = this.checkCall(c, env, topLevel);
    this.callTypes.set(c, t);
    return t;
  }

  private checkCall(c: CallTerm, env: TypeEnv, topLevel: boolean): Type {
    for (let i = 0; i < c.args.length; i++) this.terms(c.args[i]!, env);
    const decl = builtinDecl(c.operator);
    if (decl === undefined) {
      this.bindUserFunctionOutput(c, env, topLevel);
      return ANY;
    }
    const n = decl.args.length;
    // Wrong arities are reported by the reference checks.
    if (c.args.length < n || c.args.length > (topLevel ? n + 1 : n)) return ANY;
    const fits = this.argsFit(c.args, decl.args, env);
    const output = c.args[n];
    if (fits && output !== undefined) {
      if (this.fits(output, decl.result, env)) {
        this.bindPattern(output, decl.result, env, false);
        return decl.result;
      }
    } else if (fits) {
      return decl.result;
    }
    const known = (a: Term): Type | undefined =>
      a.type === "var" ? env.get(a.name) : this.typeOf(a, env);
    this.out.push(invalidArguments(c, decl, known, topLevel));
    return ANY;
  }

  /** Whether each argument can have its declared type. */
  private argsFit(args: readonly Term[], want: readonly Type[], env: TypeEnv): boolean {
    for (let i = 0; i < want.length; i++) {
      if (!this.fits(args[i] as Term, want[i] as Type, env)) return false;
    }
    return true;
  }

  private bindUserFunctionOutput(c: CallTerm, env: TypeEnv, topLevel: boolean): void {
    if (!topLevel || c.operator[0] !== "data") return;
    const output = c.args[this.functionArity(c.operator) ?? -1];
    if (output !== undefined) this.bindPattern(output, ANY, env, false);
  }

  /** Whether a term can have type `want` (OPA's unify1: literals are matched item by item). */
  private fits(t: Term, want: Type, env: TypeEnv): boolean {
    if (isPlainAny(want)) return true;
    if (want.type === "any" && (t.type === "array" || t.type === "object" || t.type === "set")) {
      return (want.of ?? []).some((alt) => this.fits(t, alt, env));
    }
    switch (t.type) {
      case "array":
        return want.type === "array" && this.fitsArray(t.items, want, env);
      case "set": {
        if (want.type !== "set") return false;
        return t.items.every((i) => this.fits(i, want.of, env));
      }
      case "object":
        return want.type === "object" && this.fitsObject(t.entries, want, env);
      case "var": {
        const known = env.get(t.name);
        return known === undefined || unifies(known, want);
      }
      default:
        return unifies(this.typeOf(t, env), want);
    }
  }

  private fitsArray(
    items: readonly Term[],
    want: Extract<Type, { type: "array" }>,
    env: TypeEnv,
  ): boolean {
    if (want.dynamic === undefined && items.length !== (want.static ?? []).length) return false;
    return items.every((item, i) => {
      const at = selectIndex(want, i);
      return at !== undefined && this.fits(item, at, env);
    });
  }

  private fitsObject(
    entries: readonly (readonly [Term, Term])[],
    want: Extract<Type, { type: "object" }>,
    env: TypeEnv,
  ): boolean {
    if (want.dynamic === undefined && entries.length !== (want.static ?? []).length) return false;
    return entries.every(([k, v]) => {
      const keyType = scalarType(k);
      if (keyType === undefined) return true;
      const at = selectKey(want, k.type === "string" ? k.value : undefined, keyType);
      return at !== undefined && this.fits(v, at, env);
    });
  }

  /** The inferred type of a term's value. */
  typeOf(t: Term, env: TypeEnv): Type {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return scalarType(t) ?? ANY;
      case "var":
        return env.get(t.name) ?? ANY;
      case "ref":
        return this.refType(t.head, t.path, env);
      case "array":
        return { type: "array", static: t.items.map((i) => this.typeOf(i, env)) };
      case "set":
        return { type: "set", of: joinTypes(t.items.map((i) => this.typeOf(i, env))) };
      case "object":
        return this.objectType(t.entries, env);
      case "arraycompr":
        return { type: "array", dynamic: ANY };
      case "setcompr":
        return { type: "set", of: ANY };
      case "objectcompr":
        return { type: "object", dynamic: { key: ANY, value: ANY } };
      case "call":
        return this.callTypes.get(t) ?? ANY;
    }
  }

  /** Objects with string literal keys have static properties; others are `object[any: any]`. */
  private objectType(entries: readonly (readonly [Term, Term])[], env: TypeEnv): Type {
    const props = new Map<string, Type>();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const k = entry[0];
      const v = entry[1];
      if (k.type !== "string") return { type: "object", dynamic: { key: ANY, value: ANY } };
      // A repeated key is one property of the value.
      props.delete(k.value);
      props.set(k.value, this.typeOf(v, env));
    }
    return { type: "object", static: [...props].map(([key, value]) => ({ key, value })) };
  }

  /** A ref into a typed local value (`xs[0]`, `o.name`); anything else is `any`. */
  private refType(head: Term, path: readonly Term[], env: TypeEnv): Type {
    const walked = walkRef(head, path, env);
    return walked.missing === undefined ? walked.type : ANY;
  }

  /** OPA's `undefined ref` for a ref into a local value that cannot have that member. */
  private checkRef(t: Extract<Term, { type: "ref" }>, env: TypeEnv): void {
    const { missing } = walkRef(t.head, t.path, env);
    if (missing === undefined) return;
    this.out.push(
      diagnostic("rego_type_error", `undefined ref: ${refText(t.head, t.path)}`, t.head.loc),
    );
  }
}

interface WalkedRef {
  readonly type: Type;
  readonly missing?: number;
}

/** Most refs (into input, data or untyped vars) learn nothing: one shared answer for them. */
const UNTYPED_REF: WalkedRef = { type: ANY };

/**
 * Follows a ref from a local var of known type: the type reached, or `missing`, the index of
 * the first segment the value cannot have (a key absent from an object literal, an index past
 * a fixed array, any member of a scalar).
 */
function walkRef(head: Term, path: readonly Term[], env: TypeEnv): WalkedRef {
  let t: Type | undefined = head.type === "var" ? env.get(head.name) : undefined;
  if (t === undefined) return UNTYPED_REF;
  for (let i = 0; i < path.length; i++) {
    if (t.type === "any") return UNTYPED_REF;
    const next = selectSegment(t, path[i] as Term);
    if (next === undefined) return { type: ANY, missing: i };
    t = next;
  }
  return { type: t };
}

/** The type under one ref segment; undefined when no member of a `t` value can be there. */
function selectSegment(t: Type, seg: Term): Type | undefined {
  if (t.type === "any") return ANY;
  const keyType = scalarType(seg);
  if (keyType === undefined) return valuesOf(t);
  switch (t.type) {
    case "object":
      return selectKey(t, seg.type === "string" ? seg.value : undefined, keyType);
    case "array":
      return seg.type === "number" && Number.isInteger(seg.value) && seg.value >= 0
        ? selectIndex(t, seg.value)
        : undefined;
    case "set":
      return unifies(t.of, keyType) ? t.of : undefined;
    default:
      return undefined;
  }
}

/** `o.name`, `xs[0]`, `o["a-b"]` for messages. */
function refText(head: Term, path: readonly Term[]): string {
  const name = head.type === "var" ? head.name : "?";
  return (
    name +
    path
      .map((p) => {
        if (p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value)) return `.${p.value}`;
        if (p.type === "var") return `[${isWildcard(p.name) ? "_" : p.name}]`;
        if (p.type === "string") return `[${JSON.stringify(p.value)}]`;
        if (p.type === "number") return `[${p.raw}]`;
        return "[...]";
      })
      .join("")
  );
}

function scalarType(t: Term): Type | undefined {
  switch (t.type) {
    case "null":
      return NULL;
    case "boolean":
      return BOOLEAN;
    case "number":
      return NUMBER;
    case "string":
      return STRING;
    default:
      return undefined;
  }
}

/** The declaration of a builtin called by `operator`; undefined for user functions. */
function builtinDecl(operator: readonly string[]): FunctionDecl | undefined {
  if (operator[0] === "data") return undefined;
  return BUILTINS.get(operatorName(operator))?.decl;
}

/**
 * OPA's message, on one line: `have` lists every operand, the output included (`???` when it
 * is not bound yet; a nested call has one, since OPA binds its result to a new var); `want`
 * lists the declared argument types and the result type.
 */
function invalidArguments(
  c: CallTerm,
  decl: FunctionDecl,
  typeOf: (t: Term) => Type | undefined,
  topLevel: boolean,
): Diagnostic {
  const have = c.args.map((a) => {
    const t = typeOf(a);
    return t === undefined ? "???" : showType(t);
  });
  if (!topLevel) have.push("???");
  const want = [...decl.args, decl.result].map(showType);
  return diagnostic(
    "rego_type_error",
    `${c.operator.join(".")}: invalid argument(s): have (${have.join(", ")}), want (${want.join(", ")})`,
    c.loc,
  );
}
