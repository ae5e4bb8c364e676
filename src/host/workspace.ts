// Opening a policy workspace for the command line, the review tool and the benchmarks:
// compile the Rego under policies/ (or read a built bundle), validate the YAML under data/,
// and hand back an authorizer running on the compiled module.
import { join } from "node:path";
import { readRegoSources } from "../rego/sources.js";
import { compilePolicy, type CompileResult } from "../wasm/compile.js";
import { createAuthorizer, DECISION_ENTRYPOINT, type Authorizer } from "./authorizer.js";
import { loadData } from "./data.js";

export interface WorkspaceOptions {
  /** Policy files or directories (default `<root>/policies`); `*_test.rego` are left out. */
  policies?: string[];
  /** Tenant data directory (default `<root>/data`). */
  data?: string;
  root?: string;
  entrypoints?: string[];
  cache?: boolean;
}

export interface Workspace {
  authorizer: Authorizer;
  compiled: CompileResult;
  data: Record<string, unknown>;
}

export async function openWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const root = options.root ?? ".";
  const sources = readRegoSources(options.policies ?? [join(root, "policies")], { tests: false });
  const [compiled, data] = await Promise.all([
    compilePolicy({ sources, entrypoints: options.entrypoints ?? [DECISION_ENTRYPOINT] }),
    loadData(options.data ?? join(root, "data")),
  ]);
  const plain = data as unknown as Record<string, unknown>;
  const authorizer = await createAuthorizer({
    bundle: { wasm: compiled.wasm, sources },
    data: plain,
    cache: options.cache,
  });
  return { authorizer, compiled, data: plain };
}
