// Typed views of a module's linear memory, kept from call to call: making them (and
// reading `memory.buffer`) for every evaluation costs more than a small evaluation's own
// work. Growing the memory detaches the old buffer, whose views then have length 0; that
// is when they are made again.
export class LinearMemory {
  bytes!: Uint8Array;
  words!: Uint32Array;
  floats!: Float64Array;

  constructor(readonly memory: WebAssembly.Memory) {
    this.renew();
  }

  /** Renews the views if the memory grew since: call after the module may have allocated. */
  sync(): void {
    if (this.bytes.length === 0) this.renew();
  }

  private renew(): void {
    const buffer = this.memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.words = new Uint32Array(buffer);
    this.floats = new Float64Array(buffer);
  }
}
