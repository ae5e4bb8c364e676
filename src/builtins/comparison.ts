// Comparison operators over OPA's total order of values (null < boolean < number <
// string < array < object < set), so values of different types compare too.
import { compareValues, valuesEqual, type Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin } from "./registry.js";

function comparison(name: string, infix: string, test: (a: Value, b: Value) => boolean): Builtin {
  return defineBuiltin({
    name,
    infix,
    args: [T.any, T.any],
    result: T.boolean,
    impl: ([a, b]) => test(a!, b!),
  });
}

export const comparisonBuiltins: Builtin[] = [
  comparison("equal", "==", (a, b) => valuesEqual(a, b)),
  comparison("neq", "!=", (a, b) => !valuesEqual(a, b)),
  comparison("lt", "<", (a, b) => compareValues(a, b) < 0),
  comparison("lte", "<=", (a, b) => compareValues(a, b) <= 0),
  comparison("gt", ">", (a, b) => compareValues(a, b) > 0),
  comparison("gte", ">=", (a, b) => compareValues(a, b) >= 0),
];
