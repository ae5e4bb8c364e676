// Loading a built bundle (`ccpol build` → bundle.tar.gz) straight into the host: the Wasm
// module, the base data and the Rego sources (for explanations) in one file.
import { readBundle } from "../wasm/bundle.js";
import type { PolicyBundle } from "./authorizer.js";

export interface LoadedBundle extends PolicyBundle {
  data: Record<string, unknown>;
  sources: { file: string; text: string }[];
  entrypoints: string[];
  revision: string;
}

export async function loadBundle(source: string | Uint8Array): Promise<LoadedBundle> {
  const bundle = await readBundle(source);
  const entrypoints = bundle.manifest.wasm.map((w) => w.entrypoint);
  return {
    wasm: bundle.wasm,
    data: bundle.data,
    sources: bundle.sources,
    entrypoints,
    revision: bundle.manifest.revision,
  };
}
