// Every decision-table row, decided by the compiled Wasm module through the host.
import { beforeAll, describe, expect, it } from "vitest";
import {
  describeRow,
  loadDecisionTables,
  runDecisionTables,
  type RowResult,
} from "../../src/harness/decision-tables.js";
import { openWorkspace } from "../../src/host/workspace.js";

let results: RowResult[];

beforeAll(async () => {
  const { authorizer } = await openWorkspace({ cache: false });
  results = runDecisionTables(loadDecisionTables("test/decisions"), (r) => authorizer.authorize(r));
});

describe("decision tables on the compiled Wasm module", () => {
  it("decide every row as the table expects", () => {
    const failures = results
      .filter((r) => !r.pass)
      .map(
        (r) =>
          `${r.row.file}:${r.row.line} ${describeRow(r.row)}: want ${r.row.allow} [${r.row.reasons.join(", ")}], ` +
          `got ${r.actual.allow} [${r.actual.reasons.join(", ")}]${r.actual.error ? ` (${r.actual.error})` : ""}`,
      );
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(150);
  });
});
