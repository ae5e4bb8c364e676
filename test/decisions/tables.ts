// Reads the decision tables (test/decisions/*.yaml) and the catalog ID list, for every
// runner: the reference-evaluator run here, the compiled-Wasm run, `ccpol test`.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { DecisionRequest, Resource } from "../../src/types/generated/decision-request.js";

export const TABLES_DIR = "test/decisions";
const CATALOG_FILE = "catalog-ids.yaml";

export interface DecisionRow {
  /** `file.yaml#N`, N counting rows from 1, for messages. */
  where: string;
  request: DecisionRequest;
  allow: boolean;
  reasons: string[];
  covers: string[];
}

export interface CatalogId {
  id: string;
  kind: "seed" | "vendor" | "assumption";
  actions: string[];
}

const ROW_KEYS = new Set(["tenant", "user", "action", "resource", "allow", "reasons", "covers"]);

function stringList(value: unknown, where: string, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Error(`${where}: '${field}' must be a list of strings`);
  }
  return value as string[];
}

function toRow(raw: unknown, where: string): DecisionRow {
  if (typeof raw !== "object" || raw === null) throw new Error(`${where}: a row must be a mapping`);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!ROW_KEYS.has(key)) throw new Error(`${where}: unknown field '${key}'`);
  }
  for (const key of ["tenant", "user", "action"]) {
    if (typeof r[key] !== "string") throw new Error(`${where}: '${key}' must be a string`);
  }
  if (typeof r["allow"] !== "boolean") throw new Error(`${where}: 'allow' must be a boolean`);
  const request: DecisionRequest = {
    tenant: r["tenant"] as string,
    user: r["user"] as string,
    action: r["action"] as string,
  };
  if (r["resource"] !== undefined) request.resource = r["resource"] as Resource;
  return {
    where,
    request,
    allow: r["allow"],
    reasons: stringList(r["reasons"], where, "reasons"),
    covers: stringList(r["covers"], where, "covers"),
  };
}

/** Every row of every table file, in file-name order. */
export function loadDecisionRows(dir = TABLES_DIR): DecisionRow[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== CATALOG_FILE)
    .sort();
  return files.flatMap((file) => {
    const rows: unknown = parse(readFileSync(join(dir, file), "utf8"));
    if (!Array.isArray(rows)) throw new Error(`${file}: expected a list of rows`);
    return rows.map((raw, i) => toRow(raw, `${file}#${i + 1}`));
  });
}

export function loadCatalogIds(dir = TABLES_DIR): CatalogId[] {
  const raw: unknown = parse(readFileSync(join(dir, CATALOG_FILE), "utf8"));
  if (!Array.isArray(raw)) throw new Error(`${CATALOG_FILE}: expected a list`);
  return raw as CatalogId[];
}

/** The bare rule ID of a reason: "X-3:unknown-queue" → "X-3". */
export function ruleIdOf(reason: string): string {
  return reason.split(":")[0] ?? reason;
}

/** The IDs a row exercises in its expected direction (reasons, plus covers when allowed). */
export function idsExercised(row: DecisionRow): Set<string> {
  const ids = new Set(row.reasons.map(ruleIdOf));
  if (row.allow) for (const id of row.covers) ids.add(id);
  return ids;
}
