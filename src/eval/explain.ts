// Structured explanations of a decision for the host (`authorize(request, {explain: true})`)
// and for reviewers: which catalog rules fired (METADATA `custom.rule_ids` of rules whose
// body succeeded) and which conditions failed in the rules that were tried.
import type { SourcePosition } from "../diagnostics/diagnostic.js";
import type { Value } from "../value/value.js";
import { toValue, type Evaluator } from "./evaluator.js";
import type { TraceEvent } from "./trace.js";

export interface FailedCondition {
  /** The rule whose body holds the condition, e.g. `data.cc.authz.allow`. */
  rule: string;
  /** The condition as written. */
  text: string;
  location: SourcePosition;
  /** Why it failed, with operand values: `evaluated to false (input.action = "x")`. */
  reason: string;
}

export interface DecisionExplanation {
  /** The decision document, undefined if undefined. */
  value: Value | undefined;
  /** Rule IDs of the rules whose body succeeded, in evaluation order, without repeats. */
  ruleIds: string[];
  /** Failed conditions of the rule bodies tried (not those inside `not`), without repeats. */
  failed: FailedCondition[];
  trace: TraceEvent[];
}

/**
 * Evaluates `data.<path>` with tracing and summarises the trace. `input` may be a Rego
 * value or plain JSON (as parsed); undefined means no input.
 */
export function explainDecision(
  evaluator: Evaluator,
  path: readonly string[],
  input?: unknown,
): DecisionExplanation {
  const value = input === undefined ? undefined : toValue(input);
  const { value: result, trace } = evaluator.evalRef(path, value, { trace: true });
  return {
    value: result,
    ruleIds: firedRuleIds(trace),
    failed: failedConditions(trace),
    trace,
  };
}

export function firedRuleIds(trace: readonly TraceEvent[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const e of trace) {
    if (e.op !== "exit" || e.ruleIds === undefined) continue;
    for (const id of e.ruleIds) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  return ids;
}

export function failedConditions(trace: readonly TraceEvent[]): FailedCondition[] {
  const out: FailedCondition[] = [];
  const seen = new Set<string>();
  for (const e of trace) {
    if (e.op !== "fail" || e.negated || e.rule === undefined) continue;
    const key = `${e.loc.file}:${e.loc.line}:${e.loc.col}\u0000${e.reason ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rule: e.rule, text: e.text, location: e.loc, reason: e.reason ?? "failed" });
  }
  return out;
}
