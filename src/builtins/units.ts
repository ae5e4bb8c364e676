// units.parse (SI and binary suffixes, `m` is milli and `M` mega) and units.parse_bytes.
import type { Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

const DECIMAL: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };
const BINARY: Record<string, number> = {
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
  pi: 2 ** 50,
  ei: 2 ** 60,
};

/** Splits "10.5Ki" into its amount and unit; quotes and spaces are ignored, as OPA does. */
function splitAmount(name: string, raw: string, what: string): { amount: number; unit: string } {
  const s = raw.replace(/["\s]/g, "");
  const m = /^([0-9]*\.?[0-9]*)(.*)$/.exec(s)!;
  const text = m[1]!;
  if (text === "" || text === ".") throw fail(name, `no ${what}amount provided`);
  return { amount: Number(text), unit: m[2]! };
}

function parseUnits([v]: Value[]): Value {
  const name = "units.parse";
  const { amount, unit } = splitAmount(name, v as string, "");
  if (unit === "") return amount;
  // Only `m` (milli) and `M` (mega) differ by case.
  if (unit === "m") return amount / 1000;
  if (unit === "M") return amount * 1e6;
  const lower = unit.toLowerCase();
  const factor = BINARY[lower] ?? (lower === "m" ? undefined : DECIMAL[lower]);
  if (factor === undefined) throw fail(name, `unit ${unit} not recognized`);
  return amount * factor;
}

function parseBytes([v]: Value[]): Value {
  const name = "units.parse_bytes";
  const { amount, unit } = splitAmount(name, v as string, "byte ");
  const lower = unit.toLowerCase().replace(/b$/, "");
  const factor = lower === "" ? 1 : (BINARY[lower] ?? DECIMAL[lower]);
  if (factor === undefined) throw fail(name, `byte unit ${unit} not recognized`);
  return Math.trunc(amount * factor);
}

export const unitBuiltins: Builtin[] = [
  defineBuiltin({ name: "units.parse", args: [T.string], result: T.number, impl: parseUnits }),
  defineBuiltin({
    name: "units.parse_bytes",
    args: [T.string],
    result: T.number,
    impl: parseBytes,
  }),
];
