// The contact-center policies as source files and parsed modules, for the suites that
// evaluate them with the reference evaluator.
import { readFileSync, readdirSync } from "node:fs";
import { parseModule } from "../../src/rego/parser.js";
import type { Module } from "../../src/rego/ast.js";

export const POLICY_DIR = "policies";

export interface PolicySource {
  file: string;
  text: string;
}

/** Every .rego file of policies/; `withTests` adds the *_test.rego files. */
export function policySources(withTests: boolean): PolicySource[] {
  return readdirSync(POLICY_DIR)
    .filter((f) => f.endsWith(".rego") && (withTests || !f.endsWith("_test.rego")))
    .sort()
    .map((f) => ({ file: `${POLICY_DIR}/${f}`, text: readFileSync(`${POLICY_DIR}/${f}`, "utf8") }));
}

export function parsedPolicies(withTests: boolean): Module[] {
  return policySources(withTests).map((s) => parseModule(s.text, s.file));
}

/** `[package path, rule name]` of every `test_*` rule, as `opa test` discovers them. */
export function regoTests(modules: readonly Module[]): { file: string; path: string[] }[] {
  return modules
    .filter((m) => m.file.endsWith("_test.rego"))
    .flatMap((m) =>
      [...new Set(m.rules.map((r) => r.head.name).filter((n) => n.startsWith("test_")))].map(
        (name) => ({ file: m.file, path: [...m.package.path, name] }),
      ),
    );
}
