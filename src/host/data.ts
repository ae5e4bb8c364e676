// Loads the tenant data set the policies read as `data`: every *.yaml / *.yml file of a
// directory, one tenant per file, validated as a whole. Any error anywhere means nothing is
// loaded: the caller gets a DiagnosticError listing every problem of every file.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  DiagnosticError,
  diagnostic,
  type Diagnostic,
  type SourcePosition,
} from "../diagnostics/diagnostic.js";
import type { Tenant } from "../types/generated/tenant.js";
import { validateTenantFile, type TenantFile } from "./validate.js";

/** The document the policies read as `data`: `data.tenants[<tenant id>]`. */
export interface PolicyData {
  tenants: Record<string, Tenant>;
}

const DATA_FILE = /^[^.].*\.ya?ml$/;

function directoryError(dir: string, message: string): DiagnosticError {
  return new DiagnosticError([
    diagnostic("data_validation_error", message, { file: dir, line: 1, col: 1 }),
  ]);
}

function dataFileNames(names: readonly string[]): string[] {
  return names.filter((n) => DATA_FILE.test(n)).sort();
}

/** Reads the tenant files of `dir` (sorted by name) without validating them. */
export async function readTenantFiles(dir: string): Promise<TenantFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw directoryError(dir, `data directory '${dir}' not found`);
  const names = dataFileNames(await readdir(dir));
  return Promise.all(
    names.map(async (n) => ({ path: join(dir, n), text: await readFile(join(dir, n), "utf8") })),
  );
}

export function readTenantFilesSync(dir: string): TenantFile[] {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw directoryError(dir, `data directory '${dir}' not found`);
  return dataFileNames(readdirSync(dir)).map((n) => ({
    path: join(dir, n),
    text: readFileSync(join(dir, n), "utf8"),
  }));
}

function formatPosition(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/**
 * Validates every file and assembles the data document. Throws a DiagnosticError with all
 * problems (each file's own, plus duplicate tenant IDs across files) when there is any.
 */
export function buildData(files: readonly TenantFile[], dir = "."): PolicyData {
  if (files.length === 0) throw directoryError(dir, `no tenant files (*.yaml) in '${dir}'`);
  const diagnostics: Diagnostic[] = [];
  const tenants = Object.create(null) as Record<string, Tenant>;
  const firstSeen = new Map<string, SourcePosition>();
  for (const file of files) {
    const result = validateTenantFile(file);
    diagnostics.push(...result.diagnostics);
    const id = result.tenant?.tenant;
    if (result.tenant === undefined || id === undefined || result.idPosition === undefined)
      continue;
    const earlier = firstSeen.get(id);
    if (earlier) {
      diagnostics.push(
        diagnostic(
          "data_validation_error",
          `tenant: duplicate tenant ID '${id}' (already defined at ${formatPosition(earlier)})`,
          result.idPosition,
        ),
      );
      continue;
    }
    firstSeen.set(id, result.idPosition);
    tenants[id] = result.tenant;
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  return { tenants };
}

/** Loads and validates every tenant file of `dir`; throws DiagnosticError on any problem. */
export async function loadData(dir: string): Promise<PolicyData> {
  return buildData(await readTenantFiles(dir), dir);
}

export function loadDataSync(dir: string): PolicyData {
  return buildData(readTenantFilesSync(dir), dir);
}
