// CIDR builtins over IPv4 and IPv6, with addresses as BigInt. Parsing follows Go's net
// package (no leading zeros in IPv4 octets, `::` compression, embedded IPv4 in IPv6).
import { RegoObject, RegoSet, typeName, type Value } from "../value/value.js";
import { defineBuiltin, elementsOf, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

interface Net {
  bits: 32 | 128;
  addr: bigint; // network address (host bits cleared)
  prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(p);
  }
  return out;
}

function parseIPv6(s: string): bigint | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    // An embedded IPv4 address stands for the last two groups.
    const v4 = parseIPv4(last);
    if (v4 === undefined) return undefined;
    text =
      text.slice(0, lastColon + 1) + (v4 >> 16n).toString(16) + ":" + (v4 & 0xffffn).toString(16);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const group = (h: string): bigint[] | undefined => {
    if (h === "") return [];
    const gs = h.split(":");
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return gs.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    groups = [...head, ...Array<bigint>(8 - given).fill(0n), ...rest];
  } else {
    if (given !== 8) return undefined;
    groups = head;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseIP(s: string): { bits: 32 | 128; addr: bigint } | undefined {
  if (s.includes(":")) {
    const a = parseIPv6(s);
    return a === undefined ? undefined : { bits: 128, addr: a };
  }
  const a = parseIPv4(s);
  return a === undefined ? undefined : { bits: 32, addr: a };
}

function mask(bits: number, prefix: number): bigint {
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9]\d*)$/.test(p) || Number(p) > ip.bits) return undefined;
  const prefix = Number(p);
  return { bits: ip.bits, addr: ip.addr & mask(ip.bits, prefix), prefix };
}

function cidrOperand(name: string, pos: number, v: Value): Net {
  if (typeof v !== "string")
    throw fail(name, `operand ${pos} must be string but got ${typeName(v)}`);
  const n = parseCIDR(v);
  if (n === undefined) throw fail(name, `invalid CIDR address: ${v}`);
  return n;
}

/** A CIDR or a bare address (as a full-length prefix). */
function cidrOrIP(v: string): Net | undefined {
  const n = parseCIDR(v);
  if (n !== undefined) return n;
  const ip = parseIP(v);
  return ip === undefined ? undefined : { bits: ip.bits, addr: ip.addr, prefix: ip.bits };
}

function lastAddr(n: Net): bigint {
  return n.addr | ((1n << BigInt(n.bits - n.prefix)) - 1n);
}

function contains(a: Net, b: Net): boolean {
  return a.bits === b.bits && a.prefix <= b.prefix && (b.addr & mask(a.bits, a.prefix)) === a.addr;
}

function intersects(a: Net, b: Net): boolean {
  return a.bits === b.bits && a.addr <= lastAddr(b) && b.addr <= lastAddr(a);
}

export function formatIP(bits: 32 | 128, addr: bigint): string {
  if (bits === 32) {
    return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 0xffn)).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((addr >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  // RFC 5952: compress the longest run (at least two) of zero groups, the first on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLen).join(":");
}

function formatNet(n: Net): string {
  return `${formatIP(n.bits, n.addr)}/${n.prefix}`;
}

const EXPAND_LIMIT = 1n << 20n;

function expand([c]: Value[]): Value {
  const n = cidrOperand("net.cidr_expand", 1, c!);
  const size = 1n << BigInt(n.bits - n.prefix);
  // OPA has no limit; an unbounded set would exhaust memory, so refuse beyond 2^20 hosts.
  if (size > EXPAND_LIMIT)
    throw fail("net.cidr_expand", `CIDR ${c as string} has too many addresses to expand`);
  const out = new RegoSet();
  for (let a = n.addr; a <= lastAddr(n); a++) out.add(formatIP(n.bits, a));
  return out;
}

/** The fewest prefixes covering [start, end]. */
function rangeToNets(bits: 32 | 128, start: bigint, end: bigint): Net[] {
  const out: Net[] = [];
  let cur = start;
  while (cur <= end) {
    // Grow the block while it stays aligned and inside the range.
    let prefix = bits;
    while (prefix > 0) {
      const bigger = 1n << BigInt(bits - prefix + 1);
      if ((cur & (bigger - 1n)) !== 0n || cur + bigger - 1n > end) break;
      prefix--;
    }
    out.push({ bits, addr: cur, prefix });
    cur += 1n << BigInt(bits - prefix);
  }
  return out;
}

function merge([addrs]: Value[]): Value {
  const name = "net.cidr_merge";
  const ranges: { bits: 32 | 128; start: bigint; end: bigint }[] = [];
  for (const v of elementsOf(addrs!)) {
    if (typeof v !== "string")
      throw fail(name, `operand 1 must be array or set of strings but got ${typeName(v)}`);
    const n = cidrOrIP(v);
    if (n === undefined) throw fail(name, `invalid CIDR address or IP: ${v}`);
    ranges.push({ bits: n.bits, start: n.addr, end: lastAddr(n) });
  }
  const out = new RegoSet();
  for (const bits of [32, 128] as const) {
    const rs = ranges
      .filter((r) => r.bits === bits)
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let cur: { start: bigint; end: bigint } | undefined;
    const flush = (): void => {
      if (cur !== undefined)
        for (const n of rangeToNets(bits, cur.start, cur.end)) out.add(formatNet(n));
    };
    for (const r of rs) {
      if (cur !== undefined && r.start <= cur.end + 1n) {
        if (r.end > cur.end) cur.end = r.end;
      } else {
        flush();
        cur = { start: r.start, end: r.end };
      }
    }
    flush();
  }
  return out;
}

/** (key, cidr) pairs from a string, array, set or object operand. */
function keyedCidrs(name: string, pos: number, v: Value): [Value, string][] {
  const cidrText = (x: Value): string => {
    if (typeof x === "string") return x;
    if (Array.isArray(x) && typeof x[0] === "string") return x[0];
    throw fail(
      name,
      `operand ${pos} must contain strings or arrays starting with a string but got ${typeName(x)}`,
    );
  };
  if (typeof v === "string") return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [i, cidrText(x)]);
  if (v instanceof RegoSet) return v.values().map((x) => [x, cidrText(x)]);
  if (v instanceof RegoObject) return v.entries().map(([k, x]) => [k, cidrText(x)]);
  throw fail(
    name,
    `operand ${pos} must be one of {string, array, set, object} but got ${typeName(v)}`,
  );
}

function containsMatches([a, b]: Value[]): Value {
  const name = "net.cidr_contains_matches";
  const nets = keyedCidrs(name, 1, a!).map(([k, c]) => [k, cidrOperand(name, 1, c)] as const);
  const out = new RegoSet();
  for (const [kb, text] of keyedCidrs(name, 2, b!)) {
    const target = cidrOrIP(text);
    if (target === undefined) throw fail(name, `invalid CIDR address or IP: ${text}`);
    for (const [ka, n] of nets) if (contains(n, target)) out.add([ka, kb]);
  }
  return out;
}

const cidrSource = T.anyOf(T.string, T.array(), T.set(), T.object());

export const netBuiltins: Builtin[] = [
  defineBuiltin({
    name: "net.cidr_contains",
    args: [T.string, T.string],
    result: T.boolean,
    impl: ([a, b]) => {
      const net = cidrOperand("net.cidr_contains", 1, a!);
      const target = cidrOrIP(b as string);
      if (target === undefined)
        throw fail("net.cidr_contains", `invalid CIDR address or IP: ${b as string}`);
      return contains(net, target);
    },
  }),
  defineBuiltin({
    name: "net.cidr_intersects",
    args: [T.string, T.string],
    result: T.boolean,
    impl: ([a, b]) =>
      intersects(
        cidrOperand("net.cidr_intersects", 1, a!),
        cidrOperand("net.cidr_intersects", 2, b!),
      ),
  }),
  defineBuiltin({
    name: "net.cidr_is_valid",
    args: [T.string],
    result: T.boolean,
    anyOperands: true,
    impl: ([c]) => typeof c === "string" && parseCIDR(c) !== undefined,
  }),
  defineBuiltin({
    name: "net.cidr_expand",
    args: [T.string],
    result: T.set(T.string),
    impl: expand,
  }),
  defineBuiltin({
    name: "net.cidr_merge",
    args: [T.anyOf(T.array(T.string), T.set(T.string))],
    result: T.set(T.string),
    impl: merge,
  }),
  defineBuiltin({
    name: "net.cidr_contains_matches",
    args: [cidrSource, cidrSource],
    result: T.set(T.tuple(T.any, T.any)),
    impl: containsMatches,
  }),
];
