// Rule coverage of the decision tables: every catalog ID needs a row it allows and a row it
// denies, and every Rego rule traced to an ID must fire (its body succeed) for some row.
// Which rules fire is read from the reference evaluator's trace of each row.
import { compileModules } from "../compiler/resolve.js";
import { createEvaluator } from "../eval/evaluator.js";
import { getBuiltin } from "../builtins/index.js";
import { isTestFile, type RegoSource } from "../rego/sources.js";
import type { TraceEvent } from "../eval/trace.js";
import { findRegoTests } from "./rego-tests.js";
import { fromJSON } from "../value/value.js";
import { idsExercised, type DecisionRow } from "./decision-tables.js";
import { ruleIdsOf } from "../review/rule-diff.js";
import { DECISION_ENTRYPOINT } from "../host/authorizer.js";

export interface IdCoverage {
  id: string;
  allowRows: number;
  denyRows: number;
}

export interface AnnotatedRule {
  ruleIds: string[];
  /** `file:line` of the rule. */
  location: string;
  /** What made its body succeed: a decision-table row, else only a Rego unit test. */
  firedBy: "table" | "rego-test" | "nothing";
}

export interface Coverage {
  ids: IdCoverage[];
  rules: AnnotatedRule[];
}

/**
 * Rules fire in the tables' decisions or, for defensive rules that only data the validator
 * rejects can reach (an unknown role, a custom role on a small plan), in the Rego unit
 * tests, which may use such data directly.
 */
export function measureCoverage(
  catalogIds: readonly string[],
  rows: readonly DecisionRow[],
  sources: readonly RegoSource[],
  data: unknown,
): Coverage {
  const ids = catalogIds.map((id) => ({
    id,
    allowRows: rows.filter((r) => r.allow && idsExercised(r).has(id)).length,
    denyRows: rows.filter((r) => !r.allow && idsExercised(r).has(id)).length,
  }));
  const program = compileModules(sources);
  const evaluator = createEvaluator(program, { data, builtins: getBuiltin });
  const byTables = new Set<string>();
  const decision = DECISION_ENTRYPOINT.split("/");
  for (const row of rows) {
    collectFired(
      evaluator.evalRef(decision, fromJSON(row.request), { trace: true }).trace,
      byTables,
    );
  }
  const byTests = new Set<string>();
  for (const test of findRegoTests(sources)) {
    collectFired(
      evaluator.evalRef(test.entrypoint.split("/"), undefined, { trace: true }).trace,
      byTests,
    );
  }
  const rules = program.modules
    .filter((m) => !isTestFile(m.file))
    .flatMap((m) =>
      m.rules
        .filter((r) => ruleIdsOf(r).length > 0)
        .map((r): AnnotatedRule => {
          const location = `${r.loc.file}:${r.loc.line}`;
          const firedBy = byTables.has(location)
            ? "table"
            : byTests.has(location)
              ? "rego-test"
              : "nothing";
          return { ruleIds: ruleIdsOf(r), location, firedBy };
        }),
    );
  return { ids, rules };
}

function collectFired(trace: readonly TraceEvent[], into: Set<string>): void {
  for (const e of trace) if (e.op === "exit") into.add(`${e.loc.file}:${e.loc.line}`);
}
