// Appends one active data segment to an emitted Wasm binary. binaryen.js cannot add a data
// segment to a module that already has a memory (its setMemory replaces the memory and
// asserts when one exists), so the generated constants are added after emission: the data
// section gets one more segment, and the data count section (if any) is updated.

const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;

export function appendDataSegment(wasm: Uint8Array, offset: number, bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) return wasm;
  const sections = readSections(wasm);
  const segment = concat([
    Uint8Array.of(0x00, 0x41),
    signedLeb(offset),
    Uint8Array.of(0x0b),
    unsignedLeb(bytes.length),
    bytes,
  ]);
  const out: Uint8Array[] = [wasm.subarray(0, 8)];
  let wroteData = false;
  for (const s of sections) {
    if (s.id === DATA_COUNT_SECTION) {
      const [count] = readLeb(s.body, 0);
      out.push(section(DATA_COUNT_SECTION, unsignedLeb(count + 1)));
    } else if (s.id === DATA_SECTION) {
      const [count, at] = readLeb(s.body, 0);
      out.push(
        section(DATA_SECTION, concat([unsignedLeb(count + 1), s.body.subarray(at), segment])),
      );
      wroteData = true;
    } else {
      out.push(section(s.id, s.body));
    }
  }
  if (!wroteData) out.push(section(DATA_SECTION, concat([unsignedLeb(1), segment])));
  return concat(out);
}

interface Section {
  id: number;
  body: Uint8Array;
}

function readSections(wasm: Uint8Array): Section[] {
  const out: Section[] = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at]!;
    const [size, bodyAt] = readLeb(wasm, at + 1);
    out.push({ id, body: wasm.subarray(bodyAt, bodyAt + size) });
    at = bodyAt + size;
  }
  return out;
}

function section(id: number, body: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(id), unsignedLeb(body.length), body]);
}

function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, at];
  }
}

function unsignedLeb(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

function signedLeb(n: number): Uint8Array {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return Uint8Array.from(out);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
