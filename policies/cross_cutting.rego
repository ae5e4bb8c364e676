# Cross-cutting vetoes: default deny for unknown actions (X-1), tenant isolation (X-2) and
# fail-closed handling of anything the data does not define (X-3). A veto overrides every
# grant. Each veto is a qualified reason "ID:detail"; ccpol.decision also reports the bare
# ID, so a reviewer can filter on "X-3" and still see which reference was unknown.
package ccpol.cross_cutting

import data.ccpol.common

# METADATA
# title: X-1 unknown action
# description: An action outside the catalog's vocabulary is denied and the decision says so.
# custom:
#   rule_ids: [X-1]
#   source: seed
denies contains "X-1:unknown-action" if not input.action in common.actions

# METADATA
# title: X-3 unknown tenant
# custom:
#   rule_ids: [X-3]
#   source: seed
denies contains "X-3:unknown-tenant" if not common.tenant

# METADATA
# title: X-2 user of another tenant
# description: >-
#   The acting user is not in the request's tenant but in another one: it gets nothing in
#   this tenant, whatever its role there.
# custom:
#   rule_ids: [X-2]
#   source: seed
denies contains "X-2:user-of-other-tenant" if {
	common.tenant
	not common.user
	user_in_other_tenant
}

# METADATA
# title: X-3 unknown user
# custom:
#   rule_ids: [X-3]
#   source: seed
denies contains "X-3:unknown-user" if {
	common.tenant
	not common.user
	not user_in_other_tenant
}

# METADATA
# title: X-3 unknown role
# description: >-
#   A user whose role is neither a base role nor a custom role of its tenant (for instance a
#   deleted custom role, CR-4) gets nothing.
# custom:
#   rule_ids: [X-3]
#   source: seed
denies contains "X-3:unknown-role" if {
	common.user
	not common.role_is_base
	not common.custom_role
}

# METADATA
# title: X-3 missing resource
# description: >-
#   An action that acts on a resource (a queue, ring group, user or custom role) is denied
#   when the request names none, or one of a type the action does not take.
# custom:
#   rule_ids: [X-3]
#   source: assumption
denies contains "X-3:missing-resource" if {
	accepted := common.resource_types[input.action]
	not input.resource.type in accepted
}

# METADATA
# title: X-3 unknown resource type
# custom:
#   rule_ids: [X-3]
#   source: assumption
denies contains "X-3:unknown-resource-type" if {
	input.resource
	not common.collections[input.resource.type]
}

# METADATA
# title: X-2 resource explicitly of another tenant
# description: The request names a resource together with a tenant other than its own.
# custom:
#   rule_ids: [X-2]
#   source: seed
denies contains "X-2:resource-of-other-tenant" if {
	input.resource.tenant != input.tenant
}

# METADATA
# title: X-2 resource found only in another tenant
# custom:
#   rule_ids: [X-2]
#   source: seed
denies contains "X-2:resource-of-other-tenant" if {
	common.tenant
	common.collections[input.resource.type]
	not resource_defined
	resource_in_other_tenant
}

# METADATA
# title: X-3 unknown resource
# description: A queue, ring group, user or custom role that no tenant defines grants nothing.
# custom:
#   rule_ids: [X-3]
#   source: seed
denies contains unknown_resource_reason[input.resource.type] if {
	common.tenant
	not resource_defined
	not resource_in_other_tenant
}

# METADATA
# title: X-3 unknown role in a role assignment
# description: role.assign must name a base role or a custom role of the tenant.
# custom:
#   rule_ids: [X-3]
#   source: seed
denies contains "X-3:unknown-role" if {
	input.action == "role.assign"
	common.tenant
	not assignable_role_defined
}

unknown_resource_reason := {
	"queue": "X-3:unknown-queue",
	"ring_group": "X-3:unknown-ring-group",
	"user": "X-3:unknown-target-user",
	"custom_role": "X-3:unknown-custom-role",
}

user_in_other_tenant if {
	some id, other in data.tenants
	id != input.tenant
	other.users[input.user]
}

resource_defined if common.tenant[common.collections[input.resource.type]][input.resource.id]

resource_in_other_tenant if {
	some id, other in data.tenants
	id != input.tenant
	other[common.collections[input.resource.type]][input.resource.id]
}

assignable_role_defined if input.resource.role in common.base_roles

assignable_role_defined if common.tenant.custom_roles[input.resource.role]
