// The peer-engine models of the benchmark (bench/cedar, bench/casbin) must decide every
// decision-table row as the tables say, and the benchmark's agreement check must stop on a
// disagreement. The full decision space is checked by `make bench` itself.
import { describe, expect, it } from "vitest";
import { loadDataSync } from "../../src/host/data.js";
import { loadDecisionTables } from "../../src/harness/decision-tables.js";
import { CedarEngine, buildEntities } from "../../bench/cedar/translate.js";
import { CasbinEngine, effectivePermissions, policyLines } from "../../bench/casbin/translate.js";
import { checkAgreement, DisagreementError, mapKey, type Engine } from "../../bench/engines.js";
import { percentile, shuffled } from "../../bench/stats.js";

const tenants = loadDataSync("data").tenants as never;
const rows = loadDecisionTables("test/decisions");

describe("Cedar model of the catalog", () => {
  it("validates against its schema in strict mode", () => {
    expect(CedarEngine.validate()).toEqual([]);
  });

  it("generates entities the schema accepts, with tenant-qualified ids", () => {
    const engine = new CedarEngine(tenants);
    expect(engine.validateEntities()).toEqual([]);
    const entities = buildEntities(tenants);
    expect(entities.get("User::acme/lee")?.attrs).toMatchObject({
      role: "team_lead",
      customRole: { __entity: { type: "CustomRole", id: "acme/team_lead" } },
    });
    expect(entities.get("Tenant::acme")?.attrs).toMatchObject({ customRoleCount: 3 });
  });

  it("decides every decision-table row as the table says", () => {
    const engine = new CedarEngine(tenants);
    const wrong = rows.filter((r) => engine.authorize(r.request) !== r.allow);
    expect(wrong.map((r) => `${r.file}:${r.line}`)).toEqual([]);
  });
});

describe("casbin model of the catalog", () => {
  it("decides every decision-table row as the table says", async () => {
    const engine = await CasbinEngine.create(tenants);
    const wrong = rows.filter((r) => engine.authorize(r.request) !== r.allow);
    expect(wrong.map((r) => `${r.file}:${r.line}`)).toEqual([]);
  });

  it("makes CP-4 and CP-5 effective only with the permission they need", () => {
    expect(effectivePermissions(["telephony.edit"])).toEqual([]);
    expect(effectivePermissions(["telephony.edit", "telephony.view"])).toEqual([
      "telephony.edit",
      "telephony.view",
    ]);
    expect(effectivePermissions(["devices.manage"])).toEqual([]);
    expect(effectivePermissions(["kb.manage"])).toEqual(["kb.manage", "kb.view", "kb.write"]);
  });

  it("emits no custom-role grant on a plan without custom roles", () => {
    const lines = policyLines({
      small: { plan: "small", custom_roles: { r: { permissions: ["tickets.view"] } } },
    });
    expect(lines.filter((l) => l.startsWith("p, role:r,"))).toEqual([]);
  });
});

describe("benchmark agreement check", () => {
  const requests = rows.slice(0, 20).map((r) => r.request);
  const expected = new Map(rows.slice(0, 20).map((r) => [mapKey(r.request), r.allow]));
  const truth = (r: (typeof requests)[number]) => expected.get(mapKey(r))!;

  it("passes engines that agree", () => {
    const engine: Engine = { id: "same", label: "same", decide: truth, batch: 1 };
    expect(() => checkAgreement(requests, truth, [engine])).not.toThrow();
  });

  it("does not hold fixed-cost engines (one-line policies) to the project's answers", () => {
    const oneLine: Engine = {
      id: "call",
      label: "call",
      decide: (r) => !truth(r),
      batch: 1,
      fixedCost: true,
    };
    expect(() => checkAgreement(requests, truth, [oneLine])).not.toThrow();
  });

  it("stops with the list of disagreements", () => {
    const inverted: Engine = { id: "inverted", label: "x", decide: (r) => !truth(r), batch: 1 };
    const throwing: Engine = {
      id: "throwing",
      label: "y",
      decide: () => {
        throw new Error("boom");
      },
      batch: 1,
    };
    try {
      checkAgreement(requests, truth, [inverted, throwing]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DisagreementError);
      const list = (err as DisagreementError).disagreements;
      expect(list.filter((d) => d.startsWith("inverted:"))).toHaveLength(requests.length);
      expect(list.filter((d) => d.includes("error: boom"))).toHaveLength(requests.length);
    }
  });
});

describe("benchmark statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });

  it("shuffles deterministically, keeping every item", () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect(shuffled(xs)).toEqual(shuffled(xs));
    expect(shuffled(xs)).not.toEqual(xs);
    expect([...shuffled(xs)].sort((a, b) => a - b)).toEqual(xs);
  });
});
