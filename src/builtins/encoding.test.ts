import { describe, it } from "vitest";
import { expectOutcome, O, S, type Row } from "./testing.js";

const rows: Row[] = [
  ["json.marshal", [{ b: [1, S("x")], a: null }], '{"a":null,"b":[1,["x"]]}'],
  // Go's encoding/json escapes <, >, & and U+2028 (OPA's json.marshal).
  [
    "json.marshal",
    [{ a: "<x>&\u2028\n\u0001" }],
    '{"a":"\\u003cx\\u003e\\u0026\\u2028\\n\\u0001"}',
  ],
  ["json.marshal", [[1e21, 0.1, -0, 1e-7]], "[1e+21,0.1,0,1e-7]"],
  ["json.marshal", [O([1, "one"], ["10", 2], ["9", 3])], '{"1":"one","10":2,"9":3}'],
  // `0` and `"0"` have the same JSON text: the last in value order (the string) wins.
  ["json.marshal", [O([0, "number"], ["0", "string"], ["m", "a"])], '{"0":"string","m":"a"}'],
  ["json.marshal", [1.5], "1.5"],
  ["json.marshal_with_options", [{ a: [1] }, { pretty: true }], '{\n\t"a": [\n\t\t1\n\t]\n}'],
  ["json.marshal_with_options", [{ a: 1 }, { indent: "  ", prefix: "> " }], '> {\n>   "a": 1\n> }'],
  ["json.marshal_with_options", [{ a: 1 }, { indent: "  ", pretty: false }], '{"a":1}'],
  ["json.marshal_with_options", [{}, { pretty: true }], "{}"],
  [
    "json.marshal_with_options",
    [1, { bogus: 1 }],
    /json.marshal_with_options: operand 2 object contained unknown key bogus/,
  ],
  ["json.unmarshal", ['{"a":[1,2.5,"x",null,true]}'], { a: [1, 2.5, "x", null, true] }],
  ["json.unmarshal", ["{"], /json.unmarshal: /],
  ["json.is_valid", ['{"a":1}'], true],
  ["json.is_valid", ["{"], false],
  ["json.is_valid", [1], false],
  ["base64.encode", ["hello"], "aGVsbG8="],
  ["base64.decode", ["aGVsbG8="], "hello"],
  ["base64.decode", ["aGVsbG8"], /base64.decode: illegal base64 data/],
  ["base64.is_valid", ["aGVsbG8="], true],
  ["base64.is_valid", ["aGVsbG8"], false],
  ["base64url.encode", ["<<???>>"], "PDw_Pz8-Pg=="],
  ["base64url.encode_no_pad", ["<<???>>"], "PDw_Pz8-Pg"],
  ["base64url.decode", ["PDw_Pz8-Pg"], "<<???>>"],
  ["base64url.decode", ["PDw_Pz8-Pg=="], "<<???>>"],
  ["base64url.decode", ["a"], /base64url.decode: illegal base64url string: a/],
  ["hex.encode", ["lorem"], "6c6f72656d"],
  ["hex.decode", ["6c6f72656d"], "lorem"],
  ["hex.decode", ["zz"], /hex.decode: encoding\/hex: invalid byte/],
  ["hex.decode", ["abc"], /hex.decode: encoding\/hex: odd length hex string/],
  ["urlquery.encode", ["a b&c=d/é"], "a+b%26c%3Dd%2F%C3%A9"],
  ["urlquery.decode", ["a+b%26c"], "a b&c"],
  ["urlquery.decode", ["%zz"], /urlquery.decode: invalid URL escape "%zz"/],
  ["urlquery.encode_object", [{ b: ["x", "y"], a: "1 2", c: S("z") }], "a=1+2&b=x&b=y&c=z"],
  [
    "urlquery.encode_object",
    [{ a: 1 }],
    /urlquery.encode_object: operand 1 values must be string, array\[string\], or set\[string\]/,
  ],
  ["urlquery.decode_object", ["a=1&a=2&b&c=%20"], { a: ["1", "2"], b: [""], c: [" "] }],
  ["yaml.marshal", [{ b: "x", a: [1, 2] }], "a:\n- 1\n- 2\nb: x\n"],
  ["yaml.unmarshal", ["a: yes\nb: [1, 2]\nc: {d: null}"], { a: true, b: [1, 2], c: { d: null } }],
  ["yaml.unmarshal", ["a: [1"], /yaml.unmarshal: /],
  ["yaml.is_valid", ["a: 1"], true],
  ["yaml.is_valid", ["a: [1"], false],
];

describe("encoding builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
