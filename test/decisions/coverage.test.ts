// The coverage promise of the decision tables: every catalog ID has a row it allows and a
// row it denies, and every Rego rule traced to an ID fires — in a table row, or (for
// defensive rules only invalid data can reach) in a Rego unit test.
import { describe, expect, it } from "vitest";
import { measureCoverage } from "../../src/harness/coverage.js";
import { loadCatalogIds, loadDecisionTables } from "../../src/harness/decision-tables.js";
import { loadDataSync } from "../../src/host/data.js";
import { readRegoSources } from "../../src/rego/sources.js";

const coverage = measureCoverage(
  loadCatalogIds().map((c) => c.id),
  loadDecisionTables("test/decisions"),
  readRegoSources(["policies"]),
  JSON.parse(JSON.stringify(loadDataSync("data"))),
);

describe("rule coverage", () => {
  it("has an allow row and a deny row for every catalog ID", () => {
    const gaps = coverage.ids.filter((c) => c.allowRows === 0 || c.denyRows === 0);
    expect(gaps).toEqual([]);
    expect(coverage.ids.length).toBe(48);
  });

  it("fires every Rego rule traced to a catalog ID", () => {
    expect(coverage.rules.filter((r) => r.firedBy === "nothing")).toEqual([]);
    expect(coverage.rules.length).toBeGreaterThan(90);
    expect(coverage.rules.filter((r) => r.firedBy === "table").length).toBeGreaterThan(85);
  });
});
