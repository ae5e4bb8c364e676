import { describe, expect, it } from "vitest";
import { rng } from "../../test/support/random.js";
import { NOT_PLAIN, writeJSON } from "./json-writer.js";

const encoder = new TextEncoder();

/** What the writer must produce: JSON.stringify's text as UTF-8. */
function expected(value: unknown): number[] {
  return [...encoder.encode(JSON.stringify(value))];
}

function written(value: unknown, size = 4096, at = 3): number[] | typeof NOT_PLAIN {
  const out = new Uint8Array(size);
  const end = writeJSON(value, out, at);
  return end === NOT_PLAIN ? NOT_PLAIN : [...out.subarray(at, end)];
}

const STRING_PIECES = [
  "a",
  "queue",
  "Zürich",
  "日本",
  "😀",
  '"',
  "\\",
  "\n",
  "\u0001",
  "\ud800",
  "~",
  " ",
];

function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const string = () =>
    Array.from({ length: Math.floor(next() * 4) }, () => pick(STRING_PIECES)).join("");
  const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
  switch (kind) {
    case 0:
      return string();
    case 1:
      return pick([0, -0, 1, -7, 0.1, 1e21, 1.5e-7, 2 ** 53 + 2, -123.456]);
    case 2:
      return pick([true, false]);
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--)
        obj[pick(["id", "2", "10", string()])] = randomValue(next, depth + 1);
      return obj;
    }
  }
}

describe("writeJSON", () => {
  it("writes the bytes of JSON.stringify for 2,000 random plain values", () => {
    const next = rng(7);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(next, 0);
      expect(written(v), JSON.stringify(v)).toEqual(expected(v));
    }
  });

  it("writes escapes, non-ASCII text and own __proto__ keys as JSON.stringify does", () => {
    const proto = JSON.parse('{"__proto__": {"x": 1}, "k": "\\u2028"}') as unknown;
    const nullProto = Object.assign(Object.create(null) as object, { b: [1, "é"] });
    for (const v of [proto, nullProto, { q: 'a"b\\c\n\t\u0000' }, ["\ud83d\ude00", "\udc00"]]) {
      expect(written(v)).toEqual(expected(v));
    }
  });

  it("declines what JSON.stringify treats specially, so the caller falls back to it", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    class Request {
      tenant = "acme";
    }
    for (const v of [
      { a: undefined },
      [undefined],
      { f: () => 1 },
      { n: Number.NaN },
      Infinity,
      1n,
      new Date(0),
      { toJSON: () => "x" },
      new Request(),
      Object.assign(new String("s"), {}),
      cyclic,
      deep,
      undefined,
      Symbol("s"),
    ]) {
      expect(written(v)).toBe(NOT_PLAIN);
    }
  });

  it("declines a value that does not fit, instead of writing past the end", () => {
    const v = { tenant: "acme", user: "gina", action: "queue.monitor" };
    const size = expected(v).length;
    expect(written(v, size + 3)).toEqual(expected(v));
    for (let room = 0; room < size; room++) expect(written(v, room + 3)).toBe(NOT_PLAIN);
    expect(written({ s: "日本語" }, 10)).toBe(NOT_PLAIN);
  });
});
