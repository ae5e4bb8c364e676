// The static data segment the code generator appends after the runtime's own: UTF-8
// strings, NUL-terminated messages, and constant values laid out exactly as the runtime
// lays out values (docs/wasm-runtime.md), so scalars and arrays of scalars cost nothing at
// run time. Objects and sets (private hash tables) and the runtime's null/boolean
// singletons are built once by the start function instead.
import { RegoObject, RegoSet, type Value } from "../../value/value.js";

const encoder = new TextEncoder();

export class StaticData {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private readonly cstrings = new Map<string, number>();
  private readonly strings = new Map<string, number>();

  constructor(readonly base: number) {}

  /** First byte after the segment (what `ccpol.heap_base` returns). */
  get end(): number {
    return this.base + this.size;
  }

  get bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private alloc(bytes: Uint8Array, align = 8): number {
    const pad = (align - (this.end % align)) % align;
    if (pad > 0) this.push(new Uint8Array(pad));
    const addr = this.end;
    this.push(bytes);
    return addr;
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /** Address of the NUL-terminated UTF-8 text. */
  cstring(text: string): number {
    let addr = this.cstrings.get(text);
    if (addr === undefined) {
      const utf8 = encoder.encode(text);
      const buf = new Uint8Array(utf8.length + 1);
      buf.set(utf8);
      addr = this.alloc(buf, 1);
      this.cstrings.set(text, addr);
    }
    return addr;
  }

  /** A string value block (tag 4, length, pointer to bytes, hash 0 = not yet computed). */
  stringValue(text: string): number {
    let addr = this.strings.get(text);
    if (addr === undefined) {
      const utf8Len = encoder.encode(text).length;
      const bytes = this.cstring(text);
      const block = new DataView(new ArrayBuffer(16));
      block.setUint8(0, 4);
      block.setUint32(4, utf8Len, true);
      block.setUint32(8, bytes, true);
      addr = this.alloc(new Uint8Array(block.buffer));
      this.strings.set(text, addr);
    }
    return addr;
  }

  numberValue(n: number): number {
    const block = new DataView(new ArrayBuffer(16));
    block.setUint8(0, 3);
    block.setFloat64(8, n, true);
    return this.alloc(new Uint8Array(block.buffer));
  }

  /** An array value block whose elements are the given value addresses. */
  arrayValue(elements: readonly number[]): number {
    const elems = new DataView(new ArrayBuffer(Math.max(4, elements.length * 4)));
    elements.forEach((e, i) => elems.setUint32(i * 4, e, true));
    const elemsAddr = this.alloc(new Uint8Array(elems.buffer));
    const block = new DataView(new ArrayBuffer(16));
    block.setUint8(0, 5);
    block.setUint32(4, elements.length, true);
    block.setUint32(8, elements.length, true);
    block.setUint32(12, elemsAddr, true);
    return this.alloc(new Uint8Array(block.buffer));
  }
}

/** True when the value can live in the data segment (no null/boolean/object/set inside). */
export function isStaticValue(v: Value): boolean {
  if (typeof v === "string" || typeof v === "number") return true;
  if (Array.isArray(v)) return v.every(isStaticValue);
  return false;
}

/** Lays out a static value; callers check `isStaticValue` first. */
export function layoutStatic(data: StaticData, v: Value): number {
  if (typeof v === "string") return data.stringValue(v);
  if (typeof v === "number") return data.numberValue(v);
  if (Array.isArray(v)) return data.arrayValue(v.map((x) => layoutStatic(data, x)));
  throw new Error("not a static value");
}

export function isObject(v: Value): v is RegoObject {
  return v instanceof RegoObject;
}

export function isSet(v: Value): v is RegoSet {
  return v instanceof RegoSet;
}
