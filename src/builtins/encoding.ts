// Serialisation builtins: JSON (as Go's encoding/json writes it, which OPA uses), base64,
// hex, URL query encoding and YAML.
import { parseAllDocuments, stringify as yamlStringify } from "yaml";
import { fromJSON, RegoObject, RegoSet, typeName, type Value } from "../value/value.js";
import { defineBuiltin, fail, formatNumber, operandError, T } from "./define.js";
import type { Builtin } from "./registry.js";

// --- JSON ---

/**
 * A JSON string literal as Go's encoding/json writes it (OPA's json.marshal): JSON.stringify's
 * escapes plus the HTML-safe `\u003c`, `\u003e`, `\u0026` and `\u2028`, `\u2029`
 * (docs/decisions.md D15); the Wasm runtime's json.marshal writes the same.
 */
export function jsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** Object keys as JSON strings; non-string keys are serialised, as OPA's ast.JSON does. */
function jsonKey(k: Value): string {
  return typeof k === "string" ? k : goJSON(k, undefined);
}

interface Indent {
  prefix: string;
  indent: string;
}

/**
 * Serialises like Go's json.Marshal / MarshalIndent: sets become arrays in value order,
 * object keys are sorted by their UTF-8 bytes.
 */
export function goJSON(v: Value, indent: Indent | undefined, depth = 0): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return jsonString(v);
  const items: string[] = [];
  let open = "[";
  let close = "]";
  if (v instanceof RegoObject) {
    open = "{";
    close = "}";
    const sep = indent ? ": " : ":";
    // Keys with the same JSON text (`0` and `"0"`) collide: the last in value order wins,
    // as when the members are assigned to a JSON object one by one (the Wasm runtime too).
    const byText = new Map<string, Value>();
    for (const [k, x] of v.entries()) byText.set(jsonKey(k), x);
    const pairs = [...byText].sort((a, b) => compareUtf8(a[0], b[0]));
    for (const [k, x] of pairs) items.push(jsonString(k) + sep + goJSON(x, indent, depth + 1));
  } else {
    const elems = v instanceof RegoSet ? v.values() : v;
    for (const x of elems) items.push(goJSON(x, indent, depth + 1));
  }
  if (items.length === 0) return open + close;
  if (indent === undefined) return open + items.join(",") + close;
  const inner = "\n" + indent.prefix + indent.indent.repeat(depth + 1);
  const outer = "\n" + indent.prefix + indent.indent.repeat(depth);
  return open + inner + items.join("," + inner) + outer + close;
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function marshalWithOptions([v, opts]: Value[]): Value {
  const name = "json.marshal_with_options";
  let indent = "\t";
  let prefix = "";
  let implicitPretty = false;
  let explicitPretty: boolean | undefined;
  for (const [k, x] of (opts as RegoObject).entries()) {
    if (k === "prefix" || k === "indent") {
      if (typeof x !== "string") throw fail(name, `operand 2 key ${k} failed cast to string`);
      if (k === "prefix") prefix = x;
      else indent = x;
      implicitPretty = true;
    } else if (k === "pretty") {
      if (typeof x !== "boolean") throw fail(name, `operand 2 key ${k} failed cast to bool`);
      explicitPretty = x;
    } else {
      throw fail(
        name,
        `operand 2 object contained unknown key ${typeof k === "string" ? k : goJSON(k, undefined)}`,
      );
    }
  }
  const pretty = explicitPretty ?? implicitPretty;
  // Go's MarshalIndent does not prefix the first line; OPA adds it.
  return pretty ? prefix + goJSON(v!, { prefix, indent }) : goJSON(v!, undefined);
}

function parseJSONText(name: string, s: string): Value {
  try {
    return fromJSON(JSON.parse(s));
  } catch (e) {
    throw fail(name, e instanceof Error ? e.message : String(e));
  }
}

function isValidJSON(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

// --- base64 and hex ---

/** Go's StdEncoding: padding required, line breaks ignored, nothing else tolerated. */
function base64Bytes(s: string, urlSafe: boolean): Buffer | undefined {
  const clean = s.replace(/[\r\n]/g, "");
  const alphabet = urlSafe ? /^[A-Za-z0-9_-]*(?:==?)?$/ : /^[A-Za-z0-9+/]*(?:==?)?$/;
  if (clean.length % 4 !== 0 || !alphabet.test(clean)) return undefined;
  return Buffer.from(clean, urlSafe ? "base64url" : "base64");
}

function base64Decode([s]: Value[]): Value {
  const bytes = base64Bytes(s as string, false);
  if (bytes === undefined) throw fail("base64.decode", "illegal base64 data");
  return bytes.toString("utf8");
}

/** Unpadded input is padded first (RFC 7515 appendix C), as OPA does. */
function base64UrlDecode([s]: Value[]): Value {
  let str = s as string;
  if (!str.endsWith("=")) {
    const r = str.length % 4;
    if (r === 1) throw fail("base64url.decode", `illegal base64url string: ${str}`);
    str += r === 2 ? "==" : r === 3 ? "=" : "";
  }
  const bytes = base64Bytes(str, true);
  if (bytes === undefined) throw fail("base64url.decode", "illegal base64 data");
  return bytes.toString("utf8");
}

function hexDecode([s]: Value[]): Value {
  const str = s as string;
  if (str.length % 2 !== 0) throw fail("hex.decode", "encoding/hex: odd length hex string");
  if (!/^[0-9a-fA-F]*$/.test(str)) throw fail("hex.decode", "encoding/hex: invalid byte");
  return Buffer.from(str, "hex").toString("utf8");
}

// --- URL query ---

/** Go's url.QueryEscape: unreserved characters stay, space becomes `+`. */
export function queryEscape(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's url.QueryUnescape: `+` is a space, `%XX` must be valid hex. */
export function queryUnescape(name: string, s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw fail(name, `invalid URL escape "${s.slice(i, i + 3)}"`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") bytes.push(0x20);
    else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function encodeObject([obj]: Value[]): Value {
  const name = "urlquery.encode_object";
  const pairs: [string, string][] = [];
  for (const [k, v] of (obj as RegoObject).entries()) {
    if (typeof k !== "string")
      throw operandError(name, 1, ["object with string keys"], typeName(k));
    const values =
      typeof v === "string"
        ? [v]
        : Array.isArray(v) || v instanceof RegoSet
          ? [...(Array.isArray(v) ? v : v.values())]
          : undefined;
    if (values === undefined || values.some((x) => typeof x !== "string")) {
      throw fail(name, "operand 1 values must be string, array[string], or set[string]");
    }
    for (const x of values) pairs.push([k, x as string]);
  }
  pairs.sort((a, b) => compareUtf8(a[0], b[0]));
  return pairs.map(([k, x]) => queryEscape(k) + "=" + queryEscape(x)).join("&");
}

function decodeObject([s]: Value[]): Value {
  const name = "urlquery.decode_object";
  const out = new RegoObject();
  for (const part of (s as string).split("&")) {
    if (part === "") continue;
    if (part.includes(";")) throw fail(name, "invalid semicolon separator in query");
    const eq = part.indexOf("=");
    const key = queryUnescape(name, eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : queryUnescape(name, part.slice(eq + 1));
    const prev = out.get(key);
    out.set(key, Array.isArray(prev) ? [...prev, value] : [value]);
  }
  return out;
}

// --- YAML ---

/** Values to plain YAML input; Maps keep OPA's sorted key order. */
function toYamlNode(v: Value): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toYamlNode);
  if (v instanceof RegoSet) return v.values().map(toYamlNode);
  const m = new Map<string, unknown>();
  const pairs = v.entries().map(([k, x]) => [jsonKey(k), x] as const);
  pairs.sort((a, b) => compareUtf8(a[0], b[0]));
  for (const [k, x] of pairs) m.set(k, toYamlNode(x));
  return m;
}

/** YAML 1.1 as Go's yaml.v2 reads it (so `yes` is true); the first document only. */
function parseYaml(name: string, s: string): Value {
  const docs = parseAllDocuments(s, { version: "1.1" });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (doc === undefined) return null;
  if (doc.errors.length > 0) throw fail(name, doc.errors[0]!.message);
  return fromYamlJS(name, doc.toJS({ mapAsMap: false, maxAliasCount: 100 }));
}

function fromYamlJS(name: string, x: unknown): Value {
  if (x === undefined) return null;
  if (x instanceof Date) return x.toISOString();
  if (typeof x === "number" && !Number.isFinite(x)) {
    throw fail(name, "yaml: non-finite number cannot be represented in JSON");
  }
  if (Array.isArray(x)) return x.map((e) => fromYamlJS(name, e));
  if (x !== null && typeof x === "object") {
    const o = new RegoObject();
    for (const [k, v] of Object.entries(x)) o.set(k, fromYamlJS(name, v));
    return o;
  }
  return fromJSON(x);
}

function isValidYaml(s: string): boolean {
  try {
    parseYaml("yaml.is_valid", s);
    return true;
  } catch {
    return false;
  }
}

function stringToString(name: string, f: (s: string) => Value): Builtin {
  return defineBuiltin({ name, args: [T.string], result: T.string, impl: ([s]) => f(s as string) });
}

function validity(name: string, test: (s: string) => boolean): Builtin {
  return defineBuiltin({
    name,
    args: [T.string],
    result: T.boolean,
    anyOperands: true,
    impl: ([s]) => typeof s === "string" && test(s),
  });
}

export const encodingBuiltins: Builtin[] = [
  defineBuiltin({
    name: "json.marshal",
    args: [T.any],
    result: T.string,
    impl: ([v]) => goJSON(v!, undefined),
  }),
  defineBuiltin({
    name: "json.marshal_with_options",
    args: [T.any, T.object(T.string, T.anyOf(T.boolean, T.string))],
    result: T.string,
    impl: marshalWithOptions,
  }),
  defineBuiltin({
    name: "json.unmarshal",
    args: [T.string],
    result: T.any,
    impl: ([s]) => parseJSONText("json.unmarshal", s as string),
  }),
  validity("json.is_valid", isValidJSON),
  stringToString("base64.encode", (s) => Buffer.from(s, "utf8").toString("base64")),
  defineBuiltin({ name: "base64.decode", args: [T.string], result: T.string, impl: base64Decode }),
  validity("base64.is_valid", (s) => base64Bytes(s, false) !== undefined),
  stringToString("base64url.encode", (s) =>
    Buffer.from(s, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
  ),
  stringToString("base64url.encode_no_pad", (s) => Buffer.from(s, "utf8").toString("base64url")),
  defineBuiltin({
    name: "base64url.decode",
    args: [T.string],
    result: T.string,
    impl: base64UrlDecode,
  }),
  stringToString("hex.encode", (s) => Buffer.from(s, "utf8").toString("hex")),
  defineBuiltin({ name: "hex.decode", args: [T.string], result: T.string, impl: hexDecode }),
  stringToString("urlquery.encode", queryEscape),
  stringToString("urlquery.decode", (s) => queryUnescape("urlquery.decode", s)),
  defineBuiltin({
    name: "urlquery.encode_object",
    args: [T.object(T.string, T.anyOf(T.string, T.array(T.string), T.set(T.string)))],
    result: T.string,
    impl: encodeObject,
  }),
  defineBuiltin({
    name: "urlquery.decode_object",
    args: [T.string],
    result: T.object(T.string, T.array(T.string)),
    impl: decodeObject,
  }),
  defineBuiltin({
    name: "yaml.marshal",
    args: [T.any],
    result: T.string,
    impl: ([v]) => yamlStringify(toYamlNode(v!), { indentSeq: false, lineWidth: 0 }),
  }),
  defineBuiltin({
    name: "yaml.unmarshal",
    args: [T.string],
    result: T.any,
    impl: ([s]) => parseYaml("yaml.unmarshal", s as string),
  }),
  validity("yaml.is_valid", isValidYaml),
];
