import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticError, formatDiagnosticHeader } from "../diagnostics/diagnostic.js";
import { buildData, loadData, loadDataSync } from "./data.js";
import { MAX_FILE_BYTES, SETTING_DEFAULTS } from "./validate.js";

const FIXTURES = "test/data-invalid";

/** Every rejection the catalog lists, by fixture name (plus the parser's own limits). */
const REQUIRED_FIXTURES = [
  "sup3-turned-off",
  "custom-role-on-small-plan",
  "too-many-custom-roles",
  "unknown-permission",
  "admin-only-permission",
  "unknown-role",
  "unknown-queue-member",
  "unknown-ring-group-member",
  "duplicate-user-id",
  "duplicate-member",
  "duplicate-tenant-id",
  "unknown-setting",
  "unknown-settings-section",
  "forbidden-proto-key",
  "forbidden-constructor-key",
  "deep-nesting",
];

async function diagnosticsOf(dir: string): Promise<string[]> {
  try {
    await loadData(dir);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return e.diagnostics.map((d) =>
      formatDiagnosticHeader({ ...d, loc: { ...d.loc, file: relative(dir, d.loc.file) } })
        .split(`${dir}/`)
        .join("<dir>/"),
    );
  }
  return [];
}

function thrown(fn: () => unknown): DiagnosticError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiagnosticError) return e;
    throw e;
  }
  throw new Error("expected a DiagnosticError");
}

describe("sample data (data/)", () => {
  it("loads clean with its four tenants", async () => {
    const data = await loadData("data");
    expect(Object.keys(data.tenants).sort()).toEqual(["acme", "globex", "initech", "umbrella"]);
    expect(loadDataSync("data")).toEqual(data);
  });

  it("builds prototype-free objects that serialise to plain JSON", async () => {
    const data = await loadData("data");
    const acme = data.tenants["acme"]!;
    expect(Object.getPrototypeOf(data.tenants)).toBeNull();
    expect(Object.getPrototypeOf(acme.users)).toBeNull();
    expect(JSON.parse(JSON.stringify(data))).toEqual(JSON.parse(JSON.stringify(data)));
    expect(acme.queues?.["sales"]?.wrap_up_seconds).toBe(30);
    expect(acme.users["kim"]?.role).toBe("kb_editor");
  });

  it("exercises every plan, every base role and every setting on and off", async () => {
    const data = await loadData("data");
    const tenants = Object.values(data.tenants);
    expect(new Set(tenants.map((t) => t.plan))).toEqual(
      new Set(["small", "medium", "large", "enterprise"]),
    );
    const roles = new Set(tenants.flatMap((t) => Object.values(t.users).map((u) => u.role)));
    for (const r of ["owner", "admin", "supervisor", "agent", "test"]) expect(roles).toContain(r);
    const seen = new Map<string, Set<unknown>>();
    for (const t of tenants) {
      for (const [section, defaults] of Object.entries(SETTING_DEFAULTS)) {
        const written = (t.settings as Record<string, Record<string, unknown>> | undefined)?.[
          section
        ];
        for (const [name, fallback] of Object.entries(defaults)) {
          const key = `${section}.${name}`;
          seen.set(key, (seen.get(key) ?? new Set()).add(written?.[name] ?? fallback));
        }
      }
    }
    for (const [key, values] of seen) {
      if (key === "supervisor.view_queue_settings") continue; // SUP-3 cannot be off
      expect(values, key).toEqual(new Set([true, false]));
    }
    expect(seen.size).toBe(13);
  });
});

describe("invalid data (test/data-invalid/)", () => {
  const cases = readdirSync(FIXTURES).sort();

  it("has a fixture for every rejection rule", () => {
    for (const name of REQUIRED_FIXTURES) expect(cases).toContain(name);
  });

  for (const name of cases) {
    it(`${name}: reports exactly the expected diagnostics and loads nothing`, async () => {
      const dir = join(FIXTURES, name);
      const expected = readFileSync(join(dir, "expected.txt"), "utf8").trimEnd().split("\n");
      expect(await diagnosticsOf(dir)).toEqual(expected);
    });
  }

  it("keeps the prototype of plain objects clean", async () => {
    await diagnosticsOf(join(FIXTURES, "forbidden-proto-key"));
    expect(({} as Record<string, unknown>)["role"]).toBeUndefined();
  });

  it("rejects a file over the size limit before parsing it", () => {
    const text = `tenant: t1\nplan: small\nusers:\n  ann: { role: agent }\n# ${"x".repeat(MAX_FILE_BYTES)}\n`;
    const error = thrown(() => buildData([{ path: "big.yaml", text }]));
    expect(error.diagnostics.map(formatDiagnosticHeader)).toEqual([
      `big.yaml:1:1: data_validation_error: file is too large (${Buffer.byteLength(text)} bytes; the limit is ${MAX_FILE_BYTES})`,
    ]);
  });

  it("rejects pathological nesting without crashing", () => {
    const text = `tenant: t1\nusers: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`;
    const error = thrown(() => buildData([{ path: "deep.yaml", text }]));
    expect(error.diagnostics).toHaveLength(1);
    expect(formatDiagnosticHeader(error.diagnostics[0]!)).toBe(
      "deep.yaml:2:72: data_validation_error: document is nested deeper than 32 levels",
    );
  });

  it("reports a missing directory and an empty one", async () => {
    await expect(loadData("no/such/dir")).rejects.toThrow(
      "no/such/dir:1:1: data_validation_error: data directory 'no/such/dir' not found",
    );
    expect(thrown(() => buildData([], "empty")).message).toBe(
      "empty:1:1: data_validation_error: no tenant files (*.yaml) in 'empty'",
    );
  });
});
