// Accumulating a rule group's document from the solutions of its rules: a complete value,
// a set, or (nested) objects keyed by the head's key terms, with OPA's conflict errors.
import type { Location } from "../rego/ast.js";
import type { RuleGroup } from "../compiler/program.js";
import { RegoObject, RegoSet, valuesEqual, type Value } from "../value/value.js";

export const FUNCTION_CONFLICT = "functions must not produce multiple outputs for same inputs";
export const COMPLETE_CONFLICT = "complete rules must not produce multiple outputs";
export const KEY_CONFLICT = "object keys must be unique";

/** Accumulates a rule group's document, raising OPA's conflict errors. */
export class DocBuilder {
  private value: Value | undefined;
  private readonly root = new RegoObject();
  private touched = false;
  private readonly set = new RegoSet();

  constructor(
    private readonly kind: RuleGroup["kind"],
    private readonly conflict: (message: string, loc: Location) => Error,
  ) {}

  add(keys: Value[], value: Value, loc: Location): void {
    this.touched = true;
    if (keys.length === 0) {
      if (this.kind === "set") {
        this.set.add(value);
        return;
      }
      if (this.value !== undefined && !valuesEqual(this.value, value)) {
        throw this.conflict(COMPLETE_CONFLICT, loc);
      }
      this.value = value;
      return;
    }
    let obj = this.root;
    for (let i = 0; i < keys.length - 1; i++) {
      const next = obj.get(keys[i]!);
      if (next === undefined) {
        const fresh = new RegoObject();
        obj.set(keys[i]!, fresh);
        obj = fresh;
      } else if (next instanceof RegoObject) {
        obj = next;
      } else {
        throw this.conflict(KEY_CONFLICT, loc);
      }
    }
    const last = keys[keys.length - 1]!;
    const prev = obj.get(last);
    if (this.kind === "set") {
      if (prev === undefined) obj.set(last, RegoSet.of([value]));
      else if (prev instanceof RegoSet) prev.add(value);
      else throw this.conflict(KEY_CONFLICT, loc);
      return;
    }
    if (prev !== undefined && !valuesEqual(prev, value)) throw this.conflict(KEY_CONFLICT, loc);
    obj.set(last, value);
  }

  /** The document; empty partial sets/objects are defined (`set()` / `{}`) at rule level. */
  result(singleKey: boolean): Value | undefined {
    if (this.kind === "set" && !this.hasKeys()) return this.set;
    if (this.kind === "complete" && !this.hasKeys()) return this.value;
    if (this.touched) return this.root;
    return singleKey ? new RegoObject() : undefined;
  }

  private hasKeys(): boolean {
    return this.root.size > 0;
  }
}
