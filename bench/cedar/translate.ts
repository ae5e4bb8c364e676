// Translates the tenant data (data/*.yaml as loaded by src/host/data.ts) into Cedar
// entities, and a decision request into a Cedar request with its entity slice.
//
// What the translator does, and nothing more (the rules themselves are in policies.cedar):
// - one entity per tenant, custom role, user, queue and ring group, with tenant-qualified
//   ids ("acme/gina") so that ids of different tenants never collide;
// - settings are copied verbatim (defaults are applied by the policies, with `has`);
// - Cedar has no set size, so the tenant's custom-role count is precomputed (CR-6);
// - a user's `customRole` reference is set when its role names a custom role of its tenant.
// Per request, the entities the request can reach (principal, its tenant and custom role,
// the resource and the resource's tenant) are passed: Cedar takes entities with every call.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { DecisionRequest } from "../../src/host/authorizer.js";

export const CEDAR_POLICIES = readFileSync(
  fileURLToPath(new URL("./policies.cedar", import.meta.url)),
  "utf8",
);
export const CEDAR_SCHEMA = readFileSync(
  fileURLToPath(new URL("./schema.cedarschema", import.meta.url)),
  "utf8",
);

type EntityJson = cedar.EntityJson;
type Uid = { type: string; id: string };

interface TenantDoc {
  plan?: string;
  settings?: Record<string, unknown>;
  custom_roles?: Record<string, { permissions?: string[] }>;
  users?: Record<string, { role: string }>;
  queues?: Record<
    string,
    { kind?: string; wrap_up_seconds?: number; agents?: string[]; supervisors?: string[] }
  >;
  ring_groups?: Record<string, { members?: string[] }>;
}

const BASE_ROLES = new Set(["owner", "admin", "supervisor", "agent", "test"]);

/** Request resource types → Cedar entity types; anything else has no entity (fail closed). */
const ENTITY_TYPES: Record<string, string> = {
  queue: "Queue",
  ring_group: "RingGroup",
  user: "User",
  custom_role: "CustomRole",
};

const ref = (type: string, id: string): { __entity: Uid } => ({ __entity: { type, id } });
const key = (uid: Uid): string => `${uid.type}::${uid.id}`;

/** Every entity of the data, by `Type::id`. */
export function buildEntities(tenants: Record<string, TenantDoc>): Map<string, EntityJson> {
  const out = new Map<string, EntityJson>();
  const add = (type: string, id: string, attrs: Record<string, unknown>): void => {
    out.set(`${type}::${id}`, {
      uid: { type, id },
      attrs: attrs as EntityJson["attrs"],
      parents: [],
    });
  };
  for (const [t, doc] of Object.entries(tenants)) {
    const tenant = ref("Tenant", t);
    const customRoles = Object.keys(doc.custom_roles ?? {});
    add("Tenant", t, {
      tenant,
      plan: doc.plan ?? "",
      settings: doc.settings ?? {},
      customRoles,
      customRoleCount: customRoles.length,
    });
    for (const [id, role] of Object.entries(doc.custom_roles ?? {})) {
      add("CustomRole", `${t}/${id}`, { tenant, permissions: role.permissions ?? [] });
    }
    for (const [id, user] of Object.entries(doc.users ?? {})) {
      const attrs: Record<string, unknown> = { tenant, role: user.role };
      if (!BASE_ROLES.has(user.role) && doc.custom_roles?.[user.role] !== undefined) {
        attrs.customRole = ref("CustomRole", `${t}/${user.role}`);
      }
      add("User", `${t}/${id}`, attrs);
    }
    const users = (ids: string[] | undefined) => (ids ?? []).map((u) => ref("User", `${t}/${u}`));
    for (const [id, q] of Object.entries(doc.queues ?? {})) {
      const attrs: Record<string, unknown> = {
        tenant,
        kind: q.kind ?? "",
        agents: users(q.agents),
        supervisors: users(q.supervisors),
      };
      if (q.wrap_up_seconds !== undefined) attrs.wrapUpSeconds = q.wrap_up_seconds;
      add("Queue", `${t}/${id}`, attrs);
    }
    for (const [id, g] of Object.entries(doc.ring_groups ?? {})) {
      add("RingGroup", `${t}/${id}`, { tenant, members: users(g.members) });
    }
  }
  return out;
}

/** A Cedar engine over one data set: policies preparsed once, entities built once. */
export class CedarEngine {
  private readonly entities: Map<string, EntityJson>;
  private static nextId = 0;
  private readonly policySetId: string;

  constructor(tenants: Record<string, TenantDoc>) {
    this.entities = buildEntities(tenants);
    this.policySetId = `ccpol-${CedarEngine.nextId++}`;
    const parsed = cedar.preparsePolicySet(this.policySetId, { staticPolicies: CEDAR_POLICIES });
    if (parsed.type !== "success") {
      throw new Error(`Cedar policies: ${parsed.errors.map((e) => e.message).join("; ")}`);
    }
  }

  /** Validates the policy set against the schema (strict mode); returns the errors. */
  static validate(): string[] {
    const answer = cedar.validate({
      schema: CEDAR_SCHEMA,
      policies: { staticPolicies: CEDAR_POLICIES },
      validationSettings: { mode: "strict" },
    });
    if (answer.type === "failure") return answer.errors.map((e) => e.message);
    return answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
  }

  /** Validates every generated entity against the schema; returns the errors. */
  validateEntities(): string[] {
    const answer = cedar.checkParseEntities({
      entities: [...this.entities.values()],
      schema: CEDAR_SCHEMA,
    });
    return answer.type === "success" ? [] : answer.errors.map((e) => e.message);
  }

  authorize(request: DecisionRequest): boolean {
    const principal = { type: "User", id: `${request.tenant}/${request.user}` };
    const res = request.resource;
    const resource =
      res === undefined
        ? { type: "Tenant", id: request.tenant }
        : {
            type: ENTITY_TYPES[res.type] ?? "Unknown",
            id: `${res.tenant ?? request.tenant}/${res.id}`,
          };
    const answer = cedar.statefulIsAuthorized({
      principal,
      action: { type: "Action", id: request.action },
      resource,
      context: res?.role === undefined ? {} : { newRole: res.role },
      preparsedPolicySetId: this.policySetId,
      entities: this.slice(principal, resource),
    });
    if (answer.type !== "success") {
      throw new Error(`Cedar: ${answer.errors.map((e) => e.message).join("; ")}`);
    }
    return answer.response.decision === "allow";
  }

  /** The entities a request can reach: principal, tenants, custom role, resource. */
  private slice(principal: Uid, resource: Uid): EntityJson[] {
    const out: EntityJson[] = [];
    const seen = new Set<string>();
    const push = (uid: Uid | undefined): EntityJson | undefined => {
      if (uid === undefined || seen.has(key(uid))) return undefined;
      seen.add(key(uid));
      const e = this.entities.get(key(uid));
      if (e !== undefined) out.push(e);
      return e;
    };
    for (const uid of [principal, resource]) {
      const e = push(uid);
      const attrs = e?.attrs as Record<string, { __entity: Uid } | undefined> | undefined;
      push(attrs?.tenant?.__entity);
      push(attrs?.customRole?.__entity);
    }
    return out;
  }
}
