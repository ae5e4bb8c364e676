import { describe, expect, it } from "vitest";
import { appendDataSegment } from "./segment.js";

/** (module (import "env" "memory" (memory 1)) (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))) */
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
  0x01, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x00, 0x0a,
  0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b,
]);

function peek(wasm: Uint8Array): (addr: number) => number {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(wasm)), {
    env: { memory },
  });
  return instance.exports.peek as (addr: number) => number;
}

describe("appendDataSegment", () => {
  it("adds a data section when there is none", () => {
    expect(WebAssembly.validate(MODULE)).toBe(true);
    const patched = appendDataSegment(MODULE, 300, Uint8Array.from([7, 8, 9]));
    const p = peek(patched);
    expect([p(299), p(300), p(301), p(302)]).toEqual([0, 7, 8, 9]);
  });

  it("appends to an existing data section", () => {
    const once = appendDataSegment(MODULE, 16, Uint8Array.from([1]));
    const twice = appendDataSegment(once, 70000 - 65536, Uint8Array.from(new Array(200).fill(5)));
    const p = peek(twice);
    expect([p(16), p(4464), p(4663), p(4664)]).toEqual([1, 5, 5, 0]);
  });

  it("leaves the module alone for empty data", () => {
    expect(appendDataSegment(MODULE, 0, new Uint8Array())).toBe(MODULE);
  });
});
