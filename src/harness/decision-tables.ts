// Decision tables: YAML files of rows `{tenant, user, action, resource?, allow, reasons}`
// under test/decisions/, each the expected decision for one request. Run by vitest, by
// `ccpol test` and fed to `ccpol diff`.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, LineCounter, parse, parseDocument, type Node } from "yaml";
import { DiagnosticError, diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AuthorizedDecision, DecisionRequest } from "../host/authorizer.js";

export interface DecisionRow {
  file: string;
  line: number;
  /** `file:line`, for messages. */
  where: string;
  request: DecisionRequest;
  allow: boolean;
  /** Expected reasons, as written (the tables keep them sorted; a test checks it). */
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
const CATALOG_FILE = "catalog-ids.yaml";

/** One catalog rule ID (test/decisions/catalog-ids.yaml). */
export interface CatalogId {
  id: string;
  kind: "seed" | "vendor" | "assumption";
  actions: string[];
}

const ROW_KEYS = new Set(["tenant", "user", "action", "resource", "allow", "reasons", "covers"]);

/** Loads every `*.yaml` table of `dir`; throws one DiagnosticError listing every bad row. */
export function loadDecisionTables(dir: string): DecisionRow[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== CATALOG_FILE)
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
    const line = at(item).line;
    rows.push({
      file,
      line,
      where: `${file}:${line}`,
      request,
      allow: row.allow as boolean,
      reasons: row.reasons as string[],
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
    const got = [...actual.reasons].sort();
    const want = [...row.reasons].sort();
    const pass =
      actual.allow === row.allow &&
      got.length === want.length &&
      got.every((r, i) => r === want[i]);
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

/** The catalog IDs the tables must cover. */
export function loadCatalogIds(dir: string = DECISION_TABLE_DIR): CatalogId[] {
  const raw: unknown = parse(readFileSync(join(dir, CATALOG_FILE), "utf8"));
  if (!Array.isArray(raw)) throw new Error(`${join(dir, CATALOG_FILE)}: expected a list`);
  return raw as CatalogId[];
}

/** The bare rule ID of a reason: "X-3:unknown-queue" → "X-3". */
export function ruleIdOf(reason: string): string {
  return reason.split(":")[0]!;
}

/** The IDs a row exercises in its expected direction (reasons, plus covers when allowed). */
export function idsExercised(row: DecisionRow): Set<string> {
  const ids = new Set(row.reasons.map(ruleIdOf));
  if (row.allow) for (const id of row.covers) ids.add(id);
  return ids;
}
