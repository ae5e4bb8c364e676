// OPA bundles with a Wasm module: a gzipped tar holding `/policy.wasm`, `/data.json` and
// `/.manifest` (revision, roots, and the Wasm entrypoints), laid out as OPA's own bundles
// are so that tools consuming OPA bundles can read ours.
import { gunzipSync, gzipSync } from "node:zlib";
import { readFileSync, writeFileSync } from "node:fs";
import tar from "tar-stream";

export interface BundleManifest {
  revision: string;
  roots: string[];
  wasm: { entrypoint: string; module: string }[];
  rego_version?: number;
  metadata?: Record<string, unknown>;
}

export interface Bundle {
  wasm: Uint8Array;
  data: Record<string, unknown>;
  manifest: BundleManifest;
  /** The Rego sources shipped in the bundle (as OPA bundles ship them), by bundle path. */
  sources: { file: string; text: string }[];
}

export interface BundleInput {
  wasm: Uint8Array;
  entrypoints: readonly string[];
  data?: unknown;
  revision?: string;
  /** Path prefixes the bundle owns; OPA's default `[""]` owns everything. */
  roots?: string[];
  metadata?: Record<string, unknown>;
  /** Rego sources to ship beside the module (explanations run the evaluator on them). */
  sources?: readonly { file: string; text: string }[];
}

export const MODULE_PATH = "/policy.wasm";

export function bundleManifest(input: BundleInput): BundleManifest {
  const manifest: BundleManifest = {
    revision: input.revision ?? "",
    roots: input.roots ?? [""],
    wasm: input.entrypoints.map((entrypoint) => ({ entrypoint, module: MODULE_PATH })),
    rego_version: 1,
  };
  if (input.metadata !== undefined) manifest.metadata = input.metadata;
  return manifest;
}

/** The bundle as gzipped tar bytes. */
export async function packBundle(input: BundleInput): Promise<Uint8Array> {
  const data = input.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new Error("bundle data must be a JSON object");
  }
  const files: [string, Uint8Array][] = [
    ["/.manifest", utf8(JSON.stringify(bundleManifest(input), null, 2) + "\n")],
    ["/data.json", utf8(JSON.stringify(data) + "\n")],
    [MODULE_PATH, input.wasm],
    ...(input.sources ?? []).map((src): [string, Uint8Array] => [
      sourcePath(src.file),
      utf8(src.text),
    ]),
  ];
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (c: unknown) => {
      chunks.push(c as Buffer);
    });
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  for (const [name, bytes] of files) {
    pack.entry({ name, size: bytes.length, mode: 0o644, mtime: new Date(0) }, Buffer.from(bytes));
  }
  pack.finalize();
  await done;
  return new Uint8Array(gzipSync(Buffer.concat(chunks)));
}

export async function writeBundle(path: string, input: BundleInput): Promise<void> {
  writeFileSync(path, await packBundle(input));
}

/** Reads a bundle (from a path or bytes); entry names with or without a leading `/`. */
export async function readBundle(source: string | Uint8Array): Promise<Bundle> {
  const gz = typeof source === "string" ? readFileSync(source) : Buffer.from(source);
  const files = await untar(gunzipSync(gz));
  const manifestBytes = files.get("/.manifest");
  const manifest: BundleManifest = manifestBytes
    ? (JSON.parse(text(manifestBytes)) as BundleManifest)
    : { revision: "", roots: [""], wasm: [] };
  const modulePath = manifest.wasm[0]?.module ?? MODULE_PATH;
  const wasm = files.get(normalize(modulePath));
  if (wasm === undefined) throw new Error(`bundle has no ${modulePath}`);
  const dataBytes = files.get("/data.json");
  const data = dataBytes ? (JSON.parse(text(dataBytes)) as Record<string, unknown>) : {};
  const sources = [...files]
    .filter(([name]) => name.endsWith(".rego"))
    .map(([name, bytes]) => ({ file: name.slice(1), text: text(bytes) }));
  return { wasm, data, manifest, sources };
}

function untar(bytes: Buffer): Promise<Map<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Uint8Array>();
    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => {
        parts.push(c as Buffer);
      });
      stream.on("end", () => {
        if (header.type === "file")
          files.set(normalize(header.name), new Uint8Array(Buffer.concat(parts)));
        next();
      });
      stream.on("error", reject);
    });
    extract.on("finish", () => resolve(files));
    extract.on("error", reject);
    extract.end(bytes);
  });
}

/** Where a source file sits in the bundle: its relative path, never outside the root. */
function sourcePath(file: string): string {
  const parts = file.split(/[\\/]+/).filter((p) => p !== "" && p !== "." && p !== "..");
  return "/" + parts.join("/");
}

function normalize(name: string): string {
  return "/" + name.replace(/^\.?\/+/, "");
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
