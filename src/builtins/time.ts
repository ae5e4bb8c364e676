// Time builtins. Instants are nanoseconds since the epoch: BigInt internally so that
// calendar arithmetic is exact, plain numbers at the boundary (docs/decisions.md D3: a
// double holds today's nanosecond timestamps to within a few hundred nanoseconds).
import { typeName, type Value } from "../value/value.js";
import { defineBuiltin, fail, integralBigInt, intOperand, operandError, T } from "./define.js";
import type { Builtin } from "./registry.js";
import {
  daysIn,
  formatCivil,
  LayoutParseError,
  NAMED_LAYOUTS,
  parseWithLayout,
  tokenizeLayout,
  WEEKDAYS,
  type Civil,
  type Parsed,
} from "./time_layout.js";

const NS_PER_S = 1_000_000_000n;
/** Go's UnixNano is defined for years 1678 to 2262. */
const MIN_NS = -(2n ** 63n);
const MAX_NS = 2n ** 63n - 1n;

const RFC3339 = "2006-01-02T15:04:05Z07:00";
const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

/** OPA refuses timestamps that are not exact integers ("timestamp too big"). */
function toNs(name: string, pos: number, v: Value): bigint {
  if (typeof v !== "number") throw operandError(name, pos, ["number"], typeName(v));
  if (!Number.isInteger(v) || Math.abs(v) > 2 ** 63) throw fail(name, "timestamp too big");
  return integralBigInt(v);
}

function nsResult(name: string, ns: bigint): number {
  if (ns < MIN_NS || ns > MAX_NS) throw fail(name, "time outside of valid range");
  return Number(ns);
}

// --- zones ---

/**
 * Locales whose short zone names carry the tz database abbreviations Go prints ("CET",
 * "IST", "AEDT", "JST"); a locale without one gives "GMT+1", and then the next is tried.
 */
const ABBREVIATION_LOCALES = ["en-GB", "en-IN", "en-AU", "ja-JP"];
const abbreviationFormatters = new Map<string, Intl.DateTimeFormat>();

function isNumericName(name: string): boolean {
  return name === "" || /^(GMT|UTC)[+-]/.test(name);
}

/** tz database style for zones without letters: "-03", "+0545". */
function numericAbbreviation(offsetSec: number): string {
  const a = Math.abs(offsetSec);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = Math.floor((a % 3600) / 60);
  return (offsetSec < 0 ? "-" : "+") + hh + (mm === 0 ? "" : String(mm).padStart(2, "0"));
}

/** The zone's abbreviation at an instant, as the tz database names it. */
function abbreviation(zone: string, ms: number, usName: string, offsetSec: number): string {
  if (!isNumericName(usName)) return usName;
  for (const locale of ABBREVIATION_LOCALES) {
    const key = locale + "\u0000" + zone;
    let f = abbreviationFormatters.get(key);
    if (f === undefined) {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" });
      abbreviationFormatters.set(key, f);
    }
    const name = f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (!isNumericName(name) && /^[A-Z]+$/.test(name)) return name;
  }
  return numericAbbreviation(offsetSec);
}

interface ZoneInfo {
  offsetSec: number;
  abbrev: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
      timeZoneName: "short",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** "" and "UTC" are UTC; "Local" is the host's zone; anything else is an IANA name. */
function zoneInfo(name: string, tz: string, epochSec: bigint): ZoneInfo {
  if (tz === "" || tz === "UTC") return { offsetSec: 0, abbrev: "UTC" };
  const zone = tz === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  let f: Intl.DateTimeFormat;
  try {
    f = zoneFormatter(zone);
  } catch {
    throw fail(name, `unknown time zone ${tz}`);
  }
  // Offsets are looked up at a clamped instant: Intl handles ±8.64e15 ms only.
  const ms = Number(epochSec) * 1000;
  const clamped = Math.max(-8.64e15, Math.min(8.64e15, ms));
  const parts = Object.fromEntries(f.formatToParts(clamped).map((p) => [p.type, p.value]));
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const wall = Date.UTC(
    2000,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const d = new Date(wall);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  const offsetSec = Math.round((d.getTime() - Math.floor(clamped / 1000) * 1000) / 1000);
  return { offsetSec, abbrev: abbreviation(zone, clamped, parts.timeZoneName ?? "", offsetSec) };
}

function civil(name: string, ns: bigint, tz: string): Civil {
  let sec = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    sec -= 1n;
  }
  const zone = zoneInfo(name, tz, sec);
  const local = new Date(Number(sec + BigInt(zone.offsetSec)) * 1000);
  const startOfYear = Date.UTC(local.getUTCFullYear(), 0, 1);
  const yearStart = new Date(startOfYear);
  yearStart.setUTCFullYear(local.getUTCFullYear(), 0, 1);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nanos: Number(nanos),
    weekday: local.getUTCDay(),
    yday: Math.floor((local.getTime() - yearStart.getTime()) / 86_400_000) + 1,
    offsetSec: zone.offsetSec,
    zoneAbbrev: zone.abbrev,
  };
}

/** Civil fields (any ranges: Go's Date normalises overflow) as UTC epoch nanoseconds. */
function civilToNs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  nanos: number,
): bigint {
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return BigInt(date.getTime()) * 1_000_000n + BigInt(nanos);
}

/** `ns`, `[ns]`, `[ns, tz]` or `[ns, tz, layout]` (the layout matters to time.format only). */
function instantOperand(name: string, v: Value): { ns: bigint; tz: string; layout?: string } {
  if (typeof v === "number") return { ns: toNs(name, 1, v), tz: "UTC" };
  if (!Array.isArray(v) || v.length === 0) {
    throw fail(
      name,
      `operand 1 must be either number (ns) or [number (ns), string (tz)] but got ${typeName(v)}`,
    );
  }
  const [n, tz = "UTC", layout] = v;
  if (typeof tz !== "string") {
    throw fail(name, `operand 1 timezone must be a string but got ${typeName(tz)}`);
  }
  if (layout !== undefined && typeof layout !== "string") {
    throw fail(name, `operand 1 layout must be a string but got ${typeName(layout)}`);
  }
  return { ns: toNs(name, 1, n!), tz, ...(layout !== undefined ? { layout } : {}) };
}

// --- parsing ---

function parsedToNs(p: Parsed): bigint {
  const local = civilToNs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.nanos);
  return local - BigInt(p.offsetSec ?? 0) * NS_PER_S;
}

function parseNs(name: string, layout: string, value: string): number {
  const resolved = NAMED_LAYOUTS[layout] ?? layout;
  try {
    return nsResult(name, parsedToNs(parseWithLayout(resolved, value)));
  } catch (e) {
    if (e instanceof LayoutParseError) throw fail(name, e.message);
    throw e;
  }
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};

/** Go's time.ParseDuration. */
export function parseDurationNs(name: string, s: string): bigint {
  const invalid = (): never => {
    throw fail(name, `time: invalid duration ${JSON.stringify(s)}`);
  };
  let rest = s;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") invalid();
  let total = 0n;
  while (rest !== "") {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (m === null || (m[1] === "" && (m[2] ?? "") === "")) return invalid();
    const unit = DURATION_UNITS[m[3]!];
    if (unit === undefined)
      throw fail(
        name,
        `time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(s)}`,
      );
    const whole = BigInt(m[1] === "" ? "0" : m[1]!);
    const fracDigits = m[2] ?? "";
    const frac =
      fracDigits === "" ? 0n : (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    total += whole * unit + frac;
    if (total > MAX_NS) throw fail(name, `time: invalid duration ${JSON.stringify(s)}`);
    rest = rest.slice(m[0].length);
  }
  return negative ? -total : total;
}

// --- diff ---

/** Calendar difference between two instants, both seen in the first one's zone, with borrowing. */
function diff(name: string, a: Value, b: Value): Value {
  const x = instantOperand(name, a);
  const y = instantOperand(name, b);
  const [early, late] = x.ns <= y.ns ? [x.ns, y.ns] : [y.ns, x.ns];
  const c1 = civil(name, early, x.tz);
  const c2 = civil(name, late, x.tz);
  let years = c2.year - c1.year;
  let months = c2.month - c1.month;
  let days = c2.day - c1.day;
  let hours = c2.hour - c1.hour;
  let minutes = c2.minute - c1.minute;
  let seconds = c2.second - c1.second;
  if (seconds < 0) {
    seconds += 60;
    minutes--;
  }
  if (minutes < 0) {
    minutes += 60;
    hours--;
  }
  if (hours < 0) {
    hours += 24;
    days--;
  }
  if (days < 0) {
    days += daysIn(c1.year, c1.month);
    months--;
  }
  if (months < 0) {
    months += 12;
    years--;
  }
  return [years, months, days, hours, minutes, seconds];
}

function addDate([n, y, m, d]: Value[]): Value {
  const name = "time.add_date";
  const c = civil(name, toNs(name, 1, n!), "UTC");
  const ns = civilToNs(
    c.year + intOperand(name, 2, y!),
    c.month + intOperand(name, 3, m!),
    c.day + intOperand(name, 4, d!),
    c.hour,
    c.minute,
    c.second,
    c.nanos,
  );
  return nsResult(name, ns);
}

function formatTime([v]: Value[]): Value {
  const name = "time.format";
  const x = instantOperand(name, v!);
  const layout = x.layout === undefined ? RFC3339_NANO : (NAMED_LAYOUTS[x.layout] ?? x.layout);
  return formatCivil(civil(name, x.ns, x.tz), tokenizeLayout(layout));
}

const instantType = T.anyOf(T.number, T.tuple(T.number, T.string));

export const timeBuiltins: Builtin[] = [
  defineBuiltin({
    name: "time.now_ns",
    args: [],
    result: T.number,
    nondeterministic: true,
    impl: (_args, ctx) => Number(ctx.nowNs),
  }),
  defineBuiltin({
    name: "time.parse_ns",
    args: [T.string, T.string],
    result: T.number,
    impl: ([l, v]) => parseNs("time.parse_ns", l as string, v as string),
  }),
  defineBuiltin({
    name: "time.parse_rfc3339_ns",
    args: [T.string],
    result: T.number,
    impl: ([v]) => parseNs("time.parse_rfc3339_ns", RFC3339, v as string),
  }),
  defineBuiltin({
    name: "time.parse_duration_ns",
    args: [T.string],
    result: T.number,
    impl: ([v]) => Number(parseDurationNs("time.parse_duration_ns", v as string)),
  }),
  defineBuiltin({
    name: "time.date",
    args: [instantType],
    result: T.tuple(T.number, T.number, T.number),
    impl: ([v]) => {
      const x = instantOperand("time.date", v!);
      const c = civil("time.date", x.ns, x.tz);
      return [c.year, c.month, c.day];
    },
  }),
  defineBuiltin({
    name: "time.clock",
    args: [instantType],
    result: T.tuple(T.number, T.number, T.number),
    impl: ([v]) => {
      const x = instantOperand("time.clock", v!);
      const c = civil("time.clock", x.ns, x.tz);
      return [c.hour, c.minute, c.second];
    },
  }),
  defineBuiltin({
    name: "time.weekday",
    args: [instantType],
    result: T.string,
    impl: ([v]) => {
      const x = instantOperand("time.weekday", v!);
      return WEEKDAYS[civil("time.weekday", x.ns, x.tz).weekday]!;
    },
  }),
  defineBuiltin({
    name: "time.add_date",
    args: [T.number, T.number, T.number, T.number],
    result: T.number,
    impl: addDate,
  }),
  defineBuiltin({
    name: "time.diff",
    args: [instantType, instantType],
    result: T.tuple(T.number, T.number, T.number, T.number, T.number, T.number),
    impl: ([a, b]) => diff("time.diff", a!, b!),
  }),
  defineBuiltin({
    name: "time.format",
    args: [T.anyOf(T.number, T.tuple(T.number, T.string), T.tuple(T.number, T.string, T.string))],
    result: T.string,
    impl: formatTime,
  }),
];
