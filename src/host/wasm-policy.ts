// A lean host for any module that follows OPA's Wasm ABI 1.2 (ours, or one OPA compiled):
// instantiate with our imports, load data once, and evaluate entrypoints through the
// `opa_eval` fast path. Compared with the generic SDK it writes the input's JSON straight
// into linear memory, reads results in place from modules we compiled (their extension
// exports; others are dumped to JSON, as the SDK does), and serves every builtin the
// module imports from the TypeScript builtin library.
import { callBuiltinJSON, getBuiltin } from "../builtins/index.js";
import { BuiltinError } from "../builtins/registry.js";
import { NOT_PLAIN, writeJSON } from "./json-writer.js";
import { LinearMemory } from "./linear-memory.js";
import { ValueReader } from "./value-reader.js";

const PAGE = 64 * 1024;

interface AbiExports {
  memory?: WebAssembly.Memory;
  opa_wasm_abi_version?: WebAssembly.Global;
  opa_wasm_abi_minor_version?: WebAssembly.Global;
  opa_malloc(size: number): number;
  opa_json_parse(ptr: number, len: number): number;
  opa_json_dump(value: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(ptr: number): void;
  opa_eval(
    reserved: number,
    entrypoint: number,
    data: number,
    input: number,
    inputLen: number,
    heapPtr: number,
    format: number,
  ): number;
  builtins(): number;
  entrypoints(): number;
  /** Our extension (modules that call host builtins): records a builtin's error text. */
  ccpol_builtin_error?(text: number, isTypeError: number): void;
  /** Our extension: opa_eval returning the entrypoint's value (0 = undefined), no dump. */
  ccpol_eval_value?(
    entrypoint: number,
    data: number,
    input: number,
    inputLen: number,
    heapPtr: number,
  ): number;
  /** Our extension: entry addresses of an object or set in key order. */
  ccpol_sorted_entries?(value: number): number;
}

/** An evaluation error raised inside the module (`opa_abort`), e.g. a conflict. */
export class PolicyAbortError extends Error {
  override name = "PolicyAbortError";
}

export interface WasmPolicyOptions {
  /**
   * Host builtin errors abort (without a Rego location) instead of being undefined, for
   * modules built without --strict; a --strict module aborts with the call's location.
   */
  strict?: boolean;
  /** Where `print` output of modules built with --debug goes. */
  println?: (line: string) => void;
  /** Extra builtins by OPA name, taking and returning JSON values. */
  customBuiltins?: Record<string, (...args: unknown[]) => unknown>;
}

export class WasmPolicy {
  readonly entrypoints: ReadonlyMap<string, number>;
  readonly builtinNames: readonly string[];
  private readonly exports: AbiExports;
  private readonly memory: WebAssembly.Memory;
  private readonly mem: LinearMemory;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readonly baseHeapPtr: number;
  private dataAddr: number;
  private dataHeapPtr: number;
  /** Reads results in place, for modules with our value extension (else JSON dumps). */
  private readonly reader: ValueReader | undefined;

  private constructor(
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
    builtinIds: Map<number, string>,
  ) {
    this.exports = instance.exports as unknown as AbiExports;
    this.memory = memory;
    this.mem = new LinearMemory(memory);
    checkAbiVersion(this.exports);
    const sortedEntries = this.exports.ccpol_sorted_entries;
    this.reader =
      this.exports.ccpol_eval_value !== undefined && sortedEntries !== undefined
        ? new ValueReader(this.mem, {
            ccpol_sorted_entries: sortedEntries,
            dumpJSON: (v) => this.dumpJSON(v),
          })
        : undefined;
    const builtins = this.dumpJSON(this.exports.builtins()) as Record<string, number>;
    for (const [name, id] of Object.entries(builtins)) builtinIds.set(id, name);
    this.builtinNames = Object.keys(builtins).sort();
    const eps = this.dumpJSON(this.exports.entrypoints()) as Record<string, number>;
    this.entrypoints = new Map(Object.entries(eps));
    this.dataAddr = this.loadJSON("{}");
    this.baseHeapPtr = this.exports.opa_heap_ptr_get();
    this.dataHeapPtr = this.baseHeapPtr;
    this.reader?.setStableEnd(this.dataHeapPtr);
  }

  static async load(
    wasm: Uint8Array | WebAssembly.Module,
    options: WasmPolicyOptions = {},
  ): Promise<WasmPolicy> {
    const module =
      wasm instanceof WebAssembly.Module
        ? wasm
        : await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
    return WasmPolicy.instantiate(module, options);
  }

  static instantiate(module: WebAssembly.Module, options: WasmPolicyOptions = {}): WasmPolicy {
    const memory = new WebAssembly.Memory({ initial: 5 });
    const builtinIds = new Map<number, string>();
    // The import closures need the instance, which exists only after instantiation.
    const self: { policy?: WasmPolicy } = {};
    const callBuiltin = (id: number, args: number[]): number => {
      const policy = self.policy;
      if (policy === undefined) throw new PolicyAbortError("builtin called during instantiation");
      const name = builtinIds.get(id);
      if (name === undefined) throw new PolicyAbortError(`unknown builtin id ${id}`);
      const jsonArgs = args.map((a) => policy.readValue(a));
      const custom = ownEntry(options.customBuiltins, name);
      let result: unknown;
      // The library is always strict here: its failures come back to this host, which
      // reports them to the module (see reportBuiltinError) or aborts.
      try {
        result =
          custom !== undefined
            ? custom(...jsonArgs)
            : callBuiltinJSON(name, jsonArgs, { nowNs: policy.evaluationTime(), strict: true });
      } catch (e) {
        const failure = builtinFailure(name, e, custom !== undefined);
        if (options.strict === true)
          throw new PolicyAbortError(`${failure.code}: ${failure.message}`);
        policy.reportBuiltinError(failure);
        return 0;
      }
      return result === undefined ? 0 : policy.loadJSON(JSON.stringify(result));
    };
    const env = {
      memory,
      opa_abort: (addr: number) => {
        throw new PolicyAbortError(readCString(new Uint8Array(memory.buffer), addr));
      },
      opa_println: (addr: number) =>
        (options.println ?? console.log)(readCString(new Uint8Array(memory.buffer), addr)),
      opa_builtin0: (id: number) => callBuiltin(id, []),
      opa_builtin1: (id: number, _ctx: number, a: number) => callBuiltin(id, [a]),
      opa_builtin2: (id: number, _ctx: number, a: number, b: number) => callBuiltin(id, [a, b]),
      opa_builtin3: (id: number, _ctx: number, a: number, b: number, c: number) =>
        callBuiltin(id, [a, b, c]),
      opa_builtin4: (id: number, _ctx: number, a: number, b: number, c: number, d: number) =>
        callBuiltin(id, [a, b, c, d]),
    };
    const instance = new WebAssembly.Instance(module, { env });
    self.policy = new WasmPolicy(instance, memory, builtinIds);
    checkBuiltinsServed(self.policy.builtinNames, options.customBuiltins);
    return self.policy;
  }

  /**
   * The current evaluation's time for `time.now_ns` (one value per evaluation, as in OPA),
   * taken when a host builtin first needs it rather than on every evaluation.
   */
  private nowNs: bigint | undefined;

  private evaluationTime(): bigint {
    this.nowNs ??= BigInt(Date.now()) * 1_000_000n;
    return this.nowNs;
  }

  /** Replaces the base data; the heap below it is reset, so memory does not grow. */
  setData(data: unknown): void {
    this.exports.opa_heap_ptr_set(this.baseHeapPtr);
    this.dataAddr = this.loadJSON(JSON.stringify(data));
    this.dataHeapPtr = this.exports.opa_heap_ptr_get();
    this.reader?.setStableEnd(this.dataHeapPtr);
  }

  /** Resolves an entrypoint name (`pkg/rule`) or id to its id. */
  entrypointId(entrypoint: string | number): number {
    if (typeof entrypoint === "number") return entrypoint;
    const id = this.entrypoints.get(entrypoint);
    if (id === undefined)
      throw new Error(
        `unknown entrypoint '${entrypoint}' (has: ${[...this.entrypoints.keys()].join(", ")})`,
      );
    return id;
  }

  /**
   * Evaluates an entrypoint; returns the result set as OPA does (`[{result}]`, `[]` when
   * undefined). `input === undefined` leaves input undefined.
   */
  evaluate(entrypoint: string | number, input?: unknown): { result: unknown }[] {
    const id = this.entrypointId(entrypoint);
    this.nowNs = undefined;
    // Input goes right above the data; evaluation allocates above the input.
    let inputAddr = 0;
    let inputLen = 0;
    if (input !== undefined) {
      inputAddr = this.dataHeapPtr;
      inputLen = this.writeInput(input, inputAddr);
    }
    const heapPtr = this.dataHeapPtr + inputLen;
    const evalValue = this.exports.ccpol_eval_value;
    if (this.reader !== undefined && evalValue !== undefined) {
      const value = evalValue(id, this.dataAddr, inputAddr, inputLen, heapPtr);
      return value === 0 ? [] : [{ result: this.reader.read(value) }];
    }
    const resultAddr = this.exports.opa_eval(0, id, this.dataAddr, inputAddr, inputLen, heapPtr, 0);
    return JSON.parse(this.readCString(resultAddr)) as { result: unknown }[];
  }

  /** Bytes of linear memory, for memory-growth checks. */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Hands a host builtin's error to the module (when it has our extension export): a
   * --strict module aborts with the call's location, others treat the call as undefined.
   */
  private reportBuiltinError(failure: BuiltinFailure): void {
    const record = this.exports.ccpol_builtin_error;
    if (record === undefined) return;
    const bytes = this.encoder.encode(failure.message);
    const addr = this.exports.opa_malloc(bytes.length + 1);
    this.mem.sync();
    this.mem.bytes.set(bytes, addr);
    this.mem.bytes[addr + bytes.length] = 0;
    record(addr, failure.code === "eval_type_error" ? 1 : 0);
  }

  /** Writes input's JSON text at addr; returns its length in bytes. */
  private writeInput(input: unknown, addr: number): number {
    this.mem.sync();
    const end = writeJSON(input, this.mem.bytes, addr);
    return end === NOT_PLAIN ? this.writeText(JSON.stringify(input), addr) : end - addr;
  }

  private writeText(text: string, addr: number): number {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.ensureMemory(addr + text.length * 3);
    this.mem.sync();
    const { written } = this.encoder.encodeInto(text, this.mem.bytes.subarray(addr));
    return written;
  }

  private ensureMemory(end: number): void {
    const missing = end - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }

  private loadJSON(text: string): number {
    const bytes = this.encoder.encode(text);
    const addr = this.exports.opa_malloc(bytes.length);
    this.mem.sync();
    this.mem.bytes.set(bytes, addr);
    const value = this.exports.opa_json_parse(addr, bytes.length);
    if (value === 0) throw new PolicyAbortError("the module could not parse a JSON value");
    return value;
  }

  /** A value of the module as JSON.parse would give its JSON text. */
  private readValue(value: number): unknown {
    return this.reader !== undefined ? this.reader.read(value) : this.dumpJSON(value);
  }

  private readCString(addr: number): string {
    this.mem.sync();
    return readCString(this.mem.bytes, addr, this.decoder);
  }

  private dumpJSON(value: number): unknown {
    return JSON.parse(this.readCString(this.exports.opa_json_dump(value)));
  }
}

interface BuiltinFailure {
  code: BuiltinError["code"];
  /** `name: message`. */
  message: string;
}

/**
 * Library builtins fail with BuiltinError (any other exception is a bug and propagates,
 * failing the evaluation); custom builtins may throw anything.
 */
function builtinFailure(name: string, error: unknown, custom: boolean): BuiltinFailure {
  if (error instanceof BuiltinError) return { code: error.code, message: error.message };
  if (!custom) throw error;
  const text = error instanceof Error ? error.message : String(error);
  return { code: "eval_builtin_error", message: `${name}: ${text}` };
}

/** Fails at load, not at the first decision, when the module needs a builtin nobody serves. */
export function checkBuiltinsServed(
  names: readonly string[],
  custom: WasmPolicyOptions["customBuiltins"],
): void {
  const missing = names.filter(
    (n) => ownEntry(custom, n) === undefined && getBuiltin(n) === undefined,
  );
  if (missing.length > 0)
    throw new Error(`the module calls builtins this host does not provide: ${missing.join(", ")}`);
}

/** A module names builtins freely; `toString` must not find Object.prototype's. */
function ownEntry<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function checkAbiVersion(exports: AbiExports): void {
  const major = exports.opa_wasm_abi_version?.value as number | undefined;
  const minor = exports.opa_wasm_abi_minor_version?.value as number | undefined;
  if (major !== 1) throw new Error(`unsupported OPA Wasm ABI version ${String(major)} (need 1)`);
  if (minor === undefined || minor < 2)
    throw new Error(`unsupported OPA Wasm ABI minor version ${String(minor)} (need >= 2)`);
}

function readCString(bytes: Uint8Array, addr: number, decoder = new TextDecoder()): string {
  const end = bytes.indexOf(0, addr);
  return decoder.decode(bytes.subarray(addr, end < 0 ? bytes.length : end));
}
