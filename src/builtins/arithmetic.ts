// Arithmetic on IEEE-754 doubles (docs/decisions.md D3), the set operators `&`, `|` and
// `-`, bit operations on integers, and integer ranges.
import { RegoSet, typeName, type Value } from "../value/value.js";
import { defineBuiltin, fail, intOperand, operandError, T } from "./define.js";
import type { Builtin, BuiltinContext } from "./registry.js";

function binaryNumber(name: string, infix: string, op: (a: number, b: number) => number): Builtin {
  return defineBuiltin({
    name,
    infix,
    args: [T.number, T.number],
    result: T.number,
    impl: ([a, b]) => finite(name, op(a as number, b as number)),
  });
}

function unaryNumber(name: string, op: (a: number) => number): Builtin {
  return defineBuiltin({
    name,
    args: [T.number],
    result: T.number,
    impl: ([a]) => op(a as number),
  });
}

/** OPA's numbers are unbounded; a double that overflows has no faithful answer. */
function finite(name: string, n: number): number {
  if (!Number.isFinite(n)) throw fail(name, "arithmetic overflow");
  return n === 0 ? 0 : n;
}

function setDifference(a: RegoSet, b: RegoSet): RegoSet {
  return RegoSet.of(a.values().filter((x) => !b.has(x)));
}

export function setIntersection(a: RegoSet, b: RegoSet): RegoSet {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return RegoSet.of(small.values().filter((x) => large.has(x)));
}

export function setUnion(a: RegoSet, b: RegoSet): RegoSet {
  const out = RegoSet.of(a.values());
  for (const x of b.values()) out.add(x);
  return out;
}

function minus([a, b]: Value[]): Value {
  if (typeof a === "number" && typeof b === "number") return finite("minus", a - b);
  if (a instanceof RegoSet && b instanceof RegoSet) return setDifference(a, b);
  if (typeof a === "number") throw operandError("minus", 2, ["number"], typeName(b!));
  if (a instanceof RegoSet) throw operandError("minus", 2, ["set"], typeName(b!));
  throw operandError("minus", 1, ["number", "set"], typeName(a!));
}

function rem([a, b]: Value[]): Value {
  const x = a as number;
  const y = b as number;
  if (!Number.isInteger(x) || !Number.isInteger(y)) {
    throw fail("rem", "modulo on floating-point number");
  }
  if (y === 0) throw fail("rem", "modulo by zero");
  return finite("rem", x % y);
}

/** Go's math.Round: halves round away from zero. */
function roundHalfAway(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r;
}

function range(from: number, to: number, step: number): Value[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i <= to; i += step) out.push(i);
  else for (let i = from; i >= to; i -= step) out.push(i);
  return out;
}

function bitwise(name: string, op: (a: bigint, b: bigint) => bigint): Builtin {
  return defineBuiltin({
    name,
    args: [T.number, T.number],
    result: T.number,
    impl: ([a, b]) => Number(op(BigInt(intOperand(name, 1, a!)), BigInt(intOperand(name, 2, b!)))),
  });
}

function shift(name: string, op: (a: bigint, b: bigint) => bigint): Builtin {
  return defineBuiltin({
    name,
    args: [T.number, T.number],
    result: T.number,
    impl: ([a, b]) => {
      const n = intOperand(name, 2, b!);
      if (n < 0) throw fail(name, "must be an unsigned integer number but got a negative integer");
      return Number(op(BigInt(intOperand(name, 1, a!)), BigInt(n)));
    },
  });
}

/** `rand.intn` answers the same for the same (str, n) within one evaluation. */
function randIntn([s, n]: Value[], ctx: BuiltinContext): Value {
  const bound = Math.abs(intOperand("rand.intn", 2, n!));
  if (bound === 0) return 0;
  const key = `rand.intn\u0000${s as string}\u0000${bound}`;
  const cached = ctx.cache?.get(key);
  if (typeof cached === "number") return cached;
  const value = Math.floor(Math.random() * bound);
  ctx.cache?.set(key, value);
  return value;
}

export const arithmeticBuiltins: Builtin[] = [
  binaryNumber("plus", "+", (a, b) => a + b),
  binaryNumber("mul", "*", (a, b) => a * b),
  defineBuiltin({
    name: "minus",
    infix: "-",
    args: [T.anyOf(T.number, T.set()), T.anyOf(T.number, T.set())],
    result: T.anyOf(T.number, T.set()),
    impl: minus,
  }),
  defineBuiltin({
    name: "div",
    infix: "/",
    args: [T.number, T.number],
    result: T.number,
    impl: ([a, b]) => {
      if (b === 0) throw fail("div", "divide by zero");
      return finite("div", (a as number) / (b as number));
    },
  }),
  defineBuiltin({
    name: "rem",
    infix: "%",
    args: [T.number, T.number],
    result: T.number,
    impl: rem,
  }),
  unaryNumber("abs", Math.abs),
  unaryNumber("round", roundHalfAway),
  unaryNumber("ceil", (x) => Math.ceil(x) || 0),
  unaryNumber("floor", Math.floor),
  defineBuiltin({
    name: "and",
    infix: "&",
    args: [T.set(), T.set()],
    result: T.set(),
    impl: ([a, b]) => setIntersection(a as RegoSet, b as RegoSet),
  }),
  defineBuiltin({
    name: "or",
    infix: "|",
    args: [T.set(), T.set()],
    result: T.set(),
    impl: ([a, b]) => setUnion(a as RegoSet, b as RegoSet),
  }),
  defineBuiltin({
    name: "numbers.range",
    args: [T.number, T.number],
    result: T.array(T.number),
    impl: ([a, b]) =>
      range(intOperand("numbers.range", 1, a!), intOperand("numbers.range", 2, b!), 1),
  }),
  defineBuiltin({
    name: "numbers.range_step",
    args: [T.number, T.number, T.number],
    result: T.array(T.number),
    impl: ([a, b, s]) => {
      const name = "numbers.range_step";
      const step = intOperand(name, 3, s!);
      if (step <= 0) throw fail(name, "step must be a positive integer");
      return range(intOperand(name, 1, a!), intOperand(name, 2, b!), step);
    },
  }),
  bitwise("bits.and", (a, b) => a & b),
  bitwise("bits.or", (a, b) => a | b),
  bitwise("bits.xor", (a, b) => a ^ b),
  defineBuiltin({
    name: "bits.negate",
    args: [T.number],
    result: T.number,
    impl: ([a]) => Number(~BigInt(intOperand("bits.negate", 1, a!))),
  }),
  shift("bits.lsh", (a, n) => a << n),
  shift("bits.rsh", (a, n) => a >> n),
  defineBuiltin({
    name: "rand.intn",
    args: [T.string, T.number],
    result: T.number,
    impl: randIntn,
    nondeterministic: true,
  }),
];
