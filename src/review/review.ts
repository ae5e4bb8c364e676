// `ccpol diff`: builds both versions, evaluates the whole decision space on both, and
// reports who gains or loses access, plus the rule-level change.
import type { DecisionRequest } from "../host/authorizer.js";
import { diffDecisions, type DecisionChange } from "./decision-diff.js";
import { enumerateRequests, requestId } from "./decision-space.js";
import { loadPolicyVersion, type PolicyVersion } from "./policy-version.js";
import { checkoutRevision, workTree, type Checkout } from "./revision.js";
import { diffRules, type RuleChange } from "./rule-diff.js";

export interface ReviewOptions {
  repoRoot: string;
  base: string;
  /** A git revision; undefined means the working tree. */
  head?: string;
  /** Extra requests to decide on both versions (decision-table rows). */
  extraRequests?: (version: PolicyVersion, root: string) => DecisionRequest[];
}

export interface Review {
  base: string;
  head: string;
  /** Number of distinct requests decided on both versions. */
  decisions: number;
  changes: DecisionChange[];
  rules: RuleChange[];
  /** Milliseconds for the whole review (both compiles included). */
  elapsedMs: number;
}

export async function reviewChange(options: ReviewOptions): Promise<Review> {
  const start = performance.now();
  const checkouts: Checkout[] = [];
  try {
    const baseCheckout = checkoutRevision(options.repoRoot, options.base);
    checkouts.push(baseCheckout);
    const headCheckout =
      options.head === undefined
        ? workTree(options.repoRoot)
        : checkoutRevision(options.repoRoot, options.head);
    checkouts.push(headCheckout);
    const [base, head] = await Promise.all([
      loadPolicyVersion(baseCheckout),
      loadPolicyVersion(headCheckout),
    ]);
    const requests = [
      ...enumerateRequests(base.tenants, base.vocabulary),
      ...enumerateRequests(head.tenants, head.vocabulary),
      ...(options.extraRequests?.(base, baseCheckout.root) ?? []),
      ...(options.extraRequests?.(head, headCheckout.root) ?? []),
    ];
    const changes = diffDecisions(requests, base.authorizer, head.authorizer);
    const decisions = new Set(requests.map(requestId)).size;
    return {
      base: base.label,
      head: head.label,
      decisions,
      changes,
      rules: diffRules(base.sources, head.sources),
      elapsedMs: performance.now() - start,
    };
  } finally {
    for (const c of checkouts) c.dispose();
  }
}

export type FailOn = "widening" | "any" | "none";

/** The exit code the review's `--fail-on` policy asks for. */
export function reviewExitCode(review: Review, failOn: FailOn): number {
  if (failOn === "none") return 0;
  if (failOn === "widening") return review.changes.some((c) => c.kind === "widening") ? 1 : 0;
  return review.changes.length > 0 || review.rules.length > 0 ? 1 : 0;
}
