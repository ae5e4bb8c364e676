// The builtins the Wasm runtime implements natively (src/wasm/runtime/assembly). The planner
// calls these directly by export name instead of going through `opa_builtinN`; `ccpol
// capabilities` lists them. Keep in sync with the assembly sources (a test checks every
// export exists with the right arity).

export interface NativeBuiltin {
  /** The runtime export to call: `rt_builtin_<name with dots as _>`. */
  exportName: string;
  /** Number of value arguments. */
  arity: number;
  /** Relations (walk) return an array of results for generated code to iterate. */
  relation?: boolean;
}

const ARITIES: ReadonlyArray<readonly [string, number]> = [
  ["equal", 2],
  ["neq", 2],
  ["lt", 2],
  ["lte", 2],
  ["gt", 2],
  ["gte", 2],
  ["plus", 2],
  ["minus", 2],
  ["mul", 2],
  ["div", 2],
  ["rem", 2],
  ["abs", 1],
  ["round", 1],
  ["ceil", 1],
  ["floor", 1],
  ["count", 1],
  ["sum", 1],
  ["product", 1],
  ["max", 1],
  ["min", 1],
  ["sort", 1],
  ["concat", 2],
  ["contains", 2],
  ["startswith", 2],
  ["endswith", 2],
  ["lower", 1],
  ["upper", 1],
  ["split", 2],
  ["trim", 2],
  ["trim_left", 2],
  ["trim_right", 2],
  ["trim_space", 1],
  ["trim_prefix", 2],
  ["trim_suffix", 2],
  ["replace", 3],
  ["substring", 3],
  ["indexof", 2],
  ["format_int", 2],
  ["to_number", 1],
  ["sprintf", 2],
  ["is_number", 1],
  ["is_string", 1],
  ["is_boolean", 1],
  ["is_array", 1],
  ["is_set", 1],
  ["is_object", 1],
  ["is_null", 1],
  ["type_name", 1],
  ["object.get", 3],
  ["object.keys", 1],
  ["object.union", 2],
  ["object.remove", 2],
  ["object.filter", 2],
  ["array.concat", 2],
  ["array.slice", 3],
  ["array.reverse", 1],
  ["union", 1],
  ["intersection", 1],
  ["and", 2],
  ["or", 2],
  ["json.marshal", 1],
  ["json.unmarshal", 1],
  ["base64.encode", 1],
  ["base64.decode", 1],
  ["numbers.range", 2],
  ["strings.reverse", 1],
  ["walk", 1],
  ["internal.member_2", 2],
  ["internal.member_3", 3],
];

const RELATIONS: ReadonlySet<string> = new Set(["walk"]);

/** The export a native builtin is called by: dots become underscores. */
export function nativeExportName(name: string): string {
  return "rt_builtin_" + name.replaceAll(".", "_");
}

export const NATIVE_BUILTINS: ReadonlyMap<string, NativeBuiltin> = new Map(
  ARITIES.map(([name, arity]): [string, NativeBuiltin] => [
    name,
    RELATIONS.has(name)
      ? { exportName: nativeExportName(name), arity, relation: true }
      : { exportName: nativeExportName(name), arity },
  ]),
);
