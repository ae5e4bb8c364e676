// Reads a Rego value straight out of the linear memory of a module we compiled (value
// layout: docs/wasm-runtime.md) into the JavaScript value JSON.parse would give for its
// JSON dump: sets become arrays, and sets and objects list their members in OPA's order.
// It replaces dump, decode and parse for every result, which cost more than most
// evaluations. Objects with non-string keys, rare and subtle in JSON, still go through the
// module's own dump.

import { TAG } from "../compiler/ir.js";
import type { LinearMemory } from "./linear-memory.js";

/** Bytes of an object's or set's entry: key, value, hash. */
const ENTRY_BYTES = 12;

/** Strings this short are decoded byte by byte when ASCII; longer ones by TextDecoder. */
const SHORT_STRING = 32;

export interface ValueReaderExports {
  /** Entry addresses (key, value, hash) of an object or set, in key order. */
  ccpol_sorted_entries(value: number): number;
  /** The module's JSON text of a value, for what the reader leaves to the module. */
  dumpJSON(value: number): unknown;
}

export class ValueReader {
  private readonly decoder = new TextDecoder();
  /** Decoded strings that lie below `stableEnd`, which never change while it holds. */
  private readonly stable = new Map<number, string>();
  private stableEnd = 0;

  constructor(
    private readonly mem: LinearMemory,
    private readonly exports: ValueReaderExports,
  ) {}

  /**
   * Strings below `end` (the module's constants and the loaded data) stay as they are until
   * the data is replaced; their decoded text is kept.
   */
  setStableEnd(end: number): void {
    this.stable.clear();
    this.stableEnd = end;
  }

  read(addr: number): unknown {
    this.mem.sync();
    return this.value(addr);
  }

  private value(addr: number): unknown {
    switch (this.mem.bytes[addr]) {
      case TAG.null:
        return null;
      case TAG.boolean:
        return this.mem.words[(addr + 4) >>> 2] !== 0;
      case TAG.number: {
        const d = this.mem.floats[(addr + 8) >>> 3]!;
        return Number.isFinite(d) ? d : null;
      }
      case TAG.string:
        return this.string(addr);
      case TAG.array:
        return this.array(addr);
      case TAG.object:
        return this.object(addr);
      case TAG.set:
        return this.set(addr);
      default:
        throw new Error(`no value at address ${addr}`);
    }
  }

  private string(addr: number): string {
    if (addr < this.stableEnd) {
      const known = this.stable.get(addr);
      if (known !== undefined) return known;
      const text = this.decode(addr);
      this.stable.set(addr, text);
      return text;
    }
    return this.decode(addr);
  }

  private decode(addr: number): string {
    const len = this.mem.words[(addr + 4) >>> 2]!;
    const start = this.mem.words[(addr + 8) >>> 2]!;
    if (len <= SHORT_STRING) {
      let text = "";
      for (let i = 0; i < len; i++) {
        const b = this.mem.bytes[start + i]!;
        if (b >= 0x80) return this.decoder.decode(this.mem.bytes.subarray(start, start + len));
        text += String.fromCharCode(b);
      }
      return text;
    }
    return this.decoder.decode(this.mem.bytes.subarray(start, start + len));
  }

  private array(addr: number): unknown[] {
    const len = this.mem.words[(addr + 4) >>> 2]!;
    const elems = this.mem.words[(addr + 12) >>> 2]!;
    const out = new Array<unknown>(len);
    for (let i = 0; i < len; i++) out[i] = this.value(this.mem.words[(elems >>> 2) + i]!);
    return out;
  }

  /**
   * Where a collection's entry addresses in key order are, or 0 when it has at most one
   * member (then its entry table is already in order; entryAt reads that table for 0).
   */
  private sortedList(addr: number, count: number): number {
    if (count <= 1) return 0;
    const sorted = this.exports.ccpol_sorted_entries(addr);
    // Sorting allocates, which may have grown memory.
    this.mem.sync();
    return sorted;
  }

  private entryAt(addr: number, sorted: number, i: number): number {
    return sorted === 0
      ? this.mem.words[(addr + 12) >>> 2]! + i * ENTRY_BYTES
      : this.mem.words[(sorted >>> 2) + i]!;
  }

  private set(addr: number): unknown[] {
    const count = this.mem.words[(addr + 4) >>> 2]!;
    const sorted = this.sortedList(addr, count);
    const out = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.value(this.mem.words[this.entryAt(addr, sorted, i) >>> 2]!);
    }
    return out;
  }

  private object(addr: number): unknown {
    const count = this.mem.words[(addr + 4) >>> 2]!;
    // A non-string key's JSON text is its name, and colliding texts make that subtle: the
    // module's dump has the rules.
    for (let i = 0; i < count; i++) {
      const e = this.entryAt(addr, 0, i);
      if (this.mem.bytes[this.mem.words[e >>> 2]!] !== TAG.string)
        return this.exports.dumpJSON(addr);
    }
    const sorted = this.sortedList(addr, count);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const e = this.entryAt(addr, sorted, i);
      const key = this.string(this.mem.words[e >>> 2]!);
      const v = this.value(this.mem.words[(e + 4) >>> 2]!);
      // JSON.parse makes "__proto__" an own property; assignment would set the prototype.
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value: v,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[key] = v;
      }
    }
    return out;
  }
}
