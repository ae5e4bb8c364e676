import { describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import { compilePolicySync } from "./compile.js";
import { ABI_EXPORTS, VALUE_EXPORTS } from "./codegen/module.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";

// The SDK's ESM entry lacks loadPolicySync and typed defaults; its CommonJS entry has both.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

interface Loaded {
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): { result: unknown }[];
  entrypoints: Record<string, number>;
  wasmInstance: WebAssembly.Instance;
}

function compile(text: string, entrypoints: string[], options: Record<string, unknown> = {}) {
  return compilePolicySync({ sources: [{ file: "p.rego", text }], entrypoints, ...options });
}

async function load(wasm: Uint8Array, custom: Record<string, (...a: unknown[]) => unknown> = {}) {
  const p = (await opa.loadPolicy(wasm, undefined, custom)) as Loaded;
  p.setData({});
  return p;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return String(err);
  }
  return "no error";
}

describe("compilePolicy through the OPA SDK", () => {
  it("exports exactly OPA's ABI plus our value extension, and lists entrypoints by id", async () => {
    const c = compile(`package a\np := 1\nq := 2\n`, ["a/p", "a/q"], { optimize: true });
    const module = new WebAssembly.Module(c.wasm);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(new Set(exports)).toEqual(new Set([...ABI_EXPORTS, ...VALUE_EXPORTS]));
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    expect(imports.every((i) => i.startsWith("env."))).toBe(true);
    const p = await load(c.wasm);
    expect(p.entrypoints).toEqual({ "a/p": 0, "a/q": 1 });
    expect(p.evaluate(undefined, "a/q")).toEqual([{ result: 2 }]);
    expect(p.evaluate(undefined, 0)).toEqual([{ result: 1 }]);
  });

  it("takes entrypoints from METADATA", () => {
    const c = compile(
      `package a
# METADATA
# entrypoint: true
allow if input.ok
`,
      [],
    );
    expect(c.entrypoints).toEqual(["a/allow"]);
  });

  it("reports conflicts through opa_abort with the Rego location", async () => {
    const p = await load(compile(`package a\np := input.x\np := 2 if input.y\n`, ["a/p"]).wasm);
    expect(p.evaluate({ x: 2, y: true })).toEqual([{ result: 2 }]);
    expect(errorOf(() => p.evaluate({ x: 1, y: true }))).toBe(
      "p.rego:3:1: eval_conflict_error: complete rules must not produce multiple outputs",
    );
    const q = await load(
      compile(`package a\nq[k] := 1 if some k in input.a\nq[k] := 2 if some k in input.b\n`, [
        "a/q",
      ]).wasm,
    );
    expect(q.evaluate({ a: ["x"], b: ["y"] })).toEqual([{ result: { x: 1, y: 2 } }]);
    expect(errorOf(() => q.evaluate({ a: ["x"], b: ["x"] }))).toBe(
      "p.rego:3:1: eval_conflict_error: object keys must be unique",
    );
    const f = await load(
      compile(`package a\nf(x) := 1 if x > 0\nf(x) := 2 if x > 1\nr := f(input)\n`, ["a/r"]).wasm,
    );
    expect(f.evaluate(1)).toEqual([{ result: 1 }]);
    expect(errorOf(() => f.evaluate(2))).toBe(
      "p.rego:3:1: eval_conflict_error: functions must not produce multiple outputs for same inputs",
    );
  });

  it("turns builtin errors into located eval_builtin_error in strict mode only", async () => {
    const src = `package a\nr := x if { x := input.a / input.b }\n`;
    const lax = await load(compile(src, ["a/r"]).wasm);
    expect(lax.evaluate({ a: 1, b: 0 })).toEqual([]);
    const strict = await load(compile(src, ["a/r"], { strict: true }).wasm);
    expect(strict.evaluate({ a: 4, b: 2 })).toEqual([{ result: 2 }]);
    expect(errorOf(() => strict.evaluate({ a: 1, b: 0 }))).toMatch(
      /^p\.rego:2:18: eval_builtin_error: div/,
    );
    // Errors about an operand's type are eval_type_error, as in OPA.
    expect(errorOf(() => strict.evaluate({ a: "1", b: 2 }))).toBe(
      "p.rego:2:18: eval_type_error: div: operands must be numbers",
    );
    expect(lax.evaluate({ a: "1", b: 2 })).toEqual([]);
  });

  it("evaluates constant rules at build time, and leaves failing ones to run time", async () => {
    const src = `package a
table := {"x": 1, "y": 2}
doubled := {k: d | some k, v in table; d := v * 2}
r := doubled[input.k]
clash := 1
clash := 2 if count(table) > 1
bad := 1 / 0
`;
    const scans = (c: ReturnType<typeof compile>, name: string): number =>
      JSON.stringify(c.plan.funcs.find((f) => f.name === name)?.body ?? []).split('"scan"').length -
      1;
    const folded = compile(src, ["a/r", "a/clash", "a/bad"], { strict: true });
    const plain = compile(src, ["a/r", "a/clash", "a/bad"], { strict: true, fold: false });
    expect(scans(folded, "rego$a.doubled")).toBe(0);
    expect(scans(plain, "rego$a.doubled")).toBe(1);
    const big = compile(`package a\nn := count([x | some x in numbers.range(1, 300000)])\n`, [
      "a/n",
    ]);
    expect(scans(big, "rego$a.n")).toBe(1); // too many steps to evaluate at build time
    expect((await load(big.wasm)).evaluate({}, "a/n")).toEqual([{ result: 300000 }]);
    for (const c of [folded, plain]) {
      const p = await load(c.wasm);
      expect(p.evaluate({ k: "y" }, "a/r")).toEqual([{ result: 4 }]);
      expect(errorOf(() => p.evaluate({}, "a/clash"))).toBe(
        "p.rego:6:1: eval_conflict_error: complete rules must not produce multiple outputs",
      );
      expect(errorOf(() => p.evaluate({}, "a/bad"))).toMatch(
        /^p\.rego:7:8: eval_builtin_error: div/,
      );
    }
  });

  it("prints with --debug and compiles print away otherwise", async () => {
    const src = `package a\np if { print("user", input.user, input.missing); true }\n`;
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const debug = await load(compile(src, ["a/p"], { debug: true }).wasm);
      expect(debug.evaluate({ user: { id: 7 } })).toEqual([{ result: true }]);
      expect(log).toHaveBeenCalledWith('user {"id":7} <undefined>');
      log.mockClear();
      const quiet = await load(compile(src, ["a/p"]).wasm);
      expect(quiet.evaluate({ user: 1 })).toEqual([{ result: true }]);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it("gives the same decisions with and without the rule index", async () => {
    const src = `package a
default allow := false
allow if { input.action == "read"; input.role == "viewer" }
allow if { input.action == "write"; input.role == "editor" }
allow if { input.action in {"read", "write"}; input.role == "admin" }
allow if input.role == "root"
`;
    const indexed = await load(compile(src, ["a/allow"]).wasm);
    const plain = await load(compile(src, ["a/allow"], { index: false }).wasm);
    for (const action of ["read", "write", "delete", 7]) {
      for (const role of ["viewer", "editor", "admin", "root", "nobody"]) {
        const input = { action, role };
        expect(indexed.evaluate(input)).toEqual(plain.evaluate(input));
      }
    }
    for (const odd of ["read", 7, [1], { action: null }, { action: { read: 1 } }]) {
      expect(indexed.evaluate(odd)).toEqual([{ result: false }]);
    }
    expect(indexed.evaluate({ role: "admin" })).toEqual([{ result: false }]);
    expect(indexed.evaluate({ action: "write", role: "admin" })).toEqual([{ result: true }]);
  });

  it("plans large rule groups as one function per rule, with and without the index", async () => {
    const rules = Array.from({ length: 70 }, (_, i) => `p := ${i % 3} if input.k == ${i}`);
    const src = `package a\ndefault p := -1\n${rules.join("\n")}\np := 9 if input.boom\n`;
    for (const index of [true, false]) {
      const c = compile(src, ["a/p"], { index });
      expect(c.plan.funcs.filter((f) => f.name.startsWith("rego$a.p#")).length).toBeGreaterThan(1);
      const p = await load(c.wasm);
      expect(p.evaluate({ k: 4 })).toEqual([{ result: 1 }]);
      expect(p.evaluate({ k: 99 })).toEqual([{ result: -1 }]);
      expect(errorOf(() => p.evaluate({ k: 5, boom: true }))).toMatch(
        /^p\.rego:\d+:1: eval_conflict_error: complete rules must not produce multiple outputs$/,
      );
    }
  });

  it("embeds data that applies when the host sets none", async () => {
    const src = `package a\nrole := data.roles[input.user]\n`;
    const c = compilePolicySync({
      sources: [{ file: "p.rego", text: src }],
      entrypoints: ["a/role"],
      data: { roles: { alice: "admin" } },
      embedData: true,
    });
    const p = (await opa.loadPolicy(c.wasm)) as Loaded;
    expect(p.evaluate({ user: "alice" })).toEqual([{ result: "admin" }]);
    p.setData({ roles: { alice: "agent" } });
    expect(p.evaluate({ user: "alice" })).toEqual([{ result: "agent" }]);
    p.setData({});
    expect(p.evaluate({ user: "alice" })).toEqual([{ result: "admin" }]);
  });

  it("calls non-native builtins through opa_builtinN", async () => {
    const c = compile(`package a\np := regex.match("^a+$", input)\nq := yaml.marshal(input)\n`, [
      "a/p",
      "a/q",
    ]);
    expect(c.builtins).toEqual(["regex.match", "yaml.marshal"]);
    const calls: unknown[][] = [];
    const p = await load(c.wasm, {
      "regex.match": (...args: unknown[]) => {
        calls.push(args);
        return new RegExp(args[0] as string).test(args[1] as string);
      },
    });
    expect(p.evaluate("aaa", "a/p")).toEqual([{ result: true }]);
    expect(p.evaluate("ab", "a/p")).toEqual([{ result: false }]);
    expect(calls).toEqual([
      ["^a+$", "aaa"],
      ["^a+$", "ab"],
    ]);
    // yaml.marshal is one of the SDK's own builtins.
    expect(p.evaluate({ k: 1 }, "a/q")).toEqual([{ result: "k: 1\n" }]);
  });

  it("leaves memory flat over many evaluations", async () => {
    const p = await load(
      compile(`package a\nr := {x | some x in input.xs; x > 1}\n`, ["a/r"]).wasm,
    );
    const input = { xs: [1, 2, 3, 4] };
    p.evaluate(input);
    const heap = () => (p.wasmInstance.exports.opa_heap_ptr_get as () => number)();
    const memory = () => (p as unknown as { mem: WebAssembly.Memory }).mem.buffer.byteLength;
    const before = memory();
    for (let i = 0; i < 5000; i++) p.evaluate(input);
    expect(memory()).toBe(before);
    expect(heap()).toBeGreaterThan(0);
    expect(p.evaluate(input)).toEqual([{ result: [2, 3, 4] }]);
  });

  it("fails the build with a located error for unsupported constructs", () => {
    try {
      compile(`package a\nf(x) := x\np if f(1) with f as 2\n`, ["a/p"]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DiagnosticError);
      expect((err as DiagnosticError).message).toMatch(
        /^p\.rego:3:\d+: rego_compile_error: not supported by the Wasm compiler/,
      );
    }
  });

  it("rejects unknown entrypoints", () => {
    expect(() => compile(`package a\np := 1\n`, ["a/nope"])).toThrow(/entrypoint a\/nope/);
  });
});
