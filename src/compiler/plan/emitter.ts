// The per-function state the planner writes into: locals, labels and the stack of statement
// lists being filled. Planning is in continuation-passing style, so the statement list on
// top of the stack is always the one the next statement belongs to.
import type { Local, SourceLoc, Stmt } from "../ir.js";
import type { Location } from "../../rego/ast.js";

export const INPUT: Local = 0;
export const DATA: Local = 1;

export class FuncEmitter {
  private nextLocal: number;
  private readonly stack: Stmt[][];
  readonly body: Stmt[] = [];
  /** Statements that run first: lookups of static input paths (Planner.hoistedInputPath). */
  readonly prologue: Stmt[] = [];
  /** Locals of the hoisted input paths, by path (segments joined with NUL). */
  readonly inputPaths = new Map<string, Local>();

  constructor(
    params: number,
    private readonly labels: { next: number },
  ) {
    this.nextLocal = 2 + params;
    this.stack = [this.body];
  }

  get localCount(): number {
    return this.nextLocal;
  }

  local(): Local {
    return this.nextLocal++;
  }

  label(): number {
    return this.labels.next++;
  }

  emit(s: Stmt): void {
    this.stack[this.stack.length - 1]!.push(s);
  }

  /** Runs `fill` with `list` as the current statement list. */
  into(list: Stmt[], fill: () => void): void {
    this.stack.push(list);
    try {
      fill();
    } finally {
      this.stack.pop();
    }
  }

  /** Emits a labelled block and fills it. */
  block(fill: (label: number) => void): void {
    const label = this.label();
    const body: Stmt[] = [];
    this.emit({ op: "block", label, body });
    this.into(body, () => fill(label));
  }

  /** Emits a scan over `source` and fills its body with key/value locals. */
  scan(source: Local, fill: (key: Local, value: Local) => void): void {
    const key = this.local();
    const value = this.local();
    const body: Stmt[] = [];
    this.emit({ op: "scan", source, key, value, body });
    this.into(body, () => fill(key, value));
  }
}

export function sourceLoc(loc: Location): SourceLoc {
  return { file: loc.file, line: loc.line, col: loc.col };
}
