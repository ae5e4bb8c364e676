// The TypeScript implementations of OPA's builtins, shared by the reference evaluator
// (every builtin) and the host (the builtins the Wasm runtime does not implement natively,
// served through `opa_builtinN`). Builtins are grouped by category in sibling files and
// registered here by OPA name.
import type { Value } from "../value/value.js";

/** A builtin failed (bad type, bad argument). Undefined unless strict mode is on. */
export class BuiltinError extends Error {
  override name = "BuiltinError";

  /**
   * OPA reports errors about an operand's type or value as eval_type_error and the rest as
   * eval_builtin_error; messages here read `name: operand ...` for the former.
   */
  get code(): "eval_type_error" | "eval_builtin_error" {
    return /^[^:]*: operand/.test(this.message) ? "eval_type_error" : "eval_builtin_error";
  }
}

export interface BuiltinContext {
  /** Evaluation start time in nanoseconds since the epoch (`time.now_ns`). */
  readonly nowNs: bigint;
  /** Strict mode: builtin errors are errors instead of undefined. */
  readonly strict: boolean;
  /**
   * Per-evaluation memory for builtins that must answer the same within one evaluation
   * (`uuid.rfc4122`, `rand.intn`); create a fresh Map per evaluation. Without one, each
   * call answers independently.
   */
  readonly cache?: Map<string, unknown>;
}

export interface Builtin {
  /** OPA's name, e.g. `count`, `object.get`, `io.jwt.decode`. */
  name: string;
  /** Number of arguments (OPA's `decl.args`). */
  arity: number;
  /** Returns the result, `undefined` for an undefined result, or throws BuiltinError. */
  impl: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  /** Relational builtins (e.g. `walk`) yield several results; impl returns an array of them. */
  relation?: boolean;
  /** Non-deterministic builtins (time.now_ns, uuid.rfc4122, rand.*) are marked. */
  nondeterministic?: boolean;
  /** OPA's type declaration (capabilities `decl` without the `"type": "function"` tag). */
  decl?: FunctionDecl;
  /** The operator this builtin stands for (`plus` is `+`), as in OPA's capabilities. */
  infix?: string;
}

/** OPA's type JSON, as found in capabilities files. */
export type TypeDecl =
  | { type: "any"; of?: TypeDecl[] }
  | { type: "null" }
  | { type: "boolean" }
  | { type: "number" }
  | { type: "string" }
  | { type: "array"; static?: TypeDecl[]; dynamic?: TypeDecl }
  | {
      type: "object";
      static?: { key: string; value: TypeDecl }[];
      dynamic?: { key: TypeDecl; value: TypeDecl };
    }
  | { type: "set"; of: TypeDecl };

export interface FunctionDecl {
  args: TypeDecl[];
  result: TypeDecl;
}
