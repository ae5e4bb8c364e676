import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { CEDAR_POLICIES } from "./cedar/translate.js";
const time = (label: string, f: () => unknown, n = 3000) => {
  f(); const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0); console.log(label, ((c.user + c.system) / n).toFixed(1), "us cpu");
};
cedar.preparsePolicySet("a", { staticPolicies: CEDAR_POLICIES });
cedar.preparsePolicySet("b", { staticPolicies: 'permit(principal, action, resource) when { principal.role == "x" };' });
const call = (id: string, entities: any[]) => () => cedar.statefulIsAuthorized({ principal: { type: "User", id: "t/u" }, action: { type: "Action", id: "tickets.view" }, resource: { type: "Tenant", id: "t" }, context: {}, preparsedPolicySetId: id, entities });
const ents = [{ uid: { type: "User", id: "t/u" }, attrs: { tenant: { __entity: { type: "Tenant", id: "t" } }, role: "agent" }, parents: [] }, { uid: { type: "Tenant", id: "t" }, attrs: { tenant: { __entity: { type: "Tenant", id: "t" } }, plan: "large", settings: {}, customRoles: [], customRoleCount: 0 }, parents: [] }];
time("trivial policy, no entities", call("b", []));
time("trivial policy, 2 entities", call("b", ents));
time("ccpol policies, no entities", call("a", []));
time("ccpol policies, 2 entities", call("a", ents));

time("again trivial, no entities", call("b", [])); time("again ccpol 2 entities", call("a", ents));
