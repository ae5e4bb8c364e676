import { beforeAll, describe, expect, it } from "vitest";
import { compilePolicy } from "../wasm/compile.js";
import { PolicyAbortError, WasmPolicy } from "./wasm-policy.js";

const POLICY = `package t

roles := {"owner", "admin"}

allowed if input.role in roles

matches if regex.match("^q-[0-9]+$", input.queue)

limit := data.config.limit

conflict := 1 if input.boom
conflict := 2 if input.boom
`;

let wasm: Uint8Array;

beforeAll(async () => {
  ({ wasm } = await compilePolicy({
    sources: [{ file: "t.rego", text: POLICY }],
    entrypoints: ["t/roles", "t/allowed", "t/matches", "t/limit", "t/conflict"],
  }));
});

describe("WasmPolicy", () => {
  it("evaluates entrypoints by name and id, with and without input", async () => {
    const policy = await WasmPolicy.load(wasm);
    expect(policy.evaluate("t/roles")).toEqual([{ result: ["admin", "owner"] }]);
    expect(policy.evaluate("t/allowed", { role: "admin" })).toEqual([{ result: true }]);
    expect(policy.evaluate("t/allowed", { role: "agent" })).toEqual([]);
    expect(policy.evaluate(policy.entrypointId("t/roles"))).toEqual([
      { result: ["admin", "owner"] },
    ]);
    expect(() => policy.evaluate("t/nope")).toThrow(/unknown entrypoint 't\/nope'/);
  });

  it("serves builtins the module imports from the TypeScript library", async () => {
    const policy = await WasmPolicy.load(wasm);
    expect(policy.builtinNames).toContain("regex.match");
    expect(policy.evaluate("t/matches", { queue: "q-12" })).toEqual([{ result: true }]);
    expect(policy.evaluate("t/matches", { queue: "sales" })).toEqual([]);
  });

  it("replaces data, and raises evaluation errors with their Rego location", async () => {
    const policy = await WasmPolicy.load(wasm);
    expect(policy.evaluate("t/limit")).toEqual([]);
    policy.setData({ config: { limit: 3 } });
    expect(policy.evaluate("t/limit")).toEqual([{ result: 3 }]);
    expect(() => policy.evaluate("t/conflict", { boom: true })).toThrow(PolicyAbortError);
    expect(() => policy.evaluate("t/conflict", { boom: true })).toThrow(
      /t\.rego:12:1: eval_conflict_error/,
    );
  });

  it("keeps linear memory flat across evaluations and data reloads", async () => {
    const policy = await WasmPolicy.load(wasm);
    policy.setData({ config: { limit: 1 } });
    for (let i = 0; i < 2_000; i++)
      policy.evaluate("t/allowed", { role: "owner", pad: "x".repeat(100) });
    const before = policy.memoryBytes();
    for (let i = 0; i < 20_000; i++) {
      policy.evaluate("t/allowed", { role: i % 2 ? "owner" : "agent", pad: "x".repeat(100) });
      if (i % 1_000 === 0) policy.setData({ config: { limit: i } });
    }
    expect(policy.memoryBytes()).toBe(before);
    expect(policy.evaluate("t/roles")).toEqual([{ result: ["admin", "owner"] }]);
  });
});
