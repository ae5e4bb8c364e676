// Object builtins, plus json.filter and json.remove which select paths in a document.
import { RegoObject, RegoSet, typeName, valuesEqual, type Value } from "../value/value.js";
import { defineBuiltin, elementsOf, fail, operandError, T, TT } from "./define.js";
import type { Builtin } from "./registry.js";
import { pathSegments } from "./json_patch.js";

/** Looks up one step: object key, array index, set element. */
function step(v: Value, key: Value): Value | undefined {
  if (v instanceof RegoObject) return v.get(key);
  if (v instanceof RegoSet) return v.has(key) ? key : undefined;
  if (Array.isArray(v) && typeof key === "number" && Number.isInteger(key)) return v[key];
  return undefined;
}

function objectGet([obj, key, dflt]: Value[]): Value {
  const o = obj as RegoObject;
  if (!Array.isArray(key)) return o.has(key!) ? o.get(key!)! : dflt!;
  let cur: Value | undefined = o;
  for (const k of key) {
    cur = cur === undefined ? undefined : step(cur, k);
    if (cur === undefined) return dflt!;
  }
  return cur;
}

/** Recursive merge: b's values win, nested objects merge. */
export function mergeObjects(a: RegoObject, b: RegoObject): RegoObject {
  const out = RegoObject.fromEntries(a.entries());
  for (const [k, bv] of b.entries()) {
    const av = out.get(k);
    out.set(k, av instanceof RegoObject && bv instanceof RegoObject ? mergeObjects(av, bv) : bv);
  }
  return out;
}

function keysOperand(name: string, v: Value): Value[] {
  if (v instanceof RegoObject) return v.keys();
  if (Array.isArray(v) || v instanceof RegoSet) return elementsOf(v);
  throw operandError(name, 2, ["array", "object", "set"], typeName(v));
}

function objectRemove([obj, keys]: Value[]): Value {
  const drop = RegoSet.of(keysOperand("object.remove", keys!));
  return RegoObject.fromEntries((obj as RegoObject).entries().filter(([k]) => !drop.has(k)));
}

function objectFilter([obj, keys]: Value[]): Value {
  const keep = RegoSet.of(keysOperand("object.filter", keys!));
  return RegoObject.fromEntries((obj as RegoObject).entries().filter(([k]) => keep.has(k)));
}

function unionN([arr]: Value[]): Value {
  let out = new RegoObject();
  for (const o of arr as Value[]) {
    if (!(o instanceof RegoObject)) {
      throw fail("object.union_n", `operand 1 must be array of objects but got ${typeName(o)}`);
    }
    out = mergeObjects(out, o);
  }
  return out;
}

/** Whether `sub` occurs contiguously, in order, within `sup`. */
function isSubarray(sup: readonly Value[], sub: readonly Value[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    if (sub.every((x, j) => valuesEqual(sup[i + j]!, x))) return true;
  }
  return false;
}

function isSubset(sup: Value, sub: Value): boolean {
  if (sup instanceof RegoObject && sub instanceof RegoObject) {
    return sub.entries().every(([k, v]) => {
      const sv = sup.get(k);
      return sv !== undefined && isSubset(sv, v);
    });
  }
  if (sup instanceof RegoSet && sub instanceof RegoSet)
    return sub.values().every((x) => sup.has(x));
  if (Array.isArray(sup) && Array.isArray(sub)) return isSubarray(sup, sub);
  if (Array.isArray(sup) && sub instanceof RegoSet) {
    const have = RegoSet.of(sup);
    return sub.values().every((x) => have.has(x));
  }
  return valuesEqual(sup, sub);
}

function objectSubset([sup, sub]: Value[]): Value {
  const ok =
    (sup instanceof RegoObject && sub instanceof RegoObject) ||
    (sup instanceof RegoSet && sub instanceof RegoSet) ||
    (Array.isArray(sup) && (Array.isArray(sub) || sub instanceof RegoSet));
  if (!ok) {
    throw fail(
      "object.subset",
      `both arguments must be objects, sets, or arrays (or an array and a set) but got ${typeName(sup!)} and ${typeName(sub!)}`,
    );
  }
  return isSubset(sup!, sub!);
}

// --- json.filter / json.remove: paths become a tree whose leaves are null ---

function parsePath(name: string, p: Value): Value[] {
  const path = pathSegments(p);
  if (path !== undefined) return path;
  throw fail(
    name,
    `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
  );
}

function pathsOperand(name: string, v: Value): Value[][] {
  if (!Array.isArray(v) && !(v instanceof RegoSet)) {
    throw operandError(name, 2, ["array", "set"], typeName(v));
  }
  return elementsOf(v).map((p) => parsePath(name, p));
}

/** A tree of path segments; a null leaf means "the whole subtree from here". */
function pathsToTree(paths: Value[][]): RegoObject {
  const root = new RegoObject();
  for (const path of paths) {
    let node = root;
    let covered = path.length === 0;
    for (let i = 0; i < path.length - 1 && !covered; i++) {
      const child = node.get(path[i]!);
      if (child === undefined) {
        const next = new RegoObject();
        node.set(path[i]!, next);
        node = next;
      } else if (child instanceof RegoObject) node = child;
      else covered = true;
    }
    if (!covered) node.set(path[path.length - 1]!, null);
  }
  return root;
}

/** Keeps only what the filter tree selects. Array positions are matched by their index string. */
function filterByTree(v: Value, tree: RegoObject): Value {
  if (v instanceof RegoObject) {
    const out = new RegoObject();
    for (const [k, f] of tree.entries()) {
      const x = v.get(k);
      if (x === undefined) continue;
      out.set(k, f instanceof RegoObject ? filterByTree(x, f) : x);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const f = tree.get(String(i));
      if (f === undefined) return;
      out.push(f instanceof RegoObject ? filterByTree(x, f) : x);
    });
    return out;
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet();
    for (const x of v.values()) {
      const f = tree.get(x);
      if (f === undefined) continue;
      out.add(f instanceof RegoObject ? filterByTree(x, f) : x);
    }
    return out;
  }
  return v;
}

/** Drops what the tree selects; undefined means "drop this value". */
function removeByTree(v: Value, tree: Value | undefined): Value | undefined {
  if (tree === null) return undefined;
  if (!(tree instanceof RegoObject)) return v;
  if (v instanceof RegoObject) {
    const out = new RegoObject();
    for (const [k, x] of v.entries()) {
      const kept = removeByTree(x, tree.get(k));
      if (kept !== undefined) out.set(k, kept);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const kept = removeByTree(x, tree.get(String(i)));
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet();
    for (const x of v.values()) {
      const kept = removeByTree(x, tree.get(x));
      if (kept !== undefined) out.add(kept);
    }
    return out;
  }
  return v;
}

const pathsType = TT.arrayOrSet(T.anyOf(T.string, T.array()));

export const objectBuiltins: Builtin[] = [
  defineBuiltin({
    name: "object.get",
    args: [T.object(), T.any, T.any],
    result: T.any,
    impl: objectGet,
  }),
  defineBuiltin({
    name: "object.keys",
    args: [T.object()],
    result: T.set(),
    impl: ([o]) => RegoSet.of((o as RegoObject).keys()),
  }),
  defineBuiltin({
    name: "object.union",
    args: [T.object(), T.object()],
    result: T.any,
    impl: ([a, b]) => mergeObjects(a as RegoObject, b as RegoObject),
  }),
  defineBuiltin({
    name: "object.union_n",
    args: [T.array(T.object())],
    result: T.any,
    impl: unionN,
  }),
  defineBuiltin({
    name: "object.remove",
    args: [T.object(), T.anyOf(T.array(), T.object(), T.set())],
    result: T.any,
    impl: objectRemove,
  }),
  defineBuiltin({
    name: "object.filter",
    args: [T.object(), T.anyOf(T.array(), T.object(), T.set())],
    result: T.any,
    impl: objectFilter,
  }),
  defineBuiltin({
    name: "object.subset",
    args: [TT.collection, TT.collection],
    result: T.boolean,
    impl: objectSubset,
  }),
  defineBuiltin({
    name: "json.filter",
    args: [T.object(), pathsType],
    result: T.any,
    impl: ([o, p]) => filterByTree(o!, pathsToTree(pathsOperand("json.filter", p!))),
  }),
  defineBuiltin({
    name: "json.remove",
    args: [T.object(), pathsType],
    result: T.any,
    impl: ([o, p]) => removeByTree(o!, pathsToTree(pathsOperand("json.remove", p!))),
  }),
];
