import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DiagnosticError } from "../../diagnostics/diagnostic.js";
import type { Module } from "../../rego/ast.js";
import { parseModule } from "../../rego/parser.js";
import { buildProgramWithDiagnostics } from "../resolve.js";
import { rng } from "../../../test/support/random.js";

const POLICIES = fileURLToPath(new URL("../../../policies/", import.meta.url));

/** Drops, duplicates or swaps a few lines: mostly still Rego, often wrong Rego. */
function mutate(text: string, rnd: () => number): string {
  const lines = text.split("\n");
  const edits = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * lines.length);
    const other = Math.floor(rnd() * lines.length);
    const op = rnd();
    if (op < 0.4) lines.splice(at, 1);
    else if (op < 0.7) lines.splice(at, 0, lines[other] ?? "");
    else [lines[at], lines[other]] = [lines[other] ?? "", lines[at] ?? ""];
  }
  return lines.join("\n");
}

function tryParse(text: string, file: string): Module | undefined {
  try {
    return parseModule(text, file);
  } catch (err) {
    if (err instanceof DiagnosticError) return undefined;
    throw err;
  }
}

describe("checker robustness", () => {
  const files = readdirSync(POLICIES)
    .filter((f) => f.endsWith(".rego"))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(POLICIES + f, "utf8") }));

  it("never throws on mutated policies, and locates every diagnostic", () => {
    const rnd = rng(20261122);
    let reported = 0;
    for (let n = 0; n < 60; n++) {
      const modules = files.map((f) =>
        rnd() < 0.5 ? tryParse(mutate(f.text, rnd), f.file) : tryParse(f.text, f.file),
      );
      const parsed = modules.filter((m): m is Module => m !== undefined);
      const { diagnostics } = buildProgramWithDiagnostics(parsed);
      for (const d of diagnostics) {
        expect(files.some((f) => f.file === d.loc.file)).toBe(true);
        expect(d.loc.line).toBeGreaterThanOrEqual(1);
        expect(d.loc.col).toBeGreaterThanOrEqual(1);
      }
      reported += diagnostics.length;
    }
    // The mutations must actually exercise the error paths.
    expect(reported).toBeGreaterThan(20);
  });
});
