// `ccpol check`: parses, resolves and statically checks Rego files, reporting every error
// (up to a limit) with its source line and a caret.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type Command, type CommandIO } from "../command.js";
import {
  DiagnosticError,
  renderDiagnostics,
  type Diagnostic,
} from "../../diagnostics/diagnostic.js";
import { parseModule } from "../../rego/parser.js";
import type { Module } from "../../rego/ast.js";
import { buildProgramWithDiagnostics, type SourceFile } from "../../compiler/resolve.js";
import { MAX_DIAGNOSTICS, sortDiagnostics } from "../../compiler/check/index.js";

const USAGE = `Usage: ccpol check <path>...

Parses every .rego file in the given files and directories (recursively) and checks them
together: syntax, unsafe variables, undefined functions, builtin arity and argument
types, recursion, conflicting rules and defaults, assignments to input/data, :=
redeclarations.

Errors print as "file:line:col: code: message" with the source line and a caret; at most
${MAX_DIAGNOSTICS} are shown. Exit code: 0 when there are no errors, 1 otherwise.`;

/** Every .rego file under the given paths, sorted within each directory walk. */
export function findRegoFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (isDir) out.push(...walkRego(full, p));
    else out.push(p);
  }
  return out;
}

function walkRego(dir: string, shown: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const display = join(shown, entry.name);
    if (entry.isDirectory()) found.push(...walkRego(full, display));
    else if (entry.name.endsWith(".rego")) found.push(display);
  }
  return found;
}

/** Parse errors of every file if any, else every check error of the whole program. */
export function checkSources(sources: readonly SourceFile[]): Diagnostic[] {
  const modules: Module[] = [];
  const parseErrors: Diagnostic[] = [];
  for (const s of sources) {
    try {
      modules.push(parseModule(s.text, s.file));
    } catch (err) {
      if (!(err instanceof DiagnosticError)) throw err;
      parseErrors.push(...err.diagnostics);
    }
  }
  if (parseErrors.length > 0) return sortDiagnostics(parseErrors);
  return buildProgramWithDiagnostics(modules).diagnostics;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError("expected at least one file or directory");
  const files = findRegoFiles(positionals, io.cwd);
  const sources = files.map((file) => ({
    file,
    text: readFileSync(resolve(io.cwd, file), "utf8"),
  }));
  const diagnostics = checkSources(sources);
  if (diagnostics.length === 0) {
    const noun = sources.length === 1 ? "file" : "files";
    io.stdout(`${sources.length} ${noun} checked, no errors`);
    return 0;
  }
  const text = new Map(sources.map((s) => [s.file, s.text]));
  const count = diagnostics.length === 1 ? "1 error" : `${diagnostics.length} errors`;
  io.stderr(`${renderDiagnostics(diagnostics, text, MAX_DIAGNOSTICS)}\n${count}`);
  return 1;
}

export const checkCommand: Command = {
  name: "check",
  summary: "check Rego files for errors (syntax, safety, types, arity, recursion)",
  usage: USAGE,
  run,
};
