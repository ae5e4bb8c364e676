# The LiveAgent predefined roles (seed 003 and the vendor's help pages): agent (LR-1),
# admin (LR-2), owner (LR-3) and test (LR-4). Supervisors hold the agent defaults through
# the role order (X-4).
package ccpol.predefined_roles

import data.ccpol.common

# ------------------------------------------------------------------ LR-1 agent

# METADATA
# title: LR-1 agent defaults
# description: >-
#   tickets.view, tickets.reply, tickets.manage, chats.pickup, calls.pickup, kb.write,
#   contacts.manage, canned_messages.own.manage, profile.own.manage, reports.own.view, and
#   kb.view (implied by kb.write). Supervisors, admins and owners hold them through X-4.
# custom:
#   rule_ids: [LR-1]
#   source: vendor
grants contains reason if {
	agent_default_action
	some reason in common.agent_right("LR-1")
}

agent_default_action if input.action in common.agent_defaults

agent_default_action if input.action == "kb.view"

# ------------------------------------------------------------------ LR-2 admin

# METADATA
# title: LR-2 admin reports and settings
# custom:
#   rule_ids: [LR-2]
#   source: vendor
grants contains reason if {
	input.action == "reports.all.view"
	some reason in common.admin_right("LR-2")
}

grants contains reason if {
	input.action == "settings.configure"
	some reason in common.admin_right("LR-2")
}

# METADATA
# title: LR-2 admin reports and settings are not agent or supervisor rights
# custom:
#   rule_ids: [LR-2]
#   source: vendor
limits contains "LR-2" if {
	input.action in {"reports.all.view", "settings.configure"}
	common.role in {"supervisor", "agent"}
}

# METADATA
# title: LR-2 admins manage every account except owners
# custom:
#   rule_ids: [LR-2]
#   source: vendor
grants contains "LR-2" if {
	input.action == "agents.manage"
	common.is_admin
	common.target_user.role != "owner"
}

limits contains "LR-2" if {
	input.action == "agents.manage"
	common.is_admin
	common.target_user.role == "owner"
}

# METADATA
# title: LR-2 admins hold the custom-role permissions CP-2..CP-8
# description: >-
#   Custom-role permissions are carved out of the admin's configuration rights
#   (settings.configure), so admins hold them, and owners through X-4. CP-1 is agents.manage,
#   which LR-2 and LR-3 cover with their own scope.
# custom:
#   rule_ids: [LR-2, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8]
#   source: assumption
grants contains reason if {
	id := admin_held_permissions[input.action]
	reasons := common.admin_right("LR-2") | {id}
	some reason in reasons
}

admin_held_permissions := {permission: id |
	some permission, id in common.custom_role_permissions
	startswith(id, "CP-")
	id != "CP-1"
}

# METADATA
# title: CP-2..CP-8 are revoked for agents and supervisors
# custom:
#   rule_ids: [CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, CP-8]
#   source: vendor
limits contains admin_held_permissions[input.action] if common.role in {"supervisor", "agent"}

# METADATA
# title: agents.manage is not an agent or supervisor right
# description: Only admins (LR-2), owners (LR-3) and custom roles listing agents.manage (CP-1).
# custom:
#   rule_ids: [LR-2, LR-3, CP-1]
#   source: vendor
limits contains reason if {
	input.action == "agents.manage"
	common.role in {"supervisor", "agent"}
	some reason in {"CP-1", "LR-2", "LR-3"}
}

# ------------------------------------------------------------------ LR-3 owner

# METADATA
# title: LR-3 owners manage billing and every account
# custom:
#   rule_ids: [LR-3]
#   source: vendor
grants contains "LR-3" if {
	input.action == "billing.manage"
	common.is_owner
}

grants contains "LR-3" if {
	input.action == "agents.manage"
	common.is_owner
	common.target_user
}

# METADATA
# title: LR-3 billing is the owner's only
# custom:
#   rule_ids: [LR-3]
#   source: vendor
limits contains "LR-3" if {
	input.action == "billing.manage"
	common.role in {"admin", "supervisor", "agent"}
}

# ------------------------------------------------------------------ LR-4 test

# Test users read tickets, the knowledge base and their own reports; nothing that writes.
test_actions := {"tickets.view", "kb.view", "reports.own.view"}

# METADATA
# title: LR-4 test is read-only
# custom:
#   rule_ids: [LR-4]
#   source: assumption
grants contains "LR-4" if {
	input.action in test_actions
	common.is_test
}

# METADATA
# title: LR-4 everything else is denied to test users
# description: >-
#   Named with the rules that grant the action to other roles. Except what membership
#   decides (queue calls, queue login, disposition) and the custom-role rules, which name
#   their own reasons.
# custom:
#   rule_ids: [LR-4]
#   source: assumption
limits contains reason if {
	common.is_test
	not input.action in test_actions
	not common.role_independent
	reasons := common.granting_rules[input.action] | {"LR-4"}
	some reason in reasons
}
