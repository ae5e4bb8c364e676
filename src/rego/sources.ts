// Finding and reading Rego source files: the one walker every command and tool uses.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface RegoSource {
  file: string;
  text: string;
}

export interface CollectOptions {
  /** Include `*_test.rego` files (default true). */
  tests?: boolean;
}

export const isTestFile = (path: string): boolean => path.endsWith("_test.rego");

/**
 * Every `.rego` file named by `paths` (files as given, directories walked recursively in
 * sorted order, hidden entries skipped), read as UTF-8. A missing path is an error.
 */
export function collectRegoFiles(paths: readonly string[], options: CollectOptions = {}): string[] {
  const files: string[] = [];
  const visit = (path: string, explicit: boolean) => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info === undefined) throw new Error(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      const names = readdirSync(path)
        .filter((n) => !n.startsWith("."))
        .sort();
      for (const n of names) visit(join(path, n), false);
    } else if (explicit || path.endsWith(".rego")) {
      if (options.tests === false && isTestFile(path)) return;
      files.push(path);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

export function readRegoSources(
  paths: readonly string[],
  options: CollectOptions = {},
): RegoSource[] {
  return collectRegoFiles(paths, options).map((file) => ({
    file,
    text: readFileSync(file, "utf8"),
  }));
}
