# LiveAgent custom roles (seed 003): who manages them (CR-1, CR-2, CR-4, CR-6), what a user
# holding one may do (CR-3 with the permission list CP-1..CP-8 and the agent defaults
# LR-1), and role assignment (CR-5).
package ccpol.custom_roles

import data.ccpol.common
import data.ccpol.cross_cutting

# ------------------------------------------------------------------ using a custom role

# The permissions the user's custom role lists.
listed contains permission if {
	common.is_custom
	some permission in object.get(common.custom_role, "permissions", [])
}

# The listed permissions that cover the requested action: the action itself, or a
# permission that implies it (kb.write implies kb.view).
covering contains input.action if input.action in listed

covering contains permission if {
	some permission in common.implied_by[input.action]
	permission in listed
}

# Permissions that take effect only together with another one, or only on some targets.
conditional := {"telephony.edit", "devices.manage", "agents.manage"}

effective contains permission if {
	some permission in covering
	not permission in conditional
}

# METADATA
# title: CP-4 telephony.edit only together with telephony.view (CP-3)
# custom:
#   rule_ids: [CP-4, CP-3]
#   source: vendor
effective contains "telephony.edit" if {
	"telephony.edit" in covering
	"telephony.view" in listed
}

limits contains "CP-4" if {
	"telephony.edit" in covering
	not "telephony.view" in listed
}

# METADATA
# title: CP-5 devices.manage only together with agents.manage (CP-1)
# custom:
#   rule_ids: [CP-5, CP-1]
#   source: vendor
effective contains "devices.manage" if {
	"devices.manage" in covering
	"agents.manage" in listed
}

limits contains "CP-5" if {
	"devices.manage" in covering
	not "agents.manage" in listed
}

# METADATA
# title: CP-1 agents.manage only over agents and custom roles
# description: Never over admin or owner accounts (nor supervisors or test users).
# custom:
#   rule_ids: [CP-1]
#   source: vendor
effective contains "agents.manage" if {
	"agents.manage" in covering
	agent_like(common.target_user.role)
}

limits contains "CP-1" if {
	"agents.manage" in covering
	common.target_user
	not agent_like(common.target_user.role)
}

# A role that CP-1 may manage and hand out: agent or one of the tenant's custom roles.
agent_like(role) if role == "agent"

agent_like(role) if {
	not role in common.base_roles
	common.tenant.custom_roles[role]
}

# METADATA
# title: CR-3 a custom role holds what it lists
# description: >-
#   The reasons name CR-3 and the rule describing each listed permission that allows the
#   action (LR-1 for an agent default, CP-n for a custom-role permission).
# custom:
#   rule_ids: [CR-3, LR-1, CP-1, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8]
#   source: seed
grants contains reason if {
	some permission in effective
	reasons := {"CR-3", common.custom_role_permissions[permission]}
	some reason in reasons
}

# METADATA
# title: CR-3 nothing that the custom role does not list
# description: Named with the rules that grant the action to other roles.
# custom:
#   rule_ids: [CR-3]
#   source: seed
limits contains reason if {
	common.is_custom
	not common.role_independent
	count(covering) == 0
	reasons := common.granting_rules[input.action] | {"CR-3"}
	some reason in reasons
}

# METADATA
# title: CR-1 a custom role on a plan without custom roles grants nothing
# custom:
#   rule_ids: [CR-1]
#   source: seed
limits contains reason if {
	common.is_custom_on_plan_without_custom_roles
	not common.role_independent
	reasons := common.granting_rules[input.action] | {"CR-1"}
	some reason in reasons
}

# ------------------------------------------------------------------ managing custom roles

# METADATA
# title: CR-6 at most three custom roles per tenant
# custom:
#   rule_ids: [CR-6]
#   source: vendor
max_custom_roles := 3

custom_role_count := count(object.get(common.tenant, "custom_roles", {}))

# METADATA
# title: CR-1, CR-2, CR-6 create a custom role
# description: Owners and admins, on large and enterprise plans, below three custom roles.
# custom:
#   rule_ids: [CR-1, CR-2, CR-6]
#   source: seed
grants contains reason if {
	input.action == "custom_roles.create"
	common.has_admin_rights
	common.custom_roles_available
	custom_role_count < max_custom_roles
	some reason in {"CR-1", "CR-2", "CR-6"}
}

# METADATA
# title: CR-1, CR-2, CR-3 edit (rename, change permissions) a custom role
# custom:
#   rule_ids: [CR-1, CR-2, CR-3]
#   source: seed
grants contains reason if {
	input.action == "custom_roles.edit"
	common.has_admin_rights
	common.custom_roles_available
	some reason in {"CR-1", "CR-2", "CR-3"}
}

# METADATA
# title: CR-1, CR-2, CR-4 delete a custom role (irreversible)
# custom:
#   rule_ids: [CR-1, CR-2, CR-4]
#   source: seed
grants contains reason if {
	input.action == "custom_roles.delete"
	common.has_admin_rights
	common.custom_roles_available
	some reason in {"CR-1", "CR-2", "CR-4"}
}

management_actions := {"custom_roles.create", "custom_roles.edit", "custom_roles.delete"}

# METADATA
# title: CR-1 no custom roles on small and medium plans
# custom:
#   rule_ids: [CR-1]
#   source: seed
limits contains "CR-1" if {
	input.action in management_actions
	not common.custom_roles_available
}

# METADATA
# title: CR-2 only owners and admins manage custom roles
# description: Whatever permissions a custom role lists.
# custom:
#   rule_ids: [CR-2]
#   source: seed
limits contains "CR-2" if {
	input.action in management_actions
	not common.has_admin_rights
}

# METADATA
# title: CR-6 a fourth custom role is denied
# custom:
#   rule_ids: [CR-6]
#   source: vendor
limits contains "CR-6" if {
	input.action == "custom_roles.create"
	custom_role_count >= max_custom_roles
}

# METADATA
# title: CR-4 a deleted custom role cannot be edited or deleted again
# description: >-
#   Deletion is irreversible: a custom role the tenant no longer defines is gone, and only a
#   new role can take its place. Vetoes the request together with X-3.
# custom:
#   rule_ids: [CR-4]
#   source: seed
denies contains "CR-4" if {
	input.action in {"custom_roles.edit", "custom_roles.delete"}
	input.resource.type == "custom_role"
	common.tenant
	not common.tenant.custom_roles[input.resource.id]
	not cross_cutting.resource_in_other_tenant
}

# ------------------------------------------------------------------ CR-5 role assignment

new_role := input.resource.role

# A role that exists for this tenant: a base role, or a custom role where the plan has them.
assignable(role) if role in common.base_roles

assignable(role) if {
	common.tenant.custom_roles[role]
	common.custom_roles_available
}

# METADATA
# title: CR-5 owners assign any role
# custom:
#   rule_ids: [CR-5]
#   source: vendor
grants contains "CR-5" if {
	input.action == "role.assign"
	common.is_owner
	common.target_user
	assignable(new_role)
}

# METADATA
# title: CR-5 admins assign any role below owner, to anyone but owners
# description: The admin role is obtained only from another admin or the owner.
# custom:
#   rule_ids: [CR-5]
#   source: seed
grants contains "CR-5" if {
	input.action == "role.assign"
	common.is_admin
	common.target_user.role != "owner"
	new_role != "owner"
	assignable(new_role)
}

# METADATA
# title: CR-5 with agents.manage (CP-1), agent or custom roles between agents and custom roles
# description: A custom role can never grant admin or owner.
# custom:
#   rule_ids: [CR-5, CP-1]
#   source: vendor
grants contains reason if {
	input.action == "role.assign"
	"agents.manage" in listed
	agent_like(common.target_user.role)
	agent_like(new_role)
	assignable(new_role)
	some reason in {"CP-1", "CR-5"}
}

# METADATA
# title: CR-5 every other role assignment is denied
# custom:
#   rule_ids: [CR-5]
#   source: vendor
limits contains "CR-5" if input.action == "role.assign"

# METADATA
# title: CR-1 custom roles cannot be assigned on a plan without them
# custom:
#   rule_ids: [CR-1]
#   source: seed
limits contains "CR-1" if {
	input.action == "role.assign"
	common.tenant.custom_roles[new_role]
	not common.custom_roles_available
}
