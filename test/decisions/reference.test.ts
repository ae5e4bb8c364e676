// Runs every decision-table row through the reference evaluator (src/eval) over the
// policies and the sample data. The compiled-Wasm run of the same rows is the host's.
import { describe, expect, it } from "vitest";
import { evaluatorForSources } from "../../src/eval/support.js";
import { toValue } from "../../src/eval/evaluator.js";
import { loadDataSync } from "../../src/host/data.js";
import { toJSON } from "../../src/value/value.js";
import { policySources } from "../policies/policy-sources.js";
import { loadDecisionTables } from "../../src/harness/decision-tables.js";

const data: unknown = JSON.parse(JSON.stringify(loadDataSync("data")));
const evaluator = evaluatorForSources(policySources(false), { data });

describe("decision tables on the reference evaluator", () => {
  for (const row of loadDecisionTables("test/decisions")) {
    it(`${row.where}: ${row.request.user}@${row.request.tenant} ${row.request.action}`, () => {
      const result = evaluator.evalRef(["ccpol", "decision", "decision"], toValue(row.request));
      expect(result === undefined ? undefined : toJSON(result)).toEqual({
        allow: row.allow,
        reasons: row.reasons,
      });
    });
  }
});
