// The contact-center policies as source files and parsed modules, for the suites that
// check and evaluate them.
import type { Module } from "../../src/rego/ast.js";
import { parseModule } from "../../src/rego/parser.js";
import { readRegoSources, type RegoSource } from "../../src/rego/sources.js";

export const POLICY_DIR = "policies";

/** Every .rego file of policies/; `withTests` adds the *_test.rego files. */
export function policySources(withTests: boolean): RegoSource[] {
  return readRegoSources([POLICY_DIR], { tests: withTests });
}

export function parsedPolicies(withTests: boolean): Module[] {
  return policySources(withTests).map((s) => parseModule(s.text, s.file));
}
