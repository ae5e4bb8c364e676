import { parseArgs } from "node:util";
import { UsageError, type Command } from "../command.js";
import type { DecisionRequest } from "../../host/authorizer.js";
import { openWorkspace } from "../../host/workspace.js";
import type { AuthorizedDecision, Explanation } from "../../host/authorizer.js";

function renderExplanation(e: Explanation): string {
  const lines = [`rules that fired: ${e.ruleIds.join(", ") || "none"}`, "conditions that failed:"];
  for (const f of e.failed) lines.push(`  ${f.location}: ${f.condition}  # ${f.reason}`);
  return lines.join("\n");
}

const usage = `Usage: ccpol decide --tenant T --user U --action A [--resource type:id[:role]]
                    [--data DIR] [--policies PATH]... [--json] [--explain]

Compiles the policies (default policies/), loads the tenant data (default data/) and prints
the decision for one request with the catalog rule IDs behind it. Exit code 0 when
allowed, 3 when denied.

  --resource queue:q1            a queue, ring_group, user or custom_role
  --resource user:u7:supervisor  role.assign: the user and the role to give
  --explain                      also print the rules that fired and the conditions that
                                 failed, with their Rego locations`;

export function parseResource(text: string): NonNullable<DecisionRequest["resource"]> {
  const [type, id, role, ...rest] = text.split(":");
  if (type === undefined || id === undefined || id === "" || rest.length > 0) {
    throw new UsageError(`--resource must be type:id or type:id:role, got '${text}'`);
  }
  const kinds = ["queue", "ring_group", "user", "custom_role"];
  if (!kinds.includes(type))
    throw new UsageError(`unknown resource type '${type}' (one of ${kinds.join(", ")})`);
  const resource = { type: type as NonNullable<DecisionRequest["resource"]>["type"], id };
  return role === undefined ? resource : { ...resource, role };
}

export const decideCommand: Command = {
  name: "decide",
  summary: "decide one request on the compiled policies and the tenant data",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        tenant: { type: "string" },
        user: { type: "string" },
        action: { type: "string" },
        resource: { type: "string" },
        data: { type: "string", default: "data" },
        policies: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        explain: { type: "boolean", default: false },
      },
      strict: true,
    });
    const { tenant, user, action } = values;
    if (tenant === undefined || user === undefined || action === undefined) {
      throw new UsageError("--tenant, --user and --action are required");
    }
    const request: DecisionRequest = { tenant, user, action };
    if (values.resource !== undefined) request.resource = parseResource(values.resource);
    const { authorizer } = await openWorkspace({
      data: values.data,
      policies: values.policies,
    });
    const decision: AuthorizedDecision & { explanation?: Explanation } = values.explain
      ? authorizer.authorize(request, { explain: true })
      : authorizer.authorize(request);
    if (values.json) io.stdout(JSON.stringify(decision, null, 2));
    else {
      io.stdout(`${decision.allow ? "ALLOW" : "DENY"}  ${decision.reasons.join(", ")}`);
      if (decision.error !== undefined) io.stdout(`error: ${decision.error}`);
      if (decision.explanation !== undefined) io.stdout(renderExplanation(decision.explanation));
    }
    return decision.allow ? 0 : 3;
  },
};
