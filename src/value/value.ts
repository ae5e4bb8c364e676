// Rego values in TypeScript, shared by the reference evaluator, the builtin library and the
// host. Scalars are plain JS values; arrays are JS arrays; objects and sets are classes
// keyed by a canonical string so that composite keys (`{[1]: "a"}`, sets of objects)
// behave by value. Numbers are IEEE-754 doubles in every engine (docs/decisions.md).
// Iteration is always in OPA's value order, so both engines agree on every ordering.

export type Value = null | boolean | number | string | Value[] | RegoObject | RegoSet;

export type TypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "set";

const TYPE_RANK: Record<TypeName, number> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  array: 4,
  object: 5,
  set: 6,
};

export function typeName(v: Value): TypeName {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
  }
  if (Array.isArray(v)) return "array";
  return v instanceof RegoSet ? "set" : "object";
}

/** A canonical string per value: equal values (by Rego equality) have equal keys. */
export function valueKey(v: Value): string {
  if (typeof v === "string") return v.length > 0 && v.charCodeAt(0) < 2 ? "\u0001s" + v : v;
  return "\u0000" + encodeNonString(v);
}

function encodeNonString(v: Value): string {
  if (v === null) return "n";
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number") return "#" + (Object.is(v, -0) ? 0 : v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(encodeNonString).join(",") + "]";
  if (v instanceof RegoSet) return "<" + v.values().map(encodeNonString).join(",") + ">";
  return (
    "{" +
    v
      .entries()
      .map(([k, x]) => encodeNonString(k) + ":" + encodeNonString(x))
      .join(",") +
    "}"
  );
}

/** OPA's total order: null < boolean < number < string < array < object < set. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "number":
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case "string":
      return compareStrings(a as string, b as string);
    case "array":
      return compareSequences(a as Value[], b as Value[]);
    case "set":
      return compareSequences((a as RegoSet).values(), (b as RegoSet).values());
    case "object":
      return compareObjects(a as RegoObject, b as RegoObject);
  }
}

/** Strings order by Unicode code point (as OPA's byte-wise UTF-8 order does). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

function compareSequences(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

function compareObjects(a: RegoObject, b: RegoObject): number {
  const ea = a.entries();
  const eb = b.entries();
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const ck = compareValues(ea[i]![0], eb[i]![0]);
    if (ck !== 0) return ck;
    const cv = compareValues(ea[i]![1], eb[i]![1]);
    if (cv !== 0) return cv;
  }
  return ea.length - eb.length < 0 ? -1 : ea.length === eb.length ? 0 : 1;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return compareValues(a, b) === 0;
}

/** A Rego object: keys of any value type, iterated in key order. */
export class RegoObject {
  private readonly map = new Map<string, [Value, Value]>();
  private sorted: [Value, Value][] | undefined;

  static fromEntries(entries: Iterable<readonly [Value, Value]>): RegoObject {
    const o = new RegoObject();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }

  get size(): number {
    return this.map.size;
  }
  get(key: Value): Value | undefined {
    return this.map.get(valueKey(key))?.[1];
  }
  has(key: Value): boolean {
    return this.map.has(valueKey(key));
  }
  set(key: Value, value: Value): void {
    this.map.set(valueKey(key), [key, value]);
    this.sorted = undefined;
  }
  delete(key: Value): void {
    if (this.map.delete(valueKey(key))) this.sorted = undefined;
  }
  /** Entries in key order; the array is cached and must not be mutated. */
  entries(): readonly [Value, Value][] {
    if (this.sorted === undefined) {
      this.sorted = [...this.map.values()].sort((x, y) => compareValues(x[0], y[0]));
    }
    return this.sorted;
  }
  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }
}

/** A Rego set, iterated in value order. */
export class RegoSet {
  private readonly map = new Map<string, Value>();
  private sorted: Value[] | undefined;

  static of(items: Iterable<Value>): RegoSet {
    const s = new RegoSet();
    for (const v of items) s.add(v);
    return s;
  }

  get size(): number {
    return this.map.size;
  }
  has(v: Value): boolean {
    return this.map.has(valueKey(v));
  }
  add(v: Value): void {
    const k = valueKey(v);
    if (!this.map.has(k)) {
      this.map.set(k, v);
      this.sorted = undefined;
    }
  }
  /** Elements in value order; the array is cached and must not be mutated. */
  values(): readonly Value[] {
    if (this.sorted === undefined) this.sorted = [...this.map.values()].sort(compareValues);
    return this.sorted;
  }
}

/** JSON (as parsed by JSON.parse or YAML) to a Rego value. Own keys only. */
export function fromJSON(json: unknown): Value {
  if (json === null || typeof json === "boolean" || typeof json === "string") return json;
  if (typeof json === "number") return json;
  if (Array.isArray(json)) return json.map(fromJSON);
  if (typeof json === "object") {
    const o = new RegoObject();
    for (const k of Object.keys(json)) o.set(k, fromJSON((json as Record<string, unknown>)[k]));
    return o;
  }
  throw new TypeError(`not a JSON value: ${typeof json}`);
}

/**
 * A Rego value to JSON: sets become sorted arrays and non-string object keys are
 * serialised to their JSON text, as OPA does. Objects are created without a prototype
 * chain so that keys like `__proto__` stay plain data.
 */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RegoSet) return v.values().map(toJSON);
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of v.entries()) {
    out[typeof k === "string" ? k : JSON.stringify(toJSON(k))] = toJSON(x);
  }
  return out;
}
