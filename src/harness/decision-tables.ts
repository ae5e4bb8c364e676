// Decision tables: YAML files of rows `{tenant, user, action, resource?, allow, reasons}`
// under test/decisions/, each the expected decision for one request. Run by vitest, by
// `ccpol test` and fed to `ccpol diff`.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { DiagnosticError, diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AuthorizedDecision, DecisionRequest } from "../host/authorizer.js";

export interface DecisionRow {
  file: string;
  line: number;
  request: DecisionRequest;
  allow: boolean;
  /** Expected reasons, sorted. */
  reasons: string[];
  /**
   * Catalog IDs an allowed row exercises besides its reasons (an ID that takes part in
   * the decision without being reported, e.g. a scope rule that let the request through).
   */
  covers: string[];
}

export interface RowResult {
  row: DecisionRow;
  actual: AuthorizedDecision;
  pass: boolean;
}

export const DECISION_TABLE_DIR = join("test", "decisions");

const ROW_KEYS = new Set(["tenant", "user", "action", "resource", "allow", "reasons", "covers"]);

/** Loads every `*.yaml` table of `dir`; throws one DiagnosticError listing every bad row. */
export function loadDecisionTables(dir: string): DecisionRow[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith("catalog"))
    .sort();
  const rows: DecisionRow[] = [];
  const errors: Diagnostic[] = [];
  for (const name of files) {
    const file = join(dir, name);
    rows.push(...parseTable(file, readFileSync(file, "utf8"), errors));
  }
  if (errors.length > 0) throw new DiagnosticError(errors);
  return rows;
}

/** The requests of a checkout's decision tables (none when it has no tables). */
export function decisionTableRequests(root: string): DecisionRequest[] {
  const dir = join(root, DECISION_TABLE_DIR);
  return existsSync(dir) ? loadDecisionTables(dir).map((r) => r.request) : [];
}

function parseTable(file: string, text: string, errors: Diagnostic[]): DecisionRow[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: Node | null | undefined) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line: pos.line, col: pos.col };
  };
  const fail = (message: string, node: Node | null | undefined) =>
    errors.push(diagnostic("data_validation_error", message, at(node)));
  for (const e of doc.errors) {
    errors.push(
      diagnostic("data_validation_error", e.message.split("\n")[0]!, {
        file,
        line: e.linePos?.[0].line ?? 1,
        col: e.linePos?.[0].col ?? 1,
      }),
    );
  }
  if (doc.errors.length > 0) return [];
  if (!isSeq(doc.contents)) {
    fail("a decision table is a list of rows", doc.contents);
    return [];
  }
  const rows: DecisionRow[] = [];
  for (const item of doc.contents.items) {
    if (!isMap(item)) {
      fail("a row is a mapping {tenant, user, action, resource?, allow, reasons}", item as Node);
      continue;
    }
    const row = item.toJSON() as Record<string, unknown>;
    const problems = rowProblems(row);
    if (problems.length > 0) {
      fail(problems.join("; "), item);
      continue;
    }
    const request: DecisionRequest = {
      tenant: row.tenant as string,
      user: row.user as string,
      action: row.action as string,
    };
    if (row.resource !== undefined) request.resource = row.resource as DecisionRequest["resource"];
    rows.push({
      file,
      line: at(item).line,
      request,
      allow: row.allow as boolean,
      reasons: [...(row.reasons as string[])].sort(),
      covers: (row.covers as string[] | undefined) ?? [],
    });
  }
  return rows;
}

function rowProblems(row: Record<string, unknown>): string[] {
  const problems = Object.keys(row)
    .filter((k) => !ROW_KEYS.has(k))
    .map((k) => `unknown field '${k}'`);
  for (const k of ["tenant", "user", "action"]) {
    if (typeof row[k] !== "string") problems.push(`'${k}' must be a string`);
  }
  if (typeof row.allow !== "boolean") problems.push("'allow' must be true or false");
  if (!Array.isArray(row.reasons) || !row.reasons.every((r) => typeof r === "string")) {
    problems.push("'reasons' must be a list of rule IDs");
  }
  const covers = row.covers;
  if (
    covers !== undefined &&
    (!Array.isArray(covers) || !covers.every((r) => typeof r === "string"))
  ) {
    problems.push("'covers' must be a list of rule IDs");
  }
  const res = row.resource;
  if (res !== undefined && (typeof res !== "object" || res === null || Array.isArray(res))) {
    problems.push("'resource' must be a mapping {type, id, role?}");
  }
  return problems;
}

export function runDecisionTables(
  rows: readonly DecisionRow[],
  decide: (request: DecisionRequest) => AuthorizedDecision,
): RowResult[] {
  return rows.map((row) => {
    const actual = decide(row.request);
    const reasons = [...actual.reasons].sort();
    const pass =
      actual.allow === row.allow &&
      reasons.length === row.reasons.length &&
      reasons.every((r, i) => r === row.reasons[i]);
    return { row, actual, pass };
  });
}

export function describeRow(row: DecisionRow): string {
  const r = row.request;
  const res =
    r.resource === undefined
      ? ""
      : ` ${r.resource.type}:${r.resource.id}${r.resource.role ? `→${r.resource.role}` : ""}`;
  return `${r.tenant}/${r.user} ${r.action}${res}`;
}
