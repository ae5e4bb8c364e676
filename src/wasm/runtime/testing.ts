// Instantiates the bare runtime (build/runtime/runtime.wasm) with the `ccpol` hooks and the
// OPA `env` imports supplied from JavaScript, so the ABI and the native builtins can be
// tested without the code generator. Used by the runtime's tests; handy for codegen tests.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { RegoObject, RegoSet, type Value } from "../../value/value.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const RUNTIME_WASM = path.join(ROOT, "build/runtime/runtime.wasm");
const ASSEMBLY_DIR = path.join(ROOT, "src/wasm/runtime/assembly");
const BUILD_SCRIPT = path.join(ROOT, "scripts/build-runtime.mjs");

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** Rebuilds runtime.wasm when it is missing or older than its sources. */
export function ensureRuntimeBuilt(): void {
  const built = mtime(RUNTIME_WASM);
  const sources = readdirSync(ASSEMBLY_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(ASSEMBLY_DIR, f))
    .concat(BUILD_SCRIPT);
  if (built >= 0 && sources.every((f) => mtime(f) <= built)) return;
  execFileSync(process.execPath, [BUILD_SCRIPT], { cwd: ROOT, stdio: "pipe" });
}

export interface Hooks {
  evalEntrypoint?: (rt: Runtime, entrypoint: number, input: number, data: number) => number;
  builtinsJson?: string;
  entrypointsJson?: string;
  heapBase?: number;
  builtin?: (id: number, ctx: number, args: number[]) => number;
  println?: (text: string) => void;
}

export class RuntimeAbort extends Error {
  override name = "RuntimeAbort";
}

/** A live instance of the runtime plus helpers to move values across the boundary. */
export class Runtime {
  readonly memory: WebAssembly.Memory;
  readonly exports: Record<string, (...args: number[]) => number>;
  readonly instance: WebAssembly.Instance;

  constructor(module: WebAssembly.Module, hooks: Hooks = {}) {
    this.memory = new WebAssembly.Memory({ initial: 5 });
    const builtin =
      (arity: number) =>
      (id: number, ctx: number, ...args: number[]): number => {
        if (!hooks.builtin) throw new Error(`unexpected opa_builtin${arity}(${id})`);
        return hooks.builtin(id, ctx, args.slice(0, arity));
      };
    const cstring = (text: string | undefined): number =>
      text === undefined ? this.writeCString("{}") : this.writeCString(text);
    this.instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        opa_abort: (addr: number) => {
          throw new RuntimeAbort(this.readCString(addr));
        },
        opa_println: (addr: number) => hooks.println?.(this.readCString(addr)),
        opa_builtin0: builtin(0),
        opa_builtin1: builtin(1),
        opa_builtin2: builtin(2),
        opa_builtin3: builtin(3),
        opa_builtin4: builtin(4),
      },
      ccpol: {
        eval_entrypoint: (e: number, input: number, data: number) =>
          hooks.evalEntrypoint ? hooks.evalEntrypoint(this, e, input, data) : 0,
        builtins_json: () => cstring(hooks.builtinsJson),
        entrypoints_json: () => cstring(hooks.entrypointsJson),
        heap_base: () => hooks.heapBase ?? 0,
      },
    });
    this.exports = this.instance.exports as unknown as Record<
      string,
      (...args: number[]) => number
    >;
  }

  call(name: string, ...args: number[]): number {
    const f = this.exports[name];
    if (typeof f !== "function") throw new Error(`runtime has no export ${name}`);
    return f(...args);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Copies bytes into a fresh opa_malloc block and returns its address. */
  writeBytes(data: Uint8Array): number {
    const addr = this.call("opa_malloc", data.length);
    this.bytes().set(data, addr);
    return addr;
  }

  writeCString(text: string): number {
    const data = new TextEncoder().encode(text);
    const addr = this.call("opa_malloc", data.length + 1);
    const mem = this.bytes();
    mem.set(data, addr);
    mem[addr + data.length] = 0;
    return addr;
  }

  readCString(addr: number): string {
    const mem = this.bytes();
    let end = addr;
    while (mem[end] !== 0) end++;
    return new TextDecoder().decode(mem.subarray(addr, end));
  }

  /** opa_json_parse of JSON text (or raw bytes); 0 when the runtime rejects it. */
  parseJson(text: string | Uint8Array): number {
    const data = typeof text === "string" ? new TextEncoder().encode(text) : text;
    return this.call("opa_json_parse", this.writeBytes(data), data.length);
  }

  /** opa_value_parse of Rego value text; 0 when the runtime rejects it. */
  parseValue(text: string): number {
    const data = new TextEncoder().encode(text);
    return this.call("opa_value_parse", this.writeBytes(data), data.length);
  }

  /** Like parseValue but throws on a parse error (for test fixtures). */
  value(text: string): number {
    const v = this.parseValue(text);
    if (v === 0) throw new Error(`runtime rejected value ${text}`);
    return v;
  }

  dumpJson(v: number): string {
    return this.readCString(this.call("opa_json_dump", v));
  }

  dumpValue(v: number): string {
    return this.readCString(this.call("opa_value_dump", v));
  }

  lastError(): string | undefined {
    const p = this.call("rt_last_error");
    return p === 0 ? undefined : this.readCString(p);
  }

  /**
   * Calls native builtin `rt_builtin_<name>` on arguments in Rego value syntax; returns the
   * result in value syntax, or undefined (with the error, if any, in lastError()).
   */
  builtin(name: string, ...args: string[]): string | undefined {
    this.call("rt_clear_error");
    const ptrs = args.map((a) => this.value(a));
    const r = this.call("rt_builtin_" + name.replaceAll(".", "_"), ...ptrs);
    return r === 0 ? undefined : this.dumpValue(r);
  }
}

let cached: WebAssembly.Module | undefined;

export function runtimeModule(): WebAssembly.Module {
  if (!cached) {
    ensureRuntimeBuilt();
    cached = new WebAssembly.Module(readFileSync(RUNTIME_WASM));
  }
  return cached;
}

export function newRuntime(hooks: Hooks = {}): Runtime {
  return new Runtime(runtimeModule(), hooks);
}

/** A runtime value (by pointer) as a TypeScript Rego value, read through the rt_* exports. */
export function readValue(rt: Runtime, v: number): Value {
  const tag = rt.call("rt_type", v);
  const at = (i: number): [number, number] => [
    rt.call("rt_key_at", v, i),
    rt.call("rt_value_at", v, i),
  ];
  const indexes = (): number[] => Array.from({ length: rt.call("rt_length", v) }, (_, i) => i);
  switch (tag) {
    case 1:
      return null;
    case 2:
      return rt.call("rt_truthy", v) === 1;
    case 3:
      return rt.call("rt_number_value", v);
    case 4: {
      const view = new DataView(rt.memory.buffer);
      const len = view.getUint32(v + 4, true);
      const ptr = view.getUint32(v + 8, true);
      return new TextDecoder().decode(rt.bytes().subarray(ptr, ptr + len));
    }
    case 5:
      return indexes().map((i) => readValue(rt, at(i)[1]));
    case 6:
      return RegoObject.fromEntries(
        indexes().map((i): [Value, Value] => {
          const [k, x] = at(i);
          return [readValue(rt, k), readValue(rt, x)];
        }),
      );
    case 7:
      return RegoSet.of(indexes().map((i) => readValue(rt, at(i)[0])));
  }
  throw new Error(`not a runtime value: ${v} (tag ${tag})`);
}

/** A TypeScript value in the runtime's compact value syntax (what opa_value_dump prints). */
export function valueText(v: Value): string {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(valueText).join(",") + "]";
  if (v instanceof RegoSet) {
    return v.size === 0 ? "set()" : "{" + v.values().map(valueText).join(",") + "}";
  }
  return (
    "{" +
    v
      .entries()
      .map(([k, x]) => valueText(k) + ":" + valueText(x))
      .join(",") +
    "}"
  );
}
