// Peer-engine benchmark (issue 8): the contact-center decision mix — every request of the
// sample data's decision space plus every decision-table row — decided by
//   (1) the project's Wasm module through @open-policy-agent/opa-wasm (loadPolicy, setData,
//       evaluate),
//   (2) the host path (authorizer.authorize), without and with its exact decision cache,
//   (3) the reference evaluator (src/eval),
//   (4) @cedar-policy/cedar-wasm with bench/cedar/ (policies, schema, entities from the YAML),
//   (5) casbin with bench/casbin/ (RBAC with domains, policy generated from the YAML),
//   (6) a precomputed Map from request key to decision: the practical limit,
// and, to show what a call costs before any policy work, the SDK and the host on a one-line
// policy with the same input and the same shape of result (FIXED_COST_POLICY).
// Before any timing, every engine must agree with the project on allow/deny for every
// request of the mix; otherwise the run stops and lists the disagreements.
// Run alone with `npx tsx bench/engines.ts`.
import { join } from "node:path";
import { createRequire } from "node:module";
import { createAuthorizer, DECISION_ENTRYPOINT, type Authorizer } from "../src/host/authorizer.js";
import type { DecisionRequest } from "../src/host/authorizer.js";
import { openWorkspace } from "../src/host/workspace.js";
import { decisionTableRequests } from "../src/harness/decision-tables.js";
import {
  enumerateRequests,
  readVocabulary,
  requestId,
  VOCABULARY_ENTRYPOINTS,
  type Vocabulary,
} from "../src/review/decision-space.js";
import { evaluatorForSources } from "../src/eval/support.js";
import { toValue, type Evaluator } from "../src/eval/evaluator.js";
import { toJSON } from "../src/value/value.js";
import { readRegoSources, type RegoSource } from "../src/rego/sources.js";
import { compilePolicy, type CompileResult } from "../src/wasm/compile.js";
import { WasmPolicy } from "../src/host/wasm-policy.js";
import { CedarEngine } from "./cedar/translate.js";
import { CasbinEngine } from "./casbin/translate.js";
import { formatCount, formatNs, shuffled, timeInPasses, type LatencyStats } from "./stats.js";
import { isEntryModule } from "../src/cli/entry.js";

// The SDK ships CommonJS with types that declare no default export: load it as the SDK's
// own examples do.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

export type Tenants = Record<string, Record<string, unknown>>;

/** The contact-center workspace every benchmark of this folder starts from. */
export interface ContactCenter {
  sources: RegoSource[];
  compiled: CompileResult;
  data: Record<string, unknown>;
  tenants: Tenants;
  authorizer: Authorizer;
  mix: DecisionRequest[];
  /** Where the action vocabulary came from: the Wasm module, or the reference evaluator. */
  vocabularyFrom: "wasm" | "reference evaluator";
  /** Requests of the mix that come from the decision space / the decision tables. */
  spaceSize: number;
  tableSize: number;
}

export async function loadContactCenter(root = "."): Promise<ContactCenter> {
  const workspace = await openWorkspace({
    root,
    entrypoints: [DECISION_ENTRYPOINT, ...Object.values(VOCABULARY_ENTRYPOINTS)],
  });
  const tenants = workspace.data["tenants"] as Tenants;
  const sources = readRegoSources([join(root, "policies")], { tests: false });
  const vocabulary = readVocabularyWithFallback(workspace.authorizer, sources, workspace.data);
  const space = enumerateRequests(tenants, vocabulary.vocabulary);
  const tables = decisionTableRequests(root);
  return {
    sources,
    vocabularyFrom: vocabulary.from,
    compiled: workspace.compiled,
    data: workspace.data,
    tenants,
    authorizer: workspace.authorizer,
    mix: [...space, ...tables],
    spaceSize: space.length,
    tableSize: tables.length,
  };
}

/**
 * The vocabulary as the CLI reads it (from the compiled module), or — when the module
 * yields no actions, a compiler defect reported in RESULTS.md — from the reference
 * evaluator over the same Rego, so the decision space is still complete.
 */
function readVocabularyWithFallback(
  authorizer: Authorizer,
  sources: RegoSource[],
  data: Record<string, unknown>,
): { vocabulary: Vocabulary; from: "wasm" | "reference evaluator" } {
  const fromWasm = readVocabulary(authorizer.policy);
  if (fromWasm.actions.length > 0) return { vocabulary: fromWasm, from: "wasm" };
  const evaluator = evaluatorForSources(sources, { data });
  const read = (entrypoint: string): unknown => {
    const v = evaluator.evalRef(entrypoint.split("/"));
    return v === undefined ? undefined : toJSON(v);
  };
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").sort() : [];
  const types = read(VOCABULARY_ENTRYPOINTS.resourceTypes) as Record<string, unknown>;
  return {
    vocabulary: {
      actions: list(read(VOCABULARY_ENTRYPOINTS.actions)),
      resourceTypes: Object.fromEntries(Object.entries(types).map(([a, t]) => [a, list(t)])),
      collections: read(VOCABULARY_ENTRYPOINTS.collections) as Record<string, string>,
      baseRoles: list(read(VOCABULARY_ENTRYPOINTS.baseRoles)),
    },
    from: "reference evaluator",
  };
}

/** The key of the precomputed Map (engine 6): every field of the request. */
export function mapKey(r: DecisionRequest): string {
  const res = r.resource;
  return res === undefined
    ? `${r.tenant}\u0000${r.user}\u0000${r.action}`
    : `${r.tenant}\u0000${r.user}\u0000${r.action}\u0000${res.type}\u0000${res.id}\u0000${res.tenant ?? ""}\u0000${res.role ?? ""}`;
}

export interface Engine {
  id: string;
  label: string;
  /** allow/deny of one request. */
  decide: (r: DecisionRequest) => boolean;
  /** Decisions per timed sample (smaller for slow engines, to bound the run time). */
  batch: number;
  /**
   * Times the fixed cost of a call on a one-line policy: its answers are not the project's,
   * so agreement is not checked.
   */
  fixedCost?: boolean;
}

export interface EngineRow {
  id: string;
  label: string;
  stats: LatencyStats;
  /** Median time per decision divided by the Map's. */
  ratioToMap: number;
  /** The same with CPU time (steadier on a shared machine). */
  cpuRatioToMap: number;
}

export interface EnginesBenchResult {
  decisions: number;
  allowed: number;
  spaceSize: number;
  tableSize: number;
  tenants: number;
  vocabularyFrom: ContactCenter["vocabularyFrom"];
  casbinLines: number;
  rows: EngineRow[];
}

export class DisagreementError extends Error {
  override name = "DisagreementError";
  constructor(readonly disagreements: string[]) {
    super(
      `${disagreements.length} disagreement(s) with the project's decisions:\n` +
        disagreements.slice(0, 50).join("\n") +
        (disagreements.length > 50 ? `\n… and ${disagreements.length - 50} more` : ""),
    );
  }
}

function referenceDecider(evaluator: Evaluator): (r: DecisionRequest) => boolean {
  const path = ["ccpol", "decision", "decision"];
  return (r) => {
    const v = evaluator.evalRef(path, toValue(r));
    const d = v === undefined ? undefined : (toJSON(v) as { allow?: unknown });
    return d?.allow === true;
  };
}

/** `allow` of a result set `[{result: {allow, reasons}}]`. */
function allowOf(resultSet: unknown): boolean {
  return (resultSet as { result?: { allow?: unknown } }[])[0]?.result?.allow === true;
}

/** The decision's shape, no policy work: what remains is the cost of a call. */
const FIXED_COST_POLICY = `package ccpol.decision

decision := {"allow": input.action == "queue.monitor", "reasons": ["X-1"]}
`;

/** Builds every engine over the same policies and data. */
export async function buildEngines(cc: ContactCenter): Promise<{
  engines: Engine[];
  casbinLines: number;
}> {
  const sdk = await opa.loadPolicy(cc.compiled.wasm);
  sdk.setData(cc.data);
  const oneLine = await compilePolicy({
    sources: [{ file: "one-line.rego", text: FIXED_COST_POLICY }],
    entrypoints: [DECISION_ENTRYPOINT],
  });
  const sdkOneLine = await opa.loadPolicy(oneLine.wasm);
  sdkOneLine.setData(cc.data);
  const hostOneLine = await WasmPolicy.load(oneLine.wasm);
  hostOneLine.setData(cc.data);
  const oneLineEntry = hostOneLine.entrypointId(DECISION_ENTRYPOINT);
  const uncached = await createAuthorizer({
    bundle: { wasm: cc.compiled.wasm },
    data: cc.data,
    cache: false,
  });
  const cached = await createAuthorizer({ bundle: { wasm: cc.compiled.wasm }, data: cc.data });
  const evaluator = evaluatorForSources(cc.sources, { data: cc.data });
  const cedarErrors = CedarEngine.validate();
  if (cedarErrors.length > 0)
    throw new Error(`Cedar schema validation:\n${cedarErrors.join("\n")}`);
  const cedar = new CedarEngine(cc.tenants as never);
  const entityErrors = cedar.validateEntities();
  if (entityErrors.length > 0) throw new Error(`Cedar entities:\n${entityErrors.join("\n")}`);
  const casbin = await CasbinEngine.create(cc.tenants as never);
  const entry = uncached.policy.entrypointId(DECISION_ENTRYPOINT);
  const truth = new Map<string, boolean>();
  for (const r of cc.mix) truth.set(mapKey(r), uncached.authorize(r).allow);
  const engines: Engine[] = [
    {
      id: "sdk",
      label: "(1) policy.wasm via @open-policy-agent/opa-wasm `evaluate`",
      decide: (r) => allowOf(sdk.evaluate(r, DECISION_ENTRYPOINT)),
      batch: 1000,
    },
    {
      id: "host",
      label: "(2) host `authorize`, cache off",
      decide: (r) => uncached.authorize(r).allow,
      batch: 1000,
    },
    {
      id: "host-raw",
      label: "(2r) host `WasmPolicy.evaluate` alone (no request validation, no result check)",
      decide: (r) => allowOf(uncached.policy.evaluate(entry, r)),
      batch: 1000,
    },
    {
      id: "host-cached",
      label: "(2c) host `authorize`, exact decision cache on (default)",
      decide: (r) => cached.authorize(r).allow,
      batch: 10_000,
    },
    {
      id: "reference",
      label: "(3) reference evaluator (src/eval)",
      decide: referenceDecider(evaluator),
      batch: 20,
    },
    {
      id: "cedar",
      label: "(4) @cedar-policy/cedar-wasm `statefulIsAuthorized`",
      decide: (r) => cedar.authorize(r),
      batch: 20,
    },
    {
      id: "casbin",
      label: "(5) casbin `enforceSync` (RBAC with domains)",
      decide: (r) => casbin.authorize(r),
      batch: 20,
    },
    {
      id: "map",
      label: "(6) precomputed `Map` (key built per request)",
      decide: (r) => truth.get(mapKey(r)) === true,
      batch: 10_000,
    },
    {
      id: "sdk-call",
      label: "(1₀) the SDK's cost of a call: `evaluate` of a one-line policy",
      decide: (r) => allowOf(sdkOneLine.evaluate(r, DECISION_ENTRYPOINT)),
      batch: 1000,
      fixedCost: true,
    },
    {
      id: "host-call",
      label: "(2₀) the host's cost of a call: `WasmPolicy.evaluate` of a one-line policy",
      decide: (r) => allowOf(hostOneLine.evaluate(oneLineEntry, r)),
      batch: 1000,
      fixedCost: true,
    },
  ];
  return { engines, casbinLines: casbin.lines };
}

/** Every engine must give the project's allow/deny on every request; throws otherwise. */
export function checkAgreement(
  mix: readonly DecisionRequest[],
  expected: (r: DecisionRequest) => boolean,
  engines: readonly Engine[],
): void {
  const disagreements: string[] = [];
  for (const r of mix) {
    const want = expected(r);
    for (const e of engines) {
      if (e.fixedCost === true) continue;
      let got: boolean | string;
      try {
        got = e.decide(r);
      } catch (err) {
        got = `error: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (got !== want) {
        disagreements.push(
          `${e.id}: ${requestId(r)}${r.resource?.tenant === undefined ? "" : ` (resource tenant ${r.resource.tenant})`} — project ${want ? "allow" : "deny"}, ${e.id} ${String(got)}`,
        );
      }
    }
  }
  if (disagreements.length > 0) throw new DisagreementError(disagreements);
}

export interface EnginesBenchOptions {
  root?: string;
  /** Timed wall time over all engines and passes, in ms (warm-ups and minimum samples aside). */
  budgetMs?: number;
}

export async function benchEngines(options: EnginesBenchOptions = {}): Promise<EnginesBenchResult> {
  const cc = await loadContactCenter(options.root ?? ".");
  const { engines, casbinLines } = await buildEngines(cc);
  const project = engines.find((e) => e.id === "host")!;
  const truth = new Map(cc.mix.map((r) => [mapKey(r), project.decide(r)] as const));
  checkAgreement(cc.mix, (r) => truth.get(mapKey(r))!, engines);
  // Progress on stderr: if the engine (V8) aborts, the log says where.
  console.error(`engines: all ${engines.length} engines agree on ${cc.mix.length} decisions`);
  const order = shuffled(cc.mix);
  const stats = timeInPasses(order, engines, {
    passes: 4,
    budgetMs: (options.budgetMs ?? 24_000) / 4 / engines.length,
    minSamples: 30,
    maxSamples: 4000,
    onStart: (pass, id) => console.error(`engines: pass ${pass + 1}, ${id}`),
  });
  const mapNs = stats.get("map")!.medianNs;
  const mapCpuNs = stats.get("map")!.cpuMedianNs;
  return {
    decisions: cc.mix.length,
    allowed: [...truth.values()].filter(Boolean).length,
    vocabularyFrom: cc.vocabularyFrom,
    spaceSize: cc.spaceSize,
    tableSize: cc.tableSize,
    tenants: Object.keys(cc.tenants).length,
    casbinLines,
    rows: engines.map((e) => ({
      id: e.id,
      label: e.label,
      stats: stats.get(e.id)!,
      ratioToMap: stats.get(e.id)!.medianNs / mapNs,
      cpuRatioToMap: stats.get(e.id)!.cpuMedianNs / mapCpuNs,
    })),
  };
}

export function formatEngines(r: EnginesBenchResult): string {
  const target: Record<string, string> = { sdk: "<= 8x", host: "<= 2x" };
  const verdict = (row: EngineRow): string => {
    const limit = row.id === "sdk" ? 8 : row.id === "host" ? 2 : undefined;
    if (limit === undefined) return "";
    return row.ratioToMap <= limit ? "met" : "**not met**";
  };
  return [
    "| engine | median / decision | p99 / decision | CPU / decision | decisions/s | x Map | x Map (CPU) | target | |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...r.rows.map(
      (row) =>
        `| ${row.label} | ${formatNs(row.stats.medianNs)} | ${formatNs(row.stats.p99Ns)} | ${formatNs(row.stats.cpuMedianNs)} | ${formatCount(row.stats.perSecond)} | ${row.ratioToMap.toFixed(1)}x | ${row.cpuRatioToMap.toFixed(1)}x | ${target[row.id] ?? ""} | ${verdict(row)} |`,
    ),
    "",
    `Mix: ${r.decisions} requests (${r.spaceSize} from the decision space of the ${r.tenants} sample tenants, ` +
      `${r.tableSize} decision-table rows), ${r.allowed} allowed; shuffled once, same order for every engine. ` +
      `Every engine agreed with the project on all ${r.decisions} decisions before timing. ` +
      `Engines are timed in 4 passes (each engine timed in turn in every pass, so load on the shared machine ` +
      `hits all alike); latencies are per decision within a timed batch (batch sizes: ${r.rows
        .map((x) => `${x.id} ${x.stats.batch}`)
        .join(", ")}; samples: ${r.rows.map((x) => `${x.id} ${x.stats.samples}`).join(", ")}); ` +
      `"p99" is the 99th percentile of those batch means, not of single calls. CPU is this process's user+system ` +
      `time per decision (median over batches). casbin policy: ${r.casbinLines} lines.` +
      (r.vocabularyFrom === "wasm"
        ? ""
        : ` The action vocabulary was read with the reference evaluator: the compiled module returned no ` +
          "`ccpol/common/actions` (a compiler defect at the time of this run)."),
    "",
  ].join("\n");
}

if (isEntryModule(import.meta.url)) {
  try {
    console.log(formatEngines(await benchEngines()));
  } catch (err) {
    if (err instanceof DisagreementError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
