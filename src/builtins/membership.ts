// The `in` operator: `x in xs` is internal.member_2, `k, v in xs` is internal.member_3.
import { RegoObject, RegoSet, valuesEqual, type Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin } from "./registry.js";

function member2([x, coll]: Value[]): Value {
  if (coll instanceof RegoSet) return coll.has(x!);
  if (Array.isArray(coll)) return coll.some((e) => valuesEqual(e, x!));
  if (coll instanceof RegoObject) return coll.entries().some(([, v]) => valuesEqual(v, x!));
  return false;
}

function member3([k, v, coll]: Value[]): Value {
  if (coll instanceof RegoObject) {
    const found = coll.get(k!);
    return found !== undefined && valuesEqual(found, v!);
  }
  if (Array.isArray(coll)) {
    if (typeof k !== "number" || !Number.isInteger(k)) return false;
    const found = coll[k];
    return found !== undefined && valuesEqual(found, v!);
  }
  // A set's keys are its elements.
  if (coll instanceof RegoSet) return valuesEqual(k!, v!) && coll.has(k!);
  return false;
}

export const membershipBuiltins: Builtin[] = [
  defineBuiltin({
    name: "internal.member_2",
    infix: "in",
    args: [T.any, T.any],
    result: T.boolean,
    impl: member2,
  }),
  defineBuiltin({
    name: "internal.member_3",
    infix: "in",
    args: [T.any, T.any, T.any],
    result: T.boolean,
    impl: member3,
  }),
];
