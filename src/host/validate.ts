// Validation of tenant data files (YAML) and of decision requests and decisions (JSON).
//
// A tenant file goes through three stages, each reporting every problem it finds with the
// file, line and column of the offending YAML node:
//   1. YAML syntax (including duplicate keys), size and nesting limits;
//   2. the JSON Schema (schemas/tenant.schema.json, ajv with allErrors);
//   3. the semantic rules the schema cannot express ("What validation must reject" in the
//      permission catalog): SUP-3 turned off, custom roles on a plan without them or more
//      than three, unknown or admin-only permissions, unknown roles and members.
// Values are rebuilt from the YAML tree into null-prototype objects, and keys such as
// `__proto__` or `constructor` are rejected, so no data file can reach Object.prototype.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from "yaml";
import decisionRequestSchema from "../../schemas/decision-request.schema.json" with { type: "json" };
import decisionSchema from "../../schemas/decision.schema.json" with { type: "json" };
import tenantSchema from "../../schemas/tenant.schema.json" with { type: "json" };
import { diagnostic, type Diagnostic, type SourcePosition } from "../diagnostics/diagnostic.js";
import type { Decision } from "../types/generated/decision.js";
import type { DecisionRequest } from "../types/generated/decision-request.js";
import type { Settings, Tenant } from "../types/generated/tenant.js";

/** Files larger than this are rejected before parsing. */
export const MAX_FILE_BYTES = 1 << 20;
/** Deeper YAML nesting is rejected (tenant files need 5 levels). */
export const MAX_DEPTH = 32;
/** Keys that could reach an object's prototype chain in JavaScript consumers. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

export const BASE_ROLES: readonly string[] = ["owner", "admin", "supervisor", "agent", "test"];
export const PLANS_WITH_CUSTOM_ROLES: readonly string[] = ["large", "enterprise"];
export const MAX_CUSTOM_ROLES = 3;

/**
 * What a custom role may list (CR-3): the agent defaults (LR-1) and the custom-role
 * permission list (CP-1..CP-8). Mirrors `custom_role_permissions` in policies/common.rego
 * (a test keeps the two equal).
 */
export const CUSTOM_ROLE_PERMISSIONS: Readonly<Record<string, string>> = {
  "tickets.view": "LR-1",
  "tickets.reply": "LR-1",
  "tickets.manage": "LR-1",
  "chats.pickup": "LR-1",
  "calls.pickup": "LR-1",
  "kb.write": "LR-1",
  "contacts.manage": "LR-1",
  "canned_messages.own.manage": "LR-1",
  "profile.own.manage": "LR-1",
  "reports.own.view": "LR-1",
  "agents.manage": "CP-1",
  "agent_status.manage": "CP-2",
  "telephony.view": "CP-3",
  "telephony.edit": "CP-4",
  "devices.manage": "CP-5",
  "rankings.view": "CP-6",
  "kb.manage": "CP-7",
  "tickets.email.manage": "CP-8",
};

/**
 * The default of every tenant setting, used when a tenant file omits it. Mirrors
 * `default_settings` in policies/common.rego (a test keeps the two equal).
 */
export const SETTING_DEFAULTS = {
  organization: { agents_can_log_in_to_unassigned_queues: false }, // ORG-1
  supervisor: {
    configuration_portal_access: false, // SUP-1
    limit_to_assigned_queues: true, // SUP-2
    view_queue_settings: true, // SUP-3, cannot be turned off
    manage_queue_settings: false, // SUP-4
    view_pause_reasons: false, // SUP-5
    manage_pause_reasons: false, // SUP-6
    view_skills: false, // SUP-7
    manage_skills: false, // SUP-8
  },
  agent: {
    manage_recorded_messages: false, // AGT-1
    manage_public_canned_messages: false, // AGT-2
    create_custom_tags: false, // AGT-3
    call_disposition: false, // AGT-4
  },
} as const satisfies Required<{ [S in keyof Settings]-?: Required<NonNullable<Settings[S]>> }>;

/** Rights only owners and admins hold; a custom role listing one is rejected. */
export const ADMIN_ONLY_PERMISSIONS: ReadonlySet<string> = new Set([
  "config_portal.access",
  "license.assign",
  "queue.members.assign",
  "permissions.manage",
  "reports.all.view",
  "settings.configure",
  "billing.manage",
  "custom_roles.create",
  "custom_roles.edit",
  "custom_roles.delete",
  "role.assign",
]);

export interface TenantFile {
  path: string;
  text: string;
}

/** Where a value sits in its file: the key (for map entries) and the value. */
interface NodePlace {
  key?: SourcePosition;
  value: SourcePosition;
}

/** A parsed file: its plain value and the source position of every JSON pointer in it. */
export interface ParsedYaml {
  value: unknown;
  places: Map<string, NodePlace>;
  diagnostics: Diagnostic[];
}

export interface TenantFileResult {
  /** Present only when the file has no diagnostics. */
  tenant?: Tenant;
  diagnostics: Diagnostic[];
  /** Position of the `tenant:` ID value, for cross-file messages. */
  idPosition?: SourcePosition;
}

// ---------------------------------------------------------------------------- YAML

function dataError(message: string, loc: SourcePosition): Diagnostic {
  return diagnostic("data_validation_error", message, loc);
}

function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

class YamlConverter {
  readonly places = new Map<string, NodePlace>();
  readonly diagnostics: Diagnostic[] = [];
  private tooDeepReported = false;

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  position(offset: number | undefined): SourcePosition {
    const { line, col } = this.lines.linePos(offset ?? 0);
    return { file: this.file, line, col };
  }

  nodePosition(node: YamlNode | null | undefined): SourcePosition {
    return this.position(node?.range?.[0]);
  }

  convert(node: YamlNode | null | undefined, path: string, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) return this.tooDeep(node);
    if (isAlias(node)) {
      this.diagnostics.push(
        dataError(
          `YAML aliases (*${node.source}) are not supported; write the value out`,
          this.nodePosition(node),
        ),
      );
      return null;
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return this.convertSeq(node.items as YamlNode[], path, depth);
    if (isMap(node)) return this.convertMap(node.items, path, depth);
    this.diagnostics.push(dataError("unsupported YAML node", this.nodePosition(node)));
    return null;
  }

  private tooDeep(node: YamlNode): null {
    if (!this.tooDeepReported) {
      this.tooDeepReported = true;
      this.diagnostics.push(
        dataError(`document is nested deeper than ${MAX_DEPTH} levels`, this.nodePosition(node)),
      );
    }
    return null;
  }

  private convertSeq(items: YamlNode[], path: string, depth: number): unknown[] {
    return items.map((item, i) => {
      const itemPath = pointer(path, i);
      this.places.set(itemPath, { value: this.nodePosition(item) });
      return this.convert(item, itemPath, depth + 1);
    });
  }

  private convertMap(
    pairs: { key: unknown; value: unknown }[],
    path: string,
    depth: number,
  ): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (const pair of pairs) {
      const keyNode = pair.key as YamlNode | null;
      const valueNode = pair.value as YamlNode | null;
      const keyPos = this.nodePosition(keyNode);
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== "string") {
        this.diagnostics.push(dataError("keys must be plain strings (quote the key)", keyPos));
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        this.diagnostics.push(dataError(`forbidden key '${key}'`, keyPos));
        continue;
      }
      const childPath = pointer(path, key);
      const valuePos = valueNode ? this.nodePosition(valueNode) : keyPos;
      this.places.set(childPath, { key: keyPos, value: valuePos });
      out[key] = this.convert(valueNode, childPath, depth + 1);
    }
    return out;
  }
}

function yamlErrorMessage(error: YAMLError, text: string): string {
  if (error.code === "DUPLICATE_KEY") {
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(error.pos[0]))?.[1];
    return key ? `duplicate key '${key.replace(/^["']|["']$/g, "")}'` : "duplicate key";
  }
  if (/Maximum call stack/.test(error.message)) {
    return `document is nested deeper than ${MAX_DEPTH} levels`;
  }
  return error.message.split("\n")[0] ?? error.message;
}

/**
 * Offset where flow brackets (`[`, `{`) outside quotes and comments nest deeper than twice
 * the limit, or -1. The YAML parser recurses per level, so a hostile file could exhaust
 * the stack (and time) before the converter's own depth check sees it.
 */
export function excessiveFlowNesting(text: string): number {
  let depth = 0;
  let quote = "";
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) comment = c !== "\n";
    else if (quote) quote = c === quote ? "" : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) comment = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth > 2 * MAX_DEPTH) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
    if (c === "\n") quote = "";
  }
  return -1;
}

/** Line and column (1-based) of a UTF-16 offset, for text the YAML parser has not seen. */
function positionAt(file: string, text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { file, line: before.split("\n").length, col: offset - lineStart + 1 };
}

/** Parses one YAML file into plain (null-prototype) values with source positions. */
export function parseYamlFile(file: TenantFile): ParsedYaml {
  const lines = new LineCounter();
  const converter = new YamlConverter(file.path, lines);
  const bytes = Buffer.byteLength(file.text, "utf8");
  const start = { file: file.path, line: 1, col: 1 };
  if (bytes > MAX_FILE_BYTES) {
    const message = `file is too large (${bytes} bytes; the limit is ${MAX_FILE_BYTES})`;
    return { value: null, places: converter.places, diagnostics: [dataError(message, start)] };
  }
  const tooDeepAt = excessiveFlowNesting(file.text);
  if (tooDeepAt >= 0) {
    const message = `document is nested deeper than ${MAX_DEPTH} levels`;
    const at = positionAt(file.path, file.text, tooDeepAt);
    return { value: null, places: converter.places, diagnostics: [dataError(message, at)] };
  }
  const doc: Document = parseDocument(file.text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    schema: "core",
    merge: false,
  });
  const problems = [...doc.errors, ...doc.warnings];
  const exhausted = problems.find((e) => e.code === "RESOURCE_EXHAUSTION");
  const diagnostics = problems.map((e) =>
    dataError(yamlErrorMessage(e, file.text), converter.position(e.pos[0])),
  );
  if (exhausted) {
    const only = dataError(
      yamlErrorMessage(exhausted, file.text),
      converter.position(exhausted.pos[0]),
    );
    return { value: null, places: converter.places, diagnostics: [only] };
  }
  if (diagnostics.length > 0) return { value: null, places: converter.places, diagnostics };
  converter.places.set("", { value: converter.nodePosition(doc.contents as YamlNode | null) });
  const value = converter.convert(doc.contents as YamlNode | null, "", 0);
  return { value, places: converter.places, diagnostics: converter.diagnostics };
}

// ---------------------------------------------------------------------------- schema

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validateTenantSchema: ValidateFunction = ajv.compile(tenantSchema);
const validateRequestSchema: ValidateFunction = ajv.compile(decisionRequestSchema);
const validateDecisionSchema: ValidateFunction = ajv.compile(decisionSchema);
// Every decision validates its request, and ajv's code-point count of each string
// (minLength/maxLength) costs most of that. Without surrogates, UTF-16 length is the
// code-point count, so this validator (no code-point counting, stopping at the first
// problem) decides exactly; the full one above decides otherwise and lists every problem.
// `unicode: false` is deprecated in ajv 8 (`logger: false` silences its notice).
const isValidBmpRequest: ValidateFunction = new Ajv({
  strict: true,
  unicode: false,
  logger: false,
} as ConstructorParameters<typeof Ajv>[0]).compile(decisionRequestSchema);

const SURROGATE = /[\ud800-\udfff]/;

function hasSurrogates(value: unknown): boolean {
  if (typeof value === "string") return SURROGATE.test(value);
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(hasSurrogates);
}

/** `/users/ana/role` → `users.ana.role`; the root is `tenant file`. */
function dotted(path: string): string {
  if (path === "") return "tenant file";
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => `'${String(v)}'`).join(", ");
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

const ID_HINT = "IDs use lower-case letters, digits, '.', '_' and '-'";

/** One readable message per ajv error, and the JSON pointer of the node to point at. */
function explainSchemaError(e: ErrorObject): { path: string; message: string } | undefined {
  const where = dotted(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(params["additionalProperty"]);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const what =
        e.instancePath === "/settings"
          ? "settings section"
          : e.instancePath.startsWith("/settings")
            ? "setting"
            : "property";
      return {
        path: pointer(e.instancePath, name),
        message: `${where}: unknown ${what} '${name}'; expected one of ${quoteList(known)}`,
      };
    }
    case "propertyNames":
      return undefined; // reported by the nested pattern error, which names the key
    case "pattern":
      if (e.propertyName !== undefined) {
        return {
          path: pointer(e.instancePath, e.propertyName),
          message: `${where}: invalid ID '${e.propertyName}'; ${ID_HINT}`,
        };
      }
      return {
        path: e.instancePath,
        message: `${where}: invalid ID '${String(e.data)}'; ${ID_HINT}`,
      };
    case "required":
      return {
        path: e.instancePath,
        message: `${where}: missing required property '${String(params["missingProperty"])}'`,
      };
    case "enum":
      return {
        path: e.instancePath,
        message: `${where}: '${String(e.data)}' is not one of ${quoteList(params["allowedValues"] as unknown[])}`,
      };
    case "type":
      return {
        path: e.instancePath,
        message: `${where}: expected ${String(params["type"])}, found ${describeType(e.data)}`,
      };
    case "uniqueItems": {
      const i = Number(params["i"]);
      const item = (e.data as unknown[])[i];
      return {
        path: pointer(e.instancePath, i),
        message: `${where}: duplicate entry '${String(item)}'`,
      };
    }
    default:
      return { path: e.instancePath, message: `${where}: ${e.message ?? "is invalid"}` };
  }
}

function placeOf(places: Map<string, NodePlace>, path: string, preferKey: boolean): SourcePosition {
  for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf("/")))) {
    const place = places.get(p);
    if (place) return preferKey && place.key && p === path ? place.key : place.value;
    if (p === "") break;
  }
  return places.get("")?.value ?? { file: "", line: 1, col: 1 };
}

function schemaDiagnostics(value: unknown, places: Map<string, NodePlace>): Diagnostic[] {
  if (validateTenantSchema(value)) return [];
  const out: Diagnostic[] = [];
  for (const error of validateTenantSchema.errors ?? []) {
    const explained = explainSchemaError(error);
    if (!explained) continue;
    const preferKey = error.keyword === "additionalProperties" || error.propertyName !== undefined;
    out.push(dataError(explained.message, placeOf(places, explained.path, preferKey)));
  }
  return out;
}

// ---------------------------------------------------------------------------- semantics

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

class SemanticChecker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly tenant: Rec,
    private readonly places: Map<string, NodePlace>,
  ) {}

  check(): Diagnostic[] {
    this.checkSup3();
    this.checkCustomRoles();
    this.checkUserRoles();
    this.checkMembers("queues", ["agents", "supervisors"]);
    this.checkMembers("ring_groups", ["members"]);
    return this.diagnostics;
  }

  private report(path: string, message: string, preferKey = false): void {
    this.diagnostics.push(dataError(message, placeOf(this.places, path, preferKey)));
  }

  private checkSup3(): void {
    const settings = this.tenant["settings"];
    const supervisor = isRecord(settings) ? settings["supervisor"] : undefined;
    if (isRecord(supervisor) && supervisor["view_queue_settings"] === false) {
      this.report(
        "/settings/supervisor/view_queue_settings",
        "settings.supervisor.view_queue_settings: SUP-3 cannot be turned off (supervisors always " +
          "view the settings of the queues they can access); remove the line or set it to true",
      );
    }
  }

  private checkCustomRoles(): void {
    const roles = entries(this.tenant["custom_roles"]);
    const plan = this.tenant["plan"];
    if (roles.length > 0 && typeof plan === "string" && !PLANS_WITH_CUSTOM_ROLES.includes(plan)) {
      this.report(
        "/custom_roles",
        `custom_roles: custom roles need the large or enterprise plan (CR-1); this tenant's plan is '${plan}'`,
        true,
      );
    }
    roles.forEach(([id, role], index) => {
      const path = pointer("/custom_roles", id);
      if (index === MAX_CUSTOM_ROLES) {
        this.report(
          path,
          `custom_roles.${id}: at most ${MAX_CUSTOM_ROLES} custom roles per tenant (CR-6); this tenant defines ${roles.length}`,
          true,
        );
      }
      if (BASE_ROLES.includes(id)) {
        this.report(
          path,
          `custom_roles.${id}: '${id}' is a base role; give the custom role another ID`,
          true,
        );
      }
      if (isRecord(role)) this.checkPermissions(id, path, role["permissions"]);
    });
  }

  private checkPermissions(roleId: string, rolePath: string, permissions: unknown): void {
    if (!Array.isArray(permissions)) return;
    permissions.forEach((permission, i) => {
      if (typeof permission !== "string" || permission in CUSTOM_ROLE_PERMISSIONS) return;
      const where = `custom_roles.${roleId}.permissions`;
      const message = ADMIN_ONLY_PERMISSIONS.has(permission)
        ? `${where}: '${permission}' is held only by owners and admins and cannot be given to a custom role`
        : `${where}: unknown permission '${permission}'; custom roles may list ${quoteList(Object.keys(CUSTOM_ROLE_PERMISSIONS))}`;
      this.report(pointer(pointer(rolePath, "permissions"), i), message);
    });
  }

  private checkUserRoles(): void {
    const customRoles = entries(this.tenant["custom_roles"]).map(([id]) => id);
    for (const [id, user] of entries(this.tenant["users"])) {
      const role = isRecord(user) ? user["role"] : undefined;
      if (typeof role !== "string" || !ID_PATTERN.test(role)) continue;
      if (BASE_ROLES.includes(role) || customRoles.includes(role)) continue;
      const customs =
        customRoles.length > 0
          ? ` or a custom role of this tenant (${quoteList(customRoles)})`
          : "";
      this.report(
        pointer(pointer("/users", id), "role"),
        `users.${id}.role: unknown role '${role}'; expected ${quoteList(BASE_ROLES)}${customs}`,
      );
    }
  }

  private checkMembers(collection: "queues" | "ring_groups", lists: readonly string[]): void {
    const users = this.tenant["users"];
    for (const [id, item] of entries(this.tenant[collection])) {
      if (!isRecord(item)) continue;
      for (const list of lists) {
        const members = item[list];
        if (!Array.isArray(members)) continue;
        members.forEach((member, i) => {
          if (typeof member !== "string" || !ID_PATTERN.test(member)) return;
          if (isRecord(users) && Object.hasOwn(users, member)) return;
          const singular = list === "members" ? "member" : list.slice(0, -1);
          this.report(
            pointer(pointer(pointer(`/${collection}`, id), list), i),
            `${collection}.${id}.${list}: unknown user '${member}' listed as ${singular}`,
          );
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------- entry points

/** Validates one tenant file: YAML, schema and semantic rules. */
export function validateTenantFile(file: TenantFile): TenantFileResult {
  const parsed = parseYamlFile(file);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  if (parsed.value === null || parsed.value === undefined) {
    return {
      diagnostics: [
        dataError("file is empty; expected a tenant", { file: file.path, line: 1, col: 1 }),
      ],
    };
  }
  const diagnostics = schemaDiagnostics(parsed.value, parsed.places);
  if (isRecord(parsed.value)) {
    diagnostics.push(...new SemanticChecker(parsed.value, parsed.places).check());
  }
  diagnostics.sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
  const idPosition = parsed.places.get("/tenant")?.value;
  if (diagnostics.length > 0) return { diagnostics, idPosition };
  return { tenant: parsed.value as Tenant, diagnostics, idPosition };
}

function schemaMessages(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`,
  );
}

/** Schema problems of a decision request (empty when valid). */
export function decisionRequestErrors(value: unknown): string[] {
  if (!hasSurrogates(value) && isValidBmpRequest(value)) return [];
  return schemaMessages(validateRequestSchema, value);
}

export function isDecisionRequest(value: unknown): value is DecisionRequest {
  return decisionRequestErrors(value).length === 0;
}

/** Schema problems of a decision (empty when valid). */
export function decisionErrors(value: unknown): string[] {
  return schemaMessages(validateDecisionSchema, value);
}

export function isDecision(value: unknown): value is Decision {
  return decisionErrors(value).length === 0;
}
