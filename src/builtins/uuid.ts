// uuid.rfc4122 (random version 4, stable per key within one evaluation) and uuid.parse.
import { randomBytes } from "node:crypto";
import { RegoObject, valueKey, type Value } from "../value/value.js";
import { defineBuiltin, T } from "./define.js";
import type { Builtin, BuiltinContext } from "./registry.js";

function newV4(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function rfc4122([k]: Value[], ctx: BuiltinContext): Value {
  const key = "uuid.rfc4122\u0000" + valueKey(k!);
  const cached = ctx.cache?.get(key);
  if (typeof cached === "string") return cached;
  const id = newV4();
  ctx.cache?.set(key, id);
  return id;
}

/** The forms google/uuid accepts: plain, braced, urn:uuid: and 32 bare hex digits. */
function uuidBytes(s: string): Buffer | undefined {
  let t = s;
  if (t.length === 45 && t.slice(0, 9).toLowerCase() === "urn:uuid:") t = t.slice(9);
  else if (t.length === 38 && t.startsWith("{") && t.endsWith("}")) t = t.slice(1, -1);
  if (t.length === 36) {
    if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t))
      return undefined;
    t = t.replace(/-/g, "");
  }
  if (!/^[0-9a-fA-F]{32}$/.test(t)) return undefined;
  return Buffer.from(t, "hex");
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return "RFC4122";
  if ((b & 0xe0) === 0xc0) return "Microsoft";
  if ((b & 0xe0) === 0xe0) return "Future";
  return "Reserved";
}

function macVariables(first: number): string {
  if ((first & 0b11) === 0b11) return "local:multicast";
  if ((first & 0b01) === 0b01) return "global:multicast";
  if ((first & 0b10) === 0b10) return "local:unicast";
  return "global:unicast";
}

/** 100-ns intervals since 1582-10-15 to Unix nanoseconds. */
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;

function parse([s]: Value[]): Value | undefined {
  const b = uuidBytes(s as string);
  if (b === undefined) return undefined;
  const version = b[6]! >> 4;
  const out = new RegoObject();
  out.set("version", version);
  out.set("variant", variant(b[8]!));
  if (version === 1 || version === 2) {
    const t =
      BigInt(b.readUInt32BE(0)) |
      (BigInt(b.readUInt16BE(4)) << 32n) |
      (BigInt(b.readUInt16BE(6) & 0x0fff) << 48n);
    out.set("time", Number((t - GREGORIAN_OFFSET) * 100n));
    out.set("nodeid", macVariables(b[10]!) + ":" + b.subarray(10).toString("hex"));
    out.set("clocksequence", b.readUInt16BE(8) & 0x3fff);
    if (version === 2) {
      out.set("id", b.readUInt32BE(0));
      const domains = ["Person", "Group", "Org"];
      out.set("domain", domains[b[9]!] ?? `Domain${b[9]}`);
    }
  }
  return out;
}

export const uuidBuiltins: Builtin[] = [
  defineBuiltin({
    name: "uuid.rfc4122",
    args: [T.string],
    result: T.string,
    nondeterministic: true,
    impl: rfc4122,
  }),
  defineBuiltin({
    name: "uuid.parse",
    args: [T.string],
    result: T.object(T.string, T.any),
    impl: parse,
  }),
];
