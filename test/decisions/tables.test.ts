// Checks the decision tables themselves, without evaluating any policy: well-formed rows,
// every catalog ID covered by an allowed and a denied row, rows that name only the sample
// data's tenants and users unless they expect, and traceability between the
// catalog IDs and the policies' METADATA.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadData } from "../../src/host/data.js";
import { decisionErrors, decisionRequestErrors } from "../../src/host/validate.js";
import {
  idsExercised,
  loadCatalogIds,
  loadDecisionTables,
  ruleIdOf,
} from "../../src/harness/decision-tables.js";

const rows = loadDecisionTables("test/decisions");
const catalog = loadCatalogIds();
const catalogIds = new Set(catalog.map((c) => c.id));
const vocabulary = new Set(catalog.flatMap((c) => c.actions));

function policyRuleIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of readdirSync("policies").filter((f) => f.endsWith(".rego"))) {
    const text = readFileSync(`policies/${file}`, "utf8");
    for (const m of text.matchAll(/#\s+rule_ids:\s*\[([^\]]*)\]/g)) {
      for (const id of (m[1] ?? "").split(",")) if (id.trim()) ids.add(id.trim());
    }
  }
  return ids;
}

describe("catalog-ids.yaml", () => {
  it("lists 48 distinct IDs with a kind and actions", () => {
    expect(catalog).toHaveLength(48);
    expect(catalogIds.size).toBe(48);
    for (const c of catalog) {
      expect(["seed", "vendor", "assumption"], c.id).toContain(c.kind);
      expect(Array.isArray(c.actions), c.id).toBe(true);
    }
  });

  it("matches the IDs the policies trace in METADATA, both ways", () => {
    expect([...policyRuleIds()].sort()).toEqual([...catalogIds].sort());
  });
});

describe("decision tables", () => {
  it("have at least 150 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it("hold schema-valid requests and decisions with sorted, known reasons", () => {
    for (const row of rows) {
      expect(decisionRequestErrors(row.request), row.where).toEqual([]);
      expect(decisionErrors({ allow: row.allow, reasons: row.reasons }), row.where).toEqual([]);
      expect(row.reasons.length, row.where).toBeGreaterThan(0);
      expect([...row.reasons].sort(), row.where).toEqual(row.reasons);
      for (const id of [...row.reasons.map(ruleIdOf), ...row.covers]) {
        expect(catalogIds, `${row.where}: ${id}`).toContain(id);
      }
      if (row.covers.length > 0) expect(row.allow, `${row.where}: covers`).toBe(true);
    }
  });

  it("cover every catalog ID with an allowed and a denied row", () => {
    const missing: string[] = [];
    for (const id of catalogIds) {
      if (!rows.some((r) => r.allow && idsExercised(r).has(id))) missing.push(`${id} allow`);
      if (!rows.some((r) => !r.allow && idsExercised(r).has(id))) missing.push(`${id} deny`);
    }
    expect(missing).toEqual([]);
  });

  it("use every action of the vocabulary, and unknown ones only in X-1 rows", () => {
    const used = new Set(rows.map((r) => r.request.action));
    for (const action of vocabulary) expect(used, action).toContain(action);
    for (const row of rows) {
      if (!vocabulary.has(row.request.action)) {
        expect(row.reasons, row.where).toContain("X-1:unknown-action");
      }
    }
  });

  it("name the sample data's tenants, users and resources unless they expect a veto", async () => {
    const { tenants } = await loadData("data");
    const collections = {
      queue: "queues",
      ring_group: "ring_groups",
      user: "users",
      custom_role: "custom_roles",
    } as const;
    for (const row of rows) {
      if (row.reasons.some((r) => ["X-2", "X-3"].includes(ruleIdOf(r)))) continue;
      const tenant = tenants[row.request.tenant];
      expect(tenant, row.where).toBeDefined();
      expect(Object.keys(tenant!.users), row.where).toContain(row.request.user);
      const res = row.request.resource;
      if (res) {
        const items = (tenant as unknown as Record<string, Record<string, unknown>>)[
          collections[res.type]
        ];
        expect(Object.keys(items ?? {}), row.where).toContain(res.id);
      }
    }
  });

  it("have no two rows with the same request", () => {
    const seen = new Map<string, string>();
    for (const row of rows) {
      const key = JSON.stringify(row.request);
      expect(seen.get(key), `${row.where} repeats ${key}`).toBeUndefined();
      seen.set(key, row.where);
    }
  });
});
