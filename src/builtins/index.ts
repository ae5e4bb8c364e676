// The builtin library's public face: every builtin by OPA name, and the JSON bridge the
// host uses to serve `opa_builtinN` imports for builtins the Wasm runtime lacks.
import { fromJSON, RegoObject, RegoSet, toJSON, type Value } from "../value/value.js";
import { aggregateBuiltins } from "./aggregates.js";
import { arithmeticBuiltins } from "./arithmetic.js";
import { arrayBuiltins } from "./arrays.js";
import { comparisonBuiltins } from "./comparison.js";
import { cryptoBuiltins } from "./crypto.js";
import { encodingBuiltins } from "./encoding.js";
import { globBuiltins } from "./glob.js";
import { graphBuiltins } from "./graph.js";
import { jsonPatchBuiltins } from "./json_patch.js";
import { jsonSchemaBuiltins } from "./json_schema.js";
import { jwtBuiltins } from "./jwt.js";
import { membershipBuiltins } from "./membership.js";
import { netBuiltins } from "./net.js";
import { objectBuiltins } from "./objects.js";
import { regexBuiltins } from "./regex.js";
import { BuiltinError, type Builtin, type BuiltinContext, type TypeDecl } from "./registry.js";
import { semverBuiltins } from "./semver.js";
import { setBuiltins } from "./sets.js";
import { stringBuiltins } from "./strings.js";
import { timeBuiltins } from "./time.js";
import { typeBuiltins } from "./types.js";
import { unitBuiltins } from "./units.js";
import { uuidBuiltins } from "./uuid.js";

export { BuiltinError, type Builtin, type BuiltinContext } from "./registry.js";
export type { FunctionDecl, TypeDecl } from "./registry.js";
export { regoString } from "./define.js";

const ALL: readonly Builtin[] = [
  comparisonBuiltins,
  arithmeticBuiltins,
  aggregateBuiltins,
  typeBuiltins,
  arrayBuiltins,
  setBuiltins,
  objectBuiltins,
  stringBuiltins,
  encodingBuiltins,
  membershipBuiltins,
  graphBuiltins,
  regexBuiltins,
  globBuiltins,
  timeBuiltins,
  netBuiltins,
  unitBuiltins,
  semverBuiltins,
  uuidBuiltins,
  cryptoBuiltins,
  jwtBuiltins,
  jsonSchemaBuiltins,
  jsonPatchBuiltins,
  [
    {
      name: "trace",
      arity: 1,
      decl: { args: [{ type: "string" }], result: { type: "boolean" } },
      // The evaluator records the note in its trace; as a function it always succeeds.
      impl: ([note]) => {
        if (typeof note !== "string") throw new BuiltinError("trace: operand 1 must be string");
        return true;
      },
    } satisfies Builtin,
  ],
].flat();

/** Every builtin by OPA name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(ALL.map((b) => [b.name, b]));

export function getBuiltin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

/**
 * Calls a builtin on Rego values with OPA's error policy: an error is `undefined` unless
 * `ctx.strict`, when it is rethrown. Unknown builtins always throw.
 */
export function callBuiltin(name: string, args: Value[], ctx: BuiltinContext): Value | undefined {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`unsupported builtin: ${name}`);
  try {
    return b.impl(args, ctx);
  } catch (e) {
    if (e instanceof BuiltinError && !ctx.strict) return undefined;
    throw e;
  }
}

/**
 * The host's bridge for `opa_builtinN`: JSON arguments in, JSON result out. JSON has no
 * sets, so an array arriving where the declaration expects a set becomes one again
 * (recursively along the declaration); results serialise sets as sorted arrays.
 */
export function callBuiltinJSON(name: string, args: unknown[], ctx: BuiltinContext): unknown {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`unsupported builtin: ${name}`);
  const decls = b.decl?.args ?? [];
  const values = args.map((a, i) => {
    const v = fromJSON(a);
    const d = decls[i];
    return d === undefined ? v : coerceToDecl(v, d);
  });
  const result = callBuiltin(name, values, ctx);
  return result === undefined ? undefined : toJSON(result);
}

/** Turns arrays back into sets where the declaration only admits a set. */
export function coerceToDecl(v: Value, t: TypeDecl): Value {
  if (Array.isArray(v)) {
    const setType = setAlternative(t);
    if (setType !== undefined) return RegoSet.of(v.map((x) => coerceToDecl(x, setType.of)));
    if (t.type === "array" && t.dynamic !== undefined)
      return v.map((x) => coerceToDecl(x, t.dynamic!));
    if (t.type === "array" && t.static !== undefined) {
      return v.map((x, i) => (t.static![i] ? coerceToDecl(x, t.static![i]!) : x));
    }
    return v;
  }
  if (v instanceof RegoObject && t.type === "object" && t.dynamic !== undefined) {
    const inner = t.dynamic.value;
    return RegoObject.fromEntries(v.entries().map(([k, x]) => [k, coerceToDecl(x, inner)]));
  }
  return v;
}

/** The set type a declaration admits when it admits a set and no array. */
function setAlternative(t: TypeDecl): { type: "set"; of: TypeDecl } | undefined {
  if (t.type === "set") return t;
  if (t.type !== "any" || t.of === undefined) return undefined;
  const hasArray = t.of.some((x) => x.type === "array" || (x.type === "any" && x.of === undefined));
  if (hasArray) return undefined;
  return t.of.find((x): x is { type: "set"; of: TypeDecl } => x.type === "set");
}
