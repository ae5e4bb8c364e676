// JSON and Rego value text in the Wasm runtime: parsing, dumping, numbers, robustness and
// the heap discipline the SDK relies on.
import { beforeAll, describe, expect, it } from "vitest";
import { type Runtime, newRuntime } from "./testing.js";

let rt: Runtime;
beforeAll(() => {
  rt = newRuntime();
});

function roundTrip(text: string): string | undefined {
  const v = rt.parseJson(text);
  return v === 0 ? undefined : rt.dumpJson(v);
}

describe("opa_json_parse / opa_json_dump", () => {
  it.each([
    ["null", "null"],
    ["true", "true"],
    [" false ", "false"],
    ["0", "0"],
    ["-0", "0"],
    ["1.0", "1"],
    ["-12.5e1", "-125"],
    ['""', '""'],
    ['"a\\"b\\\\c\\/d"', '"a\\"b\\\\c/d"'],
    ['"\\b\\f\\n\\r\\t\\u0001\\u001f"', '"\\b\\f\\n\\r\\t\\u0001\\u001f"'],
    ['"\\u00e9\\u4e2d\\ud83d\\ude00"', '"é中😀"'],
    ['"é中😀"', '"é中😀"'],
    ['"\\ud800x"', '"\uFFFDx"'],
    ["[]", "[]"],
    ["{}", "{}"],
    ['[1, [2, [3]], {"a": []}]', '[1,[2,[3]],{"a":[]}]'],
    ['{"b": 1, "a": 2, "c": {"z": 0, "y": 1}}', '{"a":2,"b":1,"c":{"y":1,"z":0}}'],
    ['{"a": 1, "a": 2}', '{"a":2}'],
    ['"<>&"', '"<>&"'],
  ])("%s → %s", (input, expected) => {
    expect(roundTrip(input)).toBe(expected);
  });

  it("dumps object keys in OPA's value order (byte order for strings)", () => {
    expect(roundTrip('{"b":1,"B":2,"a":3,"é":4,"aa":5,"":6}')).toBe(
      '{"":6,"B":2,"a":3,"aa":5,"b":1,"é":4}',
    );
  });

  it.each([
    "",
    " ",
    "[",
    "]",
    "[1,]",
    "[1 2]",
    "{",
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    "{1:2}",
    "{'a':1}",
    "nul",
    "truex",
    "tru",
    "01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "1e+",
    "0x10",
    "NaN",
    "Infinity",
    "1e400",
    "-1e400",
    '"abc',
    '"\\x"',
    '"\\u12"',
    '"\\u12g4"',
    '"a\nb"',
    '"a\tb"',
    "1 2",
    "[1] x",
    "set()",
    "{1, 2}",
  ])("rejects malformed JSON %j", (input) => {
    expect(rt.parseJson(input)).toBe(0);
  });

  it("rejects invalid UTF-8 inside strings", () => {
    const quote = 0x22;
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80]]) {
      expect(rt.parseJson(new Uint8Array([quote, ...bad, quote]))).toBe(0);
    }
    expect(rt.parseJson(new Uint8Array([quote, 0xc3, 0xa9, quote]))).not.toBe(0);
  });

  it("never traps on truncated or garbled input", () => {
    const doc = '{"a":[1,2.5e-3,"x\\u00e9y",{"b":null,"c":[true,false]}],"d":"\\ud83d\\ude00"}';
    for (let i = 0; i < doc.length; i++) {
      const cut = doc.slice(0, i);
      expect(rt.parseJson(cut)).toBe(0);
      const garbled = doc.slice(0, i) + "\u0000" + doc.slice(i + 1);
      expect(() => rt.parseJson(garbled)).not.toThrow();
    }
    expect(roundTrip(doc)).toBe(JSON.stringify(JSON.parse(doc)));
  });

  it("accepts exactly what JSON.parse accepts on random and mutated documents", () => {
    let seed = 42;
    const rand = (n: number): number =>
      ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const atoms = [
      "0",
      "-1",
      "2.5e3",
      "1E-2",
      "true",
      "false",
      "null",
      '"a"',
      '"\\u00e9\\n"',
      '""',
    ];
    const gen = (depth: number): string => {
      const r = rand(depth > 3 ? 1 : 3);
      if (r === 0) return atoms[rand(atoms.length)]!;
      const n = rand(4);
      const items = Array.from({ length: n }, () => gen(depth + 1));
      if (r === 1) return "[" + items.join(",") + "]";
      return "{" + items.map((v, i) => `"k${rand(3)}${i}":${v}`).join(",") + "}";
    };
    const noise = ' ,:[]{}"\\0123456789.eE+-tfnulx\t';
    const base = rt.call("opa_heap_ptr_get");
    for (let i = 0; i < 4000; i++) {
      rt.call("opa_heap_ptr_set", base);
      let text = gen(0);
      if (i % 2 === 1) {
        const at = rand(text.length + 1);
        const op = rand(3);
        const ch = noise[rand(noise.length)]!;
        text =
          op === 0
            ? text.slice(0, at) + text.slice(at + 1)
            : op === 1
              ? text.slice(0, at) + ch + text.slice(at)
              : text.slice(0, at) + ch + text.slice(at + 1);
      }
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(text);
      } catch {
        valid = false;
      }
      const v = rt.parseJson(text);
      expect([text, v !== 0]).toEqual([text, valid]);
      // JSON.stringify normalises as the runtime does (-0 prints as 0).
      if (valid) expect(JSON.parse(rt.dumpJson(v))).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  it("bounds nesting depth at 1000 and rejects deeper input", () => {
    const ok = 1000;
    expect(rt.parseJson("[".repeat(ok) + "]".repeat(ok))).not.toBe(0);
    expect(rt.parseJson("[".repeat(ok + 1) + "]".repeat(ok + 1))).toBe(0);
    expect(rt.parseJson('{"a":'.repeat(ok + 1) + "1" + "}".repeat(ok + 1))).toBe(0);
    expect(rt.parseJson("[".repeat(100000))).toBe(0);
    const deep = rt.parseJson('{"a":'.repeat(ok) + "1" + "}".repeat(ok));
    expect(rt.dumpJson(deep)).toBe('{"a":'.repeat(ok) + "1" + "}".repeat(ok));
  });
});

describe("numbers", () => {
  it.each([
    0.1,
    0.5,
    1.5,
    -2.25,
    1 / 3,
    2 / 3,
    1e21,
    1e-7,
    1e-6,
    123456789012,
    Number("9007199254740993"),
    2 ** 53,
    2 ** 64,
    2 ** 70,
    1e20,
    123e18,
    5e-324,
    1.7976931348623157e308,
    2.2250738585072014e-308,
    0.000001234,
    Number("1.2345678901234567e-300"),
    4.35,
    0.30000000000000004,
    100,
    -100,
    1e100,
  ])("%d prints as JavaScript prints it", (d) => {
    const v = rt.call("rt_number", d);
    expect(rt.dumpJson(v)).toBe(JSON.stringify(d));
    expect(rt.call("rt_number_value", rt.parseJson(JSON.stringify(d)))).toBe(d);
  });

  it("parses and prints random doubles exactly like JavaScript", () => {
    const base = rt.call("opa_heap_ptr_get");
    const f = new Float64Array(1);
    const w = new Uint32Array(f.buffer);
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 3000; i++) {
      rt.call("opa_heap_ptr_set", base);
      w[0] = next();
      w[1] = next();
      const d = f[0]!;
      if (!Number.isFinite(d)) continue;
      const text = JSON.stringify(d);
      const v = rt.parseJson(text);
      expect(rt.call("rt_number_value", v)).toBe(d);
      expect(rt.dumpJson(v)).toBe(text);
    }
  });

  it("prints short and near-boundary decimals like JavaScript", () => {
    const base = rt.call("opa_heap_ptr_get");
    let seed = 987654321;
    const rand = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 6000; i++) {
      rt.call("opa_heap_ptr_set", base);
      const digits = i % 18;
      const d =
        i % 2 === 0
          ? Number((rand() * 1000).toFixed(digits))
          : rand() * 10 ** Math.floor(rand() * 40 - 20);
      const v = rt.call("rt_number", d);
      expect(rt.dumpJson(v)).toBe(JSON.stringify(d));
    }
  });

  it("rounds long and extreme decimal inputs correctly", () => {
    for (const text of [
      "2.4703282292062327e-324",
      "2.4703282292062328e-324",
      "1.7976931348623158e308",
      "9007199254740993",
      "9007199254740992.5",
      "0." + "0".repeat(300) + "1",
      "1" + "0".repeat(400) + "e-400",
      "123456789012345678901234567890123456789e-50",
      "7.2057594037927933e16",
    ]) {
      expect(rt.call("rt_number_value", rt.parseJson(text))).toBe(Number(text));
    }
    expect(rt.parseJson("1.7976931348623159e308")).toBe(0);
  });
});

describe("opa_value_parse / opa_value_dump", () => {
  it.each([
    ["{1, 2, 3}", "{1,2,3}", "[1,2,3]"],
    ["{3, 1, 2, 1}", "{1,2,3}", "[1,2,3]"],
    ["set()", "set()", "[]"],
    ["{}", "{}", "{}"],
    ['{1: "a", "b": 2}', '{1:"a","b":2}', '{"1":"a","b":2}'],
    [
      '{[1, 2]: true, {"k": 1}: {2}}',
      '{[1,2]:true,{"k":1}:{2}}',
      '{"[1,2]":true,"{\\"k\\":1}":[2]}',
    ],
    ["{{1}, {2}, {1}}", "{{1},{2}}", "[[1],[2]]"],
    ["[set(), {}]", "[set(),{}]", "[[],{}]"],
    // Keys whose JSON texts collide: the last in value order (strings after numbers) wins.
    ['{"0": "s", 0: "n", "x": 1}', '{0:"n","0":"s","x":1}', '{"0":"s","x":1}'],
    ['{1: "n", "1": "s"}', '{1:"n","1":"s"}', '{"1":"s"}'],
  ])("%s", (input, valueText, jsonText) => {
    const v = rt.value(input);
    expect(rt.dumpValue(v)).toBe(valueText);
    expect(rt.dumpJson(v)).toBe(jsonText);
    expect(rt.dumpValue(rt.value(rt.dumpValue(v)))).toBe(valueText);
  });

  it.each(["{1, 2", "{1: 2, 3}", "{1, 2: 3}", "set(", "set(1)", "{,}"])("rejects %j", (input) => {
    expect(rt.parseValue(input)).toBe(0);
  });
});

describe("heap discipline", () => {
  it("parse/dump cycles with a heap reset leave the heap pointer unchanged", () => {
    const text = new TextEncoder().encode(
      '{"user":"alice","roles":["agent","supervisor"],"n":1.5,"tags":{"b":1,"a":2}}',
    );
    const addr = rt.writeBytes(text);
    const base = rt.call("opa_heap_ptr_get");
    const pages = rt.memory.buffer.byteLength;
    for (let i = 0; i < 100000; i++) {
      rt.call("opa_heap_ptr_set", base);
      const v = rt.call("opa_json_parse", addr, text.length);
      rt.call("opa_json_dump", v);
    }
    rt.call("opa_heap_ptr_set", base);
    expect(rt.call("opa_heap_ptr_get")).toBe(base);
    expect(rt.memory.buffer.byteLength).toBe(pages);
  });

  it("keeps data intact when evaluations reset the heap above it", () => {
    const data = rt.parseJson('{"z":1,"a":{"y":2,"b":3},"m":[3,1]}');
    const dataTop = rt.call("opa_heap_ptr_get");
    for (let i = 0; i < 3; i++) {
      rt.call("opa_heap_ptr_set", dataTop);
      // Work that allocates where a lazily built cache would live.
      const scratch = rt.parseJson('{"q":[1,2,3,4,5,6,7,8,9],"r":"' + "x".repeat(64) + '"}');
      expect(rt.dumpJson(scratch)).toContain('"q"');
      expect(rt.dumpJson(data)).toBe('{"a":{"b":3,"y":2},"m":[3,1],"z":1}');
    }
  });

  it("rebuilds a sorted order that a heap reset reclaimed", () => {
    // Built by rt_* calls (as generated code does), so no order is cached yet.
    const obj = rt.call("rt_object");
    for (const k of ["d", "c", "b", "a"]) {
      rt.call("rt_object_set", obj, rt.value(JSON.stringify(k)), rt.value("1"));
    }
    const top = rt.call("opa_heap_ptr_get");
    for (let i = 0; i < 3; i++) {
      rt.call("opa_heap_ptr_set", top);
      expect(rt.dumpJson(obj)).toBe('{"a":1,"b":1,"c":1,"d":1}');
      rt.parseJson('["' + "y".repeat(40) + '"]');
    }
  });

  it("rebuilds a sorted order reclaimed by a lower reset even after a higher one", () => {
    const obj = rt.call("rt_object");
    for (const k of ["c", "b", "a"]) {
      rt.call("rt_object_set", obj, rt.value(JSON.stringify(k)), rt.value("1"));
    }
    const low = rt.call("opa_heap_ptr_get");
    expect(rt.dumpJson(obj)).toBe('{"a":1,"b":1,"c":1}'); // caches the order above `low`
    const high = rt.call("opa_heap_ptr_get") + 4096;
    rt.call("opa_heap_ptr_set", low);
    rt.parseJson("[" + '"zzzzzzzzzzzzzzzz",'.repeat(100) + "1]"); // overwrites the cache
    rt.call("opa_heap_ptr_set", high);
    expect(rt.dumpJson(obj)).toBe('{"a":1,"b":1,"c":1}');
  });

  it("opa_malloc returns aligned blocks and opa_free gives back only the last one", () => {
    const a = rt.call("opa_malloc", 3);
    const b = rt.call("opa_malloc", 5);
    expect(a % 8).toBe(0);
    expect(b % 8).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 3);
    rt.call("opa_free", a);
    expect(rt.call("opa_malloc", 1)).toBeGreaterThan(b);
    const c = rt.call("opa_malloc", 16);
    rt.call("opa_free", c);
    expect(rt.call("opa_malloc", 16)).toBe(c);
  });

  it("grows memory when an allocation needs it", () => {
    const before = rt.memory.buffer.byteLength;
    const big = rt.call("opa_malloc", 1 << 20);
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(big + (1 << 20)).toBeLessThanOrEqual(rt.memory.buffer.byteLength);
  });
});
