import { describe, it } from "vitest";
import { expectOutcome, newCtx, NOW_NS, type Row } from "./testing.js";

const DAY = 86_400e9;
/** 2020-01-31T00:00:00Z and 2021-03-01T12:30:15Z. */
const T1 = 1_580_428_800e9;
const T2 = 1_614_601_815e9;

const rows: Row[] = [
  ["time.parse_rfc3339_ns", ["1970-01-01T00:00:00Z"], 0],
  ["time.parse_rfc3339_ns", ["2017-06-02T19:00:00.5-08:00"], 1_496_458_800_500_000_000],
  ["time.parse_rfc3339_ns", ["2020-01-31T00:00:00Z"], T1],
  ["time.parse_rfc3339_ns", ["2020-01-31"], /time.parse_rfc3339_ns: parsing time/],
  [
    "time.parse_rfc3339_ns",
    ["2020-02-30T00:00:00Z"],
    /time.parse_rfc3339_ns: parsing time .*day out of range/,
  ],
  ["time.parse_ns", ["2006-01-02", "2022-03-04"], 1_646_352_000e9],
  [
    "time.parse_ns",
    ["Mon Jan _2 15:04:05 MST 2006", "Tue Mar  1 10:00:00 UTC 2022"],
    1_646_128_800e9,
  ],
  ["time.parse_ns", ["02 Jan 06 15:04 -0700", "04 Mar 22 10:30 +0100"], 1_646_386_200e9],
  ["time.parse_ns", ["3:04PM Jan 2, 2006", "1:05AM Feb 3, 2021"], 1_612_314_300e9],
  ["time.parse_ns", ["RFC3339", "2021-01-01T00:00:00Z"], 1_609_459_200e9],
  [
    "time.parse_ns",
    ["2006-01-02", "2022-13-01"],
    /time.parse_ns: parsing time .*month out of range/,
  ],
  ["time.parse_duration_ns", ["1h"], 3_600e9],
  ["time.parse_duration_ns", ["1h2m3.5s"], 3_723_500_000_000],
  ["time.parse_duration_ns", ["-1.5µs"], -1_500],
  ["time.parse_duration_ns", ["300ms"], 300_000_000],
  ["time.parse_duration_ns", ["0"], 0],
  ["time.parse_duration_ns", ["1d"], /time.parse_duration_ns: time: unknown unit "d"/],
  ["time.parse_duration_ns", ["h"], /time.parse_duration_ns: time: invalid duration "h"/],
  ["time.date", [0], [1970, 1, 1]],
  ["time.date", [T1], [2020, 1, 31]],
  ["time.date", [[0, "America/New_York"]], [1969, 12, 31]],
  ["time.date", [[0, "Nowhere/Nope"]], /time.date: unknown time zone Nowhere\/Nope/],
  ["time.clock", [T2], [12, 30, 15]],
  ["time.clock", [[0, "America/New_York"]], [19, 0, 0]],
  ["time.clock", [[0, "Asia/Kolkata"]], [5, 30, 0]],
  ["time.weekday", [0], "Thursday"],
  ["time.weekday", [T1], "Friday"],
  ["time.weekday", [[0, "Asia/Tokyo"]], "Thursday"],
  ["time.add_date", [0, 1, 1, 1], 397 * DAY],
  ["time.add_date", [T1, 0, 1, 0], 1_583_107_200e9],
  ["time.add_date", [T1, 0, 0, -31], 1_577_750_400e9],
  ["time.diff", [T1, T2], [1, 1, 1, 12, 30, 15]],
  ["time.diff", [T2, T1], [1, 1, 1, 12, 30, 15]],
  ["time.diff", [0, 0], [0, 0, 0, 0, 0, 0]],
  ["time.format", [0], "1970-01-01T00:00:00Z"],
  ["time.format", [1_500_000_000_000], "1970-01-01T00:25:00Z"],
  ["time.format", [[T2, "America/New_York"]], "2021-03-01T07:30:15-05:00"],
  ["time.format", [[T2, "UTC", "Mon, 02 Jan 2006 15:04:05 MST"]], "Mon, 01 Mar 2021 12:30:15 UTC"],
  [
    "time.format",
    [[T2, "UTC", "2006-01-02 3:04PM .000 002 _2 Jan January Monday 06"]],
    "2021-03-01 12:30PM .000 060  1 Mar March Monday 21",
  ],
  ["time.format", [[T2, "Asia/Kolkata", "15:04 Z07:00 -0700 -07"]], "18:00 +05:30 +0530 +05"],
  ["time.format", [[T1, "UTC", "RFC1123"]], "Fri, 31 Jan 2020 00:00:00 UTC"],
  ["time.format", [[T1, "Europe/Paris", "15:04 MST"]], "01:00 CET"],
  ["time.format", [[T1, "Asia/Kolkata", "15:04 MST"]], "05:30 IST"],
  ["time.format", [[T1, "America/New_York", "15:04 MST"]], "19:00 EST"],
  ["time.format", [[T1, "America/Sao_Paulo", "15:04 MST"]], "21:00 -03"],
  ["time.format", [[T1, "Asia/Kathmandu", "15:04 MST"]], "05:45 +0545"],
  ["time.format", ["x"], /time.format: operand 1 must be one of \{array, number\} but got string/],
  [
    "time.format",
    [[]],
    /time.format: operand 1 must be either number \(ns\) or \[number \(ns\), string \(tz\)\] but got array/,
  ],
  ["time.date", [[0]], [1970, 1, 1]],
  ["time.date", [1.5], /time.date: timestamp too big/],
  // Both instants are seen in the first one's zone: 1970-01-01T05:00 and 1970-01-01T00:00 in New York.
  ["time.diff", [[0, "America/New_York"], 5 * 3_600e9], [0, 0, 0, 5, 0, 0]],
  [
    "time.diff",
    [
      [0, "America/New_York"],
      [DAY, "Asia/Tokyo"],
    ],
    [0, 0, 1, 0, 0, 0],
  ],
];

describe("time builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));

  it("time.now_ns answers the evaluation's start time", () =>
    expectOutcome("time.now_ns", [], Number(NOW_NS), newCtx()));
});
