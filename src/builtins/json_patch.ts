// json.patch: RFC 6902 operations applied to any value, objects, arrays and sets alike.
// As in OPA, a patch that cannot be applied makes the result undefined (not an error).
import { RegoObject, RegoSet, valuesEqual, type Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin } from "./registry.js";

class PatchFailed extends Error {}

/**
 * The segments of a path given as a JSON Pointer string (leading slashes optional, as OPA
 * accepts) or as an array of segments; undefined for anything else.
 */
export function pathSegments(p: Value | undefined): Value[] | undefined {
  if (typeof p === "string") {
    if (p === "") return [];
    return p
      .replace(/^\/+/, "")
      .split("/")
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  return Array.isArray(p) ? p : undefined;
}

function parsePath(p: Value | undefined): Value[] {
  const path = pathSegments(p);
  if (path === undefined) throw new PatchFailed("path must be a string or an array");
  return path;
}

function arrayIndex(seg: Value, length: number, allowEnd: boolean): number {
  if (allowEnd && seg === "-") return length;
  const n =
    typeof seg === "number"
      ? seg
      : typeof seg === "string" && /^(0|[1-9]\d*)$/.test(seg)
        ? Number(seg)
        : NaN;
  if (!Number.isInteger(n) || n < 0 || n > (allowEnd ? length : length - 1))
    throw new PatchFailed("bad index");
  return n;
}

function child(v: Value, seg: Value): Value {
  if (v instanceof RegoObject) {
    const x = v.get(seg);
    if (x === undefined) throw new PatchFailed("missing key");
    return x;
  }
  if (v instanceof RegoSet) {
    if (!v.has(seg)) throw new PatchFailed("missing element");
    return seg;
  }
  if (Array.isArray(v)) return v[arrayIndex(seg, v.length, false)]!;
  throw new PatchFailed("not a collection");
}

function get(doc: Value, path: readonly Value[]): Value {
  return path.reduce<Value>((v, seg) => child(v, seg), doc);
}

/** Rebuilds the document along `path`, letting `edit` change the parent of the last step. */
function update(
  doc: Value,
  path: readonly Value[],
  edit: (parent: Value, last: Value) => Value,
): Value {
  if (path.length === 0) throw new PatchFailed("root has no parent");
  const [head, ...rest] = path;
  if (rest.length === 0) return edit(doc, head!);
  if (doc instanceof RegoObject) {
    const o = RegoObject.fromEntries(doc.entries());
    o.set(head!, update(child(doc, head!), rest, edit));
    return o;
  }
  if (Array.isArray(doc)) {
    const i = arrayIndex(head!, doc.length, false);
    const a = [...doc];
    a[i] = update(doc[i]!, rest, edit);
    return a;
  }
  if (doc instanceof RegoSet) {
    const old = child(doc, head!);
    const s = RegoSet.of(doc.values().filter((x) => !valuesEqual(x, old)));
    s.add(update(old, rest, edit));
    return s;
  }
  throw new PatchFailed("not a collection");
}

function add(doc: Value, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(doc, path, (parent, last) => {
    if (parent instanceof RegoObject) {
      const o = RegoObject.fromEntries(parent.entries());
      o.set(last, value);
      return o;
    }
    if (Array.isArray(parent)) {
      const a = [...parent];
      a.splice(arrayIndex(last, parent.length, true), 0, value);
      return a;
    }
    if (parent instanceof RegoSet) {
      const s = RegoSet.of(parent.values());
      s.add(value);
      return s;
    }
    throw new PatchFailed("not a collection");
  });
}

function remove(doc: Value, path: readonly Value[]): Value {
  return update(doc, path, (parent, last) => {
    child(parent, last);
    if (parent instanceof RegoObject)
      return RegoObject.fromEntries(parent.entries().filter(([k]) => !valuesEqual(k, last)));
    if (Array.isArray(parent)) {
      const a = [...parent];
      a.splice(arrayIndex(last, parent.length, false), 1);
      return a;
    }
    return RegoSet.of((parent as RegoSet).values().filter((x) => !valuesEqual(x, last)));
  });
}

function field(op: RegoObject, name: string): Value {
  const v = op.get(name);
  if (v === undefined) throw new PatchFailed(`missing '${name}' attribute`);
  return v;
}

function applyOne(doc: Value, op: Value): Value {
  if (!(op instanceof RegoObject)) throw new PatchFailed("patch must be an object");
  const kind = field(op, "op");
  const path = parsePath(field(op, "path"));
  switch (kind) {
    case "add":
      return add(doc, path, field(op, "value"));
    case "remove":
      return remove(doc, path);
    case "replace":
      get(doc, path);
      return path.length === 0
        ? field(op, "value")
        : add(remove(doc, path), path, field(op, "value"));
    case "move": {
      const from = parsePath(field(op, "from"));
      const moved = get(doc, from);
      return add(remove(doc, from), path, moved);
    }
    case "copy":
      return add(doc, path, get(doc, parsePath(field(op, "from"))));
    case "test":
      if (!valuesEqual(get(doc, path), field(op, "value"))) throw new PatchFailed("test failed");
      return doc;
    default:
      throw new PatchFailed("unrecognized op");
  }
}

function patch([doc, ops]: Value[]): Value | undefined {
  try {
    return (ops as Value[]).reduce<Value>((d, op) => applyOne(d, op), doc!);
  } catch (e) {
    if (e instanceof PatchFailed) return undefined;
    throw e;
  }
}

export const jsonPatchBuiltins: Builtin[] = [
  defineBuiltin({
    name: "json.patch",
    args: [T.any, T.array(T.object(T.string, T.any))],
    result: T.any,
    impl: patch,
  }),
];
