// Evaluates the same requests on two policy versions and classifies what changed.
import type { AuthorizedDecision, DecisionRequest } from "../host/authorizer.js";
import { requestId } from "./decision-space.js";

export type ChangeKind = "widening" | "narrowing" | "reasons";

export interface DecisionChange {
  id: string;
  request: DecisionRequest;
  kind: ChangeKind;
  base: AuthorizedDecision;
  head: AuthorizedDecision;
}

export interface Decider {
  authorize(request: DecisionRequest): AuthorizedDecision;
}

/** Every request whose decision differs, widenings (deny → allow) first. */
export function diffDecisions(
  requests: readonly DecisionRequest[],
  base: Decider,
  head: Decider,
): DecisionChange[] {
  const changes: DecisionChange[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const id = requestId(request);
    if (seen.has(id)) continue;
    seen.add(id);
    const b = base.authorize(request);
    const h = head.authorize(request);
    const kind = classify(b, h);
    if (kind !== undefined) changes.push({ id, request, kind, base: b, head: h });
  }
  const order: Record<ChangeKind, number> = { widening: 0, narrowing: 1, reasons: 2 };
  return changes.sort((x, y) => order[x.kind] - order[y.kind] || x.id.localeCompare(y.id));
}

function classify(base: AuthorizedDecision, head: AuthorizedDecision): ChangeKind | undefined {
  if (!base.allow && head.allow) return "widening";
  if (base.allow && !head.allow) return "narrowing";
  const same =
    base.reasons.length === head.reasons.length &&
    base.reasons.every((r, i) => r === head.reasons[i]);
  return same ? undefined : "reasons";
}

export interface ChangeGroup {
  kind: ChangeKind;
  action: string;
  /** Rule IDs behind the change: the head's reasons for a widening, the base's otherwise. */
  ruleIds: string[];
  changes: DecisionChange[];
}

/** Groups changes by kind, action and the rule IDs that explain them. */
export function groupChanges(changes: readonly DecisionChange[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const change of changes) {
    const explaining = change.kind === "widening" ? change.head : change.base;
    const ruleIds = [...new Set(explaining.reasons.map((r) => r.split(":")[0]!))].sort();
    const key = `${change.kind}\u0000${change.request.action}\u0000${ruleIds.join(",")}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { kind: change.kind, action: change.request.action, ruleIds, changes: [] };
      groups.set(key, group);
    }
    group.changes.push(change);
  }
  return [...groups.values()];
}
