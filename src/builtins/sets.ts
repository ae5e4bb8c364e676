// n-ary set operations over a set of sets.
import { RegoSet, typeName, type Value } from "../value/value.js";
import { setIntersection, setUnion } from "./arithmetic.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

function memberSets(name: string, v: Value): RegoSet[] {
  return (v as RegoSet).values().map((x) => {
    if (!(x instanceof RegoSet)) {
      throw fail(name, `operand 1 must be set of sets but got set containing ${typeName(x)}`);
    }
    return x;
  });
}

export const setBuiltins: Builtin[] = [
  defineBuiltin({
    name: "union",
    args: [T.set(T.set())],
    result: T.set(),
    impl: ([v]) => memberSets("union", v!).reduce(setUnion, new RegoSet()),
  }),
  defineBuiltin({
    name: "intersection",
    args: [T.set(T.set())],
    result: T.set(),
    impl: ([v]) => {
      const sets = memberSets("intersection", v!);
      return sets.length === 0 ? new RegoSet() : sets.reduce(setIntersection);
    },
  }),
];
