// Writes the UTF-8 JSON text of plain data straight into a byte array: the bytes
// `TextEncoder.encode(JSON.stringify(value))` would give, without building the string
// first. The host writes every evaluation's input this way, and for small inputs building
// and encoding the intermediate string costs more than the evaluation's own input parse.
//
// Only plain data takes this path: objects whose prototype is Object.prototype or null,
// arrays, strings, finite numbers, booleans and null. Anything JSON.stringify treats
// specially (toJSON, undefined or function members, non-finite numbers, boxed values,
// BigInt, cycles) makes writeJSON return NOT_PLAIN, and the caller uses JSON.stringify.

/** writeJSON's answer when the value is not plain data or does not fit. */
export const NOT_PLAIN = -1;

/** Deeper values take JSON.stringify's path, which also reports cycles. */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const encoder = new TextEncoder();

/**
 * Writes `value` at `out[at..]`; returns the offset after the last byte, or NOT_PLAIN
 * (nothing to rely on in `out`) when the value is not plain data or `out` is too small.
 */
export function writeJSON(value: unknown, out: Uint8Array, at: number): number {
  return write(value, out, at, 0);
}

function write(value: unknown, out: Uint8Array, at: number, depth: number): number {
  switch (typeof value) {
    case "string":
      return writeString(value, out, at);
    case "number":
      return Number.isFinite(value) ? writeAscii(String(value), out, at) : NOT_PLAIN;
    case "boolean":
      return writeAscii(value ? "true" : "false", out, at);
    case "object":
      if (value === null) return writeAscii("null", out, at);
      if (depth >= MAX_DEPTH) return NOT_PLAIN;
      if (Array.isArray(value)) return writeArray(value, out, at, depth + 1);
      return writeObject(value as Record<string, unknown>, out, at, depth + 1);
    default:
      return NOT_PLAIN;
  }
}

function writeArray(items: unknown[], out: Uint8Array, at: number, depth: number): number {
  if (Object.getPrototypeOf(items) !== Array.prototype || "toJSON" in items) return NOT_PLAIN;
  let p = writeByte(0x5b, out, at);
  for (let i = 0; i < items.length && p >= 0; i++) {
    if (i > 0) p = writeByte(0x2c, out, p);
    if (p >= 0) p = write(items[i], out, p, depth);
  }
  return p < 0 ? NOT_PLAIN : writeByte(0x5d, out, p);
}

function writeObject(
  obj: Record<string, unknown>,
  out: Uint8Array,
  at: number,
  depth: number,
): number {
  const proto: unknown = Object.getPrototypeOf(obj);
  if ((proto !== Object.prototype && proto !== null) || "toJSON" in obj) return NOT_PLAIN;
  let p = writeByte(0x7b, out, at);
  let first = true;
  for (const key of Object.keys(obj)) {
    if (p < 0) break;
    if (!first) p = writeByte(0x2c, out, p);
    first = false;
    if (p >= 0) p = writeString(key, out, p);
    if (p >= 0) p = writeByte(0x3a, out, p);
    if (p >= 0) p = write(obj[key], out, p, depth);
  }
  return p < 0 ? NOT_PLAIN : writeByte(0x7d, out, p);
}

function writeByte(b: number, out: Uint8Array, at: number): number {
  if (at >= out.length) return NOT_PLAIN;
  out[at] = b;
  return at + 1;
}

function writeAscii(text: string, out: Uint8Array, at: number): number {
  if (at + text.length > out.length) return NOT_PLAIN;
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** A quoted string: printable ASCII byte by byte, anything else as JSON.stringify escapes it. */
function writeString(text: string, out: Uint8Array, at: number): number {
  const n = text.length;
  if (at + n + 2 > out.length) return NOT_PLAIN;
  out[at] = QUOTE;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return writeEscaped(text, out, at);
    out[at + 1 + i] = c;
  }
  out[at + n + 1] = QUOTE;
  return at + n + 2;
}

function writeEscaped(text: string, out: Uint8Array, at: number): number {
  const quoted = JSON.stringify(text);
  const { read, written } = encoder.encodeInto(quoted, out.subarray(at));
  return read === quoted.length ? at + written : NOT_PLAIN;
}
