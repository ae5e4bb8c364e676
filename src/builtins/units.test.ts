import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const rows: Row[] = [
  ["units.parse", ["10K"], 10_000],
  ["units.parse", ["10k"], 10_000],
  ["units.parse", ["10Ki"], 10_240],
  ["units.parse", ["10ki"], 10_240],
  ["units.parse", ["1500m"], 1.5],
  ["units.parse", ["10M"], 10_000_000],
  ["units.parse", ["1Mi"], 1_048_576],
  ["units.parse", ["1.5G"], 1_500_000_000],
  ["units.parse", ["100"], 100],
  ["units.parse", ['"2K"'], 2000],
  ["units.parse", ["2 K"], /units.parse: spaces not allowed in resource strings/],
  ["units.parse", ["1.1K"], 1100],
  ["units.parse", ["1e3"], 1000],
  ["units.parse", ["2e3m"], 2],
  ["units.parse", ["1E"], 1e18],
  ["units.parse", ["1KI"], 1024],
  ["units.parse", ["1mI"], 1_048_576],
  ["units.parse", ["1m"], 0.001],
  ["units.parse", ["1.23456789012345m"], 0.0012345679],
  ["units.parse", ["-5K"], -5000],
  ["units.parse", ["1-2K"], /units.parse: could not parse amount to a number/],
  ["units.parse", ["1e1234567"], /units.parse: exponent too large/],
  ["units.parse", ["10X"], /units.parse: unit X not recognized/],
  ["units.parse", ["K"], /units.parse: no amount provided/],
  ["units.parse_bytes", ["1KB"], 1000],
  ["units.parse_bytes", ["1KiB"], 1024],
  ["units.parse_bytes", ["1kib"], 1024],
  ["units.parse_bytes", ["1.5k"], 1500],
  ["units.parse_bytes", ["10MB"], 10_000_000],
  ["units.parse_bytes", ["2Gi"], 2_147_483_648],
  ["units.parse_bytes", ["5"], 5],
  ["units.parse_bytes", ["5B"], /units.parse_bytes: byte unit b not recognized/],
  ["units.parse_bytes", ["1.7"], 1],
  ["units.parse_bytes", ['"1.1kb"'], 1100],
  ["units.parse_bytes", ["1e3"], 1000],
  ["units.parse_bytes", ["1 kb"], /units.parse_bytes: spaces not allowed in resource strings/],
  ["units.parse_bytes", ["10xb"], /units.parse_bytes: byte unit xb not recognized/],
  ["units.parse_bytes", ["GB"], /units.parse_bytes: no byte amount provided/],
];

describe("units builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
