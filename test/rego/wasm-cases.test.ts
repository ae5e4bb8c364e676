// The Rego language case suite on compiled Wasm modules, run through the official SDK
// (@open-policy-agent/opa-wasm) exactly as a service would: `loadPolicy` and
// `loadPolicySync`, `setData`, `evaluate` by entrypoint name and by id. Builtins the module
// does not implement natively are supplied as the SDK's custom builtins from the project's
// TypeScript builtin library.
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { loadCases, moduleFileName, type RegoCase } from "./cases.js";
import { compilePolicySync, type CompileResult } from "../../src/wasm/compile.js";
import { DiagnosticError } from "../../src/diagnostics/diagnostic.js";
import { expectOutcome, fromAbortText, fromDiagnostics, type Outcome } from "./outcome.js";
import { callBuiltinJSON } from "../../src/builtins/index.js";

// The SDK's ESM entry lacks loadPolicySync and typed defaults; its CommonJS entry has both.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

interface LoadedPolicy {
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): { result: unknown }[];
}

/** Custom builtins for the SDK: every host builtin the module lists. */
function hostBuiltins(names: readonly string[]): Record<string, (...args: unknown[]) => unknown> {
  const ctx = { nowNs: BigInt(Date.now()) * 1_000_000n, strict: false };
  return Object.fromEntries(
    names.map((n) => [n, (...args: unknown[]) => callBuiltinJSON(n, args, ctx)]),
  );
}

function compile(c: RegoCase, fold: boolean): CompileResult | Outcome {
  const sources = c.modules.map((text, i) => ({ file: moduleFileName(i), text }));
  try {
    return compilePolicySync({ sources, entrypoints: [c.entrypoint], fold });
  } catch (err) {
    if (err instanceof DiagnosticError)
      return { kind: "compile_error", errors: fromDiagnostics(err.diagnostics) };
    throw err;
  }
}

function evaluate(policy: LoadedPolicy, c: RegoCase, entrypoint: string | number): Outcome {
  try {
    const rs = policy.evaluate(c.input, entrypoint);
    if (rs.length === 0) return { kind: "undefined" };
    return { kind: "value", value: rs[0]!.result };
  } catch (err) {
    return fromAbortText(
      typeof err === "string" ? err : err instanceof Error ? err.message : String(err),
    );
  }
}

const cases = loadCases();

describe("language cases on compiled Wasm through @open-policy-agent/opa-wasm", () => {
  it("the suite is not empty", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.name}`, async () => {
      // Without folding, so that constant rules exercise the code generator too.
      const compiled = compile(c, false);
      if (!("wasm" in compiled)) return expectOutcome(c, compiled);
      const custom = hostBuiltins(compiled.builtins);
      const asyncPolicy = (await opa.loadPolicy(compiled.wasm, undefined, custom)) as LoadedPolicy;
      const syncPolicy = opa.loadPolicySync(compiled.wasm, undefined, custom) as LoadedPolicy;
      for (const policy of [asyncPolicy, syncPolicy]) {
        policy.setData(c.data ?? {});
        expectOutcome(c, evaluate(policy, c, c.entrypoint));
        expectOutcome(c, evaluate(policy, c, 0));
      }
      // As built by default: constant rules evaluated at build time give the same outcome.
      const folded = compile(c, true);
      if (!("wasm" in folded)) return expectOutcome(c, folded);
      const policy = opa.loadPolicySync(folded.wasm, undefined, hostBuiltins(folded.builtins));
      (policy as LoadedPolicy).setData(c.data ?? {});
      expectOutcome(c, evaluate(policy as LoadedPolicy, c, c.entrypoint));
    });
  }
});
