// How builtins are declared: OPA type declarations (which the capabilities file and the
// type checker read) and a wrapper that checks operand types at run time against the
// same declaration, so every builtin reports wrong types with one OPA-like message.
import { RegoObject, RegoSet, typeName, type TypeName, type Value } from "../value/value.js";
import {
  BuiltinError,
  type Builtin,
  type BuiltinContext,
  type FunctionDecl,
  type TypeDecl,
} from "./registry.js";

/** Constructors for OPA's type JSON. */
export const T = {
  any: { type: "any" } as TypeDecl,
  null: { type: "null" } as TypeDecl,
  boolean: { type: "boolean" } as TypeDecl,
  number: { type: "number" } as TypeDecl,
  string: { type: "string" } as TypeDecl,
  anyOf: (...of: TypeDecl[]): TypeDecl => ({ type: "any", of }),
  array: (of: TypeDecl = { type: "any" }): TypeDecl => ({ type: "array", dynamic: of }),
  tuple: (...items: TypeDecl[]): TypeDecl => ({ type: "array", static: items }),
  set: (of: TypeDecl = { type: "any" }): TypeDecl => ({ type: "set", of }),
  object: (key: TypeDecl = { type: "any" }, value: TypeDecl = { type: "any" }): TypeDecl => ({
    type: "object",
    dynamic: { key, value },
  }),
};

/** Derived shorthands used by many declarations. */
export const TT = {
  collection: T.anyOf(T.array(), T.object(), T.set()),
  arrayOrSet: (of: TypeDecl = T.any): TypeDecl => T.anyOf(T.array(of), T.set(of)),
};

export interface BuiltinSpec {
  name: string;
  args: TypeDecl[];
  result: TypeDecl;
  impl: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  relation?: boolean;
  nondeterministic?: boolean;
  infix?: string;
  /** Skip the operand type check: the builtin answers for any value (e.g. `json.is_valid`). */
  anyOperands?: boolean;
}

/** Builds a registry entry whose impl checks arity and top-level operand types first. */
export function defineBuiltin(spec: BuiltinSpec): Builtin {
  const allowed = spec.args.map((t) => (spec.anyOperands ? undefined : topLevelTypes(t)));
  const decl: FunctionDecl = { args: spec.args, result: spec.result };
  const impl = (args: Value[], ctx: BuiltinContext): Value | undefined => {
    if (args.length !== allowed.length) {
      throw new BuiltinError(
        `${spec.name}: expected ${allowed.length} arguments but got ${args.length}`,
      );
    }
    for (let i = 0; i < allowed.length; i++) checkOperand(spec.name, i + 1, allowed[i], args[i]!);
    return spec.impl(args, ctx);
  };
  const b: Builtin = { name: spec.name, arity: spec.args.length, impl, decl };
  if (spec.relation) b.relation = true;
  if (spec.nondeterministic) b.nondeterministic = true;
  if (spec.infix !== undefined) b.infix = spec.infix;
  return b;
}

/** The set of value types a declaration accepts at the top level; undefined means any. */
function topLevelTypes(t: TypeDecl): ReadonlySet<TypeName> | undefined {
  if (t.type !== "any") return new Set([t.type]);
  if (t.of === undefined || t.of.length === 0) return undefined;
  const out = new Set<TypeName>();
  for (const inner of t.of) {
    const s = topLevelTypes(inner);
    if (s === undefined) return undefined;
    for (const x of s) out.add(x);
  }
  return out;
}

function checkOperand(
  name: string,
  pos: number,
  allowed: ReadonlySet<TypeName> | undefined,
  v: Value,
): void {
  if (allowed === undefined) return;
  const got = typeName(v);
  if (allowed.has(got)) return;
  throw operandError(name, pos, [...allowed], got);
}

export function operandError(
  name: string,
  pos: number,
  expected: readonly string[],
  got: string,
): BuiltinError {
  const want = expected.length === 1 ? expected[0]! : `one of {${[...expected].sort().join(", ")}}`;
  return new BuiltinError(`${name}: operand ${pos} must be ${want} but got ${got}`);
}

/** A BuiltinError prefixed with the builtin's name, as OPA reports builtin failures. */
export function fail(name: string, message: string): BuiltinError {
  return new BuiltinError(`${name}: ${message}`);
}

/** An operand that must be an integral number (indices, counts, bases). */
export function intOperand(name: string, pos: number, v: Value): number {
  if (typeof v !== "number") throw operandError(name, pos, ["number"], typeName(v));
  if (!Number.isInteger(v)) {
    throw fail(name, `operand ${pos} must be integer number but got floating-point number`);
  }
  return v;
}

/** Checks that every element of a collection operand is a string, returning them. */
export function stringElements(name: string, pos: number, v: Value): string[] {
  const items = elementsOf(v);
  for (const x of items) {
    if (typeof x !== "string") {
      throw fail(name, `operand ${pos} must be a collection of strings but got ${typeName(x)}`);
    }
  }
  return items as string[];
}

/** Elements of an array or set (in OPA's order for sets); values of an object. */
export function elementsOf(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RegoSet) return [...v.values()];
  if (v instanceof RegoObject) return v.entries().map((e) => e[1]);
  return [];
}

/**
 * A value as Rego source text, as OPA prints values in `sprintf("%v")` and messages:
 * `{"a": 1}`, `{1, 2}`, `set()`, `[1, "x"]`.
 */
export function regoString(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(regoString).join(", ") + "]";
  if (v instanceof RegoSet) {
    return v.size === 0 ? "set()" : "{" + v.values().map(regoString).join(", ") + "}";
  }
  return (
    "{" +
    v
      .entries()
      .map(([k, x]) => `${regoString(k)}: ${regoString(x)}`)
      .join(", ") +
    "}"
  );
}

/**
 * Numbers print as JavaScript prints them (shortest round-trip digits; integral doubles
 * without a fraction), exactly as the Wasm runtime does (docs/decisions.md D3, D15).
 */
export function formatNumber(n: number): string {
  return String(n);
}

/**
 * The integer a (integral) double stands for: the shortest decimal that reads back as the
 * same double, so 1580428800000000000 stays that rather than the binary value below it.
 */
export function integralBigInt(n: number): bigint {
  return Math.abs(n) < 1e21 ? BigInt(String(n === 0 ? 0 : n)) : BigInt(n);
}
