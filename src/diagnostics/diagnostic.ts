// One diagnostic type for every stage. Codes follow OPA's error codes so that tooling which
// reads OPA's errors can read ours; each carries a source location and renders as
// `file:line:col: code: message`, then the source line and a caret.
import type { Location } from "../rego/ast.js";

export type DiagnosticCode =
  | "rego_parse_error"
  | "rego_unsafe_var_error"
  | "rego_type_error"
  | "rego_recursion_error"
  | "rego_compile_error"
  | "eval_conflict_error"
  | "eval_type_error"
  | "eval_builtin_error"
  | "data_validation_error";

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  loc: SourcePosition;
}

/** Thrown by any stage; carries every diagnostic of the run, not just the first. */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnosticHeader).join("\n"));
    this.name = "DiagnosticError";
    this.diagnostics = diagnostics;
  }
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  loc: SourcePosition | Location,
): Diagnostic {
  return { code, message, loc: { file: loc.file, line: loc.line, col: loc.col } };
}

export function formatDiagnosticHeader(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.code}: ${d.message}`;
}

/**
 * Renders a diagnostic with the offending source line and a caret under the column.
 * `source` maps file names to their text; a file not in it renders the header alone.
 */
export function renderDiagnostic(d: Diagnostic, source: ReadonlyMap<string, string>): string {
  const header = formatDiagnosticHeader(d);
  const text = source.get(d.loc.file);
  if (text === undefined) return header;
  const line = text.split(/\r?\n/)[d.loc.line - 1];
  if (line === undefined) return header;
  const shown = line.replace(/\t/g, " ");
  const caretCol = Math.max(0, Math.min(d.loc.col - 1, Array.from(shown).length));
  return `${header}\n  ${shown}\n  ${" ".repeat(caretCol)}^`;
}

/** Renders a list of diagnostics, capped at `limit` with a count of the rest. */
export function renderDiagnostics(
  list: readonly Diagnostic[],
  source: ReadonlyMap<string, string>,
  limit = 50,
): string {
  const shown = list.slice(0, limit).map((d) => renderDiagnostic(d, source));
  if (list.length > limit) shown.push(`... and ${list.length - limit} more errors`);
  return shown.join("\n");
}
