// Structure of the contact-center policies: packages, the one entrypoint, rule-ID
// traceability (METADATA custom.rule_ids + source), and the Rego unit tests (test_* rules
// in *_test.rego) run with the reference evaluator.
import { describe, expect, it } from "vitest";
import { evaluatorForSources } from "../../src/eval/support.js";
import { loadCatalogIds } from "../../src/harness/decision-tables.js";
import { findRegoTests } from "../../src/harness/rego-tests.js";
import { formatSource } from "../../src/rego/format.js";
import { parsedPolicies, policySources } from "./policy-sources.js";

const modules = parsedPolicies(true);
const policyModules = modules.filter((m) => !m.file.endsWith("_test.rego"));
const annotations = policyModules.flatMap((m) => [
  ...m.annotations,
  ...m.rules.flatMap((r) => r.annotations),
]);

describe("policies/", () => {
  it("are in the canonical layout (ccpol fmt --check)", () => {
    for (const s of policySources(true)) expect(formatSource(s.text, s.file), s.file).toBe(s.text);
  });

  it("live under ccpol.*, one package per file", () => {
    const packages = policyModules.map((m) => m.package.path.join("."));
    expect(new Set(packages).size).toBe(packages.length);
    for (const p of packages) expect(p.startsWith("ccpol.")).toBe(true);
  });

  it("have exactly one entrypoint: data.ccpol.decision.decision", () => {
    const entrypoints = policyModules.flatMap((m) =>
      m.rules
        .filter((r) => r.annotations.some((a) => a.entrypoint === true))
        .map((r) => [...m.package.path, r.head.name].join(".")),
    );
    expect(entrypoints).toEqual(["ccpol.decision.decision"]);
  });

  it("annotate every traced rule with known rule IDs and a source", () => {
    const known = new Set(loadCatalogIds().map((c) => c.id));
    const traced = annotations.filter((a) => a.custom?.["rule_ids"] !== undefined);
    expect(traced.length).toBeGreaterThan(50);
    for (const a of traced) {
      const where = `${a.loc.file}:${a.loc.line}`;
      const ids = a.custom?.["rule_ids"];
      expect(Array.isArray(ids), where).toBe(true);
      for (const id of ids as unknown[]) expect(known, `${where}: ${String(id)}`).toContain(id);
      expect(["seed", "vendor", "assumption"], where).toContain(a.custom?.["source"]);
    }
  });

  it("keep the catalog's assumption and vendor rules visible as such", () => {
    const sourcesOf = (id: string) =>
      new Set(
        annotations
          .filter((a) => (a.custom?.["rule_ids"] as unknown[] | undefined)?.includes(id))
          .map((a) => a.custom?.["source"]),
      );
    for (const c of loadCatalogIds().filter((x) => x.kind !== "seed")) {
      expect(sourcesOf(c.id), c.id).toContain(c.kind);
    }
  });
});

describe("Rego unit tests (policies/*_test.rego)", () => {
  const evaluator = evaluatorForSources(policySources(true), { data: {} });
  const tests = findRegoTests(policySources(true));

  it("exist for every concern", () => {
    const files = new Set(tests.map((t) => t.file));
    for (const concern of ["decision", "organization", "supervisor", "agent", "admin"]) {
      expect(files).toContain(`policies/${concern}_test.rego`);
    }
    expect(files).toContain("policies/predefined_roles_test.rego");
    expect(files).toContain("policies/custom_roles_test.rego");
  });

  for (const t of tests) {
    it(`${t.file}: ${t.name}`, () => {
      expect(evaluator.evalRef(t.entrypoint.split("/"))).toBe(true);
    });
  }
});
