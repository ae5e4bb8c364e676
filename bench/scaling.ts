// Data scaling (issue 8): decision latency, load time and memory as one tenant grows from
// 10 to 100,000 users (10 queues) and from 10 to 10,000 queues (1,000 users). The synthetic
// tenant is built directly in the shape the policies read (data.tenants.<id>), with every
// kind of user (base roles and a custom role), queue memberships and ring groups, next to a
// second small tenant so that the cross-tenant rules have something to look at.
// Rule-count scaling (bundle size, compile time, latency) reuses bench/rule-index.ts's
// policy generator, one row at a time (benchRuleScaling).
// Run alone with `npx tsx bench/scaling.ts`.
import { createRequire } from "node:module";
import { compilePolicy, compilePolicySync } from "../src/wasm/compile.js";
import { generatePolicy } from "./rule-index.js";
import {
  createAuthorizer,
  DECISION_ENTRYPOINT,
  type DecisionRequest,
} from "../src/host/authorizer.js";
import { readRegoSources } from "../src/rego/sources.js";
import { formatBytes, formatCount, formatNs, timeBatches, type LatencyStats } from "./stats.js";
import { isEntryModule } from "../src/cli/entry.js";

// The SDK ships CommonJS with types that declare no default export.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

export interface ScalingRow {
  users: number;
  queues: number;
  dataJsonBytes: number;
  /** Host `reloadData` (JSON encode + parse into linear memory). */
  loadMs: number;
  linearBytes: number;
  /** Host path, cache off. */
  latency: LatencyStats;
}

export interface ScalingBenchResult {
  rows: ScalingRow[];
}

const ROLES = ["agent", "agent", "agent", "agent", "supervisor", "admin", "test", "team_lead"];
const ACTIONS: ((t: SyntheticPick) => DecisionRequest)[] = [
  (p) => ({ tenant: "synth", user: p.user, action: "tickets.view" }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "queue.monitor",
    resource: { type: "queue", id: p.queue },
  }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "queue.calls.handle",
    resource: { type: "queue", id: p.queue },
  }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "queue.login",
    resource: { type: "queue", id: p.queue },
  }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "call.disposition.set",
    resource: { type: "queue", id: p.queue },
  }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "agents.manage",
    resource: { type: "user", id: p.other },
  }),
  (p) => ({
    tenant: "synth",
    user: p.user,
    action: "role.assign",
    resource: { type: "user", id: p.other, role: "agent" },
  }),
  (p) => ({ tenant: "synth", user: p.user, action: "config_portal.access" }),
  (p) => ({ tenant: "synth", user: `ghost${p.user}`, action: "tickets.view" }),
];

interface SyntheticPick {
  user: string;
  other: string;
  queue: string;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The data document with a synthetic tenant of `users` users and `queues` queues. */
export function syntheticData(users: number, queues: number): Record<string, unknown> {
  const rand = lcg(users * 7919 + queues);
  const userIds = Array.from({ length: users }, (_, i) => `u${i}`);
  const pick = (n: number) => Array.from({ length: n }, () => userIds[Math.floor(rand() * users)]!);
  const synth = {
    tenant: "synth",
    name: "Synthetic",
    plan: "enterprise",
    settings: {
      organization: { agents_can_log_in_to_unassigned_queues: false },
      supervisor: { configuration_portal_access: true, manage_queue_settings: true },
      agent: { call_disposition: true, create_custom_tags: true },
    },
    custom_roles: {
      team_lead: {
        name: "Team lead",
        permissions: ["tickets.view", "agents.manage", "devices.manage", "rankings.view"],
      },
    },
    users: Object.fromEntries(
      userIds.map((id, i) => [
        id,
        { name: id, role: i === 0 ? "owner" : ROLES[i % ROLES.length]!, license: true },
      ]),
    ),
    queues: Object.fromEntries(
      Array.from({ length: queues }, (_, i) => [
        `q${i}`,
        {
          name: `Queue ${i}`,
          kind: i % 3 === 2 ? "inbox" : "call",
          wrap_up_seconds: i % 2 === 0 ? 30 : 0,
          agents: [...new Set(pick(Math.min(5, users)))],
          supervisors: [...new Set(pick(1))],
        },
      ]),
    ),
    ring_groups: Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `rg${i}`,
        { name: `Group ${i}`, members: [...new Set(pick(Math.min(5, users)))] },
      ]),
    ),
  };
  const other = {
    tenant: "other",
    name: "Other",
    plan: "small",
    users: { o1: { name: "O", role: "admin" } },
    queues: { q0: { name: "Q", kind: "call", agents: ["o1"] } },
  };
  return { tenants: { synth, other } };
}

function requestsFor(users: number, queues: number, count: number): DecisionRequest[] {
  const rand = lcg(count + users + queues);
  return Array.from({ length: count }, (_, i) => {
    const p: SyntheticPick = {
      user: `u${Math.floor(rand() * users)}`,
      other: `u${Math.floor(rand() * users)}`,
      queue: `q${Math.floor(rand() * queues)}`,
    };
    return ACTIONS[i % ACTIONS.length]!(p);
  });
}

export async function benchScaling(
  userSteps: readonly number[] = [10, 100, 1000, 10_000, 100_000],
  queueSteps: readonly number[] = [10, 100, 1000, 10_000],
  budgetMs = 700,
): Promise<ScalingBenchResult> {
  const sources = readRegoSources(["policies"], { tests: false });
  const { wasm } = await compilePolicy({ sources, entrypoints: [DECISION_ENTRYPOINT] });
  const points: [number, number][] = [
    ...userSteps.map((u) => [u, 10] as [number, number]),
    ...queueSteps.filter((q) => q !== 10).map((q) => [1000, q] as [number, number]),
  ];
  const rows: ScalingRow[] = [];
  for (const [users, queues] of points) {
    const data = syntheticData(users, queues);
    // A fresh instance per point: WebAssembly memory never shrinks, so reusing one would
    // show the largest data set's memory from then on.
    const authorizer = await createAuthorizer({
      bundle: { wasm },
      data: syntheticData(10, 10),
      cache: false,
    });
    const t0 = process.hrtime.bigint();
    authorizer.reloadData(data);
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const requests = requestsFor(users, queues, 900);
    const failed = requests.find((r) => authorizer.authorize(r).error !== undefined);
    if (failed !== undefined) {
      throw new Error(
        `evaluation failed at ${users} users, ${queues} queues: ${JSON.stringify(authorizer.authorize(failed))}`,
      );
    }
    rows.push({
      users,
      queues,
      dataJsonBytes: JSON.stringify(data).length,
      loadMs,
      linearBytes: authorizer.policy.memoryBytes(),
      latency: timeBatches(requests, (r) => authorizer.authorize(r).allow, {
        batch: 300,
        budgetMs,
        minSamples: 10,
        maxSamples: 500,
        warmup: 900,
      }),
    });
  }
  return { rows };
}

export function formatScaling(r: ScalingBenchResult): string {
  const base = r.rows[0]!.latency;
  return [
    "| users | queues | data JSON | load (setData) | linear memory | median / decision | p99 / decision | CPU / decision | x smallest (wall / CPU) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.rows.map(
      (row) =>
        `| ${formatCount(row.users)} | ${formatCount(row.queues)} | ${formatBytes(row.dataJsonBytes)} | ${row.loadMs.toFixed(1)} ms | ` +
        `${formatBytes(row.linearBytes)} | ${formatNs(row.latency.medianNs)} | ${formatNs(row.latency.p99Ns)} | ${formatNs(row.latency.cpuMedianNs)} | ${(row.latency.medianNs / base.medianNs).toFixed(2)}x / ${(row.latency.cpuMedianNs / base.cpuMedianNs).toFixed(2)}x |`,
    ),
    "",
    "Host path with the cache off (every decision evaluated), 900 requests per point cycling through " +
      "nine request kinds (tenant-wide, queue-scoped, membership, agents.manage, role.assign, unknown user), " +
      "batches of 300. Linear memory is the module's whole memory after loading the data into a fresh instance. " +
      "Load is `reloadData`: JSON encoding plus parsing into linear memory.",
    "",
  ].join("\n");
}

if (isEntryModule(import.meta.url)) {
  console.log(formatScaling(await benchScaling()));
}

export interface RuleScalingRow {
  rules: number;
  indexed: boolean;
  compileMs: number;
  wasmBytes: number;
  /** Median ns per SDK `evaluate` (input hitting the last rule), or why it could not run. */
  evalNs?: number;
  error?: string;
}

/**
 * Bundle size, compile time and decision latency as the rule count grows, with the
 * policies of bench/rule-index.ts, one row at a time so that a module the engine refuses
 * (V8 limits a function to 50,000 locals) costs only its own row.
 */
export async function benchRuleScaling(
  counts: readonly number[] = [10, 100, 1000, 10_000],
): Promise<RuleScalingRow[]> {
  const rows: RuleScalingRow[] = [];
  for (const rules of counts) {
    for (const indexed of [true, false]) {
      const t0 = process.hrtime.bigint();
      const compiled = compilePolicySync({
        sources: [{ file: "bench.rego", text: generatePolicy(rules) }],
        entrypoints: ["bench/decision"],
        index: indexed,
      });
      const row: RuleScalingRow = {
        rules,
        indexed,
        compileMs: Number(process.hrtime.bigint() - t0) / 1e6,
        wasmBytes: compiled.wasm.length,
      };
      try {
        const pages = Math.ceil(compiled.wasm.length / 65536) * 4 + 8;
        const policy = await opa.loadPolicy(compiled.wasm, { initial: pages });
        policy.setData({});
        const input = { action: `action.${rules - 1}`, role: `role.${(rules - 1) % 7}` };
        const rs = policy.evaluate(input, "bench/decision") as { result: { allow: boolean } }[];
        if (rs[0]?.result.allow !== true) throw new Error(`wrong decision ${JSON.stringify(rs)}`);
        const slow = !indexed && rules >= 1000;
        row.evalNs = timeBatches([input], (i) => policy.evaluate(i, "bench/decision"), {
          batch: slow ? 20 : 500,
          budgetMs: 400,
          minSamples: 10,
          maxSamples: 200,
          warmup: slow ? 20 : 500,
        }).medianNs;
      } catch (err) {
        row.error = (err instanceof Error ? err.message : String(err)).split("\n")[0];
      }
      rows.push(row);
    }
  }
  return rows;
}

export function formatRuleScaling(rows: readonly RuleScalingRow[]): string {
  const indexed = rows.filter((r) => r.indexed && r.evalNs !== undefined);
  const first = indexed[0];
  const last = indexed[indexed.length - 1];
  const ratio = first && last ? last.evalNs! / first.evalNs! : undefined;
  return [
    "| rules | index | compile | policy.wasm | median / evaluate (SDK) |",
    "|---:|:---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${formatCount(r.rules)} | ${r.indexed ? "yes" : "no"} | ${r.compileMs.toFixed(0)} ms | ${formatBytes(r.wasmBytes)} | ` +
        `${r.evalNs === undefined ? `not run: ${r.error ?? "?"}` : formatNs(r.evalNs)} |`,
    ),
    "",
    ratio === undefined
      ? "No indexed row could be timed."
      : `Indexed: ${formatNs(first!.evalNs!)} at ${formatCount(first!.rules)} rules → ${formatNs(last!.evalNs!)} at ` +
        `${formatCount(last!.rules)} rules (${ratio.toFixed(2)}x; target flat within 2x — ${ratio <= 2 ? "met" : "**not met**"}). ` +
        "Latency is the median of batches through the SDK; the first row's compile includes loading binaryen.",
    "",
  ].join("\n");
}
