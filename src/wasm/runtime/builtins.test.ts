// Every native builtin of the Wasm runtime, with examples from OPA's builtin reference and
// their undefined/error edges. Arguments and results are in Rego value syntax; `undefined`
// means the builtin returned 0, and `error` is then the recorded last-error message.
import { beforeAll, describe, expect, it } from "vitest";
import { NATIVE_BUILTINS, nativeExportName } from "./builtins.js";
import { type Runtime, newRuntime } from "./testing.js";

let rt: Runtime;
beforeAll(() => {
  rt = newRuntime();
});

type Case = [name: string, args: string[], expected: string | undefined, error?: string];

function check([name, args, expected, error]: Case): void {
  const got = rt.builtin(name, ...args);
  expect(got).toBe(expected);
  if (expected === undefined && error !== undefined) expect(rt.lastError()).toBe(error);
  if (expected !== undefined) expect(rt.lastError()).toBeUndefined();
}

const cases: Record<string, Case[]> = {
  comparison: [
    ["equal", ["1", "1.0"], "true"],
    ["equal", ["[1, {2}]", "[1, {2}]"], "true"],
    ["equal", ['"1"', "1"], "false"],
    ["neq", ["[1]", "[1]"], "false"],
    ["neq", ['{"a": 1}', '{"a": 2}'], "true"],
    ["lt", ["null", "false"], "true"],
    ["lt", ['"a"', "1"], "false"],
    ["lt", ["1", "2"], "true"],
    ["lte", ["2", "2.0"], "true"],
    ["gt", ["{1}", "[1]"], "true"],
    ["gt", ['"b"', '"ab"'], "true"],
    ["gte", ["[1, 2]", "[1]"], "true"],
    ["gte", ["set()", '{"a": 1}'], "true"],
  ],
  arithmetic: [
    ["plus", ["1", "2"], "3"],
    ["plus", ["0.1", "0.2"], "0.30000000000000004"],
    ["plus", ['"a"', "1"], undefined, "plus: operands must be numbers"],
    ["minus", ["5", "7"], "-2"],
    ["minus", ["{1, 2, 3}", "{2, 4}"], "{1,3}"],
    ["minus", ["{1}", "1"], undefined, "minus: operands must be numbers or sets"],
    ["mul", ["6", "7"], "42"],
    ["mul", ["[1]", "2"], undefined, "mul: operands must be numbers"],
    // Doubles that overflow have no faithful answer (OPA's numbers are unbounded).
    ["mul", ["1e300", "1e300"], undefined, "mul: arithmetic overflow"],
    ["plus", ["1.7e308", "1.7e308"], undefined, "plus: arithmetic overflow"],
    ["div", ["7", "2"], "3.5"],
    ["div", ["1", "0"], undefined, "div: divide by zero"],
    ["rem", ["7", "3"], "1"],
    ["rem", ["-7", "3"], "-1"],
    ["rem", ["7.5", "2"], undefined, "rem: modulo on floating-point number"],
    ["rem", ["1", "0"], undefined, "rem: modulo by zero"],
    ["abs", ["-1.5"], "1.5"],
    ["abs", ['"x"'], undefined, "abs: operand must be a number"],
    ["round", ["2.5"], "3"],
    ["round", ["-2.5"], "-3"],
    ["round", ["2.4999"], "2"],
    ["round", ["0.49999999999999994"], "0"],
    ["ceil", ["1.1"], "2"],
    ["ceil", ["-1.1"], "-1"],
    ["floor", ["-1.1"], "-2"],
    ["floor", ["3"], "3"],
  ],
  aggregates: [
    ["count", ['"héllo😀"'], "6"],
    ["count", ["[1, 2]"], "2"],
    ["count", ["{}"], "0"],
    ["count", ["{1, 2, 3}"], "3"],
    ["count", ["1"], undefined, "count: operand must be one of: string, array, object, set"],
    ["sum", ["[1, 2, 3.5]"], "6.5"],
    ["sum", ["{1, 2}"], "3"],
    ["sum", ["[]"], "0"],
    ["sum", ['["a"]'], undefined, "sum: operand must be an array or a set of numbers"],
    ["product", ["[2, 3, 4]"], "24"],
    ["product", ["[1e300, 1e300]"], undefined, "product: arithmetic overflow"],
    ["sum", ["[1.7e308, 1.7e308]"], undefined, "sum: arithmetic overflow"],
    ["product", ["set()"], "1"],
    ["max", ["[1, 3, 2]"], "3"],
    ["max", ['[1, "a", null]'], '"a"'],
    ["max", ["[]"], undefined],
    ["min", ["{3, 2, 5}"], "2"],
    ["min", ['"abc"'], undefined, "min: operand must be an array or a set"],
    ["sort", ["[3, 1, 2]"], "[1,2,3]"],
    ["sort", ['{"b", "a"}'], '["a","b"]'],
    ["sort", ['[{1}, "a", 1, false, null, [0], {"k": 0}]'], '[null,false,1,"a",[0],{"k":0},{1}]'],
    ["sort", ["{}"], undefined, "sort: operand must be an array or a set"],
  ],
  types: [
    ["is_number", ["1"], "true"],
    ["is_number", ['"1"'], "false"],
    ["is_string", ['"1"'], "true"],
    ["is_boolean", ["false"], "true"],
    ["is_array", ["[]"], "true"],
    ["is_array", ["set()"], "false"],
    ["is_set", ["set()"], "true"],
    ["is_object", ["{}"], "true"],
    ["is_null", ["null"], "true"],
    ["is_null", ["0"], "false"],
    ["type_name", ["null"], '"null"'],
    ["type_name", ["true"], '"boolean"'],
    ["type_name", ["1"], '"number"'],
    ["type_name", ['""'], '"string"'],
    ["type_name", ["[]"], '"array"'],
    ["type_name", ["{}"], '"object"'],
    ["type_name", ["{1}"], '"set"'],
  ],
  strings: [
    ["concat", ['", "', '["a", "b"]'], '"a, b"'],
    ["concat", ['"-"', '{"b", "a"}'], '"a-b"'],
    ["concat", ['"-"', "[]"], '""'],
    [
      "concat",
      ['"-"', '["a", 1]'],
      undefined,
      "concat: operand 2 must be an array or a set of strings",
    ],
    ["contains", ['"abc"', '"bc"'], "true"],
    ["contains", ['"abc"', '""'], "true"],
    ["contains", ['"abc"', '"d"'], "false"],
    ["contains", ['["abc"]', '"a"'], undefined, "contains: operands must be strings"],
    ["startswith", ['"abc"', '"ab"'], "true"],
    ["startswith", ['"abc"', '"abcd"'], "false"],
    ["endswith", ['"abc"', '"bc"'], "true"],
    ["endswith", ['"abc"', '"a"'], "false"],
    ["lower", ['"AbC ÀÉ ΑΒ ДЖ"'], '"abc àé αβ дж"'],
    ["upper", ['"abc àé αβ дж ß"'], '"ABC ÀÉ ΑΒ ДЖ ß"'],
    ["upper", ['"ǆ ſ ı ⓐ ａ 𐐨"'], '"Ǆ S I Ⓐ Ａ 𐐀"'],
    // Go's simple mappings: ᾳ → ᾼ (not "ΑΙ"), Unicode 14 pairs (Glagolitic, Vithkuqi).
    ["upper", ['"ᾳ ᾀ ⱟ 𐖗 ꟁ"'], '"ᾼ ᾈ Ⱟ 𐕰 Ꟁ"'],
    ["lower", ['"İ Ⱟ 𐕰"'], '"i ⱟ 𐖗"'],
    ["lower", ['"Ⱥ Ⓐ Ａ 𐐀 ÿ"'], '"ⱥ ⓐ ａ 𐐨 ÿ"'],
    ["lower", ["1"], undefined, "lower: operand 1 must be a string"],
    ["split", ['"a,b,c"', '","'], '["a","b","c"]'],
    ["split", ['""', '","'], '[""]'],
    ["split", ['"a,,b,"', '","'], '["a","","b",""]'],
    ["split", ['"hé😀"', '""'], '["h","é","😀"]'],
    ["split", ['"a::b"', '"::"'], '["a","b"]'],
    ["trim", ['"  abc  "', '" "'], '"abc"'],
    ["trim", ['"xyhixy"', '"yx"'], '"hi"'],
    ["trim", ['"ééaé"', '"é"'], '"a"'],
    ["trim", ['"xxx"', '"x"'], '""'],
    ["trim_left", ['"xxhixx"', '"x"'], '"hixx"'],
    ["trim_right", ['"xxhixx"', '"x"'], '"xxhi"'],
    ["trim_space", ['"\\t\\n hi \\u00a0\\u3000"'], '"hi"'],
    ["trim_space", ['"   "'], '""'],
    ["trim_prefix", ['"prefix.rest"', '"prefix."'], '"rest"'],
    ["trim_prefix", ['"rest"', '"x"'], '"rest"'],
    ["trim_suffix", ['"file.rego"', '".rego"'], '"file"'],
    ["trim_suffix", ['"file"', '".rego"'], '"file"'],
    ["replace", ['"hello"', '"l"', '"L"'], '"heLLo"'],
    ["replace", ['"aaa"', '"aa"', '"b"'], '"ba"'],
    ["replace", ['"ab"', '""', '"-"'], '"-a-b-"'],
    ["replace", ['"abc"', '"x"', "1"], undefined, "replace: operands must be strings"],
    ["substring", ['"abcdef"', "2", "3"], '"cde"'],
    ["substring", ['"abc"', "1", "-1"], '"bc"'],
    ["substring", ['"abc"', "5", "1"], '""'],
    ["substring", ['"héllo"', "1", "3"], '"éll"'],
    ["substring", ['"abc"', "-1", "1"], undefined, "substring: negative offset"],
    ["substring", ['"abc"', "1.5", "1"], undefined, "substring: operand 2 must be an integer"],
    ["indexof", ['"hello"', '"l"'], "2"],
    ["indexof", ['"héllo"', '"l"'], "2"],
    ["indexof", ['"hello"', '"z"'], "-1"],
    ["indexof", ['"hello"', '""'], undefined, "indexof: empty search character"],
    ["strings.reverse", ['"abc"'], '"cba"'],
    ["strings.reverse", ['"héllo😀"'], '"😀olléh"'],
    ["format_int", ["255", "16"], '"ff"'],
    ["format_int", ["-10.8", "2"], '"-1010"'],
    ["format_int", ["8", "8"], '"10"'],
    ["format_int", ["12345678901", "10"], '"12345678901"'],
    ["format_int", ["1e21", "10"], '"1000000000000000000000"'],
    ["format_int", ["-1e21", "16"], '"-3635c9adc5dea00000"'],
    ["format_int", ["12345678901234567890", "10"], '"12345678901234567000"'],
    ["format_int", ["1", "3"], undefined, "format_int: operand 2 must be one of {2, 8, 10, 16}"],
    ["to_number", ['"1.5"'], "1.5"],
    ["to_number", ['"-1e3"'], "-1000"],
    ["to_number", ['"+7"'], "7"],
    ["to_number", ['".5"'], "0.5"],
    ["to_number", ['"5."'], "5"],
    ["to_number", ['"-007.50e1"'], "-75"],
    ["to_number", ['"."'], undefined, "to_number: invalid syntax"],
    ["to_number", ['"1e400"'], undefined, "to_number: invalid syntax"],
    ["to_number", ["true"], "1"],
    ["to_number", ["null"], "0"],
    ["to_number", ["42"], "42"],
    ["to_number", ['"x"'], undefined, "to_number: invalid syntax"],
    ["to_number", ['" 1"'], undefined, "to_number: invalid syntax"],
    ["to_number", ['""'], undefined, "to_number: invalid syntax"],
    [
      "to_number",
      ["[]"],
      undefined,
      "to_number: operand 1 must be one of: null, boolean, number, string",
    ],
  ],
  sprintf: [
    ["sprintf", ['"hello %s"', '["world"]'], '"hello world"'],
    ["sprintf", ['"%d items"', "[42]"], '"42 items"'],
    ["sprintf", ['"%.2f"', "[3.14159]"], '"3.14"'],
    ["sprintf", ['"%f"', "[1.5]"], '"1.500000"'],
    [
      "sprintf",
      ['"%v %v %v"', '[{2, 1}, {"a": [1, "b"]}, null]'],
      '"{1, 2} {\\"a\\": [1, \\"b\\"]} null"',
    ],
    // OPA passes integral numbers as int64 and other values as their text (Go's verbs apply).
    ["sprintf", ['"%v|%s|%t"', '["x", 1.5, true]'], '"x|%!s(float64=1.5)|%!t(string=true)"'],
    ["sprintf", ['"%.2f|%s|%v"', "[3, 3, true]"], '"%!f(int64=3)|%!s(int64=3)|true"'],
    ["sprintf", ['"%e|%E|%g"', "[1234.5, 0.000125, 1e-7]"], '"1.234500e+03|1.250000E-04|1e-07"'],
    ["sprintf", ['"%v|%v|%.3g"', "[123456789.5, 0.5, 2.0005]"], '"1.234567895e+08|0.5|2"'],
    [
      "sprintf",
      ['"%d|%x|%v"', "[1e21, 1e21, 1e21]"],
      '"1000000000000000000000|3635c9adc5dea00000|1000000000000000000000"',
    ],
    ["sprintf", ['"%T %T %T %T"', '[1, 1.5, "s", [1]]'], '"int64 float64 string string"'],
    ["sprintf", ['"%v %v"', '[{"a": {1, 2}}, set()]'], '"{\\"a\\": {1, 2}} set()"'],
    [
      "sprintf",
      ['"%#x|%#o|%+d|% d|%08.3f"', "[255, 8, 5, 5, -3.14159]"],
      '"0xff|010|+5| 5|-003.142"',
    ],
    ["sprintf", ['"%c|%q|%U|%#U"', "[65, 66, 9731, 9731]"], "\"A|'B'|U+2603|U+2603 '☃'\""],
    ["sprintf", ['"%d"', "[1, 2.5]"], '"1%!(EXTRA float64=2.5)"'],
    ["sprintf", ['"%5.1s|%-4s|%.1f"', '["héllo", "é", 0.05]'], '"    h|é   |0.1"'],
    ["sprintf", ['"%q"', '["a\\"b"]'], '"\\"a\\\\\\"b\\""'],
    ["sprintf", ['"%x %X %x"', '[255, 255, "hi"]'], '"ff FF 6869"'],
    ["sprintf", ['"[%5d][%-5d][%05d]"', "[42, 42, -42]"], '"[   42][42   ][-0042]"'],
    ["sprintf", ['"%d%%"', "[50]"], '"50%"'],
    ["sprintf", ['"%s and %d"', '["a"]'], '"a and %!d(MISSING)"'],
    ["sprintf", ['"%s"', '"a"'], undefined, "sprintf: operand 2 must be an array"],
  ],
  objects: [
    ["object.get", ['{"a": {"b": 1}}', '["a", "b"]', "0"], "1"],
    ["object.get", ['{"a": 1}', '"b"', '"d"'], '"d"'],
    ["object.get", ['{"a": 1}', '"a"', '"d"'], "1"],
    ["object.get", ['{"a": [1, 2]}', '["a", 1]', "0"], "2"],
    ["object.get", ['{"a": {"b": 1}}', '["a", "x"]', "false"], "false"],
    ["object.get", ['{"a": 1}', "[]", "0"], '{"a":1}'],
    ["object.get", ['{["k"]: 1}', '["k"]', "0"], "0"],
    ["object.get", ["[1]", "0", "0"], undefined, "object.get: operand 1 must be an object"],
    ["object.keys", ['{"a": 1, "b": 2}'], '{"a","b"}'],
    ["object.keys", ["{}"], "set()"],
    ["object.keys", ["[1]"], undefined, "object.keys: operand 1 must be an object"],
    [
      "object.union",
      ['{"a": 1, "b": {"c": 1}, "x": {"y": 1}}', '{"b": {"d": 2}, "e": 3, "x": 5}'],
      '{"a":1,"b":{"c":1,"d":2},"e":3,"x":5}',
    ],
    ["object.union", ["{}", "[]"], undefined, "object.union: operand 2 must be an object"],
    ["object.remove", ['{"a": 1, "b": 2}', '["a"]'], '{"b":2}'],
    ["object.remove", ['{"a": 1, "b": 2}', '{"b"}'], '{"a":1}'],
    ["object.remove", ['{"a": 1, "b": 2}', '{"a": 0, "b": 0}'], "{}"],
    [
      "object.remove",
      ['{"a": 1}', '"a"'],
      undefined,
      "object.remove: operand 2 must be one of: object, array, set",
    ],
    ["object.filter", ['{"a": 1, "b": 2, "c": 3}', '{"a", "c"}'], '{"a":1,"c":3}'],
    ["object.filter", ['{"a": 1, "b": 2}', '["b", "z"]'], '{"b":2}'],
  ],
  arrays: [
    ["array.concat", ["[1, 2]", "[3]"], "[1,2,3]"],
    ["array.concat", ["[]", "[]"], "[]"],
    ["array.concat", ["[1]", "{2}"], undefined, "array.concat: operand 2 must be an array"],
    ["array.slice", ["[1, 2, 3, 4]", "1", "3"], "[2,3]"],
    ["array.slice", ["[1, 2]", "-1", "10"], "[1,2]"],
    ["array.slice", ["[1, 2, 3]", "2", "1"], "[]"],
    [
      "array.slice",
      ["[1, 2, 3]", "0.5", "1"],
      undefined,
      "array.slice: operand 2 must be an integer",
    ],
    ["array.reverse", ["[1, 2, 3]"], "[3,2,1]"],
    ["array.reverse", ["[]"], "[]"],
  ],
  sets: [
    ["union", ["{{1}, {2, 3}}"], "{1,2,3}"],
    ["union", ["set()"], "set()"],
    ["union", ["{1}"], undefined, "union: operand 1 must be a set of sets"],
    ["intersection", ["{{1, 2}, {2, 3}}"], "{2}"],
    ["intersection", ["set()"], "set()"],
    ["and", ["{1, 2}", "{2, 3}"], "{2}"],
    ["and", ["{1}", "[1]"], undefined, "and: operands must be sets"],
    ["or", ["{1, 2}", "{2, 3}"], "{1,2,3}"],
  ],
  membership: [
    ["internal.member_2", ["1", "[1, 2]"], "true"],
    ["internal.member_2", ["1.0", "{1}"], "true"],
    ["internal.member_2", ['"a"', '{"x": "a"}'], "true"],
    ["internal.member_2", ['"x"', '{"x": "a"}'], "false"],
    ["internal.member_2", ["2", "{1}"], "false"],
    ["internal.member_2", ['"a"', '"abc"'], "false"],
    ["internal.member_3", ["0", '"a"', '["a"]'], "true"],
    ["internal.member_3", ["1", '"a"', '["a"]'], "false"],
    ["internal.member_3", ['"k"', "1", '{"k": 1}'], "true"],
    ["internal.member_3", ['"k"', "2", '{"k": 1}'], "false"],
  ],
  encoding: [
    ["json.marshal", ['{"a": [1, {2}], "b": "é\\n"}'], '"{\\"a\\":[1,[2]],\\"b\\":\\"é\\\\n\\"}"'],
    ["json.marshal", ["1.5"], '"1.5"'],
    ["json.marshal", ['"<a&b>\\u2028"'], '"\\"\\\\u003ca\\\\u0026b\\\\u003e\\\\u2028\\""'],
    ["json.marshal", ['{10: 1, 9: 2, "a": 3}'], '"{\\"10\\":1,\\"9\\":2,\\"a\\":3}"'],
    ["json.unmarshal", ['"{\\"a\\": [1, true]}"'], '{"a":[1,true]}'],
    ["json.unmarshal", ['"{"'], undefined, "json.unmarshal: invalid JSON"],
    ["json.unmarshal", ["1"], undefined, "json.unmarshal: operand 1 must be a string"],
    ["base64.encode", ['"hello"'], '"aGVsbG8="'],
    ["base64.encode", ['""'], '""'],
    ["base64.encode", ['"ab"'], '"YWI="'],
    ["base64.encode", ['"é"'], '"w6k="'],
    ["base64.decode", ['"aGVsbG8="'], '"hello"'],
    ["base64.decode", ['"YWI="'], '"ab"'],
    ["base64.decode", ['"w6k="'], '"é"'],
    ["base64.decode", ['"!!"'], undefined, "base64.decode: illegal base64 data"],
    ["base64.decode", ['"YWI"'], undefined, "base64.decode: illegal base64 data"],
    ["base64.decode", ['"YW=I"'], undefined, "base64.decode: illegal base64 data"],
    ["numbers.range", ["1", "3"], "[1,2,3]"],
    ["numbers.range", ["3", "1"], "[3,2,1]"],
    ["numbers.range", ["2", "2"], "[2]"],
    ["numbers.range", ["1.5", "2"], undefined, "numbers.range: operand 1 must be an integer"],
  ],
  walk: [
    ["walk", ['{"a": [1]}'], '[[[],{"a":[1]}],[["a"],[1]],[["a",0],1]]'],
    ["walk", ["1"], "[[[],1]]"],
    ["walk", ['{"s": {"x"}}'], '[[[],{"s":{"x"}}],[["s"],{"x"}],[["s","x"],"x"]]'],
  ],
};

describe.each(Object.entries(cases))("%s", (_group, list) => {
  it.each(list)("%s(%j) → %s", (...c) => check(c as Case));
});

describe("NATIVE_BUILTINS", () => {
  it("names an existing runtime export with the declared arity for every entry", () => {
    for (const [name, b] of NATIVE_BUILTINS) {
      expect(b.exportName).toBe(nativeExportName(name));
      const f = rt.instance.exports[b.exportName];
      expect(typeof f, b.exportName).toBe("function");
      expect((f as (...a: unknown[]) => unknown).length, b.exportName).toBe(b.arity);
    }
    expect(NATIVE_BUILTINS.get("walk")?.relation).toBe(true);
    expect(NATIVE_BUILTINS.get("object.get")).toEqual({
      exportName: "rt_builtin_object_get",
      arity: 3,
    });
  });

  it("every rt_builtin_ export of the runtime is listed", () => {
    const listed = new Set([...NATIVE_BUILTINS.values()].map((b) => b.exportName));
    const exported = Object.keys(rt.instance.exports).filter((k) => k.startsWith("rt_builtin_"));
    expect(exported.filter((k) => !listed.has(k))).toEqual([]);
  });

  it("every builtin is covered by a test case here", () => {
    const tested = new Set(Object.values(cases).flatMap((l) => l.map((c) => c[0])));
    expect([...NATIVE_BUILTINS.keys()].filter((n) => !tested.has(n))).toEqual([]);
  });

  it("returns undefined without an error for undefined arguments", () => {
    rt.call("rt_clear_error");
    expect(rt.call("rt_builtin_equal", 0, rt.value("1"))).toBe(0);
    expect(rt.call("rt_builtin_walk", 0)).toBe(0);
    expect(rt.lastError()).toBeUndefined();
  });
});
