// OPA's Wasm ABI as the runtime implements it: the eval context functions, the opa_eval
// fast path, builtins()/entrypoints(), and the `ccpol` hooks the code generator replaces.
// The last suite links a tiny "policy" into runtime.wasm with binaryen.js, exactly as the
// code generator does, and runs it through @open-policy-agent/opa-wasm.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import binaryen from "binaryen";
import { beforeAll, describe, expect, it } from "vitest";
import {
  RUNTIME_WASM,
  type Runtime,
  RuntimeAbort,
  ensureRuntimeBuilt,
  newRuntime,
} from "./testing.js";

// The SDK's ESM entry exports only loadPolicy (and a default its types do not declare);
// its CommonJS entry has both loaders.
const { loadPolicy, loadPolicySync } = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

beforeAll(() => {
  ensureRuntimeBuilt();
});

/** A runtime whose entrypoint 0 returns input.user and entrypoint 1 returns data.limits. */
function policyRuntime(): Runtime {
  return newRuntime({
    entrypointsJson: '{"p/user": 0, "p/limits": 1, "p/builtin": 2}',
    builtinsJson: '{"custom.double": 3}',
    evalEntrypoint: (rt, entrypoint, input, data) => {
      if (entrypoint === 0) return input === 0 ? 0 : rt.call("rt_get", input, rt.value('"user"'));
      if (entrypoint === 1) return rt.call("rt_get", data, rt.value('"limits"'));
      return rt.call("rt_call_builtin1", 3, rt.call("rt_ctx"), input);
    },
    builtin: (id, _ctx, args) => {
      expect(id).toBe(3);
      return args.length === 1 ? args[0]! : 0;
    },
  });
}

describe("evaluation through the ccpol hooks", () => {
  it("opa_eval parses input at inputPtr, evaluates and dumps the result set", () => {
    const rt = policyRuntime();
    const data = rt.parseJson('{"limits": {"agents": 10}}');
    const input = new TextEncoder().encode('{"user": "alice"}');
    const inputPtr = rt.writeBytes(input);
    const heap = inputPtr + input.length;
    const run = (entrypoint: number, len: number, format = 0): string =>
      rt.readCString(rt.call("opa_eval", 0, entrypoint, data, inputPtr, len, heap, format));
    expect(run(0, input.length)).toBe('[{"result":"alice"}]');
    expect(run(1, input.length)).toBe('[{"result":{"agents":10}}]');
    expect(run(0, 0)).toBe("[]");
    expect(run(2, input.length, 1)).toBe('{{"result":{"user":"alice"}}}');
    for (let i = 0; i < 1000; i++) run(0, input.length);
    expect(rt.call("opa_heap_ptr_get")).toBeLessThan(heap + 4096);
  });

  it("opa_eval aborts on invalid input JSON", () => {
    const rt = policyRuntime();
    const bad = new TextEncoder().encode('{"user": ');
    const ptr = rt.writeBytes(bad);
    expect(() => rt.call("opa_eval", 0, 0, 0, ptr, bad.length, ptr + bad.length, 0)).toThrow(
      RuntimeAbort,
    );
  });

  it("the eval context path gives the same results", () => {
    const rt = policyRuntime();
    const data = rt.parseJson('{"limits": [1, 2]}');
    const ctx = rt.call("opa_eval_ctx_new");
    rt.call("opa_eval_ctx_set_input", ctx, rt.parseJson('{"user": "bob"}'));
    rt.call("opa_eval_ctx_set_data", ctx, data);
    rt.call("opa_eval_ctx_set_entrypoint", ctx, 0);
    expect(rt.call("eval", ctx)).toBe(0);
    expect(rt.dumpJson(rt.call("opa_eval_ctx_get_result", ctx))).toBe('[{"result":"bob"}]');
    rt.call("opa_eval_ctx_set_entrypoint", ctx, 1);
    rt.call("eval", ctx);
    expect(rt.dumpJson(rt.call("opa_eval_ctx_get_result", ctx))).toBe('[{"result":[1,2]}]');
    rt.call("opa_eval_ctx_set_input", ctx, rt.parseJson("{}"));
    rt.call("opa_eval_ctx_set_entrypoint", ctx, 0);
    rt.call("eval", ctx);
    expect(rt.dumpJson(rt.call("opa_eval_ctx_get_result", ctx))).toBe("[]");
  });

  it("eval clears a builtin error left by an earlier evaluation", () => {
    const rt = policyRuntime();
    rt.builtin("div", "1", "0");
    expect(rt.lastError()).toBe("div: divide by zero");
    const ctx = rt.call("opa_eval_ctx_new");
    rt.call("eval", ctx);
    expect(rt.lastError()).toBeUndefined();
  });

  it("builtins() and entrypoints() return the hooks' JSON as objects", () => {
    const rt = policyRuntime();
    expect(rt.dumpJson(rt.call("builtins"))).toBe('{"custom.double":3}');
    expect(rt.dumpJson(rt.call("entrypoints"))).toBe('{"p/builtin":2,"p/limits":1,"p/user":0}');
  });

  it("exports the ABI version globals", () => {
    const rt = policyRuntime();
    const g = (name: string): number =>
      (rt.instance.exports[name] as WebAssembly.Global).value as number;
    expect(g("opa_wasm_abi_version")).toBe(1);
    expect(g("opa_wasm_abi_minor_version")).toBe(2);
  });

  it("starts the heap after ccpol.heap_base when it is above the runtime's data", () => {
    const rt = newRuntime({ heapBase: 200000 });
    expect(rt.call("opa_heap_ptr_get")).toBeGreaterThanOrEqual(200000);
    expect(rt.call("opa_malloc", 8)).toBeGreaterThanOrEqual(200000);
  });

  it("rt_abort and rt_println reach the env imports", () => {
    const printed: string[] = [];
    const rt = newRuntime({ println: (t) => printed.push(t) });
    rt.call("rt_println", rt.writeCString("hello"));
    expect(printed).toEqual(["hello"]);
    expect(() =>
      rt.call("rt_abort", rt.writeCString("p.rego:3:5: eval_conflict_error: x")),
    ).toThrow("p.rego:3:5: eval_conflict_error: x");
  });
});

// ---------------------------------------------------------------- linking, as codegen does

const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt;

interface DataSegmentInfo {
  name: string;
  offset: number;
  data: ArrayBuffer;
  passive: boolean;
}

/**
 * Links a policy into runtime.wasm: `allow` = input.user == data.admin (entrypoint 0),
 * `custom` = custom.fn(input) through opa_builtin1 (entrypoint 1).
 */
function linkPolicy(): Uint8Array {
  const m = binaryen.readBinary(readFileSync(RUNTIME_WASM));
  m.setFeatures(FEATURES);
  const fn = (name: string): string => binaryen.getExportInfo(m.getExport(name)).value;
  // binaryen.js 132 names these getNumDataSegments/getDataSegmentInfo (its .d.ts lags).
  const mm = m as unknown as {
    getNumDataSegments(): number;
    getDataSegmentByIndex(i: number): number;
    getDataSegmentInfo(ref: number): DataSegmentInfo;
  };
  const segments: binaryen.MemorySegment[] = [];
  let end = 0;
  for (let i = 0; i < mm.getNumDataSegments(); i++) {
    const info = mm.getDataSegmentInfo(mm.getDataSegmentByIndex(i));
    end = Math.max(end, info.offset + info.data.byteLength);
    segments.push({ offset: m.i32.const(info.offset), data: new Uint8Array(info.data) });
  }
  let at = (end + 15) & ~15;
  const place = (text: string): number => {
    const data = new TextEncoder().encode(text + "\0");
    segments.push({ offset: m.i32.const(at), data });
    const addr = at;
    at += data.length;
    return addr;
  };
  const entrypoints = place('{"p/allow":0,"p/custom":1}');
  const builtinsJson = place('{"custom.fn":0}');
  const userKey = place("user");
  const adminKey = place("admin");
  const memory = m.getMemoryInfo();
  m.setMemory(memory.initial, -1, null, segments, false, false, "mimport$0");
  m.addMemoryImport("mimport$0", "env", "memory");

  const i32 = binaryen.i32;
  const replace = (base: string, body: binaryen.ExpressionRef): void => {
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module === "ccpol" && info.base === base) {
        m.removeFunction(info.name);
        m.addFunction(info.name, info.params, info.results, [], body);
        return;
      }
    }
    throw new Error(`no hook ${base}`);
  };
  const str = (addr: number, len: number): binaryen.ExpressionRef =>
    m.call(fn("rt_string"), [m.i32.const(addr), m.i32.const(len)], i32);
  replace("heap_base", m.i32.const(at));
  replace("entrypoints_json", m.i32.const(entrypoints));
  replace("builtins_json", m.i32.const(builtinsJson));
  replace(
    "eval_entrypoint",
    m.if(
      m.i32.eqz(m.local.get(0, i32)),
      m.call(
        fn("rt_builtin_equal"),
        [
          m.call(fn("rt_get"), [m.local.get(1, i32), str(userKey, 4)], i32),
          m.call(fn("rt_get"), [m.local.get(2, i32), str(adminKey, 5)], i32),
        ],
        i32,
      ),
      m.call(
        fn("rt_call_builtin1"),
        [m.i32.const(0), m.call(fn("rt_ctx"), [], i32), m.local.get(1, i32)],
        i32,
      ),
    ),
  );
  expect(m.validate()).toBeTruthy();
  m.optimize();
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

describe("acceptance through @open-policy-agent/opa-wasm", () => {
  let wasm: Uint8Array;
  beforeAll(() => {
    wasm = linkPolicy();
  });

  it("loadPolicy: setData, evaluate by entrypoint name and id, custom builtins", async () => {
    const policy = await loadPolicy(wasm, undefined, {
      "custom.fn": (x: unknown) => ({ got: x }),
    });
    expect(policy.entrypoints).toEqual({ "p/allow": 0, "p/custom": 1 });
    policy.setData({ admin: "alice" });
    expect(policy.evaluate({ user: "alice" })).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: "bob" }, "p/allow")).toEqual([{ result: false }]);
    expect(policy.evaluate({}, 0)).toEqual([]);
    expect(policy.evaluate({ user: "é😀" }, "p/custom")).toEqual([
      { result: { got: { user: "é😀" } } },
    ]);
    policy.setData({ admin: "bob" });
    expect(policy.evaluate({ user: "bob" })).toEqual([{ result: true }]);
  });

  it("loadPolicySync: memory stays flat over many evaluations", () => {
    const policy = loadPolicySync(wasm, undefined, { "custom.fn": (x: unknown) => x });
    policy.setData({ admin: "alice", roles: { a: [1, 2, 3], b: { c: "d" } } });
    const before = policy.mem.buffer.byteLength;
    const input = { user: "alice", tenant: "t1", resource: { type: "queue", id: "q1" } };
    for (let i = 0; i < 20000; i++) expect(policy.evaluate(input)[0]!.result).toBe(true);
    expect(policy.mem.buffer.byteLength).toBe(before);
  });
});
