// Evaluation traces: the events the evaluator records when asked to explain a decision,
// and their rendering in the spirit of `opa eval --explain`. Each event carries the Rego
// location of the step, so a reader can go from any line of the explanation to the source.
import type { SourcePosition } from "../diagnostics/diagnostic.js";

export type TraceOp = "enter" | "eval" | "fail" | "exit" | "redo" | "note";

export interface TraceEvent {
  op: TraceOp;
  /** Nesting: 0 for the query, +1 per rule body, function call, comprehension, negation. */
  depth: number;
  loc: SourcePosition;
  /** The expression (eval/fail/redo) or the rule being entered/exited, as Rego text. */
  text: string;
  /** For fail events: why the expression failed, with the operand values. */
  reason?: string;
  /** The rule whose body holds the step (`data.pkg.allow`), absent at query level. */
  rule?: string;
  /** For exit events of rule bodies: the rule's `custom.rule_ids` METADATA. */
  ruleIds?: string[];
  /** The step runs inside a negation (`not ...`), where failure is what succeeds. */
  negated?: boolean;
}

export type ExplainMode = "fails" | "full";

/** Collects events while the evaluator runs; one per traced evaluation. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  depth = 0;
  negation = 0;
  readonly rules: string[] = [];

  emit(op: TraceOp, loc: SourcePosition, text: string, extra?: Partial<TraceEvent>): void {
    const ev: TraceEvent = { op, depth: this.depth, loc: position(loc), text };
    const rule = this.rules[this.rules.length - 1];
    if (rule !== undefined) ev.rule = rule;
    if (this.negation > 0) ev.negated = true;
    if (extra) Object.assign(ev, extra);
    this.events.push(ev);
  }
}

function position(loc: SourcePosition): SourcePosition {
  return { file: loc.file, line: loc.line, col: loc.col };
}

const OP_LABEL: Record<TraceOp, string> = {
  enter: "Enter",
  eval: "Eval",
  fail: "Fail",
  exit: "Exit",
  redo: "Redo",
  note: "Note",
};

/**
 * Renders a trace. `full` lists every step as `file:line  | | Op text`, indented by depth
 * like OPA's pretty trace. `fails` lists only the failed expressions (outside negations),
 * each under the rule it belongs to, as `file:line: expr  # reason`.
 */
export function renderTrace(trace: readonly TraceEvent[], mode: ExplainMode): string {
  return mode === "full" ? renderFull(trace) : renderFails(trace);
}

function locText(loc: SourcePosition): string {
  return `${loc.file}:${loc.line}`;
}

function renderFull(trace: readonly TraceEvent[]): string {
  const width = Math.max(0, ...trace.map((e) => locText(e.loc).length));
  return trace
    .map((e) => {
      const bars = "| ".repeat(e.depth);
      const reason = e.reason !== undefined ? `  # ${e.reason}` : "";
      return `${locText(e.loc).padEnd(width)}  ${bars}${OP_LABEL[e.op]} ${e.text}${reason}`;
    })
    .join("\n");
}

function renderFails(trace: readonly TraceEvent[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  let lastRule: string | undefined;
  for (const e of trace) {
    if (e.op !== "fail" || e.negated) continue;
    const key = `${locText(e.loc)}:${e.loc.col}:${e.reason ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = e.rule ?? "query";
    if (rule !== lastRule) {
      lines.push(`${rule}:`);
      lastRule = rule;
    }
    const reason = e.reason !== undefined ? `  # ${e.reason}` : "";
    lines.push(`  ${locText(e.loc)}: ${e.text}${reason}`);
  }
  return lines.length > 0 ? lines.join("\n") : "(no failed expressions)";
}
