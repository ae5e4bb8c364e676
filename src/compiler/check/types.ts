// The type algebra of the static type checker, over OPA's type JSON (the `TypeDecl` the
// builtin declarations use). `unifies` follows OPA's rule: two types unify when some value
// could have both. `any` unifies with everything, `any<a, b>` with whatever unifies with
// one of its alternatives.
import type { TypeDecl } from "../../builtins/registry.js";

export type Type = TypeDecl;

export const ANY: Type = { type: "any" };
export const NULL: Type = { type: "null" };
export const BOOLEAN: Type = { type: "boolean" };
export const NUMBER: Type = { type: "number" };
export const STRING: Type = { type: "string" };

/** Plain `any` (no alternatives): the type of everything the checker cannot know. */
export function isPlainAny(t: Type): boolean {
  return t.type === "any" && (t.of === undefined || t.of.length === 0);
}

/** Whether some value has both types `a` and `b` (undefined stands for "no type"). */
export function unifies(a: Type | undefined, b: Type | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.type === "any" && unifiesAny(a.of, b)) return true;
  if (b.type === "any" && unifiesAny(b.of, a)) return true;
  if (a.type === "any" || b.type === "any") return false;
  switch (a.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return a.type === b.type;
    case "array":
      return b.type === "array" && unifiesArrays(a, b);
    case "object":
      return b.type === "object" && unifiesObjects(a, b);
    case "set":
      return b.type === "set" && unifies(a.of, b.of);
  }
}

function unifiesAny(of: readonly Type[] | undefined, b: Type): boolean {
  if (of === undefined || of.length === 0) return true;
  return of.some((alt) => unifies(alt, b));
}

type ArrayType = Extract<Type, { type: "array" }>;
type ObjectType = Extract<Type, { type: "object" }>;

function unifiesArrays(a: ArrayType, b: ArrayType): boolean {
  const staticFits = (x: ArrayType, y: ArrayType): boolean =>
    (x.static ?? []).every((t, i) => unifies(t, selectIndex(y, i)));
  if (!staticFits(a, b) || !staticFits(b, a)) return false;
  return a.dynamic === undefined || b.dynamic === undefined || unifies(a.dynamic, b.dynamic);
}

function unifiesObjects(a: ObjectType, b: ObjectType): boolean {
  const staticFits = (x: ObjectType, y: ObjectType): boolean =>
    (x.static ?? []).every((p) => unifies(p.value, selectKey(y, p.key, STRING)));
  if (!staticFits(a, b) || !staticFits(b, a)) return false;
  return (
    a.dynamic === undefined || b.dynamic === undefined || unifies(a.dynamic.value, b.dynamic.value)
  );
}

/** The type of element `i` of an array type; undefined when no element can be there. */
export function selectIndex(t: ArrayType, i: number): Type | undefined {
  return t.static?.[i] ?? t.dynamic;
}

/**
 * The type of the value under a constant key (`key` the string for a string key, which may
 * match a static property; `keyType` its type); undefined when the object type has no such
 * key.
 */
export function selectKey(t: ObjectType, key: string | undefined, keyType: Type): Type | undefined {
  const prop = key === undefined ? undefined : t.static?.find((p) => p.key === key);
  if (prop !== undefined) return prop.value;
  if (t.dynamic !== undefined && unifies(t.dynamic.key, keyType)) return t.dynamic.value;
  return undefined;
}

/** The type of a collection's members (set elements; array and object values). */
export function valuesOf(t: Type): Type | undefined {
  switch (t.type) {
    case "set":
      return t.of;
    case "array":
      return joinTypes([...(t.static ?? []), ...(t.dynamic ? [t.dynamic] : [])]);
    case "object":
      return joinTypes([
        ...(t.static ?? []).map((p) => p.value),
        ...(t.dynamic ? [t.dynamic.value] : []),
      ]);
    case "any":
      return isPlainAny(t) ? ANY : undefined;
    default:
      return undefined;
  }
}

/**
 * One type for several: the common type when all are the same, else plain `any`
 * (coarser than OPA's union, so it can only hide errors, never invent them).
 */
export function joinTypes(types: readonly Type[]): Type {
  const first = types[0];
  if (first === undefined) return ANY;
  const text = showType(first);
  return types.every((t) => showType(t) === text) ? first : ANY;
}

/** OPA's notation: `number`, `array[any]`, `array<number, string>`, `object[string: any]`. */
export function showType(t: Type): string {
  switch (t.type) {
    case "any":
      if (t.of === undefined || t.of.length === 0) return "any";
      return `any<${t.of
        .map(showType)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .join(", ")}>`;
    case "array": {
      const fixed = t.static && t.static.length > 0 ? `<${t.static.map(showType).join(", ")}>` : "";
      const rest = t.dynamic ? `[${showType(t.dynamic)}]` : "";
      return `array${fixed}${rest}`;
    }
    case "object": {
      const fixed =
        t.static && t.static.length > 0
          ? `<${t.static.map((p) => `${p.key}: ${showType(p.value)}`).join(", ")}>`
          : "";
      const rest = t.dynamic ? `[${showType(t.dynamic.key)}: ${showType(t.dynamic.value)}]` : "";
      return `object${fixed}${rest}`;
    }
    case "set":
      return `set[${showType(t.of)}]`;
    default:
      return t.type;
  }
}
