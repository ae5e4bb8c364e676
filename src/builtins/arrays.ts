// Array builtins.
import type { Value } from "../value/value.js";
import { defineBuiltin, intOperand, T } from "./define.js";
import type { Builtin } from "./registry.js";

/** Out-of-range bounds clamp rather than fail, as OPA's array.slice does. */
function slice([arr, start, stop]: Value[]): Value {
  const a = arr as Value[];
  const from = Math.max(0, intOperand("array.slice", 2, start!));
  const to = Math.min(a.length, intOperand("array.slice", 3, stop!));
  return from >= to ? [] : a.slice(from, to);
}

function flatten(a: readonly Value[], out: Value[]): Value[] {
  for (const x of a) {
    if (Array.isArray(x)) flatten(x, out);
    else out.push(x);
  }
  return out;
}

export const arrayBuiltins: Builtin[] = [
  defineBuiltin({
    name: "array.concat",
    args: [T.array(), T.array()],
    result: T.array(),
    impl: ([a, b]) => [...(a as Value[]), ...(b as Value[])],
  }),
  defineBuiltin({
    name: "array.slice",
    args: [T.array(), T.number, T.number],
    result: T.array(),
    impl: slice,
  }),
  defineBuiltin({
    name: "array.reverse",
    args: [T.array()],
    result: T.array(),
    impl: ([a]) => [...(a as Value[])].reverse(),
  }),
  defineBuiltin({
    name: "array.flatten",
    args: [T.array()],
    result: T.array(),
    impl: ([a]) => flatten(a as Value[], []),
  }),
];
