// One version of the policies and data, compiled and ready to answer every request of the
// decision space.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createAuthorizer, DECISION_ENTRYPOINT, type Authorizer } from "../host/authorizer.js";
import { loadDataSync } from "../host/data.js";
import { readRegoSources, type RegoSource } from "../rego/sources.js";
import { compilePolicy } from "../wasm/compile.js";
import { VOCABULARY_ENTRYPOINTS, type Vocabulary } from "./decision-space.js";
import type { Checkout } from "./revision.js";

export interface PolicyVersion {
  label: string;
  sources: RegoSource[];
  tenants: Record<string, Record<string, unknown>>;
  vocabulary: Vocabulary;
  authorizer: Authorizer;
}

export async function loadPolicyVersion(checkout: Checkout): Promise<PolicyVersion> {
  const policyDir = join(checkout.root, "policies");
  if (!existsSync(policyDir)) throw new Error(`${checkout.label}: no policies/ directory`);
  const sources = readRegoSources([policyDir], { tests: false });
  const compiled = await compilePolicy({
    sources,
    entrypoints: [DECISION_ENTRYPOINT, ...Object.values(VOCABULARY_ENTRYPOINTS)],
  });
  const data = loadDataSync(join(checkout.root, "data")) as unknown as {
    tenants: Record<string, Record<string, unknown>>;
  };
  const authorizer = await createAuthorizer({ bundle: { wasm: compiled.wasm }, data, cache: false });
  return {
    label: checkout.label,
    sources,
    tenants: data.tenants,
    vocabulary: readVocabulary(authorizer, checkout.label),
    authorizer,
  };
}

function readVocabulary(authorizer: Authorizer, label: string): Vocabulary {
  const read = (entrypoint: string): unknown => {
    const rs = authorizer.policy.evaluate(entrypoint);
    if (rs.length !== 1) throw new Error(`${label}: the policy does not define ${entrypoint}`);
    return rs[0]!.result;
  };
  return {
    actions: stringList(read(VOCABULARY_ENTRYPOINTS.actions)),
    resourceTypes: Object.fromEntries(
      Object.entries(read(VOCABULARY_ENTRYPOINTS.resourceTypes) as Record<string, unknown>).map(
        ([action, types]) => [action, stringList(types)],
      ),
    ),
    collections: read(VOCABULARY_ENTRYPOINTS.collections) as Record<string, string>,
    baseRoles: stringList(read(VOCABULARY_ENTRYPOINTS.baseRoles)),
  };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").sort() : [];
}
