import { beforeAll, describe, expect, it } from "vitest";
import { compilePolicy } from "../wasm/compile.js";
import { PolicyAbortError, WasmPolicy, checkBuiltinsServed } from "./wasm-policy.js";

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

  describe("host builtin errors", () => {
    const SOURCE = `package h

valid if regex.match(input.pattern, "q-1")

stamp := t if t := time.parse_rfc3339_ns(input.when)
`;
    const brokenClock = {
      "time.parse_rfc3339_ns": () => {
        throw new Error("clock unavailable");
      },
    };

    async function build(strict: boolean): Promise<Uint8Array> {
      const { wasm: bytes } = await compilePolicy({
        sources: [{ file: "h.rego", text: SOURCE }],
        entrypoints: ["h/valid", "h/stamp"],
        strict,
      });
      return bytes;
    }

    it("are undefined in a module built without --strict", async () => {
      const policy = await WasmPolicy.load(await build(false));
      expect(policy.evaluate("h/valid", { pattern: "^q-" })).toEqual([{ result: true }]);
      expect(policy.evaluate("h/valid", { pattern: "[" })).toEqual([]);
      expect(policy.evaluate("h/stamp", { when: "1970-01-01T00:00:01Z" })).toEqual([
        { result: 1_000_000_000 },
      ]);
      expect(policy.evaluate("h/stamp", { when: "yesterday" })).toEqual([]);
      const custom = await WasmPolicy.load(await build(false), { customBuiltins: brokenClock });
      expect(custom.evaluate("h/stamp", { when: "1970-01-01T00:00:01Z" })).toEqual([]);
    });

    it("abort with the call's Rego location in a --strict module", async () => {
      const policy = await WasmPolicy.load(await build(true));
      expect(policy.evaluate("h/valid", { pattern: "^q-" })).toEqual([{ result: true }]);
      expect(abortOf(() => policy.evaluate("h/valid", { pattern: "[" }))).toMatch(
        /^h\.rego:3:10: eval_builtin_error: regex\.match: /,
      );
      expect(abortOf(() => policy.evaluate("h/stamp", { when: "yesterday" }))).toMatch(
        /^h\.rego:5:20: eval_builtin_error: time\.parse_rfc3339_ns: /,
      );
      // The error belongs to one evaluation only.
      expect(policy.evaluate("h/valid", { pattern: "^q-" })).toEqual([{ result: true }]);
      const custom = await WasmPolicy.load(await build(true), { customBuiltins: brokenClock });
      expect(abortOf(() => custom.evaluate("h/stamp", { when: "yesterday" }))).toBe(
        "h.rego:5:20: eval_builtin_error: time.parse_rfc3339_ns: clock unavailable",
      );
    });

    it("abort without a location when only the host is strict", async () => {
      const policy = await WasmPolicy.load(await build(false), {
        customBuiltins: brokenClock,
        strict: true,
      });
      expect(abortOf(() => policy.evaluate("h/stamp", { when: "now" }))).toBe(
        "eval_builtin_error: time.parse_rfc3339_ns: clock unavailable",
      );
    });
  });

  it("answers time.now_ns with one time per evaluation", async () => {
    const { wasm: bytes } = await compilePolicy({
      sources: [
        { file: "n.rego", text: "package n\n\nstamps := [time.now_ns(), time.now_ns()]\n" },
      ],
      entrypoints: ["n/stamps"],
    });
    const policy = await WasmPolicy.load(bytes);
    const before = Date.now() * 1_000_000;
    const [first] = policy.evaluate("n/stamps") as { result: [number, number] }[];
    const [a, b] = first!.result;
    expect(a).toBe(b);
    expect(a).toBeGreaterThanOrEqual(before);
    expect(a).toBeLessThanOrEqual(Date.now() * 1_000_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = policy.evaluate("n/stamps") as { result: [number, number] }[];
    expect(second!.result[0]).toBeGreaterThan(a);
  });

  it("refuses at load a module whose builtins nobody serves", () => {
    expect(() =>
      checkBuiltinsServed(["regex.match", "custom.f"], { "custom.f": () => 1 }),
    ).not.toThrow();
    expect(() => checkBuiltinsServed(["regex.match", "acme.lookup", "toString"], {})).toThrow(
      "the module calls builtins this host does not provide: acme.lookup, toString",
    );
  });
});

function abortOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyAbortError);
    return (e as Error).message;
  }
  throw new Error("expected the evaluation to abort");
}
