// What running a language case produced, and the one check of it against the case's
// expectation that both engines' runners share (eval-cases.test.ts, wasm-cases.test.ts).
import { expect } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { RegoCase } from "./cases.js";

/** A located error, as a diagnostic or as the Wasm abort text `file:line:col: code: message`. */
export interface LocatedError {
  file: string;
  line: number;
  col: number;
  code: string;
  message: string;
}

export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "undefined" }
  | { kind: "compile_error"; errors: readonly LocatedError[] }
  /** `errors` is empty when the engine raised an error without a location (`text`). */
  | { kind: "eval_error"; errors: readonly LocatedError[]; text: string };

export function fromDiagnostics(diagnostics: readonly Diagnostic[]): LocatedError[] {
  return diagnostics.map((d) => ({ ...d.loc, code: d.code, message: d.message }));
}

const ABORT = /^(.+?):(\d+):(\d+): ([a-z_]+): (.*)$/s;

/** An abort message of a compiled module, located if it has the `file:line:col:` prefix. */
export function fromAbortText(text: string): Outcome {
  const m = ABORT.exec(text);
  const errors =
    m === null
      ? []
      : [{ file: m[1]!, line: Number(m[2]), col: Number(m[3]), code: m[4]!, message: m[5]! }];
  return { kind: "eval_error", errors, text };
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case "value":
      return `value ${JSON.stringify(o.value)}`;
    case "undefined":
      return "undefined";
    default:
      return `${o.kind}: ${o.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.code}: ${e.message}`).join("; ")}${o.kind === "eval_error" && o.errors.length === 0 ? `(unlocated) ${o.text}` : ""}`;
  }
}

/**
 * Errors match by code and message text, and by position when the case gives one (line and
 * column of the first module, module0.rego).
 */
export function expectOutcome(c: RegoCase, got: Outcome): void {
  const shown = describeOutcome(got);
  const want = c.wantCompileError ?? c.wantError;
  if (want !== undefined) {
    expect(got.kind, shown).toBe(c.wantCompileError !== undefined ? "compile_error" : "eval_error");
    const errors = got.kind === "compile_error" || got.kind === "eval_error" ? got.errors : [];
    const match = errors.some(
      (e) =>
        e.code === want.code &&
        e.message.includes(want.message) &&
        (want.line === undefined || (e.file === "module0.rego" && e.line === want.line)) &&
        (want.col === undefined || e.col === want.col),
    );
    expect(match, `want ${JSON.stringify(want)}, got ${shown}`).toBe(true);
  } else if (c.wantUndefined) {
    expect(shown).toBe("undefined");
  } else {
    expect(got.kind, shown).toBe("value");
    expect(got.kind === "value" ? got.value : undefined).toEqual(c.want);
  }
}
