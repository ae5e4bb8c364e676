// The Rego language case suite on the reference evaluator (src/eval). The Wasm engine runs
// the same cases in its own runner; both must match OPA 1.x's expected results.
import { describe, expect, it } from "vitest";
import { expectOutcome, fromDiagnostics, type Outcome } from "./outcome.js";
import { loadCases, moduleFileName, type RegoCase } from "./cases.js";
import { evaluatorForSources } from "../../src/eval/support.js";
import { DiagnosticError } from "../../src/diagnostics/diagnostic.js";
import { toJSON } from "../../src/value/value.js";

function run(c: RegoCase): Outcome {
  const sources = c.modules.map((text, i) => ({ file: moduleFileName(i), text }));
  let evaluator;
  try {
    evaluator = evaluatorForSources(sources, { data: c.data ?? {} });
  } catch (err) {
    if (err instanceof DiagnosticError)
      return { kind: "compile_error", errors: fromDiagnostics(err.diagnostics) };
    throw err;
  }
  try {
    const value = evaluator.evalRef(c.entrypoint.split("/"), c.input as never);
    return value === undefined ? { kind: "undefined" } : { kind: "value", value: toJSON(value) };
  } catch (err) {
    if (err instanceof DiagnosticError)
      return { kind: "eval_error", errors: fromDiagnostics(err.diagnostics), text: err.message };
    throw err;
  }
}

const cases = loadCases();

describe("language cases on the reference evaluator", () => {
  it("the suite is not empty", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.name}`, () => expectOutcome(c, run(c)));
  }
});
