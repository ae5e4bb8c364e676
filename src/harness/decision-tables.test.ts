import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { idsExercised, loadDecisionTables, runDecisionTables } from "./decision-tables.js";

function tableDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ccpol-tables-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("decision tables", () => {
  it("load rows with their file and line, in file order", () => {
    const dir = tableDir({
      "b.yaml": "- { tenant: t, user: u, action: a, allow: true, reasons: [GA-1] }\n",
      "a.yaml":
        "# first\n- { tenant: t, user: u, action: q, resource: { type: queue, id: q1 }, allow: false, reasons: [SUP-2, GS-1] }\n",
      "catalog-ids.yaml": "- { id: GA-1, kind: seed, actions: [] }\n",
    });
    const rows = loadDecisionTables(dir);
    expect(rows.map((r) => [r.where.slice(dir.length + 1), r.request.action])).toEqual([
      ["a.yaml:2", "q"],
      ["b.yaml:1", "a"],
    ]);
    expect(rows[0]!.request.resource).toEqual({ type: "queue", id: "q1" });
    expect(rows[0]!.reasons).toEqual(["SUP-2", "GS-1"]);
  });

  it("report every bad row with its position, loading none", () => {
    const dir = tableDir({
      "bad.yaml":
        "- { tenant: t, user: u, action: a, allow: true, reasons: [GA-1] }\n" +
        "- { tenant: t, user: 3, action: a, allow: yes, reasons: [GA-1] }\n" +
        "- { tenant: t, user: u, action: a, allow: true, reasons: [GA-1], typo: 1 }\n",
    });
    try {
      loadDecisionTables(dir);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DiagnosticError);
      const messages = (err as DiagnosticError).diagnostics.map(
        (d) => `${d.loc.line}:${d.loc.col}: ${d.message}`,
      );
      expect(messages).toEqual([
        "2:3: 'user' must be a string; 'allow' must be true or false",
        "3:3: unknown field 'typo'",
      ]);
    }
  });

  it("reject a file that is not a list of rows, and malformed YAML", () => {
    expect(() => loadDecisionTables(tableDir({ "x.yaml": "tenant: t\n" }))).toThrow(
      /a decision table is a list of rows/,
    );
    expect(() => loadDecisionTables(tableDir({ "x.yaml": "- { tenant: t\n" }))).toThrow(
      DiagnosticError,
    );
  });

  it("pass a row only when allow and the reasons (in any order) match", () => {
    const dir = tableDir({
      "t.yaml": "- { tenant: t, user: u, action: a, allow: true, reasons: [B-1, A-1] }\n",
    });
    const [row] = loadDecisionTables(dir);
    const run = (allow: boolean, reasons: string[]) =>
      runDecisionTables([row!], () => ({ allow, reasons }))[0]!.pass;
    expect(run(true, ["A-1", "B-1"])).toBe(true);
    expect(run(false, ["A-1", "B-1"])).toBe(false);
    expect(run(true, ["A-1"])).toBe(false);
    expect(run(true, ["A-1", "B-1", "C-1"])).toBe(false);
  });

  it("count covers only for allowed rows", () => {
    const dir = tableDir({
      "t.yaml":
        "- { tenant: t, user: u, action: a, allow: true, reasons: [X-3:unknown-queue, GA-1], covers: [X-2] }\n" +
        "- { tenant: t, user: u, action: a, allow: false, reasons: [GA-1], covers: [X-2] }\n",
    });
    const [allowed, denied] = loadDecisionTables(dir);
    expect([...idsExercised(allowed!)].sort()).toEqual(["GA-1", "X-2", "X-3"]);
    expect([...idsExercised(denied!)]).toEqual(["GA-1"]);
  });
});
