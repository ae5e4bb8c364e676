// Rule coverage of the decision tables: every catalog ID needs a row it allows and a row it
// denies, and every Rego rule traced to an ID must fire (its body succeed) for some row.
// Which rules fire is read from the reference evaluator's trace of each row.
import { compileModules } from "../compiler/resolve.js";
import { createEvaluator } from "../eval/evaluator.js";
import { getBuiltin } from "../builtins/index.js";
import type { RegoSource } from "../rego/sources.js";
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
  fired: boolean;
}

export interface Coverage {
  ids: IdCoverage[];
  rules: AnnotatedRule[];
}

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
  const fired = new Set<string>();
  const path = DECISION_ENTRYPOINT.split("/");
  for (const row of rows) {
    const { trace } = evaluator.evalRef(path, fromJSON(row.request), { trace: true });
    for (const e of trace) if (e.op === "exit") fired.add(`${e.loc.file}:${e.loc.line}`);
  }
  const rules = program.modules.flatMap((m) =>
    m.rules
      .filter((r) => ruleIdsOf(r).length > 0)
      .map((r) => {
        const location = `${r.loc.file}:${r.loc.line}`;
        return { ruleIds: ruleIdsOf(r), location, fired: fired.has(location) };
      }),
  );
  return { ids, rules };
}
