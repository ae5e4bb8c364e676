// The host API: a compiled bundle plus validated tenant data answer `authorize(request)`
// with `{allow, reasons}`. Evaluation runs on the Wasm module; data can be reloaded without
// recompiling. Every failure (invalid request, evaluation error, malformed result) is a
// deny with a reason: the host fails closed.
import type { Decision } from "../types/generated/decision.js";
import type { DecisionRequest } from "../types/generated/decision-request.js";
import { compileModules } from "../compiler/resolve.js";
import { createEvaluator, type Evaluator } from "../eval/evaluator.js";
import { explainDecision } from "../eval/explain.js";
import { BUILTINS, getBuiltin } from "../builtins/index.js";
import type { RegoSource } from "../rego/sources.js";
import { decisionRequestErrors } from "./validate.js";
import { WasmPolicy } from "./wasm-policy.js";

export type { Decision, DecisionRequest };

/** The decision entrypoint of the contact-center policies. */
export const DECISION_ENTRYPOINT = "ccpol/decision/decision";

/** Reasons the host itself gives when it fails closed (the bare ID comes with them). */
export const HOST_REASONS = {
  invalidRequest: "X-1:invalid-request",
  evaluationError: "X-1:evaluation-error",
} as const;

export interface PolicyBundle {
  wasm: Uint8Array;
  /** The Rego the module was compiled from: needed only for explanations. */
  sources?: readonly RegoSource[];
  /** Base data shipped in the bundle (merged under the tenant data). */
  data?: Record<string, unknown>;
}

export interface AuthorizerOptions {
  bundle: PolicyBundle;
  /** Tenant data as the policy reads it (the output of `loadData`). */
  data: Record<string, unknown>;
  entrypoint?: string;
  /**
   * Memoise decisions per request until the data changes. Decisions are a pure function
   * of (policy, data, request), so this is exact; it is switched off automatically when
   * the module uses a non-deterministic builtin (time, uuid, rand).
   */
  cache?: boolean;
}

export interface AuthorizedDecision extends Decision {
  /** Present when the host failed closed: what went wrong. */
  error?: string;
}

// A failed test of the request's action belongs to a rule about another action: it is no
// reason for this decision, and listing every such rule would bury the real ones.
const ACTION_GUARD = /^input\.action (==|in) /;

/** Why a decision came out as it did, from the reference evaluator's trace. */
export interface Explanation {
  /** Catalog IDs of the rules whose body succeeded. */
  ruleIds: string[];
  /** Conditions that failed in the rules that were tried, with their Rego location. */
  failed: { rule: string; condition: string; location: string; reason: string }[];
}

export interface ExplainedDecision extends AuthorizedDecision {
  explanation: Explanation;
}

export interface Authorizer {
  authorize(request: unknown): AuthorizedDecision;
  /**
   * The Wasm decision plus its explanation from the reference evaluator (which runs the
   * same Rego). Needs the bundle's sources.
   */
  authorize(request: unknown, options: { explain: true }): ExplainedDecision;
  authorizeMany(requests: readonly unknown[]): AuthorizedDecision[];
  /** Replaces the tenant data; the compiled module is kept. */
  reloadData(data: Record<string, unknown>): void;
  readonly policy: WasmPolicy;
}

export async function createAuthorizer(options: AuthorizerOptions): Promise<Authorizer> {
  const policy = await WasmPolicy.load(options.bundle.wasm);
  const entrypoint = policy.entrypointId(options.entrypoint ?? DECISION_ENTRYPOINT);
  const deterministic = policy.builtinNames.every(
    (n) => BUILTINS.get(n)?.nondeterministic !== true,
  );
  const cache =
    options.cache !== false && deterministic ? new Map<string, AuthorizedDecision>() : undefined;

  const load = (data: Record<string, unknown>) => {
    policy.setData({ ...options.bundle.data, ...data });
    cache?.clear();
  };
  load(options.data);

  const evaluate = (request: unknown): AuthorizedDecision => {
    const problems = decisionRequestErrors(request);
    if (problems.length > 0) {
      return denied(HOST_REASONS.invalidRequest, `invalid request: ${problems.join("; ")}`);
    }
    try {
      return decisionFrom(policy.evaluate(entrypoint, request));
    } catch (err) {
      return denied(HOST_REASONS.evaluationError, err instanceof Error ? err.message : String(err));
    }
  };

  const authorize = (request: unknown): AuthorizedDecision => {
    const key = cache === undefined ? undefined : requestKey(request);
    if (key === undefined) return evaluate(request);
    let decision = cache!.get(key);
    if (decision === undefined) {
      decision = evaluate(request);
      cache!.set(key, decision);
    }
    return decision;
  };

  let explainer: Evaluator | undefined;
  let currentData = options.data;
  const explain = (request: unknown): ExplainedDecision => {
    const decision = evaluate(request);
    if (options.bundle.sources === undefined) {
      throw new Error("explanations need the policy sources in the bundle");
    }
    explainer ??= createEvaluator(compileModules(options.bundle.sources), {
      data: { ...options.bundle.data, ...currentData },
      builtins: getBuiltin,
    });
    const e = explainDecision(
      explainer,
      (options.entrypoint ?? DECISION_ENTRYPOINT).split("/"),
      request,
    );
    return {
      ...decision,
      explanation: {
        ruleIds: [...e.ruleIds].sort(),
        failed: e.failed
          .filter((f) => !ACTION_GUARD.test(f.text))
          .map((f) => ({
            rule: f.rule,
            condition: f.text,
            location: `${f.location.file}:${f.location.line}:${f.location.col}`,
            reason: f.reason,
          })),
      },
    };
  };

  return {
    authorize: ((request: unknown, opts?: { explain?: boolean }) =>
      opts?.explain === true ? explain(request) : authorize(request)) as Authorizer["authorize"],
    authorizeMany: (requests) => requests.map((r) => authorize(r)),
    reloadData: (data) => {
      currentData = data;
      explainer = undefined;
      load(data);
    },
    policy,
  };
}

function denied(reason: string, error: string): AuthorizedDecision {
  return { allow: false, reasons: [reason.split(":")[0]!, reason].sort(), error };
}

function decisionFrom(resultSet: { result: unknown }[]): AuthorizedDecision {
  const result = resultSet[0]?.result;
  if (resultSet.length !== 1 || !isDecision(result)) {
    return denied(
      HOST_REASONS.evaluationError,
      `the policy returned no decision: ${JSON.stringify(resultSet)}`,
    );
  }
  return { allow: result.allow, reasons: result.reasons };
}

function isDecision(v: unknown): v is Decision {
  if (typeof v !== "object" || v === null) return false;
  const d = v as Record<string, unknown>;
  return (
    typeof d.allow === "boolean" &&
    Array.isArray(d.reasons) &&
    d.reasons.every((r) => typeof r === "string")
  );
}

const REQUEST_KEYS = new Set(["tenant", "user", "action", "resource"]);
const RESOURCE_KEYS = new Set(["type", "id", "tenant", "role"]);

/**
 * A cache key for a request whose fields are all known and all strings, or undefined (no
 * caching) for anything else: odd requests take the validating path every time, so the
 * cache never answers a request that validation would reject.
 */
function requestKey(request: unknown): string | undefined {
  if (!hasOnlyStringFields(request, REQUEST_KEYS, "resource")) return undefined;
  const { tenant, user, action, resource } = request;
  if (tenant === undefined || user === undefined || action === undefined) return undefined;
  const head = `${tenant}\u0000${user}\u0000${action}`;
  if (!("resource" in request)) return head;
  if (!hasOnlyStringFields(resource, RESOURCE_KEYS)) return undefined;
  if (resource.type === undefined || resource.id === undefined) return undefined;
  return `${head}\u0000${resource.type}\u0000${resource.id}\u0000${resource.tenant ?? ""}\u0000${resource.role ?? ""}`;
}

function hasOnlyStringFields(
  v: unknown,
  allowed: ReadonlySet<string>,
  nested?: string,
): v is Record<string, string | undefined> & { resource?: unknown } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return Object.keys(r).every((k) => allowed.has(k) && (k === nested || typeof r[k] === "string"));
}
