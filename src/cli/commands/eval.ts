// `ccpol eval`: evaluates a query with the reference evaluator, like `opa eval`.
//
// Loading follows OPA's loader: `-d` takes .rego files and directories; inside a directory,
// .rego files are policies and .json/.yaml files are base data mounted at the file's
// directory path relative to the `-d` root (`tenants/acme/data.yaml` under `-d data`
// becomes `data.tenants.acme`). A data file given directly to `-d` is mounted at `data`.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { UsageError, type Command, type CommandIO } from "../command.js";
import { parseQuery } from "../../rego/parser.js";
import { toJSON, type Value } from "../../value/value.js";
import { evaluatorForSources, type SourceFile } from "../../eval/support.js";
import { toValue, type QueryResult } from "../../eval/evaluator.js";
import { renderTrace, type ExplainMode } from "../../eval/trace.js";
import { mergeValues, upsertPath } from "../../eval/tree.js";
import { loadDataSync } from "../../host/data.js";

const USAGE = `Usage: ccpol eval -d <path>... [--tenants <dir>] [-i <input>] [--explain fails|full]
                  [--strict] '<query>'

Evaluates a Rego query with the reference evaluator and prints the result as JSON:
  {"result": [{"expressions": [{"value": ..., "text": "...", "location": {...}}],
               "bindings": {...}}]}
An undefined query prints {}.

Options:
  -d, --data <path>     a .rego file, a .json/.yaml data file, or a directory (repeatable)
  --tenants <dir>       tenant YAML files (one tenant per file, validated like the host
                        does), mounted at data.tenants.<tenant id>
  -i, --input <file>    the input document (.json or .yaml)
  --explain <mode>      also print a trace before the result: "fails" (failed
                        expressions with operand values) or "full" (every step)
  --strict              builtin errors are errors instead of undefined`;

export interface LoadedFiles {
  sources: SourceFile[];
  data: Value;
}

const DATA_EXTENSIONS = new Set([".json", ".yaml", ".yml"]);

/** Reads every -d path: policies as sources, data files merged under their mount points. */
export function loadPaths(paths: readonly string[], cwd: string): LoadedFiles {
  const sources: SourceFile[] = [];
  let data: Value = toValue({});
  for (const p of paths) {
    const root = resolve(cwd, p);
    const files = statSync(root).isDirectory() ? walk(root) : [root];
    for (const file of files.sort()) {
      const ext = extname(file);
      const shown = file === root ? p : join(p, relative(root, file));
      if (ext === ".rego") {
        sources.push({ file: shown, text: readFileSync(file, "utf8") });
      } else if (DATA_EXTENSIONS.has(ext)) {
        const mount = file === root ? [] : mountPath(root, file);
        const doc = toValue(readDocument(file));
        data = mergeValues(data, upsertPath(undefined, mount, doc));
      }
    }
  }
  return { sources, data };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith(".rego") || DATA_EXTENSIONS.has(extname(entry.name))) {
      out.push(full);
    }
  }
  return out;
}

function mountPath(root: string, file: string): string[] {
  const rel = relative(root, dirname(file));
  return rel === "" ? [] : rel.split(sep);
}

function readDocument(file: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return extname(file) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

/** The `opa eval` JSON shape of query results. */
export function resultJSON(results: readonly QueryResult[]): unknown {
  if (results.length === 0) return {};
  return {
    result: results.map((r) => {
      const out: Record<string, unknown> = {
        expressions: r.expressions.map((e) => ({
          value: toJSON(e.value),
          text: e.text,
          location: { row: e.location.line, col: e.location.col },
        })),
      };
      const names = Object.keys(r.bindings);
      if (names.length > 0) {
        out["bindings"] = Object.fromEntries(names.map((n) => [n, toJSON(r.bindings[n]!)]));
      }
      return out;
    }),
  };
}

function parseExplain(mode: string | undefined): ExplainMode | undefined {
  if (mode === undefined) return undefined;
  if (mode === "fails" || mode === "full") return mode;
  throw new UsageError(`--explain must be "fails" or "full", not "${mode}"`);
}

async function run(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: "string", short: "d", multiple: true },
        input: { type: "string", short: "i" },
        tenants: { type: "string" },
        explain: { type: "string" },
        strict: { type: "boolean" },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError("expected exactly one query");
  const explain = parseExplain(values.explain);
  const loaded = loadPaths(values.data ?? [], io.cwd);
  const { sources } = loaded;
  let data = loaded.data;
  if (values.tenants !== undefined) {
    const tenants = toValue(loadDataSync(resolve(io.cwd, values.tenants)));
    data = mergeValues(data, tenants);
  }
  const input =
    values.input === undefined ? undefined : toValue(readDocument(resolve(io.cwd, values.input)));
  const evaluator = evaluatorForSources(sources, { data, strict: values.strict ?? false });
  const query = parseQuery(positionals[0]!, "query");
  if (explain === undefined) {
    io.stdout(JSON.stringify(resultJSON(evaluator.queryResults(query, input)), null, 2));
    return 0;
  }
  const { results, trace } = evaluator.queryResults(query, input, { trace: true });
  io.stdout(renderTrace(trace, explain));
  io.stdout(JSON.stringify(resultJSON(results), null, 2));
  return 0;
}

export const evalCommand: Command = {
  name: "eval",
  summary: "evaluate a Rego query with the reference evaluator (like opa eval)",
  usage: USAGE,
  run,
};
