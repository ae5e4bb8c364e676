// Helpers for the builtin test tables: JS literals to Rego values (with `S(...)` for
// sets), calling a builtin through the registry, and comparing by Rego text so that a
// set and an array, or 1 and "1", never pass for each other.
import { expect } from "vitest";
import { RegoObject, RegoSet, type Value } from "../value/value.js";
import { regoString } from "./define.js";
import { BUILTINS } from "./index.js";
import { BuiltinError, type BuiltinContext } from "./registry.js";

/** 2023-11-14T22:13:20Z. */
export const NOW_NS = 1_700_000_000_000_000_000n;

export function newCtx(strict = false): BuiltinContext {
  return { nowNs: NOW_NS, strict, cache: new Map() };
}

/** A JS literal as a Rego value: plain objects become objects, RegoSets stay sets. */
export function r(x: unknown): Value {
  if (x instanceof RegoSet || x instanceof RegoObject) return x;
  if (Array.isArray(x)) return x.map(r);
  if (x !== null && typeof x === "object") {
    return RegoObject.fromEntries(Object.entries(x).map(([k, v]) => [k, r(v)]));
  }
  return x as Value;
}

export function S(...items: unknown[]): RegoSet {
  return RegoSet.of(items.map(r));
}

/** A Rego object with non-string keys. */
export function O(...entries: [unknown, unknown][]): RegoObject {
  return RegoObject.fromEntries(entries.map(([k, v]) => [r(k), r(v)]));
}

export type Outcome = { value: Value | undefined } | { error: string };

export function call(name: string, args: unknown[], ctx = newCtx()): Outcome {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  try {
    return { value: b.impl(args.map(r), ctx) };
  } catch (e) {
    if (e instanceof BuiltinError) return { error: e.message };
    throw e;
  }
}

export function show(o: Outcome): string {
  if ("error" in o) return `error: ${o.error}`;
  return o.value === undefined ? "undefined" : regoString(o.value);
}

/** Expected: a JS literal (value), `undefined`, or a RegExp (error message). */
export function expectOutcome(
  name: string,
  args: unknown[],
  expected: unknown,
  ctx = newCtx(),
): void {
  const got = call(name, args, ctx);
  if (expected instanceof RegExp) {
    expect(show(got)).toMatch(new RegExp("^error: " + expected.source));
    return;
  }
  const want = expected === undefined ? "undefined" : regoString(r(expected));
  expect(show(got), `${name}(${args.map((a) => regoString(r(a))).join(", ")})`).toBe(want);
}

export type Row = [name: string, args: unknown[], expected: unknown];
