// The decision space of a data set: every tenant x user x action x applicable resource.
// The action vocabulary comes from the policy itself (`data.ccpol.common`), so a change
// that adds an action is reviewed with it.
import type { DecisionRequest } from "../host/authorizer.js";
import type { WasmPolicy } from "../host/wasm-policy.js";

export interface Vocabulary {
  actions: string[];
  /** Action → resource types it applies to; absent for tenant-wide actions. */
  resourceTypes: Record<string, string[]>;
  /** Resource type → the tenant collection holding such resources (`queue` → `queues`). */
  collections: Record<string, string>;
  /** Roles a user can be given besides the tenant's custom roles. */
  baseRoles: string[];
}

/** Policy documents the vocabulary is read from, as Wasm entrypoints. */
export const VOCABULARY_ENTRYPOINTS = {
  actions: "ccpol/common/actions",
  resourceTypes: "ccpol/common/resource_types",
  collections: "ccpol/common/collections",
  baseRoles: "ccpol/common/base_roles",
} as const;

type TenantDoc = Record<string, unknown>;

function idsOf(collection: unknown): string[] {
  return collection !== null && typeof collection === "object"
    ? Object.keys(collection).sort()
    : [];
}

/** Every request of the space, in a stable order. */
export function enumerateRequests(
  tenants: Readonly<Record<string, TenantDoc>>,
  vocabulary: Vocabulary,
): DecisionRequest[] {
  const requests: DecisionRequest[] = [];
  for (const tenant of Object.keys(tenants).sort()) {
    const doc = tenants[tenant]!;
    const roles = [...vocabulary.baseRoles, ...idsOf(doc["custom_roles"])];
    for (const user of idsOf(doc["users"])) {
      for (const action of vocabulary.actions) {
        const types = vocabulary.resourceTypes[action];
        if (types === undefined) {
          requests.push({ tenant, user, action });
          continue;
        }
        for (const type of types) {
          const collection = vocabulary.collections[type];
          for (const id of idsOf(collection === undefined ? undefined : doc[collection])) {
            const resource = { type: type as NonNullable<DecisionRequest["resource"]>["type"], id };
            if (action === "role.assign") {
              for (const role of roles)
                requests.push({ tenant, user, action, resource: { ...resource, role } });
            } else {
              requests.push({ tenant, user, action, resource });
            }
          }
        }
      }
    }
  }
  return requests;
}

/** A stable identity for a request, used to pair the two versions' decisions. */
export function requestId(r: DecisionRequest): string {
  const res = r.resource;
  const resource =
    res === undefined
      ? ""
      : ` ${res.type}:${res.id}${res.role === undefined ? "" : `→${res.role}`}`;
  return `${r.tenant}/${r.user} ${r.action}${resource}`;
}

/** Reads the vocabulary from a module compiled with the VOCABULARY_ENTRYPOINTS. */
export function readVocabulary(policy: WasmPolicy): Vocabulary {
  const read = (entrypoint: string): unknown => {
    const rs = policy.evaluate(entrypoint);
    if (rs.length !== 1) throw new Error(`the policy does not define ${entrypoint}`);
    return rs[0]!.result;
  };
  const resourceTypes = read(VOCABULARY_ENTRYPOINTS.resourceTypes) as Record<string, unknown>;
  return {
    actions: stringList(read(VOCABULARY_ENTRYPOINTS.actions)),
    resourceTypes: Object.fromEntries(
      Object.entries(resourceTypes).map(([action, types]) => [action, stringList(types)]),
    ),
    collections: read(VOCABULARY_ENTRYPOINTS.collections) as Record<string, string>,
    baseRoles: stringList(read(VOCABULARY_ENTRYPOINTS.baseRoles)),
  };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").sort() : [];
}
