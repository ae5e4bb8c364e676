// Constant terms: the literals both engines fold to values before evaluating anything.
import type { Term } from "./ast.js";
import { RegoObject, RegoSet, type Value } from "../value/value.js";

/** A term without variables, refs, calls or comprehensions. */
export function isConstant(t: Term): boolean {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isConstant);
    case "object":
      return t.entries.every(([k, v]) => isConstant(k) && isConstant(v));
    default:
      return false;
  }
}

/** The value of a term for which `isConstant` holds. */
export function constantValue(t: Term): Value {
  switch (t.type) {
    case "null":
      return null;
    case "boolean":
    case "number":
    case "string":
      return t.value;
    case "array":
      return t.items.map(constantValue);
    case "set":
      return RegoSet.of(t.items.map(constantValue));
    case "object":
      return RegoObject.fromEntries(
        t.entries.map(([k, v]) => [constantValue(k), constantValue(v)]),
      );
    default:
      throw new Error(`not a constant term: ${t.type}`);
  }
}
