// Aggregates over collections: count, sum, product, max, min, sort.
import { compareValues, RegoObject, RegoSet, typeName, type Value } from "../value/value.js";
import { defineBuiltin, elementsOf, fail, T, TT } from "./define.js";
import type { Builtin } from "./registry.js";

function count([v]: Value[]): Value {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  return (v as RegoObject | RegoSet).size;
}

function numbers(name: string, v: Value): number[] {
  const items = elementsOf(v);
  for (const x of items) {
    if (typeof x !== "number") {
      throw fail(name, `operand 1 must be one of {array, set} of numbers but got ${typeName(x)}`);
    }
  }
  return items as number[];
}

/** OPA's numbers do not overflow; a double that does has no faithful answer. */
function finiteResult(name: string, n: number): number {
  if (!Number.isFinite(n)) throw fail(name, "arithmetic overflow");
  return n;
}

function extreme(name: string, pick: (c: number) => boolean): Builtin {
  return defineBuiltin({
    name,
    args: [TT.arrayOrSet()],
    result: T.any,
    impl: ([v]) => {
      const items = elementsOf(v!);
      if (items.length === 0) return undefined;
      let best: Value = items[0] as Value;
      for (const x of items) if (pick(compareValues(x, best))) best = x;
      return best;
    },
  });
}

export const aggregateBuiltins: Builtin[] = [
  defineBuiltin({
    name: "count",
    args: [T.anyOf(T.string, T.array(), T.object(), T.set())],
    result: T.number,
    impl: count,
  }),
  defineBuiltin({
    name: "sum",
    args: [TT.arrayOrSet(T.number)],
    result: T.number,
    impl: ([v]) =>
      finiteResult(
        "sum",
        numbers("sum", v!).reduce((a, b) => a + b, 0),
      ),
  }),
  defineBuiltin({
    name: "product",
    args: [TT.arrayOrSet(T.number)],
    result: T.number,
    impl: ([v]) =>
      finiteResult(
        "product",
        numbers("product", v!).reduce((a, b) => a * b, 1),
      ),
  }),
  extreme("max", (c) => c > 0),
  extreme("min", (c) => c < 0),
  defineBuiltin({
    name: "sort",
    args: [TT.arrayOrSet()],
    result: T.array(),
    impl: ([v]) => [...elementsOf(v!)].sort(compareValues),
  }),
];
