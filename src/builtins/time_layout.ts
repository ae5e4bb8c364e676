// Go's time layouts ("Mon Jan 2 15:04:05 MST 2006"): tokenising, formatting and parsing,
// on broken-down civil times. Instants are nanoseconds since the epoch as BigInt.

export type Chunk =
  { kind: "lit"; text: string } | { kind: "std"; std: Std; digits?: number; sep?: string };

type Std =
  | "longMonth"
  | "month"
  | "numMonth"
  | "zeroMonth"
  | "longWeekDay"
  | "weekDay"
  | "day"
  | "underDay"
  | "zeroDay"
  | "underYearDay"
  | "zeroYearDay"
  | "hour"
  | "hour12"
  | "zeroHour12"
  | "minute"
  | "zeroMinute"
  | "second"
  | "zeroSecond"
  | "longYear"
  | "year"
  | "PM"
  | "pm"
  | "TZ"
  | "ISO8601TZ"
  | "ISO8601SecondsTZ"
  | "ISO8601ShortTZ"
  | "ISO8601ColonTZ"
  | "ISO8601ColonSecondsTZ"
  | "numTZ"
  | "numSecondsTz"
  | "numShortTZ"
  | "numColonTZ"
  | "numColonSecondsTZ"
  | "fracSecond0"
  | "fracSecond9";

/** Prefix → chunk, longest first within each leading character, as Go's nextStdChunk tries them. */
const STD_PREFIXES: [string, Std][] = [
  ["January", "longMonth"],
  ["Jan", "month"],
  ["Monday", "longWeekDay"],
  ["Mon", "weekDay"],
  ["MST", "TZ"],
  ["002", "zeroYearDay"],
  ["01", "zeroMonth"],
  ["02", "zeroDay"],
  ["03", "zeroHour12"],
  ["04", "zeroMinute"],
  ["05", "zeroSecond"],
  ["06", "year"],
  ["15", "hour"],
  ["1", "numMonth"],
  ["2006", "longYear"],
  ["2", "day"],
  ["__2", "underYearDay"],
  ["_2", "underDay"],
  ["3", "hour12"],
  ["4", "minute"],
  ["5", "second"],
  ["PM", "PM"],
  ["pm", "pm"],
  ["-07:00:00", "numColonSecondsTZ"],
  ["-070000", "numSecondsTz"],
  ["-07:00", "numColonTZ"],
  ["-0700", "numTZ"],
  ["-07", "numShortTZ"],
  ["Z07:00:00", "ISO8601ColonSecondsTZ"],
  ["Z070000", "ISO8601SecondsTZ"],
  ["Z07:00", "ISO8601ColonTZ"],
  ["Z0700", "ISO8601TZ"],
  ["Z07", "ISO8601ShortTZ"],
];

export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

export function tokenizeLayout(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = "";
  let i = 0;
  const flush = (): void => {
    if (lit !== "") out.push({ kind: "lit", text: lit });
    lit = "";
  };
  while (i < layout.length) {
    const frac = fractionAt(layout, i);
    if (frac !== undefined) {
      flush();
      out.push(frac.chunk);
      i += frac.length;
      continue;
    }
    // Go reads "_2006" as a literal underscore followed by the year.
    const hit = layout.startsWith("_2006", i)
      ? undefined
      : STD_PREFIXES.find(([p]) => layout.startsWith(p, i));
    // "Jan"/"Mon" followed by a lower-case letter are words, not month/day names.
    const wordy =
      hit !== undefined &&
      (hit[1] === "month" || hit[1] === "weekDay") &&
      /[a-z]/.test(layout[i + 3] ?? "");
    if (hit !== undefined && !wordy) {
      flush();
      out.push({ kind: "std", std: hit[1] });
      i += hit[0].length;
      continue;
    }
    lit += layout[i];
    i++;
  }
  flush();
  return out;
}

/** `.000` / `,999`: a run of one digit kind after a separator, not followed by a digit. */
function fractionAt(layout: string, i: number): { chunk: Chunk; length: number } | undefined {
  const sep = layout[i];
  if (sep !== "." && sep !== ",") return undefined;
  const d = layout[i + 1];
  if (d !== "0" && d !== "9") return undefined;
  let j = i + 1;
  while (layout[j] === d) j++;
  if (/[0-9]/.test(layout[j] ?? "")) return undefined;
  const std: Std = d === "0" ? "fracSecond0" : "fracSecond9";
  return { chunk: { kind: "std", std, digits: j - i - 1, sep }, length: j - i };
}

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1-based
  offsetSec: number;
  zoneAbbrev: string;
}

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const WEEKDAYS = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

function formatOffset(offsetSec: number, colon: boolean, short: boolean, seconds: boolean): string {
  const sign = offsetSec < 0 ? "-" : "+";
  const a = Math.abs(offsetSec);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  if (short) return sign + h;
  const sep = colon ? ":" : "";
  return sign + h + sep + m + (seconds ? sep + s : "");
}

export function formatCivil(c: Civil, chunks: readonly Chunk[]): string {
  return chunks.map((ch) => (ch.kind === "lit" ? ch.text : formatStd(c, ch))).join("");
}

function formatStd(c: Civil, ch: Extract<Chunk, { kind: "std" }>): string {
  const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  switch (ch.std) {
    case "longMonth":
      return MONTHS[c.month - 1]!;
    case "month":
      return MONTHS[c.month - 1]!.slice(0, 3);
    case "numMonth":
      return String(c.month);
    case "zeroMonth":
      return pad(c.month, 2);
    case "longWeekDay":
      return WEEKDAYS[c.weekday]!;
    case "weekDay":
      return WEEKDAYS[c.weekday]!.slice(0, 3);
    case "day":
      return String(c.day);
    case "underDay":
      return String(c.day).padStart(2, " ");
    case "zeroDay":
      return pad(c.day, 2);
    case "underYearDay":
      return String(c.yday).padStart(3, " ");
    case "zeroYearDay":
      return pad(c.yday, 3);
    case "hour":
      return pad(c.hour, 2);
    case "hour12":
      return String(h12);
    case "zeroHour12":
      return pad(h12, 2);
    case "minute":
      return String(c.minute);
    case "zeroMinute":
      return pad(c.minute, 2);
    case "second":
      return String(c.second);
    case "zeroSecond":
      return pad(c.second, 2);
    case "longYear":
      return c.year < 0 ? "-" + pad(-c.year, 4) : pad(c.year, 4);
    case "year":
      return pad(((c.year % 100) + 100) % 100, 2);
    case "PM":
      return c.hour >= 12 ? "PM" : "AM";
    case "pm":
      return c.hour >= 12 ? "pm" : "am";
    case "TZ":
      return c.zoneAbbrev !== "" ? c.zoneAbbrev : formatOffset(c.offsetSec, false, false, false);
    case "ISO8601TZ":
    case "ISO8601ColonTZ":
    case "ISO8601ShortTZ":
    case "ISO8601SecondsTZ":
    case "ISO8601ColonSecondsTZ":
      if (c.offsetSec === 0) return "Z";
      return offsetChunk(c.offsetSec, ch.std);
    case "numTZ":
    case "numColonTZ":
    case "numShortTZ":
    case "numSecondsTz":
    case "numColonSecondsTZ":
      return offsetChunk(c.offsetSec, ch.std);
    case "fracSecond0":
      return ch.sep! + pad(c.nanos, 9).slice(0, ch.digits);
    case "fracSecond9": {
      const digits = pad(c.nanos, 9).slice(0, ch.digits).replace(/0+$/, "");
      return digits === "" ? "" : ch.sep! + digits;
    }
  }
}

function offsetChunk(offsetSec: number, std: Std): string {
  const colon = std.includes("Colon");
  const short = std.includes("Short");
  const seconds = std.includes("Seconds");
  return formatOffset(offsetSec, colon, short, seconds);
}

export interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  yday?: number;
  /** Undefined when the value carried no numeric offset (Go then assumes UTC). */
  offsetSec?: number;
  zoneAbbrev?: string;
}

export class LayoutParseError extends Error {
  override name = "LayoutParseError";
}

/** Go's time.Parse over a tokenised layout. */
export function parseWithLayout(layout: string, value: string): Parsed {
  const chunks = tokenizeLayout(layout);
  const r: Parsed = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0 };
  let pmSet: boolean | undefined;
  let s = value;
  const bad = (what: string): never => {
    throw new LayoutParseError(
      `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(s)} as ${JSON.stringify(what)}`,
    );
  };
  const num = (min: number, max: number, what: string, fixed: boolean): number => {
    const m = (fixed ? new RegExp(`^\\d{${max}}`) : new RegExp(`^\\d{${min},${max}}`)).exec(s);
    if (m === null) return bad(what);
    s = s.slice(m[0].length);
    return Number(m[0]);
  };
  const name = (names: readonly string[], len: number | undefined, what: string): number => {
    for (let i = 0; i < names.length; i++) {
      const n = len === undefined ? names[i]! : names[i]!.slice(0, len);
      if (s.slice(0, n.length).toLowerCase() === n.toLowerCase()) {
        s = s.slice(n.length);
        return i;
      }
    }
    return bad(what);
  };
  for (let ci = 0; ci < chunks.length; ci++) {
    const ch = chunks[ci]!;
    if (ch.kind === "lit") {
      if (!s.startsWith(ch.text)) bad(ch.text);
      s = s.slice(ch.text.length);
      continue;
    }
    switch (ch.std) {
      case "longMonth":
        r.month = name(MONTHS, undefined, "January") + 1;
        break;
      case "month":
        r.month = name(MONTHS, 3, "Jan") + 1;
        break;
      case "numMonth":
      case "zeroMonth":
        r.month = num(ch.std === "zeroMonth" ? 2 : 1, 2, "01", ch.std === "zeroMonth");
        if (r.month < 1 || r.month > 12)
          throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: month out of range`);
        break;
      case "longWeekDay":
        name(WEEKDAYS, undefined, "Monday");
        break;
      case "weekDay":
        name(WEEKDAYS, 3, "Mon");
        break;
      case "day":
      case "zeroDay":
      case "underDay":
        if (ch.std === "underDay" && s.startsWith(" ")) s = s.slice(1);
        r.day = num(ch.std === "zeroDay" ? 2 : 1, 2, "02", ch.std === "zeroDay");
        break;
      case "underYearDay":
      case "zeroYearDay":
        if (ch.std === "underYearDay") s = s.replace(/^ {1,2}/, "");
        r.yday = num(ch.std === "zeroYearDay" ? 3 : 1, 3, "002", ch.std === "zeroYearDay");
        break;
      case "hour":
        r.hour = num(1, 2, "15", false);
        if (r.hour > 23)
          throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: hour out of range`);
        break;
      case "hour12":
      case "zeroHour12":
        r.hour = num(ch.std === "zeroHour12" ? 2 : 1, 2, "03", ch.std === "zeroHour12");
        if (r.hour > 12)
          throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: hour out of range`);
        break;
      case "minute":
      case "zeroMinute":
        r.minute = num(ch.std === "zeroMinute" ? 2 : 1, 2, "04", ch.std === "zeroMinute");
        if (r.minute > 59)
          throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: minute out of range`);
        break;
      case "second":
      case "zeroSecond": {
        r.second = num(ch.std === "zeroSecond" ? 2 : 1, 2, "05", ch.std === "zeroSecond");
        if (r.second > 59)
          throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: second out of range`);
        // Go accepts a fractional second here even when the layout has none.
        const next = chunks[ci + 1];
        const nextIsFrac = next?.kind === "std" && next.std.startsWith("frac");
        const m = /^[.,](\d+)/.exec(s);
        if (!nextIsFrac && m !== null) {
          r.nanos = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
          s = s.slice(m[0].length);
        }
        break;
      }
      case "longYear": {
        const m = /^-?\d{4}/.exec(s);
        if (m === null) bad("2006");
        r.year = Number(m![0]);
        s = s.slice(m![0].length);
        break;
      }
      case "year": {
        const yy = num(2, 2, "06", true);
        r.year = yy >= 69 ? 1900 + yy : 2000 + yy;
        break;
      }
      case "PM":
      case "pm": {
        const ap = s.slice(0, 2).toUpperCase();
        if (ap !== "AM" && ap !== "PM") bad(ch.std);
        pmSet = ap === "PM";
        s = s.slice(2);
        break;
      }
      case "TZ": {
        if (s.startsWith("UTC")) {
          r.offsetSec = 0;
          r.zoneAbbrev = "UTC";
          s = s.slice(3);
          break;
        }
        const m = /^[A-Z]{3,5}|^[+-]\d{2,4}/.exec(s);
        if (m === null) bad("MST");
        r.zoneAbbrev = m![0];
        s = s.slice(m![0].length);
        break;
      }
      case "fracSecond0": {
        const m = new RegExp(`^[.,](\\d{${ch.digits}})`).exec(s);
        if (m === null) bad(ch.sep + "0".repeat(ch.digits!));
        r.nanos = Number(m![1]!.slice(0, 9).padEnd(9, "0"));
        s = s.slice(m![0].length);
        break;
      }
      case "fracSecond9": {
        const m = /^[.,](\d+)/.exec(s);
        if (m !== null) {
          r.nanos = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
          s = s.slice(m[0].length);
        }
        break;
      }
      default:
        r.offsetSec = parseOffset(
          ch.std,
          () => s,
          (rest) => (s = rest),
          bad,
        );
    }
  }
  if (s !== "")
    throw new LayoutParseError(
      `parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(s)}`,
    );
  if (pmSet === true && r.hour < 12) r.hour += 12;
  if (pmSet === false && r.hour === 12) r.hour = 0;
  if (r.yday !== undefined) applyYearDay(r, value);
  const dim = daysIn(r.year, r.month);
  if (r.day < 1 || r.day > dim)
    throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: day out of range`);
  return r;
}

function applyYearDay(r: Parsed, value: string): void {
  const yday = r.yday!;
  const leap = daysIn(r.year, 2) === 29;
  if (yday < 1 || yday > (leap ? 366 : 365))
    throw new LayoutParseError(`parsing time ${JSON.stringify(value)}: day-of-year out of range`);
  const d = new Date(Date.UTC(2000, 0, 1));
  d.setUTCFullYear(r.year, 0, yday);
  r.month = d.getUTCMonth() + 1;
  r.day = d.getUTCDate();
}

function parseOffset(
  std: Std,
  get: () => string,
  set: (rest: string) => void,
  bad: (what: string) => never,
): number {
  const s = get();
  if (std.startsWith("ISO8601") && s.startsWith("Z")) {
    set(s.slice(1));
    return 0;
  }
  const patterns: Partial<Record<Std, RegExp>> = {
    numTZ: /^([+-])(\d{2})(\d{2})/,
    ISO8601TZ: /^([+-])(\d{2})(\d{2})/,
    numColonTZ: /^([+-])(\d{2}):(\d{2})/,
    ISO8601ColonTZ: /^([+-])(\d{2}):(\d{2})/,
    numShortTZ: /^([+-])(\d{2})/,
    ISO8601ShortTZ: /^([+-])(\d{2})/,
    numSecondsTz: /^([+-])(\d{2})(\d{2})(\d{2})/,
    ISO8601SecondsTZ: /^([+-])(\d{2})(\d{2})(\d{2})/,
    numColonSecondsTZ: /^([+-])(\d{2}):(\d{2}):(\d{2})/,
    ISO8601ColonSecondsTZ: /^([+-])(\d{2}):(\d{2}):(\d{2})/,
  };
  const m = patterns[std]!.exec(s);
  if (m === null) return bad(std.startsWith("ISO") ? "Z07:00" : "-07:00");
  set(s.slice(m[0].length));
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === "-" ? -secs : secs;
}

export function daysIn(year: number, month: number): number {
  const d = new Date(Date.UTC(2000, 0, 1));
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}
