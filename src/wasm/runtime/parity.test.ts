// Differential test: every native builtin of the Wasm runtime against the TypeScript builtin
// library (which the reference evaluator uses) on a table of argument vectors. The two
// engines are compared on the same values, so any disagreement is a bug on one side; the
// TypeScript library follows OPA (Go) and the runtime must match it byte for byte.
import { beforeAll, describe, expect, it } from "vitest";
import { callBuiltin } from "../../builtins/index.js";
import { RegoObject, RegoSet, type Value } from "../../value/value.js";
import { NATIVE_BUILTINS } from "./builtins.js";
import { type Runtime, newRuntime, readValue, valueText } from "./testing.js";

let rt: Runtime;
let heapMark: number;
beforeAll(() => {
  rt = newRuntime();
  heapMark = rt.call("opa_heap_ptr_get");
});

/** Values every builtin is tried on, alone and (for binary builtins) in pairs. */
const POOL: readonly string[] = [
  "null",
  "true",
  "false",
  "0",
  "-1",
  "3",
  "2.5",
  "-2.5",
  "0.1",
  "1e21",
  "123456789.5",
  "1e300",
  "-9007199254740993",
  '""',
  '"a"',
  '"abc"',
  '"a,b,,c"',
  '"straße"',
  '"İ"',
  '"ǅ ǈ"',
  '"héllo wörld"',
  '"  x\\t "',
  '"1.5"',
  '".5"',
  '"5."',
  '"-3"',
  '"1e3"',
  '"0x1F"',
  '"true"',
  '"<a&b>"',
  '"%d %s"',
  '"😀x"',
  "[]",
  "[1, 2, 3]",
  "[3, 1, 2]",
  '["a", "b"]',
  '[1, "a", null]',
  "[[1], [2, 3]]",
  "{}",
  '{"a": 1, "b": {"c": 2}}',
  '{"b": 2, "c": 3}',
  "set()",
  "{1, 2}",
  '{"a", "b"}',
  "{{1}, {2, 3}}",
  '{1: "a", 10: "b", 9: "c", "a": [1]}',
  '{"é": 1, "z": 2, "<": "&"}',
];

/** Deterministic pseudo-random doubles over many magnitudes (xorshift32, fixed seed). */
function randomNumbers(count: number): string[] {
  let x = 2463534242;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const sign = next() < 0.3 ? -1 : 1;
    const digits = Math.floor(next() * 17) + 1;
    const v = sign * Number((next() * 10).toPrecision(digits)) * 10 ** Math.floor(next() * 50 - 25);
    return String(v);
  });
}

const FLOAT_FORMATS = [
  "%v",
  "%.0f",
  "%.3f",
  "%.12f",
  "%.0e",
  "%.4e",
  "%.17e",
  "%.1g",
  "%.5g",
  "%.17g",
];

/** Extra vectors where the pool is too coarse: formats, integer operands, three arguments. */
const EXTRA: Record<string, string[][]> = {
  sprintf: [
    ...[
      "%d",
      "%5d",
      "%-5d|",
      "%05d",
      "%+d",
      "% d",
      "%x",
      "%X",
      "%o",
      "%b",
      "%#x",
      "%#o",
      "%.3d",
      "%f",
      "%.2f",
      "%8.3f",
      "%-8.2f|",
      "%08.2f",
      "%+.1f",
      "%e",
      "%.2e",
      "%E",
      "%g",
      "%.3g",
      "%G",
      "%v",
      "%s",
      "%10s|",
      "%-10s|",
      "%.2s",
      "%q",
      "%x",
      "%t",
      "%T",
      "%c",
      "%U",
      "%%",
      "%",
      "%d %d",
      "%!",
      "%5.1v",
      "%.0f",
      "%.0e",
      "%.1g",
      "%.10g",
      "%#U",
      "%.2U",
      "%08.3e",
      "%+q",
      "%#X",
      "%-08d|",
      "%.0d",
      "%010s",
      "%1000000000d",
      "%.x",
      "%é",
      "%O",
    ].flatMap((f) =>
      [
        "[3]",
        "[-42]",
        "[0]",
        "[2.5]",
        "[-0.000123]",
        "[1234.5]",
        "[123456789.5]",
        "[1e21]",
        "[1e-7]",
        "[12345678901234567890]",
        "[-9223372036854775808]",
        "[9223372036854774784]",
        "[1e300]",
        "[0.5]",
        "[9.5]",
        "[0.05]",
        "[1.5e-10]",
        "[999.9999]",
        '["héllo"]',
        '["true"]',
        "[true]",
        "[null]",
        '[[1, "a"]]',
        '[{"a": {1, 2}}]',
        "[set()]",
        "[65]",
        "[]",
        "[1, 2, 3]",
      ].map((a) => [JSON.stringify(f), a]),
    ),
  ],
  "sprintf/random": cross(
    FLOAT_FORMATS.map((f) => JSON.stringify(f)),
    randomNumbers(300).map((n) => `[${n}]`),
  ),
  format_int: [
    "0",
    "-255",
    "255.9",
    "-0.5",
    "1e21",
    "-1e21",
    "1e300",
    "2.5",
    "9007199254740993",
    "12345678901234567890",
    "123456789012345678901",
    "18446744073709551615",
    "9223372036854775807",
    "5e-324",
  ].flatMap((n) => ["2", "8", "10", "16", "3", "10.5"].map((b) => [n, b])),
  substring: cross(
    ['"abc"', '"héllo"', '""', "1"],
    ["0", "1", "-1", "2.5", "7", '"1"'],
    ["0", "2", "-1", "10", "1.5"],
  ),
  "array.slice": cross(
    ["[1, 2, 3, 4]", "[]", '"abc"'],
    ["0", "1", "-1", "5", "1.5"],
    ["0", "2", "-1", "10", "2.5"],
  ),
  "numbers.range": cross(["0", "3", "-2", "1.5", '"1"'], ["0", "3", "-2", "2.5", "null"]),
  plus: [
    ["1.7e308", "1.7e308"],
    ["-1.7e308", "-1.7e308"],
  ],
  minus: [["-1.7e308", "1.7e308"]],
  div: [["1e300", "1e-300"]],
  sum: [["[1.7e308, 1.7e308]"], ["{1.7e308, -1.7e308}"]],
  product: [["[1e300, 1e300]"], ["[1e300, -1e300, 0]"]],
  to_number: [
    ['"007"'],
    ['"-.5"'],
    ['"+.5e3"'],
    ['"5.e3"'],
    ['"."'],
    ['"e5"'],
    ['"1e"'],
    ['"+-1"'],
    ['"1e400"'],
    ['"-0"'],
    ['"inf"'],
    ['" 1"'],
    ['"1_000"'],
  ],
  "json.marshal": [['"\\u2028<\\u0007>"'], ['{"<": ["&"], "\\u2029": {1: 2}}']],
  replace: cross(['"aaa"', '"héllo"', '""', "1"], ['"a"', '""', '"l"', "1"], ['"b"', '""', "1"]),
  "object.get": cross(
    ['{"a": {"b": [1, {"c": 2}]}}', "{}", '["a"]', '{"a": {"x"}}'],
    ['"a"', '["a", "b", 1, "c"]', '["a", "b", 5]', "[]", '["a", "x"]', "1"],
    ["0", "null"],
  ),
  "internal.member_3": cross(
    ["0", "1", '"a"', "2"],
    ["1", "2", '"x"'],
    ["[1, 2]", '{"a": "x", 1: 2}', "{1, 2}", '"ab"'],
  ),
  trim: cross(['"xxhixx"', '"héé"', '""'], ['"x"', '"é"', '""', '"xh"']),
  indexof: cross(['"héllo"', '""', '"aaa"', '"😀x"'], ['"l"', '""', '"x"', '"aa"', '"z"']),
  split: cross(['"a,b,,c"', '""', '"héllo"', '","'], ['","', '""', '"l"', '"ll"']),
};

function cross(...lists: (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])),
    [[]],
  );
}

/** Builtins tried only on their extra vectors: pool numbers would build huge ranges. */
const EXTRA_ONLY: ReadonlySet<string> = new Set(["numbers.range"]);

function vectors(name: string, arity: number): string[][] {
  const base = EXTRA_ONLY.has(name)
    ? []
    : arity === 1
      ? POOL.map((a) => [a])
      : arity === 2
        ? cross(POOL, POOL)
        : cross(
            POOL.slice(0, 24),
            POOL.filter((_, i) => i % 3 === 0),
            POOL.slice(12, 20),
          );
  return [...base, ...(EXTRA[name] ?? []), ...(EXTRA[name + "/random"] ?? [])];
}

const tsContext = { nowNs: 0n, strict: false };

/** The TypeScript library's answer as Rego value text (undefined stays undefined). */
function tsAnswer(name: string, args: Value[]): string | undefined {
  const r = callBuiltin(name, args, tsContext);
  return r === undefined ? undefined : valueText(r);
}

function rtAnswer(name: string, args: string[]): { text: string | undefined; args: Value[] } {
  rt.call("opa_heap_ptr_set", heapMark);
  const ptrs = args.map((a) => rt.value(a));
  const values = ptrs.map((p) => readValue(rt, p));
  rt.call("rt_clear_error");
  const r = rt.call("rt_builtin_" + name.replaceAll(".", "_"), ...ptrs);
  return { text: r === 0 ? undefined : rt.dumpValue(r), args: values };
}

interface Difference {
  call: string;
  wasm: string | undefined;
  ts: string | undefined;
}

function differences(name: string, arity: number): Difference[] {
  const out: Difference[] = [];
  for (const args of vectors(name, arity)) {
    const wasm = rtAnswer(name, args);
    const ts = tsAnswer(name, wasm.args);
    if (wasm.text !== ts) out.push({ call: `${name}(${args.join(", ")})`, wasm: wasm.text, ts });
  }
  return out;
}

describe("native builtins agree with the TypeScript library", () => {
  it("reads runtime values back faithfully", () => {
    for (const text of POOL) {
      const v = readValue(rt, rt.value(text));
      expect(valueText(v)).toBe(rt.dumpValue(rt.value(text)));
    }
    expect(readValue(rt, rt.value('{1: {"a"}}'))).toEqual(
      RegoObject.fromEntries([[1, RegoSet.of(["a"])]]),
    );
  });

  it.each([...NATIVE_BUILTINS].map(([name, b]) => [name, b.arity] as const))(
    "%s",
    (name, arity) => {
      expect(differences(name, arity)).toEqual([]);
    },
  );

  it("upper and lower agree on every code point", () => {
    for (let base = 0; base < 0x110000; base += 0x2000) {
      const cps: number[] = [];
      for (let c = base; c < base + 0x2000; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
      const text = JSON.stringify(String.fromCodePoint(...cps));
      for (const name of ["upper", "lower"]) {
        const wasm = rtAnswer(name, [text]).text;
        const ts = tsAnswer(name, [JSON.parse(text) as string]);
        if (wasm !== ts) expect({ name, base, wasm, ts }).toBeUndefined();
      }
    }
  });
});
