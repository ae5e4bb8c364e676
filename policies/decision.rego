# The one decision entrypoint: data.ccpol.decision.decision.
#
# Input: {tenant, user, action, resource?} (schemas/decision-request.schema.json).
# Output: {"allow": bool, "reasons": [rule IDs]} (schemas/decision.schema.json), reasons
# sorted and without duplicates.
#
# Every concern package contributes three partial sets of reasons:
#   denies  vetoes that override everything (X-1 unknown action, X-2, X-3, CR-4);
#   grants  the rules that allow the request;
#   limits  the rules that explain why a request nothing allows is denied.
# The decision is allowed when there is no veto and at least one grant. Its reasons are the
# vetoes if any, else the grants if any, else the limits, else X-1 (default deny).
package ccpol.decision

import data.ccpol.admin
import data.ccpol.agent
import data.ccpol.cross_cutting
import data.ccpol.custom_roles
import data.ccpol.organization
import data.ccpol.predefined_roles
import data.ccpol.supervisor

vetoes := cross_cutting.denies | custom_roles.denies

grants := organization.grants | supervisor.grants | agent.grants | admin.grants | predefined_roles.grants | custom_roles.grants

limits := organization.limits | supervisor.limits | agent.limits | admin.limits | predefined_roles.limits | custom_roles.limits

# METADATA
# title: X-1 default deny
# description: Nothing is allowed unless a rule grants it and no veto applies.
# custom:
#   rule_ids: [X-1]
#   source: seed
default allow := false

allow if {
	count(vetoes) == 0
	count(grants) > 0
}

chosen := vetoes if count(vetoes) > 0

chosen := grants if {
	count(vetoes) == 0
	count(grants) > 0
}

chosen := limits if {
	count(vetoes) == 0
	count(grants) == 0
	count(limits) > 0
}

# METADATA
# title: X-1 nothing allows
# description: A known action that no rule allows and no rule explains is denied by X-1.
# custom:
#   rule_ids: [X-1]
#   source: seed
chosen := {"X-1"} if {
	count(vetoes) == 0
	count(grants) == 0
	count(limits) == 0
}

# A qualified reason "X-3:unknown-queue" is reported together with its bare ID "X-3".
reasons := chosen | {id | some reason in chosen; id := split(reason, ":")[0]}

# METADATA
# title: Contact-center decision
# description: >-
#   {allow, reasons} for a request {tenant, user, action, resource?}; the one entrypoint
#   the host evaluates.
# entrypoint: true
# custom:
#   rule_ids: [X-1, X-2, X-3]
#   source: seed
decision := {"allow": allow, "reasons": sort(reasons)}
