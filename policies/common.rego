# Shared lookups for every contact-center policy: the request's tenant, user, role and
# resource, the action vocabulary, tenant settings with their documented defaults, and the
# role-order helpers (X-4). Nothing here allows or denies on its own; the concern packages
# (organization, supervisor, agent, admin, predefined_roles, custom_roles) do, and
# ccpol.decision combines them.
package ccpol.common

# ------------------------------------------------------------------ action vocabulary

# Every action the catalog names. Anything else is denied by X-1 (see cross_cutting.rego).
actions := {
	# GoTo Connect: admin, supervisor, agent (GA-*, GS-*, GG-*)
	"config_portal.access",
	"license.assign",
	"queue.members.assign",
	"analytics.view",
	"queue.settings.view",
	"queue.settings.manage",
	"permissions.manage",
	"queue.monitor",
	"call.listen",
	"call.whisper",
	"call.barge",
	"reports.historical.view",
	"queue.calls.handle",
	"call.direct.accept",
	"call.outbound.make",
	# organization setting (ORG-1)
	"queue.login",
	# supervisor settings (SUP-5..SUP-8)
	"pause_reasons.view",
	"pause_reasons.manage",
	"skills.view",
	"skills.manage",
	# agent settings (AGT-*)
	"recorded_messages.manage",
	"canned_messages.public.manage",
	"tags.create",
	"call.disposition.set",
	# LiveAgent predefined roles (LR-*)
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
	"reports.all.view",
	"settings.configure",
	"billing.manage",
	# LiveAgent custom roles (CR-*) and custom-role permissions (CP-*)
	"custom_roles.create",
	"custom_roles.edit",
	"custom_roles.delete",
	"role.assign",
	"agents.manage",
	"agent_status.manage",
	"telephony.view",
	"telephony.edit",
	"devices.manage",
	"rankings.view",
	"kb.manage",
	"tickets.email.manage",
}

# Actions that act on one resource, and the resource types each accepts. A request for one
# of these without such a resource is denied (X-3, "missing-resource").
resource_types := {
	"queue.members.assign": {"queue"},
	"queue.settings.view": {"queue"},
	"queue.settings.manage": {"queue"},
	"queue.monitor": {"queue"},
	"call.listen": {"queue"},
	"call.whisper": {"queue"},
	"call.barge": {"queue"},
	"reports.historical.view": {"queue"},
	"queue.calls.handle": {"queue", "ring_group"},
	"queue.login": {"queue"},
	"call.disposition.set": {"queue"},
	"agents.manage": {"user"},
	"custom_roles.edit": {"custom_role"},
	"custom_roles.delete": {"custom_role"},
	"role.assign": {"user"},
}

# Where each resource type lives inside a tenant.
collections := {
	"queue": "queues",
	"ring_group": "ring_groups",
	"user": "users",
	"custom_role": "custom_roles",
}

# Actions decided by queue membership or by the custom-role rules alone, whatever the
# user's role: the test and custom-role catch-alls (LR-4, CR-3, CR-1) stay out of them.
role_independent_actions := {
	"queue.calls.handle",
	"queue.login",
	"call.disposition.set",
	"custom_roles.create",
	"custom_roles.edit",
	"custom_roles.delete",
	"role.assign",
}

role_independent if input.action in role_independent_actions

# ------------------------------------------------------------------ tenant, user, role

base_roles := {"owner", "admin", "supervisor", "agent", "test"}

plans_with_custom_roles := {"large", "enterprise"}

tenant := data.tenants[input.tenant]

user := tenant.users[input.user]

role := user.role

role_is_base if role in base_roles

custom_role := tenant.custom_roles[role] if not role_is_base

custom_roles_available if tenant.plan in plans_with_custom_roles

is_owner if role == "owner"

is_admin if role == "admin"

is_supervisor if role == "supervisor"

is_agent if role == "agent"

is_test if role == "test"

# A custom role counts only on a plan that has custom roles (CR-1).
is_custom if {
	custom_role
	custom_roles_available
}

is_custom_on_plan_without_custom_roles if {
	custom_role
	not custom_roles_available
}

has_admin_rights if role in {"owner", "admin"}

# X-4: owner ⊇ admin ⊇ agent rights; supervisors hold agent rights too.
has_agent_rights if role in {"owner", "admin", "supervisor", "agent"}

# ------------------------------------------------------------------ resource

queue := tenant.queues[input.resource.id] if input.resource.type == "queue"

ring_group := tenant.ring_groups[input.resource.id] if input.resource.type == "ring_group"

target_user := tenant.users[input.resource.id] if input.resource.type == "user"

# Membership as agent: the user is listed among the queue's agents or the ring group's
# members (GG-1, ORG-1, AGT-4).
is_member_as_agent if input.user in object.get(queue, "agents", [])

is_member_as_agent if input.user in object.get(ring_group, "members", [])

is_queue_supervisor if input.user in object.get(queue, "supervisors", [])

# ------------------------------------------------------------------ settings

# Defaults apply when a tenant omits a setting (docs/data.md lists them with their reasons).
default_settings := {
	"organization": {"agents_can_log_in_to_unassigned_queues": false},
	"supervisor": {
		"configuration_portal_access": false,
		"limit_to_assigned_queues": true,
		"view_queue_settings": true,
		"manage_queue_settings": false,
		"view_pause_reasons": false,
		"manage_pause_reasons": false,
		"view_skills": false,
		"manage_skills": false,
	},
	"agent": {
		"manage_recorded_messages": false,
		"manage_public_canned_messages": false,
		"create_custom_tags": false,
		"call_disposition": false,
	},
}

# The tenant's value of a setting, or its default when the tenant omits it.
setting_value(section, name) := value if {
	configured := object.get(object.get(tenant, "settings", {}), section, {})
	value := object.get(configured, name, default_settings[section][name])
}

# A setting that grants something is on only for the boolean true, so a malformed value
# grants nothing (validation rejects such data anyway).
setting(section, name) if setting_value(section, name) == true

# ------------------------------------------------------------------ role order (X-4)

# METADATA
# title: X-4 role order for admin rights
# description: >-
#   Admins hold an admin right directly; owners hold it because owner ⊇ admin. The
#   returned reasons name the granting rule, plus X-4 when the right is inherited.
# custom:
#   rule_ids: [X-4]
#   source: assumption
admin_right(id) := {id} if is_admin

admin_right(id) := {id, "X-4"} if is_owner

# METADATA
# title: X-4 role order for agent rights
# description: >-
#   Agents hold an agent right directly; supervisors, admins and owners hold it through the
#   role order (X-4). Test users and custom roles do not (LR-4, CR-3).
# custom:
#   rule_ids: [X-4]
#   source: assumption
agent_right(id) := {id} if is_agent

agent_right(id) := {id, "X-4"} if role in {"supervisor", "admin", "owner"}

# ------------------------------------------------------------------ permissions

# METADATA
# title: CR-3 and LR-1 the permissions a custom role may list
# description: >-
#   The agent defaults (LR-1, vendor help pages) and the custom-role permission list
#   (CP-1..CP-8, vendor help pages), each with the catalog rule that describes it.
# custom:
#   rule_ids: [LR-1, CR-3, CP-1, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8]
#   source: vendor
custom_role_permissions := {
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
}

agent_defaults := {permission | some permission, id in custom_role_permissions; id == "LR-1"}

# METADATA
# title: LR-1 writing the knowledge base implies reading it
# description: kb.view is not listed by LR-1; whoever may write (or manage) the KB may read it.
# custom:
#   rule_ids: [LR-1, CP-7]
#   source: assumption
implied_by := {
	"kb.view": {"kb.write", "kb.manage"},
	"kb.write": {"kb.manage"},
}

# ------------------------------------------------------------------ denial reasons

# METADATA
# title: The rules that grant each action to some role
# description: >-
#   A user whose role has no way to an action is denied with these rules (the ones that
#   reserve the action to other roles) plus the rule about its own role (LR-4, CR-3, X-4).
#   Actions decided by membership or by the custom-role rules are not listed.
# custom:
#   rule_ids: [GA-1, GA-2, GA-3, GA-4, GA-5, GA-6, GS-1, GS-2, GS-3, GS-4, GG-2, GG-3, SUP-1, SUP-3, SUP-4, SUP-5, SUP-6, SUP-7, SUP-8, AGT-1, AGT-2, AGT-3, LR-1, LR-2, LR-3, CP-1, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8]
#   source: seed
granting_rules := {
	"config_portal.access": {"GA-1", "SUP-1"},
	"license.assign": {"GA-2"},
	"queue.members.assign": {"GA-3"},
	"analytics.view": {"GA-4", "GS-4"},
	"queue.settings.view": {"GA-5", "SUP-3"},
	"queue.settings.manage": {"GA-5", "SUP-4"},
	"permissions.manage": {"GA-6"},
	"queue.monitor": {"GS-1"},
	"call.listen": {"GS-2"},
	"call.whisper": {"GS-2"},
	"call.barge": {"GS-2"},
	"reports.historical.view": {"GS-3"},
	"call.direct.accept": {"GG-2"},
	"call.outbound.make": {"GG-3"},
	"pause_reasons.view": {"SUP-5"},
	"pause_reasons.manage": {"SUP-6"},
	"skills.view": {"SUP-7"},
	"skills.manage": {"SUP-8"},
	"recorded_messages.manage": {"AGT-1"},
	"canned_messages.public.manage": {"AGT-2"},
	"tags.create": {"AGT-3"},
	"tickets.view": {"LR-1"},
	"tickets.reply": {"LR-1"},
	"tickets.manage": {"LR-1"},
	"chats.pickup": {"LR-1"},
	"calls.pickup": {"LR-1"},
	"kb.view": {"LR-1"},
	"kb.write": {"LR-1"},
	"contacts.manage": {"LR-1"},
	"canned_messages.own.manage": {"LR-1"},
	"profile.own.manage": {"LR-1"},
	"reports.own.view": {"LR-1"},
	"reports.all.view": {"LR-2"},
	"settings.configure": {"LR-2"},
	"billing.manage": {"LR-3"},
	"agents.manage": {"CP-1", "LR-2", "LR-3"},
	"agent_status.manage": {"CP-2"},
	"telephony.view": {"CP-3"},
	"telephony.edit": {"CP-4"},
	"devices.manage": {"CP-5"},
	"rankings.view": {"CP-6"},
	"kb.manage": {"CP-7"},
	"tickets.email.manage": {"CP-8"},
}
