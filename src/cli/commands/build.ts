// `ccpol build`: compiles Rego to an OPA-ABI Wasm module and writes `policy.wasm` and an
// OPA bundle (`bundle.tar.gz`: /policy.wasm, /data.json, /.manifest) to the output folder.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { UsageError, type Command, type CommandIO } from "../command.js";
import { readRegoSources } from "../../rego/sources.js";
import { compilePolicy } from "../../wasm/compile.js";
import { writeBundle } from "../../wasm/bundle.js";
import { loadData } from "../../host/data.js";

const USAGE = `Usage: ccpol build [options] <policy file or directory>...

Compiles the policies (test files *_test.rego are left out) to WebAssembly following OPA's
Wasm ABI, and writes <out>/policy.wasm and <out>/bundle.tar.gz (an OPA bundle).

Options:
  -e, --entrypoint <pkg/rule>  entrypoint (repeatable); rules marked "entrypoint: true" in
                               METADATA are entrypoints too
  -d, --data <file|dir>        base data for the bundle (repeatable): a .json/.yaml file, or
                               a tenant data directory (validated), merged at the top level
  -o, --output <dir>           output directory (default: build)
      --revision <text>        bundle revision (default: empty)
      --embed-data             also embed the -d data in policy.wasm (used when the host
                               sets no data), for a single self-contained module
      --debug                  compile print() calls (to opa_println); otherwise removed
      --strict                 builtin errors abort with a located eval_builtin_error
      --no-index               plan every rule body in turn (no rule index; benchmarks)
      --optimize-all           run binaryen's optimiser over the whole module (slower
                               compile, slightly smaller module); default: generated code`;

interface BuildArgs {
  paths: string[];
  entrypoints: string[];
  data: string[];
  out: string;
  revision: string;
  debug: boolean;
  strict: boolean;
  index: boolean;
  optimizeAll: boolean;
  embedData: boolean;
}

function parse(args: string[]): BuildArgs {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      entrypoint: { type: "string", short: "e", multiple: true },
      data: { type: "string", short: "d", multiple: true },
      output: { type: "string", short: "o" },
      revision: { type: "string" },
      debug: { type: "boolean" },
      strict: { type: "boolean" },
      "no-index": { type: "boolean" },
      "optimize-all": { type: "boolean" },
      "embed-data": { type: "boolean" },
    },
  });
  if (positionals.length === 0)
    throw new UsageError("expected at least one policy file or directory");
  return {
    paths: positionals,
    entrypoints: values.entrypoint ?? [],
    data: values.data ?? [],
    out: values.output ?? "build",
    revision: values.revision ?? "",
    debug: values.debug === true,
    strict: values.strict === true,
    index: values["no-index"] !== true,
    optimizeAll: values["optimize-all"] === true,
    embedData: values["embed-data"] === true,
  };
}

/** Reads one -d source: a tenant directory, a directory of JSON/YAML files, or one file. */
export async function readDataSource(path: string): Promise<Record<string, unknown>> {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    const names = readdirSync(path).filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith("."));
    if (names.some((n) => n.endsWith(".json"))) {
      return mergeAll(names.sort().map((n) => readDataFile(join(path, n))));
    }
    return (await loadData(path)) as unknown as Record<string, unknown>;
  }
  return readDataFile(path);
}

function readDataFile(path: string): Record<string, unknown> {
  const text = readFileSync(path, "utf8");
  const value: unknown = extname(path) === ".json" ? JSON.parse(text) : parseYaml(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${path}: data must be an object at the top level`);
  }
  return value as Record<string, unknown>;
}

function mergeAll(parts: readonly Record<string, unknown>[]): Record<string, unknown> {
  return Object.assign({}, ...parts) as Record<string, unknown>;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const a = parse(args);
  const sources = readRegoSources(
    a.paths.map((p) => resolve(io.cwd, p)),
    { tests: false },
  ).map((s) => ({ file: relative(io.cwd, s.file) || s.file, text: s.text }));
  if (sources.length === 0) throw new UsageError("no .rego files found");
  const data = mergeAll(await Promise.all(a.data.map((d) => readDataSource(resolve(io.cwd, d)))));
  const compiled = await compilePolicy({
    sources,
    entrypoints: a.entrypoints,
    data,
    debug: a.debug,
    strict: a.strict,
    index: a.index,
    optimize: a.optimizeAll ? true : "generated",
    embedData: a.embedData,
  });
  const out = resolve(io.cwd, a.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "policy.wasm"), compiled.wasm);
  await writeBundle(join(out, "bundle.tar.gz"), {
    wasm: compiled.wasm,
    entrypoints: compiled.entrypoints,
    data,
    revision: a.revision,
    sources,
  });
  const t = compiled.timings;
  io.stdout(
    [
      `wrote ${join(a.out, "policy.wasm")} (${compiled.wasm.length} bytes) and ${join(a.out, "bundle.tar.gz")}`,
      `entrypoints: ${compiled.entrypoints.join(", ")}`,
      `host builtins: ${compiled.builtins.length > 0 ? compiled.builtins.join(", ") : "(none)"}`,
      `compile: ${(t.front + t.plan + t.codegen).toFixed(0)} ms (front ${t.front.toFixed(0)}, plan ${t.plan.toFixed(0)}, codegen ${t.codegen.toFixed(0)})`,
    ].join("\n"),
  );
  return 0;
}

export const buildCommand: Command = {
  name: "build",
  summary: "compile policies to policy.wasm and an OPA bundle (bundle.tar.gz)",
  usage: USAGE,
  run,
};
