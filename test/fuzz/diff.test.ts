// Differential fuzzing in the test run: 2,000 generated cases (fixed seed) must give the same
// answer on the compiled Wasm module and on the reference evaluator. A failure prints the
// mismatches and a shrunk reproducer to paste into test/rego/ (see scripts/fuzz-diff.ts).
import { describe, expect, it } from "vitest";
import { CaseGenerator, caseEntrypoints, renderPackage } from "./generate.js";
import { frontEndError, outcomeText, sameOutcome, type Outcome } from "./diff.js";
import { runFuzz, shrinkByKind } from "./run.js";
import { reproducerYaml } from "./report.js";
import { canonicalJSON } from "./json.js";

const SEED = 20261122;

describe("differential fuzzing: Wasm module vs reference evaluator", () => {
  it("generates the same cases from the same seed", () => {
    const render = (seed: number): string[] => {
      const gen = new CaseGenerator(seed);
      return Array.from({ length: 20 }, () => gen.generate()).map((c) =>
        [...c.packages.map((p) => renderPackage(p, 0)), canonicalJSON(c.data)].join("\n"),
      );
    };
    expect(render(7)).toEqual(render(7));
    expect(render(7)).not.toEqual(render(8));
  });

  it("generates programs the checker accepts, with entrypoints", () => {
    const gen = new CaseGenerator(SEED + 1);
    const cases = Array.from({ length: 300 }, () => gen.generate());
    const rejected = cases.filter((c) => frontEndError(c) !== undefined);
    expect(rejected.length).toBeLessThan(6);
    for (const c of cases) expect(caseEntrypoints(c, 0).length).toBeGreaterThan(1);
  });

  it("compares values canonically and errors by code and location", () => {
    const value = (v: unknown): Outcome => ({ kind: "value", value: v });
    const error = (code: string, loc: string): Outcome => ({
      kind: "error",
      code,
      loc,
      message: "m",
    });
    expect(sameOutcome(value({ a: 1, b: [2] }), value({ b: [2], a: 1 }))).toBe(true);
    expect(sameOutcome(value([1, 2]), value([2, 1]))).toBe(false);
    expect(sameOutcome(value(null), { kind: "undefined" })).toBe(false);
    expect(
      sameOutcome(error("eval_conflict_error", "a:1:1"), error("eval_conflict_error", "a:1:1")),
    ).toBe(true);
    expect(
      sameOutcome(error("eval_conflict_error", "a:1:1"), error("eval_conflict_error", "a:1:5")),
    ).toBe(false);
    expect(
      sameOutcome(error("eval_conflict_error", "a:1:1"), error("eval_type_error", "a:1:1")),
    ).toBe(false);
    const crash: Outcome = { kind: "crash", message: "boom" };
    expect(sameOutcome(crash, crash)).toBe(false);
  });

  it("finds no mismatch in 2,000 generated cases", { timeout: 1_800_000 }, () => {
    const result = runFuzz({ seed: SEED, cases: 2000, batch: 250 });
    expect(result.cases).toBe(2000);
    expect(result.entrypoints).toBeGreaterThan(2000);
    const head =
      result.mismatches.length > 0
        ? [`${result.mismatches.length} of ${result.cases} cases mismatch; the first ones:`]
        : [];
    const report = head.concat(
      result.mismatches
        .slice(0, 10)
        .map(
          (m) =>
            `case ${m.caseNumber} ${m.entrypoint}: evaluator ${outcomeText(m.evaluator)} | wasm ${outcomeText(m.wasm)}`,
        ),
    );
    if (result.mismatches.length > 0) {
      const [shrunk] = shrinkByKind(result.mismatches, 1);
      if (shrunk !== undefined)
        report.push(reproducerYaml(shrunk, `fuzz seed ${SEED} case ${shrunk.caseNumber}`));
    }
    expect(report).toEqual([]);
  });
});
