// `ccpol fmt`: prints Rego files in the canonical layout, or checks or rewrites them.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type Command, type CommandIO } from "../command.js";
import {
  DiagnosticError,
  renderDiagnostics,
  type Diagnostic,
} from "../../diagnostics/diagnostic.js";
import { formatSource } from "../../rego/format.js";
import { findRegoFiles } from "./check.js";

const USAGE = `Usage: ccpol fmt [--check | --write] <path>...

Formats .rego files (directories are walked recursively) in the canonical layout: tabs,
":=" and "if" in rules, one expression per line, sorted imports, one blank line between
rules, comments kept in place.

  (default)  print the formatted text of every file
  --check    list the files whose layout would change; exit code 1 if any would
  --write    rewrite the files whose layout changes, listing them

Files that do not parse are reported as "file:line:col: rego_parse_error: ..." with exit
code 1.`;

interface Formatted {
  file: string;
  original: string;
  formatted: string;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { check: { type: "boolean" }, write: { type: "boolean" } },
  });
  if (values.check === true && values.write === true) {
    throw new UsageError("--check and --write cannot be used together");
  }
  if (positionals.length === 0) throw new UsageError("expected at least one file or directory");
  const files = findRegoFiles(positionals, io.cwd);
  const { results, errors, sources } = formatFiles(files, io.cwd);
  if (values.check === true) {
    const changed = results.filter((r) => r.formatted !== r.original);
    if (changed.length > 0) io.stdout(changed.map((r) => r.file).join("\n"));
  } else if (values.write === true) {
    const changed = results.filter((r) => r.formatted !== r.original);
    for (const r of changed) writeFileSync(resolve(io.cwd, r.file), r.formatted);
    if (changed.length > 0) io.stdout(changed.map((r) => `formatted ${r.file}`).join("\n"));
  } else {
    for (const r of results) io.stdout(r.formatted);
  }
  if (errors.length > 0) {
    io.stderr(renderDiagnostics(errors, sources));
    return 1;
  }
  if (values.check === true && results.some((r) => r.formatted !== r.original)) return 1;
  return 0;
}

function formatFiles(
  files: readonly string[],
  cwd: string,
): { results: Formatted[]; errors: Diagnostic[]; sources: Map<string, string> } {
  const results: Formatted[] = [];
  const errors: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    const original = readFileSync(resolve(cwd, file), "utf8");
    sources.set(file, original);
    try {
      results.push({ file, original, formatted: formatSource(original, file) });
    } catch (err) {
      if (!(err instanceof DiagnosticError)) throw err;
      errors.push(...err.diagnostics);
    }
  }
  return { results, errors, sources };
}

export const fmtCommand: Command = {
  name: "fmt",
  summary: "format Rego files in the canonical layout (--check, --write)",
  usage: USAGE,
  run,
};
