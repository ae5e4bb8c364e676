// Differential testing of the two Rego engines: generated cases (./generate.ts) run on the
// compiled Wasm module (src/wasm/compile.ts + src/host/wasm-policy.ts) and on the reference
// evaluator (src/eval); every entrypoint must give the same value, the same undefined, or
// an error with the same code at the same file:line:col.
//
// Compiling to Wasm costs a fixed amount of binaryen time per module, so many cases share
// one module: case i is rendered as packages `fz<i>`/`fz<i>.lib` with its data at
// `data.d<i>`, and the cases are independent of each other.
import { compileModules, type SourceFile } from "../../src/compiler/resolve.js";
import { compilePolicySync } from "../../src/wasm/compile.js";
import { WasmPolicy } from "../../src/host/wasm-policy.js";
import { createEvaluator, type Evaluator } from "../../src/eval/evaluator.js";
import { getBuiltin } from "../../src/builtins/index.js";
import { DiagnosticError } from "../../src/diagnostics/diagnostic.js";
import { fromJSON, toJSON } from "../../src/value/value.js";
import { canonicalJSON, type JsonValue } from "./json.js";
import { CASE_MARK, caseEntrypoints, mark, renderPackage, type GenCase } from "./generate.js";

/** What one engine answered for one entrypoint. */
export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "undefined" }
  | { kind: "error"; code: string; loc: string; message: string }
  /** Anything else: an exception that is not a located Rego error, or a failed compile. */
  | { kind: "crash"; message: string };

export interface Mismatch {
  fuzzCase: GenCase;
  /** Entrypoint with the case-number placeholder, e.g. `fz§/p1`. */
  entrypoint: string;
  evaluator: Outcome;
  wasm: Outcome;
}

export interface BatchResult {
  /** Entrypoints compared. */
  compared: number;
  mismatches: Mismatch[];
}

export interface DiffOptions {
  /** binaryen optimisation of the generated code (default off: faster compiles). */
  optimize?: boolean;
  /**
   * Evaluate constant rules at build time (default off, so the code generator sees every
   * construct; the fuzz loop turns it on for every other batch).
   */
  fold?: boolean;
}

/** The source files of case `index`: `c<index>_m<j>.rego`, or `module<j>.rego` alone. */
export function caseSources(c: GenCase, index: number, single = false): SourceFile[] {
  return c.packages.map((p, j) => ({
    file: single ? `module${j}.rego` : `c${index}_m${j}.rego`,
    text: renderPackage(p, index),
  }));
}

/** Whether the front end accepts a case on its own (a rejected case is regenerated). */
export function frontEndError(c: GenCase): DiagnosticError | undefined {
  try {
    compileModules(caseSources(c, 0));
    return undefined;
  } catch (err) {
    if (err instanceof DiagnosticError) return err;
    throw err;
  }
}

export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case "value":
      return `value ${canonicalJSON(o.value)}`;
    case "undefined":
      return "undefined";
    case "error":
      return `error ${o.loc}: ${o.code}: ${o.message}`;
    default:
      return `crash: ${o.message}`;
  }
}

/** Same answer: equal values, both undefined, or errors with the same code and location. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.kind === "crash" || b.kind === "crash") return false;
  if (a.kind === "value" && b.kind === "value") {
    return canonicalJSON(a.value) === canonicalJSON(b.value);
  }
  if (a.kind === "error" && b.kind === "error") return a.code === b.code && a.loc === b.loc;
  return a.kind === b.kind;
}

function crashText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.split("\n")[0] ?? err.name;
  return String(err);
}

// ------------------------------------------------------------------ the two engines

function evaluatorOutcome(ev: Evaluator, entrypoint: string, input: JsonValue): Outcome {
  try {
    const v = ev.evalRef(entrypoint.split("/"), fromJSON(input));
    return v === undefined ? { kind: "undefined" } : { kind: "value", value: toJSON(v) };
  } catch (err) {
    const d = err instanceof DiagnosticError ? err.diagnostics[0] : undefined;
    if (d === undefined) return { kind: "crash", message: crashText(err) };
    return {
      kind: "error",
      code: d.code,
      loc: `${d.loc.file}:${d.loc.line}:${d.loc.col}`,
      message: d.message,
    };
  }
}

/** `file:line:col: code: message`, the text of a located abort. */
const ABORT = /^(\S+:\d+:\d+): ([a-z_]+): (.*)$/s;

function wasmOutcome(policy: WasmPolicy, entrypoint: string, input: JsonValue): Outcome {
  try {
    const rs = policy.evaluate(entrypoint, input);
    const first = rs[0];
    return first === undefined ? { kind: "undefined" } : { kind: "value", value: first.result };
  } catch (err) {
    const m =
      err instanceof Error && err.name === "PolicyAbortError" ? ABORT.exec(err.message) : null;
    if (m === null) return { kind: "crash", message: crashText(err) };
    return { kind: "error", loc: m[1] ?? "", code: m[2] ?? "", message: m[3] ?? "" };
  }
}

type WasmSide = { policy: WasmPolicy } | { failure: string };

function compileWasm(sources: SourceFile[], entrypoints: string[], opts: DiffOptions): WasmSide {
  try {
    const compiled = compilePolicySync({
      sources,
      entrypoints,
      optimize: opts.optimize === true ? "generated" : false,
      fold: opts.fold === true,
    });
    return {
      policy: WasmPolicy.instantiate(new WebAssembly.Module(compiled.wasm as BufferSource)),
    };
  } catch (err) {
    if (err instanceof DiagnosticError) {
      const d = err.diagnostics[0];
      return {
        failure: `compile: ${d ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.code}: ${d.message}` : "?"}`,
      };
    }
    return { failure: `compile: ${crashText(err)}` };
  }
}

/**
 * One Wasm module per batch; when the batch does not compile, each case is compiled on its
 * own so that only the culprits fail.
 */
function wasmPerCase(cases: readonly GenCase[], opts: DiffOptions): WasmSide[] {
  const sources = cases.flatMap((c, i) => caseSources(c, i, cases.length === 1));
  const entrypoints = cases.flatMap((c, i) => caseEntrypoints(c, i));
  const whole = compileWasm(sources, entrypoints, opts);
  if ("policy" in whole || cases.length === 1) return cases.map(() => whole);
  return cases.map((c, i) => compileWasm(caseSources(c, i), caseEntrypoints(c, i), opts));
}

function batchData(cases: readonly GenCase[]): Record<string, JsonValue> {
  return Object.fromEntries(cases.map((c, i) => [`d${i}`, c.data]));
}

/**
 * Runs cases that the front end accepts (see `frontEndError`) on both engines. `only`
 * restricts case i to one entrypoint (with the placeholder), for shrinking.
 */
export function runBatch(
  cases: readonly GenCase[],
  opts: DiffOptions = {},
  only?: readonly string[],
): BatchResult {
  // A case run alone gets the file names the case suite uses (module<j>.rego).
  const single = cases.length === 1;
  const sources = cases.flatMap((c, i) => caseSources(c, i, single));
  const data = batchData(cases);
  const evaluator = createEvaluator(compileModules(sources), { data, builtins: getBuiltin });
  const wasm = wasmPerCase(cases, opts);
  const mismatches: Mismatch[] = [];
  let compared = 0;
  const loaded = new Set<WasmPolicy>();
  cases.forEach((c, i) => {
    const side = wasm[i] as WasmSide;
    if ("policy" in side && !loaded.has(side.policy)) {
      side.policy.setData(data);
      loaded.add(side.policy);
    }
    const eps = only ? [mark(only[i] ?? "", i)] : caseEntrypoints(c, i);
    for (const ep of eps) {
      compared++;
      const e = evaluatorOutcome(evaluator, ep, c.input);
      const w: Outcome =
        "policy" in side
          ? wasmOutcome(side.policy, ep, c.input)
          : { kind: "crash", message: side.failure };
      if (!sameOutcome(e, w)) {
        const entrypoint = ep.replace(new RegExp(`^fz${i}(?=/|$)`), `fz${CASE_MARK}`);
        mismatches.push({ fuzzCase: c, entrypoint, evaluator: e, wasm: w });
      }
    }
  });
  return { compared, mismatches };
}
