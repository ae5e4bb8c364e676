import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tar from "tar-stream";
import { bundleManifest, packBundle, readBundle, writeBundle } from "./bundle.js";

async function entryNames(gz: Uint8Array): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      names.push(header.name);
      stream.on("end", next);
      stream.resume();
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  extract.end(gunzipSync(gz));
  await done;
  return names;
}

const wasm = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0]);

describe("bundles", () => {
  it("lays out /.manifest, /data.json and /policy.wasm as OPA does", async () => {
    const gz = await packBundle({
      wasm,
      entrypoints: ["ccpol/decision/decision"],
      data: { a: 1 },
      revision: "r1",
    });
    expect(await entryNames(gz)).toEqual(["/.manifest", "/data.json", "/policy.wasm"]);
    expect(
      bundleManifest({ wasm, entrypoints: ["ccpol/decision/decision"], revision: "r1" }),
    ).toEqual({
      revision: "r1",
      roots: [""],
      wasm: [{ entrypoint: "ccpol/decision/decision", module: "/policy.wasm" }],
      rego_version: 1,
    });
  });

  it("reads back what it writes", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ccpol-bundle-")), "bundle.tar.gz");
    await writeBundle(path, {
      wasm,
      entrypoints: ["a/p", "a/q"],
      data: { tenants: { t: { x: [1] } } },
      roots: ["a", "tenants"],
    });
    const b = await readBundle(path);
    expect(b.wasm).toEqual(wasm);
    expect(b.data).toEqual({ tenants: { t: { x: [1] } } });
    expect(b.manifest.roots).toEqual(["a", "tenants"]);
    expect(b.manifest.wasm.map((w) => w.entrypoint)).toEqual(["a/p", "a/q"]);
  });

  it("rejects data that is not an object", async () => {
    await expect(packBundle({ wasm, entrypoints: [], data: [1] })).rejects.toThrow(/JSON object/);
  });
});
