// Links a plan with the runtime: loads build/runtime/runtime.wasm with binaryen, appends the
// static data segment, emits the planned functions, replaces the runtime's `ccpol.*` hooks
// (docs/wasm-runtime.md), builds object/set constants and rule index tables once in a start
// function, keeps only OPA's ABI exports, validates, and lets binaryen optimise and drop
// every function no entrypoint reaches.
import binaryen from "binaryen";
import type { IndexCase, Plan } from "../../compiler/ir.js";
import { RegoObject, RegoSet, type Value } from "../../value/value.js";
import { StaticData, isStaticValue, layoutStatic } from "./data.js";
import { emitFunction, type EmitContext } from "./functions.js";
import { appendDataSegment } from "./segment.js";

export interface CodegenOptions {
  /** Builtin errors abort with eval_builtin_error instead of being undefined. */
  strict?: boolean;
  /**
   * Run binaryen's optimiser over the whole module (true, the default here), over the
   * generated functions only ("generated": the runtime arrives optimised by asc), or not at
   * all.
   */
  optimize?: boolean | "generated";
}

export interface CodegenResult {
  wasm: Uint8Array<ArrayBuffer>;
  /** Entrypoint names in id order. */
  entrypoints: string[];
  /** Builtins served by the host through opa_builtinN, in id order. */
  hostBuiltins: string[];
  /** Builtins implemented by the runtime itself. */
  nativeBuiltins: string[];
}

/** Exports OPA's Wasm ABI defines; everything else the runtime exports is removed. */
export const ABI_EXPORTS = new Set([
  "opa_wasm_abi_version",
  "opa_wasm_abi_minor_version",
  "opa_malloc",
  "opa_free",
  "opa_json_parse",
  "opa_value_parse",
  "opa_json_dump",
  "opa_value_dump",
  "opa_heap_ptr_get",
  "opa_heap_ptr_set",
  "opa_value_add_path",
  "opa_value_remove_path",
  "opa_eval_ctx_new",
  "opa_eval_ctx_set_input",
  "opa_eval_ctx_set_data",
  "opa_eval_ctx_set_entrypoint",
  "opa_eval_ctx_get_result",
  "eval",
  "opa_eval",
  "builtins",
  "entrypoints",
]);

/**
 * Our one export beyond OPA's ABI, kept when the module calls host builtins: a host that
 * knows it reports a builtin's error there, and a --strict module then aborts with the
 * call's Rego location (hosts that do not know it are unaffected).
 */
export const HOST_BUILTIN_ERROR_EXPORT = "ccpol_builtin_error";

/** Our extension exports for hosts that read result values in place (docs/wasm-runtime.md). */
export const VALUE_EXPORTS = new Set(["ccpol_eval_value", "ccpol_sorted_entries"]);

const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt;

const i32 = binaryen.i32;

/** Generated functions with more locals than this are not optimised (see optimize()). */
const MAX_OPTIMIZED_LOCALS = 1500;
/** Above this many index case functions, those are not optimised one by one. */
const MAX_OPTIMIZED_CASES = 200;

/** Export name of the native implementation of a builtin. */
export function nativeExportName(builtin: string): string {
  return "rt_builtin_" + builtin.replace(/\./g, "_");
}

export function generateModule(
  plan: Plan,
  runtime: Uint8Array,
  options: CodegenOptions = {},
): CodegenResult {
  const m = binaryen.readBinary(runtime);
  try {
    return new ModuleBuilder(m, plan, options).build();
  } finally {
    m.dispose();
  }
}

class ModuleBuilder {
  private readonly exports = new Map<string, string>();
  private readonly data: StaticData;
  private readonly staticConsts = new Map<number, number>();
  private readonly hostIds = new Map<string, number>();
  private readonly native: string[] = [];
  private readonly indexTables: { global: string; cases: readonly IndexCase[] }[] = [];
  private readonly hooks = new Map<string, string>();

  constructor(
    private readonly m: binaryen.Module,
    private readonly plan: Plan,
    private readonly options: CodegenOptions,
  ) {
    m.setFeatures(FEATURES);
    this.readExports();
    this.readHooks();
    this.data = new StaticData(align(this.readSegments(), 16));
  }

  build(): CodegenResult {
    const m = this.m;
    this.classifyBuiltins();
    m.addGlobal("ccpol$epoch", i32, true, m.i32.const(0));
    m.addGlobal("ccpol$input", i32, true, m.i32.const(0));
    m.addGlobal("ccpol$data", i32, true, m.i32.const(0));
    const helpers = this.addHelpers();
    const ctx: EmitContext = {
      m,
      data: this.data,
      rt: (name) => this.rt(name),
      constant: (i) => this.constant(i),
      indexTable: (cases) => this.indexTable(cases),
      builtin: (name) => this.builtinCall(name),
      strict: this.options.strict === true,
      epoch: "ccpol$epoch",
      currentInput: "ccpol$input",
      currentData: "ccpol$data",
      helpers,
    };
    this.layoutConstants();
    for (const f of this.plan.funcs) emitFunction(ctx, f);
    this.addEvalHook();
    this.addStart();
    this.addJsonHooks();
    this.removeNonAbiExports();
    if (!m.validate()) throw new Error("generated module failed validation");
    this.optimize();
    return {
      wasm: new Uint8Array(appendDataSegment(m.emitBinary(), this.data.base, this.data.bytes)),
      entrypoints: this.plan.entrypoints.map((e) => e.name),
      hostBuiltins: [...this.hostIds.keys()],
      nativeBuiltins: this.native,
    };
  }

  /**
   * Dead-code elimination first (only what the entrypoints reach stays), then binaryen's
   * optimiser over what is left; the runtime arrives already optimised by asc.
   */
  private optimize(): void {
    const m = this.m;
    binaryen.setDebugInfo(false);
    m.runPasses(["remove-unused-module-elements"]);
    if (this.options.optimize === false) return;
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(1);
    if (this.options.optimize === "generated") {
      // Some of binaryen's local passes are superlinear in the number of locals, and each
      // call has a fixed cost: huge functions and the case functions of very large rule
      // indexes (thousands of tiny functions) stay as emitted.
      const manyCases =
        this.plan.funcs.filter((f) => f.name.includes("#")).length > MAX_OPTIMIZED_CASES;
      for (const f of this.plan.funcs) {
        if (f.locals > MAX_OPTIMIZED_LOCALS || (manyCases && f.name.includes("#"))) continue;
        m.optimizeFunction(f.name);
      }
      return;
    }
    m.optimize();
  }

  // ------------------------------------------------------------------ runtime module

  private readExports(): void {
    for (let i = 0; i < this.m.getNumExports(); i++) {
      const info = binaryen.getExportInfo(this.m.getExportByIndex(i));
      if (info.kind === binaryen.ExternalFunction) this.exports.set(info.name, info.value);
    }
  }

  private readHooks(): void {
    for (let i = 0; i < this.m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(this.m.getFunctionByIndex(i));
      if (info.module === "ccpol" && info.base) this.hooks.set(info.base, info.name);
    }
  }

  /** End of the runtime's data segments (ours go after them). */
  private readSegments(): number {
    let end = 0;
    const m = this.m as unknown as SegmentAccess;
    for (let i = 0; i < m.getNumDataSegments(); i++) {
      const info = m.getDataSegmentInfo(m.getDataSegmentByIndex(i));
      if (info.passive) throw new Error("runtime.wasm has a passive data segment");
      end = Math.max(end, info.offset + info.data.byteLength);
    }
    return end;
  }

  private rt(exportName: string): string {
    const name = this.exports.get(exportName);
    if (name === undefined) throw new Error(`runtime.wasm does not export ${exportName}`);
    return name;
  }

  private replaceHook(
    base: string,
    params: number[],
    body: binaryen.ExpressionRef,
    vars: number[] = [],
  ): void {
    const name = this.hooks.get(base);
    if (name === undefined) throw new Error(`runtime.wasm does not import ccpol.${base}`);
    this.m.removeFunction(name);
    this.m.addFunction(name, binaryen.createType(params), i32, vars, body);
  }

  // ------------------------------------------------------------------ builtins and constants

  private classifyBuiltins(): void {
    for (const name of this.plan.builtins) {
      if (this.exports.has(nativeExportName(name))) this.native.push(name);
      else this.hostIds.set(name, this.hostIds.size);
    }
  }

  private builtinCall(name: string): { native: string } | { hostId: number } {
    const id = this.hostIds.get(name);
    if (id !== undefined) return { hostId: id };
    return { native: this.rt(nativeExportName(name)) };
  }

  private layoutConstants(): void {
    this.plan.constants.forEach((c, i) => {
      if (isStaticValue(c.value)) this.staticConsts.set(i, layoutStatic(this.data, c.value));
      else this.m.addGlobal(constGlobal(i), i32, true, this.m.i32.const(0));
    });
  }

  private constant(i: number): binaryen.ExpressionRef {
    const addr = this.staticConsts.get(i);
    if (addr !== undefined) return this.m.i32.const(addr);
    return this.m.global.get(constGlobal(i), i32);
  }

  private indexTable(cases: readonly IndexCase[]): string {
    const global = `ccpol$index${this.indexTables.length}`;
    this.m.addGlobal(global, i32, true, this.m.i32.const(0));
    this.indexTables.push({ global, cases });
    return global;
  }

  /**
   * Builds object/set/boolean/null constants and index tables once, at instantiation, so
   * they sit below the heap pointer the SDK resets to between evaluations. Ordered
   * iteration caches are forced here too, so no evaluation writes into constants.
   */
  private addStart(): void {
    const m = this.m;
    const steps: binaryen.ExpressionRef[] = [];
    let locals = 0;
    const build = (v: Value): binaryen.ExpressionRef => {
      if (isStaticValue(v)) return m.i32.const(layoutStatic(this.data, v));
      if (v === null) return m.call(this.rt("rt_null"), [], i32);
      if (typeof v === "boolean") return m.call(this.rt("rt_bool"), [m.i32.const(v ? 1 : 0)], i32);
      const t = locals++;
      if (Array.isArray(v)) {
        steps.push(m.local.set(t, m.call(this.rt("rt_array"), [m.i32.const(v.length)], i32)));
        for (const x of v) {
          steps.push(
            m.call(this.rt("rt_array_push"), [m.local.get(t, i32), build(x)], binaryen.none),
          );
        }
        return m.local.get(t, i32);
      }
      if (v instanceof RegoSet) {
        steps.push(m.local.set(t, m.call(this.rt("rt_set"), [], i32)));
        for (const x of v.values()) {
          steps.push(m.call(this.rt("rt_set_add"), [m.local.get(t, i32), build(x)], binaryen.none));
        }
      } else {
        const o = v as RegoObject;
        steps.push(m.local.set(t, m.call(this.rt("rt_object"), [], i32)));
        for (const [k, x] of o.entries()) {
          steps.push(
            m.call(
              this.rt("rt_object_set"),
              [m.local.get(t, i32), build(k), build(x)],
              binaryen.none,
            ),
          );
        }
      }
      steps.push(this.forceOrder(t));
      return m.local.get(t, i32);
    };
    this.plan.constants.forEach((c, i) => {
      if (!this.staticConsts.has(i)) steps.push(m.global.set(constGlobal(i), build(c.value)));
    });
    for (const table of this.indexTables) {
      const t = locals++;
      steps.push(m.local.set(t, m.call(this.rt("rt_object"), [], i32)));
      table.cases.forEach((c, n) => {
        steps.push(
          m.call(
            this.rt("rt_object_set"),
            [m.local.get(t, i32), this.constant(c.key), m.i32.const(this.data.numberValue(n))],
            binaryen.none,
          ),
        );
      });
      steps.push(m.global.set(table.global, m.local.get(t, i32)));
    }
    if (steps.length === 0) return;
    const start = m.addFunction(
      "ccpol$start",
      binaryen.none,
      binaryen.none,
      new Array<number>(locals).fill(i32),
      m.block(null, steps),
    );
    const previous = m.getStart();
    if (previous !== 0) throw new Error("runtime.wasm already has a start function");
    m.setStart(start);
  }

  private forceOrder(local: number): binaryen.ExpressionRef {
    const m = this.m;
    return m.if(
      m.call(this.rt("rt_length"), [m.local.get(local, i32)], i32),
      m.drop(m.call(this.rt("rt_key_at"), [m.local.get(local, i32), m.i32.const(0)], i32)),
    );
  }

  // ------------------------------------------------------------------ hooks

  private addEvalHook(): void {
    const m = this.m;
    const steps: binaryen.ExpressionRef[] = [
      m.global.set("ccpol$epoch", m.i32.add(m.global.get("ccpol$epoch", i32), m.i32.const(1))),
      ...this.embeddedDataFallback(),
      m.global.set("ccpol$input", m.local.get(1, i32)),
      m.global.set("ccpol$data", m.local.get(2, i32)),
    ];
    this.plan.entrypoints.forEach((e, id) => {
      steps.push(
        m.if(
          m.i32.eq(m.local.get(0, i32), m.i32.const(id)),
          m.return(m.call(e.func, [m.local.get(1, i32), m.local.get(2, i32)], i32)),
        ),
      );
    });
    steps.push(m.return(m.i32.const(0)));
    this.replaceHook("eval_entrypoint", [i32, i32, i32], m.block(null, steps));
  }

  /** data := embedded data when the host passed none or an empty object. */
  private embeddedDataFallback(): binaryen.ExpressionRef[] {
    const m = this.m;
    const index = this.plan.embeddedData;
    if (index === undefined) return [];
    const data = (): binaryen.ExpressionRef => m.local.get(2, i32);
    const empty = m.if(
      m.i32.eqz(data()),
      m.i32.const(1),
      m.i32.and(
        m.i32.eq(m.call(this.rt("rt_type"), [data()], i32), m.i32.const(6)),
        m.i32.eqz(m.call(this.rt("rt_length"), [data()], i32)),
      ),
    );
    return [m.if(empty, m.local.set(2, this.constant(index)))];
  }

  private addJsonHooks(): void {
    const m = this.m;
    const builtins = Object.fromEntries(this.hostIds);
    const entrypoints = Object.fromEntries(this.plan.entrypoints.map((e, id) => [e.name, id]));
    const builtinsAddr = this.data.cstring(JSON.stringify(builtins));
    const entrypointsAddr = this.data.cstring(JSON.stringify(entrypoints));
    this.replaceHook("builtins_json", [], m.i32.const(builtinsAddr));
    this.replaceHook("entrypoints_json", [], m.i32.const(entrypointsAddr));
    // Last: every other hook and function has placed its data by now.
    this.replaceHook("heap_base", [], m.i32.const(align(this.data.end, 16)));
  }

  /** strlen, located abort with a runtime message, and print's formatting helpers. */
  private addHelpers(): EmitContext["helpers"] {
    const m = this.m;
    const get = (i: number): binaryen.ExpressionRef => m.local.get(i, i32);
    m.addFunction(
      "ccpol$strlen",
      binaryen.createType([i32]),
      i32,
      [i32],
      m.block(null, [
        m.local.set(1, get(0)),
        m.loop(
          "next",
          m.if(
            m.i32.load8_u(0, 1, get(1)),
            m.block(null, [m.local.set(1, m.i32.add(get(1), m.i32.const(1))), m.br("next")]),
          ),
        ),
        m.return(m.i32.sub(get(1), get(0))),
      ]),
    );
    const strlen = (e: binaryen.ExpressionRef): binaryen.ExpressionRef =>
      m.call("ccpol$strlen", [e], i32);
    // (prefix, suffix) → abort with their concatenation; locals: 2 len1, 3 len2, 4 buf.
    m.addFunction(
      "ccpol$abort_with",
      binaryen.createType([i32, i32]),
      binaryen.none,
      [i32, i32, i32],
      m.block(null, [
        m.local.set(2, strlen(get(0))),
        m.local.set(3, strlen(get(1))),
        m.local.set(
          4,
          m.call(
            this.rt("opa_malloc"),
            [m.i32.add(m.i32.add(get(2), get(3)), m.i32.const(1))],
            i32,
          ),
        ),
        m.memory.copy(get(4), get(0), get(2)),
        m.memory.copy(m.i32.add(get(4), get(2)), get(1), get(3)),
        m.i32.store8(0, 1, m.i32.add(m.i32.add(get(4), get(2)), get(3)), m.i32.const(0)),
        m.call(this.rt("rt_abort"), [get(4)], binaryen.none),
        m.unreachable(),
      ]),
    );
    // print: value → its text as a string value; local 1 holds a dump.
    m.addFunction(
      "ccpol$print_piece",
      binaryen.createType([i32]),
      i32,
      [i32],
      m.block(null, [
        m.if(m.i32.eqz(get(0)), m.return(m.i32.const(this.data.stringValue("<undefined>")))),
        m.if(m.i32.eq(m.call(this.rt("rt_type"), [get(0)], i32), m.i32.const(4)), m.return(get(0))),
        m.local.set(1, m.call(this.rt("rt_dump"), [get(0)], i32)),
        m.return(m.call(this.rt("rt_string"), [get(1), strlen(get(1))], i32)),
      ]),
    );
    // string value → NUL-terminated copy → opa_println; locals: 1 length, 2 buffer.
    m.addFunction(
      "ccpol$println",
      binaryen.createType([i32]),
      binaryen.none,
      [i32, i32],
      m.block(null, [
        m.local.set(1, m.i32.load(4, 4, get(0))),
        m.local.set(2, m.call(this.rt("opa_malloc"), [m.i32.add(get(1), m.i32.const(1))], i32)),
        m.memory.copy(get(2), m.i32.load(8, 4, get(0)), get(1)),
        m.i32.store8(0, 1, m.i32.add(get(2), get(1)), m.i32.const(0)),
        m.call(this.rt("rt_println"), [get(2)], binaryen.none),
      ]),
    );
    return {
      abortWith: "ccpol$abort_with",
      printPiece: "ccpol$print_piece",
      println: "ccpol$println",
    };
  }

  // ------------------------------------------------------------------ memory and exports

  private removeNonAbiExports(): void {
    const names: string[] = [];
    for (let i = 0; i < this.m.getNumExports(); i++) {
      names.push(binaryen.getExportInfo(this.m.getExportByIndex(i)).name);
    }
    const keep = (name: string): boolean =>
      ABI_EXPORTS.has(name) ||
      VALUE_EXPORTS.has(name) ||
      (name === HOST_BUILTIN_ERROR_EXPORT && this.hostIds.size > 0);
    for (const name of names) if (!keep(name)) this.m.removeExport(name);
  }
}

/** Data segment accessors binaryen.js has but its type declarations lack. */
interface SegmentAccess {
  getNumDataSegments(): number;
  getDataSegmentByIndex(i: number): number;
  getDataSegmentInfo(ref: number): { offset: number; data: ArrayBuffer; passive: boolean };
}

function constGlobal(i: number): string {
  return `ccpol$const${i}`;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
