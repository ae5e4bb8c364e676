// Translates the tenant data into a casbin policy for bench/casbin/model.conf (RBAC with
// domains = tenants), and a decision request into a casbin request.
//
// casbin matches subjects, objects and actions; it has no attributes or conditions beyond
// its matcher. So the translator precomputes, per tenant, everything that depends on data:
// - role links: user → its role ("role:<base or custom role>"), roles → "group:admin_rights"
//   (owner, admin) and "group:agent_rights" (owner, admin, supervisor, agent) — X-4;
// - membership roles: "agents_of:<type>:<id>" for every queue agent and ring-group member
//   (any role, GG-1/ORG-1/AGT-4), "supervisors_of:queue:<id>" for the queue's supervisors
//   whose base role is supervisor (GS-1..GS-3, SUP-3, SUP-4);
// - object groups (g2): "<t>:any" (every object of the tenant, the tenant included),
//   "<t>:queues", "<t>:users", "<t>:non_owner_users", "<t>:agent_like_users" (role agent or
//   a custom role), "<t>:custom_roles";
// - role-name groups (g3) for role.assign: "<t>:assignable", "<t>:assignable_non_owner",
//   "<t>:agent_like_assignable";
// - settings with the catalog's defaults applied: a setting-dependent grant is emitted only
//   when the setting (and SUP-1 for SUP-4..SUP-8) is on, and with SUP-2 off the supervisor
//   grants go to every queue instead of the supervised ones;
// - queue attributes: AGT-4 lines only for call queues with a wrap-up time;
// - custom roles: only on large/enterprise plans (CR-1), and only their effective permissions
//   (CP-4 needs CP-3, CP-5 needs CP-1, kb.manage ⊇ kb.write ⊇ kb.view); CR-6 is a line
//   emitted only while the tenant has fewer than three custom roles.
// The role tables of the catalog (which role holds which action) are static lines per tenant.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { newEnforcer, newModelFromString, StringAdapter, type Enforcer } from "casbin";
import type { DecisionRequest } from "../../src/host/authorizer.js";

export const CASBIN_MODEL = readFileSync(
  fileURLToPath(new URL("./model.conf", import.meta.url)),
  "utf8",
);

interface TenantDoc {
  plan?: string;
  settings?: Record<string, Record<string, unknown> | undefined>;
  custom_roles?: Record<string, { permissions?: string[] }>;
  users?: Record<string, { role: string }>;
  queues?: Record<
    string,
    { kind?: string; wrap_up_seconds?: number; agents?: string[]; supervisors?: string[] }
  >;
  ring_groups?: Record<string, { members?: string[] }>;
}

const BASE_ROLES = ["owner", "admin", "supervisor", "agent", "test"];

/** Catalog defaults (docs/data.md), applied by the translator. */
const DEFAULTS: Record<string, Record<string, boolean>> = {
  organization: { agents_can_log_in_to_unassigned_queues: false },
  supervisor: {
    configuration_portal_access: false,
    limit_to_assigned_queues: true,
    manage_queue_settings: false,
    view_pause_reasons: false,
    manage_pause_reasons: false,
    view_skills: false,
    manage_skills: false,
  },
  agent: {
    manage_recorded_messages: false,
    manage_public_canned_messages: false,
    create_custom_tags: false,
    call_disposition: false,
  },
};

const ADMIN_ANYWHERE = [
  "config_portal.access",
  "license.assign",
  "analytics.view",
  "permissions.manage",
  "reports.all.view",
  "settings.configure",
  "agent_status.manage",
  "telephony.view",
  "telephony.edit",
  "devices.manage",
  "rankings.view",
  "kb.manage",
  "tickets.email.manage",
  "pause_reasons.view",
  "pause_reasons.manage",
  "skills.view",
  "skills.manage",
];
const ADMIN_ON_QUEUES = [
  "queue.members.assign",
  "queue.settings.view",
  "queue.settings.manage",
  "reports.historical.view",
];
const AGENT_RIGHTS = [
  "tickets.view",
  "tickets.reply",
  "tickets.manage",
  "chats.pickup",
  "calls.pickup",
  "kb.view",
  "kb.write",
  "contacts.manage",
  "canned_messages.own.manage",
  "profile.own.manage",
  "reports.own.view",
  "call.direct.accept",
  "call.outbound.make",
];
const TEST_RIGHTS = ["tickets.view", "kb.view", "reports.own.view"];
const SUPERVISOR_SCOPED = [
  "queue.monitor",
  "call.listen",
  "call.whisper",
  "call.barge",
  "reports.historical.view",
  "queue.settings.view",
];
const AGENT_PANEL: [string, string][] = [
  ["recorded_messages.manage", "manage_recorded_messages"],
  ["canned_messages.public.manage", "manage_public_canned_messages"],
  ["tags.create", "create_custom_tags"],
];
/** Custom-role permissions that take effect only together with another one (CP-4, CP-5). */
const NEEDS: Record<string, string> = {
  "telephony.edit": "telephony.view",
  "devices.manage": "agents.manage",
};

function setting(doc: TenantDoc, section: string, name: string): boolean {
  const value = doc.settings?.[section]?.[name];
  return value === undefined ? DEFAULTS[section]![name]! : value === true;
}

/** The actions a custom role's permission list makes effective (agents.manage aside). */
export function effectivePermissions(listed: readonly string[]): string[] {
  const has = new Set(listed);
  const out = new Set<string>();
  for (const p of has) {
    if (p === "agents.manage") continue;
    const needed = NEEDS[p];
    if (needed === undefined || has.has(needed)) out.add(p);
  }
  if (has.has("kb.manage")) out.add("kb.write");
  if (has.has("kb.write") || has.has("kb.manage")) out.add("kb.view");
  return [...out].sort();
}

/** The policy as casbin CSV lines (p, g, g2, g3). */
export function policyLines(tenants: Record<string, TenantDoc>): string[] {
  const lines: string[] = [];
  for (const [t, doc] of Object.entries(tenants).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(...tenantLines(t, doc));
  }
  return lines;
}

function tenantLines(t: string, doc: TenantDoc): string[] {
  const out: string[] = [];
  const p = (sub: string, obj: string, act: string, arg = "*") =>
    out.push(`p, ${sub}, ${t}, ${obj}, ${act}, ${arg}`);
  const g = (member: string, group: string) => out.push(`g, ${member}, ${group}, ${t}`);
  const g2 = (obj: string, group: string) => out.push(`g2, ${obj}, ${t}:${group}`);
  const g3 = (role: string, group: string) => out.push(`g3, ${t}:${role}, ${t}:${group}`);
  const customAvailable = doc.plan === "large" || doc.plan === "enterprise";
  const customRoles = Object.keys(doc.custom_roles ?? {});
  const users = doc.users ?? {};
  const queues = doc.queues ?? {};

  // X-4 role order.
  for (const r of ["owner", "admin"]) g(`role:${r}`, "group:admin_rights");
  for (const r of ["owner", "admin", "supervisor", "agent"]) g(`role:${r}`, "group:agent_rights");
  for (const [id, u] of Object.entries(users)) g(`user:${id}`, `role:${u.role}`);

  // Objects and their groups.
  g2(`${t}:tenant`, "any");
  const userObjects = Object.entries(users).map(([id, u]) => [`${t}:user:${id}`, u.role] as const);
  for (const [obj, role] of userObjects) {
    g2(obj, "any");
    g2(obj, "users");
    if (role !== "owner") g2(obj, "non_owner_users");
    if (role === "agent" || customRoles.includes(role)) g2(obj, "agent_like_users");
  }
  for (const id of customRoles) {
    g2(`${t}:custom_role:${id}`, "any");
    g2(`${t}:custom_role:${id}`, "custom_roles");
  }
  for (const id of Object.keys(doc.ring_groups ?? {})) g2(`${t}:ring_group:${id}`, "any");
  for (const id of Object.keys(queues)) {
    g2(`${t}:queue:${id}`, "any");
    g2(`${t}:queue:${id}`, "queues");
  }

  // Static role tables.
  for (const a of ADMIN_ANYWHERE) p("group:admin_rights", `${t}:any`, a);
  for (const a of ADMIN_ON_QUEUES) p("group:admin_rights", `${t}:queues`, a);
  p("role:owner", `${t}:any`, "billing.manage");
  p("role:owner", `${t}:users`, "agents.manage");
  p("role:admin", `${t}:non_owner_users`, "agents.manage");
  for (const a of AGENT_RIGHTS) p("group:agent_rights", `${t}:any`, a);
  for (const a of TEST_RIGHTS) p("role:test", `${t}:any`, a);
  p("role:supervisor", `${t}:any`, "analytics.view");

  // Membership (GG-1, ORG-1, AGT-4) and supervision (SUP-2 scope).
  const dispositionOn = setting(doc, "agent", "call_disposition");
  for (const [id, q] of Object.entries(queues)) {
    const agents = `agents_of:queue:${id}`;
    for (const u of q.agents ?? []) g(`user:${u}`, agents);
    p(agents, `${t}:queue:${id}`, "queue.calls.handle");
    p(agents, `${t}:queue:${id}`, "queue.login");
    if (dispositionOn && q.kind === "call" && (q.wrap_up_seconds ?? 0) > 0) {
      p(agents, `${t}:queue:${id}`, "call.disposition.set");
    }
    const supervisors = `supervisors_of:queue:${id}`;
    for (const u of q.supervisors ?? []) {
      if (users[u]?.role === "supervisor") g(`user:${u}`, supervisors);
    }
  }
  for (const [id, rg] of Object.entries(doc.ring_groups ?? {})) {
    const members = `agents_of:ring_group:${id}`;
    for (const u of rg.members ?? []) g(`user:${u}`, members);
    p(members, `${t}:ring_group:${id}`, "queue.calls.handle");
  }

  // Settings.
  if (setting(doc, "organization", "agents_can_log_in_to_unassigned_queues")) {
    p("group:agent_rights", `${t}:queues`, "queue.login");
  }
  for (const [action, name] of AGENT_PANEL) {
    if (setting(doc, "agent", name)) p("group:agent_rights", `${t}:any`, action);
  }
  const portal = setting(doc, "supervisor", "configuration_portal_access");
  const scoped: string[] = [...SUPERVISOR_SCOPED];
  if (portal && setting(doc, "supervisor", "manage_queue_settings")) {
    scoped.push("queue.settings.manage");
  }
  const unlimited = !setting(doc, "supervisor", "limit_to_assigned_queues");
  for (const a of scoped) {
    if (unlimited) p("role:supervisor", `${t}:queues`, a);
    for (const id of Object.keys(queues)) p(`supervisors_of:queue:${id}`, `${t}:queue:${id}`, a);
  }
  if (portal) {
    p("role:supervisor", `${t}:any`, "config_portal.access");
    const viewPause = setting(doc, "supervisor", "view_pause_reasons");
    const managePause = setting(doc, "supervisor", "manage_pause_reasons");
    const viewSkills = setting(doc, "supervisor", "view_skills");
    const manageSkills = setting(doc, "supervisor", "manage_skills");
    if (viewPause || managePause) p("role:supervisor", `${t}:any`, "pause_reasons.view");
    if (managePause) p("role:supervisor", `${t}:any`, "pause_reasons.manage");
    if (viewSkills || manageSkills) p("role:supervisor", `${t}:any`, "skills.view");
    if (manageSkills) p("role:supervisor", `${t}:any`, "skills.manage");
  }

  // Custom roles (CR-1..CR-6, CP-*) and role assignment (CR-5).
  const assignable = [...BASE_ROLES, ...(customAvailable ? customRoles : [])];
  for (const r of assignable) {
    g3(r, "assignable");
    if (r !== "owner") g3(r, "assignable_non_owner");
    if (r === "agent" || (customAvailable && customRoles.includes(r))) {
      g3(r, "agent_like_assignable");
    }
  }
  p("role:owner", `${t}:users`, "role.assign", `${t}:assignable`);
  p("role:admin", `${t}:non_owner_users`, "role.assign", `${t}:assignable_non_owner`);
  if (customAvailable) {
    if (customRoles.length < 3) p("group:admin_rights", `${t}:any`, "custom_roles.create");
    p("group:admin_rights", `${t}:custom_roles`, "custom_roles.edit");
    p("group:admin_rights", `${t}:custom_roles`, "custom_roles.delete");
    for (const [id, role] of Object.entries(doc.custom_roles ?? {})) {
      const listed = role.permissions ?? [];
      for (const a of effectivePermissions(listed)) p(`role:${id}`, `${t}:any`, a);
      if (listed.includes("agents.manage")) {
        p(`role:${id}`, `${t}:agent_like_users`, "agents.manage");
        p(`role:${id}`, `${t}:agent_like_users`, "role.assign", `${t}:agent_like_assignable`);
      }
    }
  }
  return out;
}

/** A casbin enforcer over one data set. */
export class CasbinEngine {
  private constructor(
    private readonly enforcer: Enforcer,
    readonly lines: number,
  ) {}

  static async create(tenants: Record<string, TenantDoc>): Promise<CasbinEngine> {
    const lines = policyLines(tenants);
    const enforcer = await newEnforcer(
      newModelFromString(CASBIN_MODEL),
      new StringAdapter(lines.join("\n")),
    );
    return new CasbinEngine(enforcer, lines.length);
  }

  authorize(request: DecisionRequest): boolean {
    const res = request.resource;
    const obj =
      res === undefined
        ? `${request.tenant}:tenant`
        : `${res.tenant ?? request.tenant}:${res.type}:${res.id}`;
    const arg = res?.role === undefined ? "" : `${request.tenant}:${res.role}`;
    return this.enforcer.enforceSync(
      `user:${request.user}`,
      request.tenant,
      obj,
      request.action,
      arg,
    );
  }
}
