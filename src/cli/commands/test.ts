import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Command, CommandIO } from "../command.js";
import { openWorkspace } from "../../host/workspace.js";
import {
  describeRow,
  loadCatalogIds,
  loadDecisionTables,
  runDecisionTables,
  type RowResult,
} from "../../harness/decision-tables.js";
import { runRegoTests, type RegoTestResult } from "../../harness/rego-tests.js";
import { measureCoverage, type Coverage } from "../../harness/coverage.js";
import { renderJUnit, type JUnitCase } from "../../harness/junit.js";
import { readRegoSources } from "../../rego/sources.js";

const usage = `Usage: ccpol test [--policies PATH]... [--data DIR] [--tables DIR] [--junit FILE] [--coverage]

Runs the decision tables (default test/decisions/*.yaml) against the compiled policies and
the tenant data, and every test_* rule of the *_test.rego files beside the policies (as
\`opa test\` does). Prints a pass/fail table; exit 1 when anything fails.

  --junit FILE   also write the results as JUnit XML
  --coverage     print the rule-by-rule coverage table (catalog IDs with allow and deny
                 rows, Rego rules traced to an ID that no row exercises); exit 1 on gaps`;

export const testCommand: Command = {
  name: "test",
  summary: "run decision tables and Rego unit tests (JUnit XML, coverage)",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        policies: { type: "string", multiple: true },
        data: { type: "string", default: "data" },
        tables: { type: "string", default: join("test", "decisions") },
        junit: { type: "string" },
        coverage: { type: "boolean", default: false },
      },
      strict: true,
    });
    const policyPaths = values.policies ?? ["policies"];
    const workspace = await openWorkspace({
      policies: policyPaths,
      data: values.data,
      cache: false,
    });
    const rows = loadDecisionTables(values.tables);
    const tableResults = runDecisionTables(rows, (r) => workspace.authorizer.authorize(r));
    const allSources = readRegoSources(policyPaths);
    const regoResults = await runRegoTests(allSources, workspace.data);

    printTables(io, tableResults);
    printRegoTests(io, regoResults);
    let coverageOk = true;
    if (values.coverage) {
      const catalog = loadCatalogIds(values.tables);
      const coverage = measureCoverage(
        catalog.map((c) => c.id),
        rows,
        allSources,
        workspace.data,
      );
      coverageOk = printCoverage(io, coverage);
    }
    if (values.junit !== undefined)
      writeFileSync(values.junit, renderJUnit(junitCases(tableResults, regoResults)));

    const failedRows = tableResults.filter((r) => !r.pass).length;
    const failedTests = regoResults.filter((r) => r.outcome !== "pass").length;
    io.stdout(
      `\n${tableResults.length - failedRows + regoResults.length - failedTests} passed, ${failedRows + failedTests} failed`,
    );
    return failedRows + failedTests === 0 && coverageOk ? 0 : 1;
  },
};

function printTables(io: CommandIO, results: readonly RowResult[]): void {
  io.stdout(`Decision tables: ${results.length} rows`);
  for (const r of results.filter((x) => !x.pass)) {
    io.stdout(
      `  FAIL ${r.row.file}:${r.row.line} ${describeRow(r.row)}\n` +
        `       want ${r.row.allow ? "allow" : "deny"} [${r.row.reasons.join(", ")}], ` +
        `got ${r.actual.allow ? "allow" : "deny"} [${r.actual.reasons.join(", ")}]` +
        (r.actual.error === undefined ? "" : ` (${r.actual.error})`),
    );
  }
  const failed = results.filter((r) => !r.pass).length;
  io.stdout(`  ${results.length - failed} pass, ${failed} fail`);
}

function printRegoTests(io: CommandIO, results: readonly RegoTestResult[]): void {
  io.stdout(`Rego tests: ${results.length}`);
  for (const r of results) {
    const mark = r.outcome === "pass" ? "PASS" : r.outcome === "fail" ? "FAIL" : "ERROR";
    io.stdout(
      `  ${mark.padEnd(5)} ${r.name} (${r.file}:${r.line})${r.message === undefined ? "" : `: ${r.message}`}`,
    );
  }
}

function printCoverage(io: CommandIO, coverage: Coverage): boolean {
  io.stdout("\nCoverage by catalog ID (rows that allow / deny with the ID among their reasons):");
  io.stdout(`  ${"ID".padEnd(7)} ${"allow".padStart(5)} ${"deny".padStart(5)}`);
  let ok = true;
  for (const c of coverage.ids) {
    const gap = c.allowRows === 0 || c.denyRows === 0;
    if (gap) ok = false;
    io.stdout(
      `  ${c.id.padEnd(7)} ${String(c.allowRows).padStart(5)} ${String(c.denyRows).padStart(5)}${gap ? "  MISSING" : ""}`,
    );
  }
  const byTables = coverage.rules.filter((r) => r.firedBy === "table").length;
  const byTests = coverage.rules.filter((r) => r.firedBy === "rego-test");
  const unfired = coverage.rules.filter((r) => r.firedBy === "nothing");
  io.stdout(
    `\nRego rules traced to catalog IDs: ${coverage.rules.length}; fired by the decision tables: ${byTables}, ` +
      `only by Rego unit tests: ${byTests.length}, never: ${unfired.length}`,
  );
  for (const r of byTests)
    io.stdout(`  only in Rego tests: ${r.location} [${r.ruleIds.join(", ")}]`);
  for (const r of unfired) io.stdout(`  never fired: ${r.location} [${r.ruleIds.join(", ")}]`);
  return ok && unfired.length === 0;
}

function junitCases(tables: readonly RowResult[], rego: readonly RegoTestResult[]): JUnitCase[] {
  const rows: JUnitCase[] = tables.map((r) => ({
    suite: `decisions.${r.row.file}`,
    name: `${r.row.file}:${r.row.line} ${describeRow(r.row)}`,
    ms: 0,
    ...(r.pass
      ? {}
      : {
          failure: {
            kind: "failure" as const,
            message: `want ${r.row.allow} [${r.row.reasons.join(", ")}], got ${r.actual.allow} [${r.actual.reasons.join(", ")}]`,
          },
        }),
  }));
  const tests: JUnitCase[] = rego.map((r) => ({
    suite: `rego.${r.file}`,
    name: r.name,
    ms: r.ms,
    ...(r.outcome === "pass"
      ? {}
      : {
          failure: {
            kind: r.outcome === "error" ? ("error" as const) : ("failure" as const),
            message: r.message ?? "",
          },
        }),
  }));
  return [...rows, ...tests];
}
