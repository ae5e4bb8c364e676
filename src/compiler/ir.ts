// The planner's intermediate representation: what Rego means, in terms a Wasm code
// generator can emit one-to-one. In the spirit of OPA's planner IR, a program is a set of
// functions whose bodies are statements over locals holding value pointers (0 = undefined).
//
// Control flow is structured: every statement list is a break target. A *conditional*
// statement (Dot, Equal, Truthy, Call, ...) that does not hold exits the innermost
// enclosing statement list — which is how backtracking works: inside a Scan body that means
// "next element", inside a Block it means "this alternative failed". `Break` exits an
// enclosing labelled Block explicitly. Statements that can raise an error carry the Rego
// location of the expression, so every runtime error reads `file:line:col: code: message`.
import type { Value } from "../value/value.js";

/** A local variable slot of the current function (holds a value pointer, 0 = undefined). */
export type Local = number;

export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

/** A constant of the policy, stored once and shared by every use. */
export interface Constant {
  value: Value;
}

export type Stmt =
  /** target := constant `index` of the plan's constant pool. */
  | { op: "const"; index: number; target: Local }
  /** target := source (may copy undefined). */
  | { op: "assign"; source: Local; target: Local }
  /** target := undefined. */
  | { op: "reset"; target: Local }
  /** target := source[key]; fails when undefined. */
  | { op: "dot"; source: Local; key: Local; target: Local }
  /** For each key/value of source (array, object, set) in order, run body. */
  | { op: "scan"; source: Local; key: Local; value: Local; body: Stmt[] }
  /** A labelled alternative: failing inside exits it; `break` with its label too. */
  | { op: "block"; label: number; body: Stmt[] }
  | { op: "break"; label: number }
  | { op: "equal"; a: Local; b: Local }
  | { op: "notequal"; a: Local; b: Local }
  /** Fails unless source is defined and not `false`. */
  | { op: "truthy"; source: Local }
  | { op: "defined"; source: Local }
  | { op: "undefined"; source: Local }
  /** Fails unless source has this type tag (values' tags: see docs/wasm-runtime.md). */
  | { op: "istype"; source: Local; tag: TypeTag }
  /** Fails unless source is an array, object or set. */
  | { op: "iscollection"; source: Local }
  /** Fails unless the collection has exactly `length` elements. */
  | { op: "lenequal"; source: Local; length: number }
  /** target := func(args); fails when the result is undefined (unless keepUndefined). */
  | {
      op: "call";
      func: string;
      args: Local[];
      target: Local;
      loc: SourceLoc;
      keepUndefined?: boolean;
    }
  /** target := builtin(args); undefined fails (strict mode: a builtin error aborts). */
  | { op: "builtin"; name: string; args: Local[]; target: Local; loc: SourceLoc }
  | { op: "makearray"; target: Local }
  | { op: "makeobject"; target: Local }
  | { op: "makeset"; target: Local }
  | { op: "arraypush"; array: Local; value: Local }
  | { op: "setadd"; set: Local; value: Local }
  /** Inserts; a different value under an existing key aborts with `conflict` at loc. */
  | { op: "objectinsert"; object: Local; key: Local; value: Local; conflict?: Conflict }
  /** Inserts or overwrites. */
  | { op: "objectset"; object: Local; key: Local; value: Local }
  /** target := object[key], creating an empty object there first when absent. */
  | { op: "objectchild"; object: Local; key: Local; target: Local; loc: SourceLoc }
  /** If target is defined and differs from value, abort with `conflict`; then target := value. */
  | { op: "setonce"; target: Local; value: Local; conflict: Conflict }
  /** Rule index: runs the case whose key equals `source` (if any); never fails. */
  | { op: "index"; source: Local; cases: IndexCase[] }
  /** print(): formats the locals (undefined prints `<undefined>`) and calls opa_println. */
  | { op: "print"; args: Local[] };

export interface Conflict {
  code: "eval_conflict_error";
  message: string;
  loc: SourceLoc;
}

/** One entry of a rule index: the bodies to try when the indexed value equals `value`. */
export interface IndexCase {
  /** Constant pool index of the key. */
  key: number;
  body: Stmt[];
}

export type TypeTag = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const TAG = {
  null: 1,
  boolean: 2,
  number: 3,
  string: 4,
  array: 5,
  object: 6,
  set: 7,
} as const satisfies Record<string, TypeTag>;

export interface Func {
  name: string;
  /** Locals 0 and 1 are always `input` and `data`; then the declared parameters. */
  params: number;
  /** Total number of locals (params included). */
  locals: number;
  body: Stmt[];
  /** The local returned at the end (0 = undefined). */
  result: Local;
  /**
   * Memoise the result per evaluation (rules without arguments). Only used while input and
   * data are the evaluation's own, so `with` never sees a stale value.
   */
  cached: boolean;
}

export interface Entrypoint {
  /** Slash path as the SDK sees it, e.g. `ccpol/decision/decision`. */
  name: string;
  /** The function computing the entrypoint's value. */
  func: string;
}

export interface Plan {
  funcs: Func[];
  entrypoints: Entrypoint[];
  constants: Constant[];
  /** Every builtin the plan calls (the code generator decides native vs opa_builtinN). */
  builtins: string[];
  /**
   * Constant pool index of data embedded in the module (`--embed-data`): used whenever the
   * host passes no data or an empty object.
   */
  embeddedData?: number;
  /** Statistics for reports and benchmarks. */
  stats: { indexedGroups: number; indexedBodies: number };
}
