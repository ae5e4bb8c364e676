// One version of the policies and data, compiled and ready to answer every request of the
// decision space.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DECISION_ENTRYPOINT, type Authorizer } from "../host/authorizer.js";
import { openWorkspace } from "../host/workspace.js";
import { readRegoSources, type RegoSource } from "../rego/sources.js";
import { readVocabulary, VOCABULARY_ENTRYPOINTS, type Vocabulary } from "./decision-space.js";
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
  const workspace = await openWorkspace({
    root: checkout.root,
    entrypoints: [DECISION_ENTRYPOINT, ...Object.values(VOCABULARY_ENTRYPOINTS)],
    cache: false,
  });
  return {
    label: checkout.label,
    sources: readRegoSources([policyDir], { tests: false }),
    tenants: workspace.data["tenants"] as Record<string, Record<string, unknown>>,
    vocabulary: readVocabulary(workspace.authorizer.policy),
    authorizer: workspace.authorizer,
  };
}
