// Random well-formed Rego v1 cases for differential fuzzing (scripts/fuzz-diff.ts).
//
// A case is one or two packages (`fz§` and, sometimes, `fz§.lib`) plus its own base data
// (mounted at `data.d§`) and input. `§` stands for the case number and is filled in when
// the case is rendered, so many cases can share one compiled Wasm module and one data
// document without clashing, and a shrunk case can be renamed to number 0.
//
// The generator keeps a typed scope of bound variables and only emits references to
// variables already bound, rules generated earlier (so no recursion) and paths that exist
// in the generated data or input, so nearly every program passes the checker and most
// expressions are defined. Nothing here decides what the programs mean: both engines do.
import type { JsonValue } from "./json.js";
import { rng } from "../support/random.js";
import { KEYWORDS } from "../../src/rego/parser.js";

/** The case-number placeholder in package names, data paths and imports. */
export const CASE_MARK = "§";

/** A type the generator aims for; `nums`/`strs` are arrays of numbers/strings. */
export type Ty = "num" | "str" | "bool" | "null" | "arr" | "nums" | "strs" | "set" | "obj" | "any";

/** One way a rule produces a value: its body (expressions) and head value. */
export interface Clause {
  /** Head value term; undefined for `p if ...` (the value true). */
  value?: string;
  body: string[];
}

export type DefinitionKind = "complete" | "default" | "set" | "object" | "function";

/** One Rego rule statement. Several definitions may share a name (multi-definition rules). */
export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** Partial set element or partial object key. */
  key?: string;
  /** Function parameters. */
  params?: string[];
  /** The rule body and head value, then one clause per `else`. */
  clauses: Clause[];
}

export interface GenPackage {
  /** Package path below `data`, containing CASE_MARK, e.g. `fz§.lib`. */
  path: string;
  imports: string[];
  definitions: Definition[];
}

export interface GenCase {
  packages: GenPackage[];
  /** Base data of this case, mounted at `data.d§`. */
  data: JsonValue;
  /** Input document (always an object: the SDK drops falsy inputs). */
  input: JsonValue;
}

// Keys that are written with brackets rather than as `.key` segments: the keywords, and the
// root documents (kept out of dotted paths for readability of reproducers).
const RESERVED: ReadonlySet<string> = new Set([...KEYWORDS, "data", "input"]);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const STRINGS = [
  "a",
  "b",
  "ab",
  "A,b",
  "x.y",
  "",
  " sp ",
  "é",
  "日本",
  "😀x",
  "10",
  "-2.5",
  "true",
];
const KEYS = ["a", "b", "c", "xs", "ss", "m", "n", "s", "é", "k-1", "in", "0"];
const FLOATS = [0.5, 2.5, -1.25, 0.1, 1e3];
const SEPARATORS = [",", ".", "", "b", "é"];
const FORMATS = ["%v", "%d", "%s", "%v-%v", "%s:%d", "%v%%"];
/** Builtins taking any one value and returning a boolean. */
const IS_BUILTINS = [
  "is_number",
  "is_string",
  "is_boolean",
  "is_array",
  "is_set",
  "is_object",
  "is_null",
];
const STRING_PREDICATES = ["contains", "startswith", "endswith"];
const STRING_MAPS = ["lower", "upper", "trim_space", "strings.reverse", "base64.encode"];
const STRING_CUTS = ["trim", "trim_left", "trim_right", "trim_prefix", "trim_suffix"];
const NUMBER_MAPS = ["abs", "round", "ceil", "floor"];
const COMPARISONS = ["==", "!=", "<", "<=", ">", ">="];
const ARITHMETIC = ["+", "-", "*", "/", "%"];
const SET_OPS = ["|", "&", "-"];

interface ScopeVar {
  name: string;
  ty: Ty;
}

/** A rule or function callable from later rules, with the type of its value. */
interface Callable {
  /** How to refer to it from the package being generated (`p1`, `lib.q0`, `data.fz§.lib.q0`). */
  ref: string;
  ty: Ty;
  kind: DefinitionKind | "boolean";
  params?: Ty[];
}

/** A path into input or data whose value the generator knows. */
interface KnownPath {
  text: string;
  value: JsonValue;
}

/** Element type of a collection type, as far as the generator knows it. */
function elementType(ty: Ty): Ty {
  if (ty === "nums") return "num";
  if (ty === "strs") return "str";
  return "any";
}

/** The generator's type of a JSON value. */
export function jsonType(v: JsonValue): Ty {
  if (v === null) return "null";
  if (typeof v === "number") return "num";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === "number")) return "nums";
    if (v.length > 0 && v.every((x) => typeof x === "string")) return "strs";
    return "arr";
  }
  return "obj";
}

/** Whether a term of type `have` can stand where `want` is asked for. */
function fits(have: Ty, want: Ty): boolean {
  if (have === want || want === "any") return true;
  return want === "arr" && (have === "nums" || have === "strs");
}

/** A Rego ref step for an object key or array index. */
export function refStep(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  return IDENT.test(key) && !RESERVED.has(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export class CaseGenerator {
  private readonly r: () => number;
  private fresh = 0;
  private paths: KnownPath[] = [];
  private callables: Callable[] = [];

  constructor(seed: number) {
    this.r = rng(seed);
  }

  // ---------------------------------------------------------------- random helpers

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }

  private freshVar(prefix = "x"): string {
    return `${prefix}${this.fresh++}`;
  }

  // ---------------------------------------------------------------- JSON documents

  private jsonOf(ty: Ty, depth: number): JsonValue {
    switch (ty) {
      case "num":
        return this.chance(0.8) ? this.int(-3, 10) : this.pick(FLOATS);
      case "str":
        return this.pick(STRINGS);
      case "bool":
        return this.chance(0.5);
      case "null":
        return null;
      case "nums":
        return Array.from({ length: this.int(1, 4) }, () => this.jsonOf("num", depth + 1));
      case "strs":
        return Array.from({ length: this.int(1, 4) }, () => this.jsonOf("str", depth + 1));
      case "arr":
        return Array.from({ length: this.int(0, 3) }, () => this.randomJson(depth + 1));
      case "obj":
      default: {
        const o: Record<string, JsonValue> = {};
        for (let i = this.int(0, 3); i > 0; i--) o[this.pick(KEYS)] = this.randomJson(depth + 1);
        return o;
      }
    }
  }

  private randomJson(depth: number): JsonValue {
    const leaves: Ty[] = ["num", "num", "str", "str", "bool", "null"];
    const all: Ty[] = [...leaves, "nums", "strs", "arr", "obj"];
    return this.jsonOf(this.pick(depth >= 3 ? leaves : all), depth);
  }

  /** A top-level document with a few fields of useful shapes plus random extras. */
  private document(): Record<string, JsonValue> {
    const doc: Record<string, JsonValue> = {
      xs: this.jsonOf("nums", 1),
      ss: this.jsonOf("strs", 1),
      n: this.jsonOf("num", 1),
      s: this.jsonOf("str", 1),
    };
    if (this.chance(0.7)) doc.m = this.jsonOf("obj", 1);
    for (let i = this.int(0, 3); i > 0; i--) doc[this.pick(KEYS)] = this.randomJson(1);
    return doc;
  }

  private collectPaths(text: string, value: JsonValue, depth: number): void {
    this.paths.push({ text, value });
    if (depth >= 3 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.collectPaths(text + refStep(i), v, depth + 1));
    } else {
      for (const [k, v] of Object.entries(value)) {
        this.collectPaths(text + refStep(k), v, depth + 1);
      }
    }
  }

  // ---------------------------------------------------------------- cases

  generate(): GenCase {
    this.fresh = 0;
    this.callables = [];
    const data = this.document();
    const input = this.document();
    this.paths = [];
    this.collectPaths("input", input, 0);
    this.collectPaths(`data.d${CASE_MARK}`, data, 0);
    this.paths = this.paths.filter((p) => p.text !== "input" && p.text !== `data.d${CASE_MARK}`);

    const packages: GenPackage[] = [];
    if (this.chance(0.3)) {
      const lib = this.packageBody(`fz${CASE_MARK}.lib`, "q", this.int(1, 3), []);
      packages.push(lib);
      // The main package sees lib's rules through an import or a full data ref.
      const viaImport = this.chance(0.5);
      this.callables = this.callables.map((c) => ({
        ...c,
        ref: viaImport ? `lib.${c.ref}` : `data.fz${CASE_MARK}.lib.${c.ref}`,
      }));
      const imports = viaImport ? [`data.fz${CASE_MARK}.lib`] : [];
      packages.push(this.packageBody(`fz${CASE_MARK}`, "p", this.int(2, 6), imports));
      packages.reverse();
    } else {
      packages.push(this.packageBody(`fz${CASE_MARK}`, "p", this.int(2, 7), []));
    }
    return { packages, data, input };
  }

  private packageBody(
    path: string,
    prefix: string,
    ruleCount: number,
    imports: string[],
  ): GenPackage {
    const definitions: Definition[] = [];
    for (let i = 0; i < ruleCount; i++) {
      definitions.push(...this.rule(`${prefix}${i}`));
    }
    return { path, imports, definitions };
  }

  /** One rule name's definitions; registers it as callable by later rules. */
  private rule(name: string): Definition[] {
    const roll = this.r();
    if (roll < 0.35) return this.completeRule(name);
    if (roll < 0.55) return this.partialSet(name);
    if (roll < 0.72) return this.partialObject(name);
    if (roll < 0.85) return this.booleanRule(name);
    return this.functionRule(name.replace(/^[pq]/, "f"));
  }

  private completeRule(name: string): Definition[] {
    const ty = this.pick<Ty>(["num", "str", "nums", "obj", "set", "any", "bool"]);
    const defs: Definition[] = [];
    const definitions = this.chance(0.15) ? 2 : 1;
    for (let i = 0; i < definitions; i++) {
      const clauses = [this.clause([], ty)];
      for (let e = this.chance(0.25) ? this.int(1, 2) : 0; e > 0; e--) {
        clauses.push(this.clause([], ty, e === 1 && this.chance(0.4)));
      }
      defs.push({ kind: "complete", name, clauses });
    }
    if (this.chance(0.3)) {
      defs.push({ kind: "default", name, clauses: [{ value: this.literal(ty, 1), body: [] }] });
    }
    this.callables.push({ ref: name, ty, kind: "complete" });
    return defs;
  }

  private booleanRule(name: string): Definition[] {
    const defs: Definition[] = [];
    for (let i = this.chance(0.3) ? 2 : 1; i > 0; i--) {
      const { body } = this.clause([], "bool");
      defs.push({ kind: "complete", name, clauses: [{ body: body.length > 0 ? body : ["true"] }] });
    }
    if (this.chance(0.3)) {
      defs.push({ kind: "default", name, clauses: [{ value: "false", body: [] }] });
    }
    this.callables.push({ ref: name, ty: "bool", kind: "boolean" });
    return defs;
  }

  private partialSet(name: string): Definition[] {
    const defs: Definition[] = [];
    for (let i = this.chance(0.3) ? 2 : 1; i > 0; i--) {
      const scope: ScopeVar[] = [];
      const body = this.body(scope, this.int(1, 4), 0);
      const key = this.term(this.pick<Ty>(["num", "str", "any"]), scope, 1);
      defs.push({ kind: "set", name, key, clauses: [{ body }] });
    }
    this.callables.push({ ref: name, ty: "set", kind: "set" });
    return defs;
  }

  private partialObject(name: string): Definition[] {
    const defs: Definition[] = [];
    for (let i = this.chance(0.3) ? 2 : 1; i > 0; i--) {
      const scope: ScopeVar[] = [];
      const body = this.body(scope, this.int(1, 4), 0);
      const key = this.objectKey(scope);
      const value = this.term(this.pick<Ty>(["num", "str", "any"]), scope, 1);
      defs.push({ kind: "object", name, key, clauses: [{ value, body }] });
    }
    this.callables.push({ ref: name, ty: "obj", kind: "object" });
    return defs;
  }

  /**
   * A partial object key that is not a constant: `p["a"] := 1` is a rule at path `p.a`,
   * which cannot coexist with `p[k] := v` here (docs/decisions.md D7).
   */
  private objectKey(scope: readonly ScopeVar[]): string {
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = this.term(this.pick<Ty>(["str", "str", "num"]), scope, 2);
      if (!/^(\(?-?[0-9.e]+\)?|"[^"]*")$/.test(key)) return key;
    }
    return `sprintf("%v", [${this.literal("str", 2)}])`;
  }

  private functionRule(name: string): Definition[] {
    const paramTypes = Array.from({ length: this.int(1, 2) }, () =>
      this.pick<Ty>(["num", "str", "nums", "any"]),
    );
    const ty = this.pick<Ty>(["num", "str", "bool", "any"]);
    const defs: Definition[] = [];
    for (let i = this.int(1, 3); i > 0; i--) {
      const params = paramTypes.map(() => this.freshVar("a"));
      const scope = params.map((p, j): ScopeVar => ({ name: p, ty: paramTypes[j] ?? "any" }));
      const clauses = [this.clause(scope, ty)];
      if (this.chance(0.2)) clauses.push(this.clause([...scope], ty, this.chance(0.5)));
      defs.push({ kind: "function", name, params, clauses });
    }
    this.callables.push({ ref: name, ty, kind: "function", params: paramTypes });
    return defs;
  }

  /** A body and a head value of type `ty` computed from what the body binds. */
  private clause(scope: ScopeVar[], ty: Ty, emptyBody = false): Clause {
    const local = [...scope];
    const body = emptyBody ? [] : this.body(local, this.int(0, 4), 0);
    return { value: this.term(ty, local, 1), body };
  }

  // ---------------------------------------------------------------- bodies

  /** `n` expressions in a safe order; binds new variables into `scope`. */
  private body(scope: ScopeVar[], n: number, depth: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.statement(scope, depth));
    return out;
  }

  private statement(scope: ScopeVar[], depth: number): string {
    const roll = this.r();
    if (roll < 0.28) return this.assignment(scope, depth);
    if (roll < 0.42) return this.someIn(scope, depth);
    if (roll < 0.52) return this.refIteration(scope);
    if (roll < 0.64) return this.comparison(scope, depth);
    if (roll < 0.7)
      return `${this.term("any", scope, depth + 1)} in ${this.term(this.collectionType(), scope, depth + 1)}`;
    if (roll < 0.76) return this.term("bool", scope, depth + 1);
    if (roll < 0.83) return `not ${this.negatable(scope, depth)}`;
    if (roll < 0.89 && depth < 2) return this.every(scope, depth);
    if (roll < 0.93) return this.unification(scope, depth);
    if (roll < 0.96) return this.walk(scope, depth);
    return this.withStatement(scope, depth);
  }

  private collectionType(): Ty {
    return this.pick<Ty>(["nums", "strs", "arr", "set", "obj"]);
  }

  private assignment(scope: ScopeVar[], depth: number): string {
    const ty = this.pick<Ty>([
      "num",
      "num",
      "str",
      "str",
      "bool",
      "nums",
      "strs",
      "set",
      "obj",
      "any",
    ]);
    const value = this.term(ty, scope, depth + 1);
    const name = this.freshVar();
    scope.push({ name, ty });
    return `${name} := ${value}`;
  }

  private someIn(scope: ScopeVar[], depth: number): string {
    const collTy = this.collectionType();
    const coll = this.term(collTy, scope, depth + 1);
    const v = this.freshVar();
    if (this.chance(0.4)) {
      const k = this.freshVar("k");
      scope.push({ name: k, ty: collTy === "obj" ? "any" : collTy === "set" ? "any" : "num" });
      scope.push({ name: v, ty: elementType(collTy) });
      return `some ${k}, ${v} in ${coll}`;
    }
    scope.push({ name: v, ty: elementType(collTy) });
    return `some ${v} in ${coll}`;
  }

  /** `x := input.m[k]`, `x := p[k]`: a ref with a fresh variable in key position. */
  private refIteration(scope: ScopeVar[]): string {
    const colls = this.paths.filter((p) => p.value !== null && typeof p.value === "object");
    const objectRules = this.callables.filter((c) => c.kind === "object" || c.kind === "set");
    const useRule = objectRules.length > 0 && (colls.length === 0 || this.chance(0.3));
    const k = this.freshVar("k");
    const v = this.freshVar();
    if (useRule) {
      const rule = this.pick(objectRules);
      scope.push({ name: k, ty: "any" });
      if (rule.kind === "set") return `${rule.ref}[${k}]`;
      scope.push({ name: v, ty: "any" });
      return `${v} := ${rule.ref}[${k}]`;
    }
    if (colls.length === 0) return "true";
    const path = this.pick(colls);
    const ty = jsonType(path.value);
    scope.push({ name: k, ty: Array.isArray(path.value) ? "num" : "str" });
    scope.push({ name: v, ty: elementType(ty) });
    return `${v} := ${path.text}[${k}]`;
  }

  private comparison(scope: ScopeVar[], depth: number): string {
    const ty = this.pick<Ty>(["num", "num", "str", "any"]);
    const op = this.pick(COMPARISONS);
    return `${this.term(ty, scope, depth + 1)} ${op} ${this.term(ty, scope, depth + 1)}`;
  }

  /** An expression to negate: no new bindings, only bound variables. */
  private negatable(scope: ScopeVar[], depth: number): string {
    const booleans = this.callables.filter((c) => c.kind === "boolean");
    const roll = this.r();
    if (roll < 0.25 && booleans.length > 0) return this.pick(booleans).ref;
    if (roll < 0.5) return this.comparison(scope, depth);
    if (roll < 0.7) {
      return `${this.term("any", scope, depth + 1)} in ${this.term(this.collectionType(), scope, depth + 1)}`;
    }
    return this.term("bool", scope, depth + 1);
  }

  private every(scope: ScopeVar[], depth: number): string {
    const collTy = this.collectionType();
    const coll = this.term(collTy, scope, depth + 1);
    const inner = [...scope];
    const v = this.freshVar();
    let domain: string;
    if (this.chance(0.3)) {
      const k = this.freshVar("k");
      inner.push({ name: k, ty: "any" });
      domain = `${k}, ${v}`;
    } else {
      domain = v;
    }
    inner.push({ name: v, ty: elementType(collTy) });
    const body = this.body(inner, this.int(1, 3), depth + 1);
    return `every ${domain} in ${coll} { ${body.join("; ")} }`;
  }

  private unification(scope: ScopeVar[], depth: number): string {
    if (this.chance(0.5)) {
      const ty = this.pick<Ty>(["num", "str", "any"]);
      const x = this.freshVar();
      const value = this.term(ty, scope, depth + 1);
      scope.push({ name: x, ty });
      return `${x} = ${value}`;
    }
    const a = this.freshVar();
    const b = this.freshVar();
    // A literal array of another length is a static error, so only non-literal documents or
    // a pair of terms stand on the right.
    const arrays = this.paths.filter((p) => Array.isArray(p.value)).map((p) => p.text);
    const named = [...arrays, ...scope.filter((v) => fits(v.ty, "arr")).map((v) => v.name)];
    const value =
      named.length > 0 && this.chance(0.6)
        ? this.pick(named)
        : `[${this.term("any", scope, depth + 1)}, ${this.term("any", scope, depth + 1)}]`;
    scope.push({ name: a, ty: "any" }, { name: b, ty: "any" });
    return `[${a}, ${b}] = ${value}`;
  }

  private walk(scope: ScopeVar[], depth: number): string {
    const p = this.freshVar("w");
    const v = this.freshVar();
    const subject = this.term(this.pick<Ty>(["obj", "arr", "any"]), scope, depth + 2);
    scope.push({ name: p, ty: "arr" }, { name: v, ty: "any" });
    return `walk(${subject}, [${p}, ${v}])`;
  }

  /** A rule's value with input or data partly replaced. */
  private withStatement(scope: ScopeVar[], depth: number): string {
    const rules = this.callables.filter((c) => c.kind !== "function" && !c.ref.includes("."));
    if (rules.length === 0) return this.assignment(scope, depth);
    const rule = this.pick(rules);
    const target = this.chance(0.5)
      ? `input${refStep(this.pick(["xs", "ss", "n", "s", "m"]))}`
      : `data.d${CASE_MARK}${refStep(this.pick(["xs", "ss", "n", "s"]))}`;
    const x = this.freshVar();
    scope.push({ name: x, ty: rule.ty });
    return `${x} := ${rule.ref} with ${target} as ${this.literal(this.pick<Ty>(["nums", "strs", "num", "str"]), 1)}`;
  }

  // ---------------------------------------------------------------- terms

  /** A term of type `ty` (or of unknown type where `ty` is `any`). */
  term(ty: Ty, scope: readonly ScopeVar[], depth: number): string {
    const vars = scope.filter((v) => fits(v.ty, ty) || (v.ty === "any" && this.chance(0.15)));
    const paths = this.paths.filter((p) => fits(jsonType(p.value), ty));
    const rules = this.callables.filter((c) => fits(c.ty, ty));
    const roll = this.r();
    if (roll < 0.3 && vars.length > 0) return this.pick(vars).name;
    if (roll < 0.45 && paths.length > 0) return this.pick(paths).text;
    if (roll < 0.55 && rules.length > 0 && depth < 4)
      return this.callRule(this.pick(rules), scope, depth);
    if (roll < 0.7 || depth >= 3) return this.literal(ty, depth);
    return this.composite(ty, scope, depth);
  }

  private callRule(rule: Callable, scope: readonly ScopeVar[], depth: number): string {
    if (rule.kind !== "function") return rule.ref;
    const args = (rule.params ?? []).map((t) => this.term(t, scope, depth + 1));
    return `${rule.ref}(${args.join(", ")})`;
  }

  literal(ty: Ty, depth: number): string {
    switch (ty) {
      case "num": {
        const n = this.jsonOf("num", depth) as number;
        return n < 0 ? `(${n})` : String(n);
      }
      case "str":
        return JSON.stringify(this.pick(STRINGS));
      case "bool":
        return this.chance(0.5) ? "true" : "false";
      case "null":
        return "null";
      case "nums":
      case "strs":
        return `[${Array.from({ length: this.int(0, 3) }, () => this.literal(elementType(ty), depth + 1)).join(", ")}]`;
      case "arr":
        return `[${Array.from({ length: this.int(0, 3) }, () => this.literal(this.scalarType(), depth + 1)).join(", ")}]`;
      case "set": {
        const n = this.int(0, 3);
        if (n === 0) return "set()";
        return `{${Array.from({ length: n }, () => this.literal(this.scalarType(), depth + 1)).join(", ")}}`;
      }
      case "obj": {
        const entries = Array.from({ length: this.int(0, 3) }, () => {
          const key = this.chance(0.85) ? JSON.stringify(this.pick(KEYS)) : String(this.int(0, 3));
          return `${key}: ${this.literal(this.scalarType(), depth + 1)}`;
        });
        return `{${entries.join(", ")}}`;
      }
      case "any":
      default:
        return this.literal(
          this.pick<Ty>(
            depth > 2
              ? ["num", "str", "bool", "null"]
              : ["num", "str", "bool", "null", "nums", "set", "obj"],
          ),
          depth,
        );
    }
  }

  private scalarType(): Ty {
    return this.pick<Ty>(["num", "num", "str", "str", "bool", "null"]);
  }

  private composite(ty: Ty, scope: readonly ScopeVar[], depth: number): string {
    const t = (want: Ty): string => this.term(want, scope, depth + 1);
    switch (ty) {
      case "num":
        return this.pick<() => string>([
          () => `(${t("num")} ${this.pick(ARITHMETIC)} ${t("num")})`,
          () => `count(${t(this.pick<Ty>(["nums", "strs", "set", "obj", "str"]))})`,
          () => `${this.pick(["sum", "product", "max", "min"])}(${t("nums")})`,
          () => `${this.pick(NUMBER_MAPS)}(${t("num")})`,
          () => `to_number(${t(this.pick<Ty>(["num", "str", "bool", "null"]))})`,
          () => `indexof(${t("str")}, ${t("str")})`,
        ])();
      case "str":
        return this.pick<() => string>([
          () => `concat(${JSON.stringify(this.pick(SEPARATORS))}, ${t("strs")})`,
          () => `${this.pick(STRING_MAPS)}(${t("str")})`,
          () => `${this.pick(STRING_CUTS)}(${t("str")}, ${t("str")})`,
          () => `replace(${t("str")}, ${t("str")}, ${t("str")})`,
          () => `substring(${t("str")}, ${t("num")}, ${t("num")})`,
          () => this.sprintf(scope, depth),
          () => `format_int(${t("num")}, ${this.pick([2, 8, 10, 16])})`,
          () => `json.marshal(${t("any")})`,
          () => `type_name(${t("any")})`,
        ])();
      case "bool":
        return this.pick<() => string>([
          () => `${this.pick(STRING_PREDICATES)}(${t("str")}, ${t("str")})`,
          () => `${this.pick(IS_BUILTINS)}(${t("any")})`,
          () => `(${t("any")} in ${t(this.collectionType())})`,
        ])();
      case "nums":
        return this.pick<() => string>([
          () => `numbers.range(${this.int(-2, 3)}, ${this.int(-2, 4)})`,
          () => `sort(${t("nums")})`,
          () => `array.concat(${t("nums")}, ${t("nums")})`,
          () => this.arrayComprehension("num", scope, depth),
        ])();
      case "strs":
        return this.pick<() => string>([
          () => `split(${t("str")}, ${JSON.stringify(this.pick(SEPARATORS))})`,
          () => `sort(${t("strs")})`,
          () => this.arrayComprehension("str", scope, depth),
        ])();
      case "arr":
        return this.pick<() => string>([
          () => `sort(${t(this.pick<Ty>(["nums", "strs", "set"]))})`,
          () => `array.slice(${t("arr")}, ${t("num")}, ${t("num")})`,
          () => `array.reverse(${t("arr")})`,
          () => `[${t("any")}, ${t("any")}]`,
          () => this.arrayComprehension("any", scope, depth),
        ])();
      case "set":
        return this.pick<() => string>([
          () => `object.keys(${t("obj")})`,
          () => `(${t("set")} ${this.pick(SET_OPS)} ${t("set")})`,
          () => `${this.pick(["union", "intersection"])}({${t("set")}, ${t("set")}})`,
          () => this.setComprehension(scope, depth),
          () => `{${t("any")}}`,
        ])();
      case "obj":
        return this.pick<() => string>([
          () => `object.union(${t("obj")}, ${t("obj")})`,
          () => `object.remove(${t("obj")}, ${t(this.pick<Ty>(["strs", "set"]))})`,
          () => `object.filter(${t("obj")}, ${t(this.pick<Ty>(["strs", "set"]))})`,
          () => `json.unmarshal(json.marshal(${t("obj")}))`,
          () => this.objectComprehension(scope, depth),
          () => `{${t("str")}: ${t("any")}}`,
        ])();
      default:
        return this.pick<() => string>([
          () => `object.get(${t("obj")}, ${t(this.pick<Ty>(["str", "strs"]))}, ${t("any")})`,
          () => `${this.pick(["max", "min"])}(${t(this.pick<Ty>(["nums", "strs", "arr", "set"]))})`,
          () => t(this.pick<Ty>(["num", "str", "bool", "nums", "set", "obj"])),
        ])();
    }
  }

  private sprintf(scope: readonly ScopeVar[], depth: number): string {
    const format = this.pick(FORMATS);
    const slots = format.replaceAll("%%", "").split("%").length - 1;
    const args = Array.from({ length: slots }, () =>
      this.term(this.pick<Ty>(["num", "str", "any"]), scope, depth + 1),
    );
    return `sprintf(${JSON.stringify(format)}, [${args.join(", ")}])`;
  }

  /** The body of a comprehension: iterate a collection, maybe filter. */
  private comprehensionBody(
    scope: readonly ScopeVar[],
    depth: number,
  ): { inner: ScopeVar[]; body: string[] } {
    const inner = [...scope];
    const body = [this.someIn(inner, depth + 1)];
    for (let i = this.int(0, 2); i > 0; i--) body.push(this.statement(inner, depth + 1));
    return { inner, body };
  }

  private arrayComprehension(elem: Ty, scope: readonly ScopeVar[], depth: number): string {
    const { inner, body } = this.comprehensionBody(scope, depth);
    return `[${this.term(elem, inner, depth + 1)} | ${body.join("; ")}]`;
  }

  private setComprehension(scope: readonly ScopeVar[], depth: number): string {
    const { inner, body } = this.comprehensionBody(scope, depth);
    return `{${this.term(this.pick<Ty>(["num", "str", "any"]), inner, depth + 1)} | ${body.join("; ")}}`;
  }

  private objectComprehension(scope: readonly ScopeVar[], depth: number): string {
    const { inner, body } = this.comprehensionBody(scope, depth);
    const key = this.term(this.pick<Ty>(["str", "num"]), inner, depth + 1);
    return `{${key}: ${this.term("any", inner, depth + 1)} | ${body.join("; ")}}`;
  }
}

// ------------------------------------------------------------------ rendering

/** Replaces the case-number placeholder. */
export function mark(text: string, index: number | string): string {
  return text.replaceAll(CASE_MARK, String(index));
}

function renderBody(body: readonly string[]): string {
  if (body.length === 0) return "";
  return ` if { ${body.join("; ")} }`;
}

/** One definition as Rego source (one line per definition, `else` chained on it). */
export function renderDefinition(d: Definition): string {
  const [first, ...elses] = d.clauses;
  if (first === undefined) throw new Error(`definition ${d.name} has no clause`);
  const value = (c: Clause): string => (c.value === undefined ? "" : ` := ${c.value}`);
  let head: string;
  switch (d.kind) {
    case "default":
      return `default ${d.name}${value(first)}`;
    case "set":
      head = `${d.name} contains ${d.key ?? "true"}`;
      break;
    case "object":
      head = `${d.name}[${d.key ?? '"k"'}]${value(first)}`;
      break;
    case "function":
      head = `${d.name}(${(d.params ?? []).join(", ")})${value(first)}`;
      break;
    default:
      head = `${d.name}${value(first)}`;
  }
  // A rule with an `else` needs a body on every clause but the last.
  const bodyOf = (c: Clause, last: boolean): string =>
    c.body.length === 0 && !last ? " if { true }" : renderBody(c.body);
  let text = head + bodyOf(first, elses.length === 0);
  elses.forEach((c, i) => {
    text += ` else${value(c)}${bodyOf(c, i === elses.length - 1)}`;
  });
  return text;
}

/** A package as Rego source, with the case number filled in. */
export function renderPackage(p: GenPackage, index: number | string): string {
  const lines = [`package ${p.path}`, ""];
  for (const imp of p.imports) lines.push(`import ${imp}`);
  if (p.imports.length > 0) lines.push("");
  for (const d of p.definitions) lines.push(renderDefinition(d));
  return mark(lines.join("\n") + "\n", index);
}

/** Rule names of a package that are documents (functions are not entrypoints). */
export function documentRules(p: GenPackage): string[] {
  const names = p.definitions.filter((d) => d.kind !== "function").map((d) => d.name);
  return [...new Set(names)];
}

/** Entrypoints of a case (slash paths): every document rule, and the main package. */
export function caseEntrypoints(c: GenCase, index: number | string): string[] {
  const eps: string[] = [];
  for (const p of c.packages) {
    const base = mark(p.path, index).split(".").join("/");
    for (const name of documentRules(p)) eps.push(`${base}/${name}`);
  }
  const main = c.packages[0];
  if (main !== undefined) eps.push(mark(main.path, index).split(".").join("/"));
  return eps;
}
