// The Rego language case suite on the reference evaluator (src/eval). The Wasm engine runs
// the same cases in its own runner; both must match OPA 1.x's expected results.
import { describe, expect, it } from "vitest";
import { loadCases, moduleFileName, type RegoCase } from "./cases.js";
import { evaluatorForSources } from "../../src/eval/support.js";
import { DiagnosticError, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { toJSON } from "../../src/value/value.js";

type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "undefined" }
  | { kind: "compile_error"; diagnostics: readonly Diagnostic[] }
  | { kind: "eval_error"; diagnostics: readonly Diagnostic[] };

function run(c: RegoCase): Outcome {
  const sources = c.modules.map((text, i) => ({ file: moduleFileName(i), text }));
  let evaluator;
  try {
    evaluator = evaluatorForSources(sources, { data: c.data ?? {} });
  } catch (err) {
    if (err instanceof DiagnosticError)
      return { kind: "compile_error", diagnostics: err.diagnostics };
    throw err;
  }
  try {
    const value = evaluator.evalRef(c.entrypoint.split("/"), c.input as never);
    return value === undefined ? { kind: "undefined" } : { kind: "value", value: toJSON(value) };
  } catch (err) {
    if (err instanceof DiagnosticError) return { kind: "eval_error", diagnostics: err.diagnostics };
    throw err;
  }
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case "value":
      return `value ${JSON.stringify(o.value)}`;
    case "undefined":
      return "undefined";
    default:
      return `${o.kind}: ${o.diagnostics.map((d) => `${d.loc.line}:${d.loc.col} ${d.code}: ${d.message}`).join("; ")}`;
  }
}

const cases = loadCases();

describe("language cases on the reference evaluator", () => {
  it("the suite is not empty", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.name}`, () => {
      const got = run(c);
      const shown = describeOutcome(got);
      if (c.wantCompileError !== undefined) {
        const want = c.wantCompileError;
        expect(got.kind, shown).toBe("compile_error");
        const ds = got.kind === "compile_error" ? got.diagnostics : [];
        const match = ds.some(
          (d) =>
            d.code === want.code &&
            d.message.includes(want.message) &&
            (want.line === undefined || d.loc.line === want.line) &&
            (want.col === undefined || d.loc.col === want.col),
        );
        expect(match, `want ${JSON.stringify(want)}, got ${shown}`).toBe(true);
      } else if (c.wantError !== undefined) {
        const want = c.wantError;
        expect(got.kind, shown).toBe("eval_error");
        const ds = got.kind === "eval_error" ? got.diagnostics : [];
        const match = ds.some(
          (d) =>
            d.code === want.code &&
            d.message.includes(want.message) &&
            (want.line === undefined ||
              (d.loc.file === "module0.rego" && d.loc.line === want.line)) &&
            (want.col === undefined || d.loc.col === want.col),
        );
        expect(match, `want ${JSON.stringify(want)}, got ${shown}`).toBe(true);
      } else if (c.wantUndefined) {
        expect(shown).toBe("undefined");
      } else {
        expect(got.kind, shown).toBe("value");
        expect(got.kind === "value" ? got.value : undefined).toEqual(c.want);
      }
    });
  }
});
