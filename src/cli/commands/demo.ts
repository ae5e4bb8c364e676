import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import {
  createAuthorizer,
  DECISION_ENTRYPOINT,
  type AuthorizedDecision,
  type DecisionRequest,
} from "../../host/authorizer.js";
import { loadBundle } from "../../host/bundle.js";
import { loadData } from "../../host/data.js";
import { readRegoSources } from "../../rego/sources.js";
import {
  enumerateRequests,
  readVocabulary,
  requestId,
  VOCABULARY_ENTRYPOINTS,
} from "../../review/decision-space.js";
import { writeBundle } from "../../wasm/bundle.js";
import { compilePolicy } from "../../wasm/compile.js";

const usage = `Usage: ccpol demo [--data DIR] [--policies PATH]... [-o DIR]

Compiles the policies to Wasm and writes an OPA bundle with the sample tenant data
(<out>/bundle.tar.gz, default build/), loads that bundle into the host, decides every
tenant x user x action x resource of the data on the compiled module, and prints a table
of sample decisions: for every rule ID, one request it allows and one it denies.`;

interface Sample {
  request: DecisionRequest;
  decision: AuthorizedDecision;
}

export const demoCommand: Command = {
  name: "demo",
  summary: "build the sample bundle, decide the sample data on it, print sample decisions",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: "string", default: "data" },
        policies: { type: "string", multiple: true },
        output: { type: "string", short: "o", default: "build" },
      },
      strict: true,
    });
    const started = performance.now();
    const sources = readRegoSources(values.policies ?? ["policies"], { tests: false });
    const [compiled, data] = await Promise.all([
      compilePolicy({
        sources,
        entrypoints: [DECISION_ENTRYPOINT, ...Object.values(VOCABULARY_ENTRYPOINTS)],
      }),
      loadData(values.data),
    ]);
    mkdirSync(values.output, { recursive: true });
    const bundlePath = join(values.output, "bundle.tar.gz");
    await writeBundle(bundlePath, {
      wasm: compiled.wasm,
      entrypoints: compiled.entrypoints,
      data,
      sources,
    });

    const bundle = await loadBundle(bundlePath);
    const authorizer = await createAuthorizer({ bundle, data: {} });
    const tenants = bundle.data["tenants"] as Record<string, Record<string, unknown>>;
    const requests = enumerateRequests(tenants, readVocabulary(authorizer.policy));
    const decided = requests.map((request) => ({
      request,
      decision: authorizer.authorize(request),
    }));
    io.stdout(
      `Built ${bundlePath} (${statSync(bundlePath).size} bytes; policy.wasm ${compiled.wasm.length} bytes, ` +
        `${sources.length} policy files, ${Object.keys(tenants).length} tenants) and decided ` +
        `${decided.length} requests on it (${decided.filter((d) => d.decision.allow).length} allowed) ` +
        `in ${Math.round(performance.now() - started)} ms.\n`,
    );
    io.stdout(renderTable(pickSamples(decided), tenants));
    return 0;
  },
};

/** For every bare rule ID among the reasons, the first allowed and the first denied request. */
function pickSamples(decided: readonly Sample[]): Sample[] {
  const chosen = new Map<string, Sample>();
  for (const s of decided) {
    for (const reason of s.decision.reasons) {
      if (reason.includes(":")) continue;
      const key = `${reason}\u0000${s.decision.allow}`;
      if (!chosen.has(key)) chosen.set(key, s);
    }
  }
  const seen = new Set<string>();
  return [...chosen.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([, s]) => s)
    .filter((s) => {
      const id = requestId(s.request);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}

function renderTable(
  samples: readonly Sample[],
  tenants: Record<string, Record<string, unknown>>,
): string {
  const roleOf = (tenant: string, user: string): string => {
    const users = tenants[tenant]?.["users"] as Record<string, { role?: string }> | undefined;
    return users?.[user]?.role ?? "?";
  };
  const rows = samples.map(({ request: r, decision: d }) => [
    r.tenant,
    `${r.user} (${roleOf(r.tenant, r.user)})`,
    r.action,
    r.resource === undefined
      ? ""
      : `${r.resource.type}:${r.resource.id}${r.resource.role ? `→${r.resource.role}` : ""}`,
    d.allow ? "ALLOW" : "deny",
    d.reasons.join(", "),
  ]);
  const header = ["tenant", "who", "action", "resource", "decision", "why (rule IDs)"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
