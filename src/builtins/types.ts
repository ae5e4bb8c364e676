// Type predicates and type_name. The predicates answer false (not undefined) for values of
// other types, as OPA's current evaluator does.
import { typeName, type TypeName, type Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin } from "./registry.js";

function predicate(name: string, type: TypeName): Builtin {
  return defineBuiltin({
    name,
    args: [T.any],
    result: T.boolean,
    impl: ([v]) => typeName(v as Value) === type,
  });
}

export const typeBuiltins: Builtin[] = [
  predicate("is_null", "null"),
  predicate("is_boolean", "boolean"),
  predicate("is_number", "number"),
  predicate("is_string", "string"),
  predicate("is_array", "array"),
  predicate("is_object", "object"),
  predicate("is_set", "set"),
  defineBuiltin({
    name: "type_name",
    args: [T.any],
    result: T.string,
    impl: ([v]) => typeName(v as Value),
  }),
];
