// The end-to-end compiler API: Rego sources → checked program → plan → Wasm module linked
// with the runtime. Everything else (CLI, host, tests, benchmarks) compiles through here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileModules, type SourceFile } from "../compiler/resolve.js";
import { builtinArity } from "../compiler/check/builtin-arity.js";
import { planProgram, entrypointPath } from "../compiler/plan/planner.js";
import type { Plan } from "../compiler/ir.js";
import { DiagnosticError, diagnostic } from "../diagnostics/diagnostic.js";
import { generateModule } from "./codegen/module.js";
import { fromJSON, valueKey, type Value } from "../value/value.js";
import type { Program } from "../compiler/program.js";
import { constantGroups } from "../compiler/fold.js";
import { createEvaluator, type Evaluator } from "../eval/evaluator.js";
import { getBuiltin } from "../builtins/index.js";

export interface CompileOptions {
  sources: SourceFile[];
  /** Entrypoints (`pkg/rule`, `pkg.rule` or `data.pkg.rule`); METADATA `entrypoint: true` adds more. */
  entrypoints?: string[];
  /** Base data, for bundles (the module itself does not embed it). */
  data?: unknown;
  /** Embed `data` in the module, used whenever the host sets no data (`--embed-data`). */
  embedData?: boolean;
  /** Compile `print` calls to opa_println. */
  debug?: boolean;
  /** Builtin errors abort with a located eval_builtin_error. */
  strict?: boolean;
  /** Rule indexing (default true); false plans every body in turn (benchmarks). */
  index?: boolean;
  /**
   * Evaluate constant rule groups at build time (default true, D27); false plans their
   * bodies (test suites use it to exercise the code generator on every construct).
   */
  fold?: boolean;
  /** Path of runtime.wasm (defaults to build/runtime/runtime.wasm of this checkout). */
  runtimePath?: string;
  /**
   * binaryen's optimiser: over the generated functions only (default: fast, the runtime is
   * optimised when it is built), over the whole module (true: a few KB smaller), or off.
   */
  optimize?: boolean | "generated";
}

export interface CompileResult {
  wasm: Uint8Array<ArrayBuffer>;
  /** Entrypoint slash paths, in id order. */
  entrypoints: string[];
  /** Builtins the host must supply through opa_builtinN, in id order. */
  builtins: string[];
  /** Builtins the module implements natively. */
  nativeBuiltins: string[];
  plan: Plan;
  /** Milliseconds spent per stage. */
  timings: { front: number; plan: number; codegen: number };
}

/** Builtins that yield a list of results the planner iterates. */
const RELATION_BUILTINS: ReadonlySet<string> = new Set(["walk"]);

const DEFAULT_RUNTIME = fileURLToPath(new URL("../../build/runtime/runtime.wasm", import.meta.url));
const runtimeCache = new Map<string, Uint8Array>();

/** The runtime module's bytes (read once per path). */
export function loadRuntime(path = DEFAULT_RUNTIME): Uint8Array {
  let bytes = runtimeCache.get(path);
  if (bytes === undefined) {
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch {
      throw new Error(`${path} not found: run \`node scripts/build-runtime.mjs\` (or make) first`);
    }
    runtimeCache.set(path, bytes);
  }
  return bytes;
}

export async function compilePolicy(options: CompileOptions): Promise<CompileResult> {
  return Promise.resolve(compilePolicySync(options));
}

export function compilePolicySync(options: CompileOptions): CompileResult {
  const t0 = performance.now();
  const program = compileModules(options.sources);
  const t1 = performance.now();
  const requested = options.entrypoints ?? [];
  const names = uniqueEntrypoints([...requested, ...program.annotatedEntrypoints]);
  if (names.length === 0) {
    const first = options.sources[0];
    throw new DiagnosticError([
      diagnostic(
        "rego_compile_error",
        "no entrypoint: pass -e <package/rule> or mark a rule with METADATA `entrypoint: true`",
        { file: first?.file ?? "<none>", line: 1, col: 1 },
      ),
    ]);
  }
  checkEntrypointsExist(names, program.groups, options.sources[0]?.file ?? "<none>");
  const plan = planProgram(program, {
    entrypoints: names,
    debug: options.debug === true,
    index: options.index !== false,
    builtinArity,
    relationBuiltins: RELATION_BUILTINS,
    ...(options.fold === false
      ? {}
      : { constantValue: constantFolder(program, options.strict === true) }),
    ...(options.embedData === true ? { embeddedData: fromJSON(options.data ?? {}) } : {}),
  });
  const t2 = performance.now();
  const generated = generateModule(plan, loadRuntime(options.runtimePath), {
    strict: options.strict === true,
    optimize: options.optimize ?? "generated",
  });
  const t3 = performance.now();
  return {
    wasm: generated.wasm,
    entrypoints: generated.entrypoints,
    builtins: generated.hostBuiltins,
    nativeBuiltins: generated.nativeBuiltins,
    plan,
    timings: { front: t1 - t0, plan: t2 - t1, codegen: t3 - t2 },
  };
}

/** Builtins evaluated at build time must be deterministic and free of side effects. */
const SIDE_EFFECT_BUILTINS: ReadonlySet<string> = new Set(["print", "trace"]);

function isFoldableBuiltin(name: string): boolean {
  const builtin = getBuiltin(name);
  return (
    builtin !== undefined && builtin.nondeterministic !== true && !SIDE_EFFECT_BUILTINS.has(name)
  );
}

/** Larger constants stay as code: a data segment should not dwarf the rules. */
const MAX_FOLDED_KEY_LENGTH = 64 * 1024;

/** Evaluator steps one constant may take at build time before it stays as code. */
const MAX_FOLD_STEPS = 200_000;

/**
 * The planner's `constantValue`: evaluates constant groups with the reference evaluator,
 * on first use. A group whose evaluation fails (a conflict, a builtin error in strict mode,
 * more than MAX_FOLD_STEPS steps) or is undefined stays as code, so the module reports
 * exactly what it would have without folding.
 */
function constantFolder(program: Program, strict: boolean): (path: string) => Value | undefined {
  const constant = new Set(constantGroups(program, isFoldableBuiltin));
  let evaluator: Evaluator | undefined;
  return (path) => {
    if (!constant.has(path)) return undefined;
    evaluator ??= createEvaluator(program, { data: {}, strict, maxSteps: MAX_FOLD_STEPS });
    try {
      const value = evaluator.evalRef(program.groups.get(path)!.path);
      return value !== undefined && valueKey(value).length <= MAX_FOLDED_KEY_LENGTH
        ? value
        : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Slash paths without duplicates, in first-seen order. */
function uniqueEntrypoints(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => entrypointPath(n).join("/")))];
}

/** An entrypoint must name a rule or a prefix of rules (a package document). */
function checkEntrypointsExist(
  names: readonly string[],
  groups: ReadonlyMap<string, unknown>,
  file: string,
): void {
  const dotted = [...groups.keys()];
  for (const name of names) {
    const path = name.split("/").join(".");
    const known = dotted.some(
      (g) => g === path || g.startsWith(path + ".") || path.startsWith(g + "."),
    );
    if (!known) {
      throw new DiagnosticError([
        diagnostic("rego_compile_error", `entrypoint ${name} does not name a rule or package`, {
          file,
          line: 1,
          col: 1,
        }),
      ]);
    }
  }
}
