# The GoTo Connect supervisor role (GS-1..GS-4, seed 000) and the tenant's supervisor
# settings (SUP-1..SUP-8). Admins and owners hold SUP-5..SUP-8 regardless of the toggles;
# their queue-settings rights come from GA-5 (admin.rego).
package ccpol.supervisor

import data.ccpol.common

# ------------------------------------------------------------------ SUP-2 scope

# METADATA
# title: SUP-2 limit access to assigned call queues (default on)
# description: >-
#   The limit is lifted only by an explicit false; any other value keeps it (fail closed).
# custom:
#   rule_ids: [SUP-2]
#   source: seed
scope_unlimited if common.setting_value("supervisor", "limit_to_assigned_queues") == false

limited_to_assigned_queues if not scope_unlimited

# METADATA
# title: SUP-2 queues a supervisor can access
# description: >-
#   A queue where the supervisor is assigned as supervisor gives the rule's own ID; with
#   SUP-2 off, every other queue of the tenant too, and SUP-2 is named as the rule that
#   widened the access.
# custom:
#   rule_ids: [SUP-2]
#   source: seed
scope_reasons(id) := {id} if {
	common.queue
	common.is_queue_supervisor
}

scope_reasons(id) := {id, "SUP-2"} if {
	common.queue
	not common.is_queue_supervisor
	scope_unlimited
}

# Actions the SUP-2 scope applies to.
scoped_actions := {
	"queue.monitor",
	"call.listen",
	"call.whisper",
	"call.barge",
	"reports.historical.view",
	"queue.settings.view",
	"queue.settings.manage",
}

# METADATA
# title: SUP-2 denies queues outside the supervisor's assignment
# custom:
#   rule_ids: [SUP-2]
#   source: seed
limits contains "SUP-2" if {
	input.action in scoped_actions
	common.is_supervisor
	common.queue
	not common.is_queue_supervisor
	limited_to_assigned_queues
}

# ------------------------------------------------------------------ GS-1..GS-4

# METADATA
# title: GS-1 monitor logged-in users and active queues
# custom:
#   rule_ids: [GS-1]
#   source: seed
grants contains reason if {
	input.action == "queue.monitor"
	common.is_supervisor
	some reason in scope_reasons("GS-1")
}

# METADATA
# title: GS-2 listen, whisper, barge
# custom:
#   rule_ids: [GS-2]
#   source: seed
grants contains reason if {
	input.action == "call.listen"
	common.is_supervisor
	some reason in scope_reasons("GS-2")
}

grants contains reason if {
	input.action == "call.whisper"
	common.is_supervisor
	some reason in scope_reasons("GS-2")
}

grants contains reason if {
	input.action == "call.barge"
	common.is_supervisor
	some reason in scope_reasons("GS-2")
}

# METADATA
# title: GS-3 historical queue and agent reports
# custom:
#   rule_ids: [GS-3]
#   source: seed
grants contains reason if {
	input.action == "reports.historical.view"
	common.is_supervisor
	some reason in scope_reasons("GS-3")
}

# METADATA
# title: GS-3 historical reports for admins and owners
# description: >-
#   X-4 reserves only monitoring, listening, whispering and barging to supervisors, so
#   admins and owners view the historical reports of every queue of their tenant.
# custom:
#   rule_ids: [GS-3, X-4]
#   source: assumption
grants contains reason if {
	input.action == "reports.historical.view"
	common.queue
	common.has_admin_rights
	some reason in {"GS-3", "X-4"}
}

# METADATA
# title: GS-4 analytics
# custom:
#   rule_ids: [GS-4]
#   source: seed
grants contains "GS-4" if {
	input.action == "analytics.view"
	common.is_supervisor
}

# METADATA
# title: X-4 monitoring, listening, whispering and barging are the supervisor's only
# custom:
#   rule_ids: [GS-1, GS-2, X-4]
#   source: assumption
limits contains reason if {
	input.action == "queue.monitor"
	common.role in {"owner", "admin", "agent"}
	some reason in {"GS-1", "X-4"}
}

limits contains reason if {
	input.action in {"call.listen", "call.whisper", "call.barge"}
	common.role in {"owner", "admin", "agent"}
	some reason in {"GS-2", "X-4"}
}

# METADATA
# title: GS-3 and GS-4 are not agent rights
# custom:
#   rule_ids: [GS-3, GS-4]
#   source: seed
limits contains "GS-3" if {
	input.action == "reports.historical.view"
	common.is_agent
}

limits contains "GS-4" if {
	input.action == "analytics.view"
	common.is_agent
}

# ------------------------------------------------------------------ SUP-1 portal

# METADATA
# title: SUP-1 configuration portal access (default off)
# custom:
#   rule_ids: [SUP-1]
#   source: seed
portal_open if common.setting("supervisor", "configuration_portal_access")

# Settings that live inside the configuration portal take effect only with SUP-1.
portal_actions := {
	"config_portal.access",
	"queue.settings.manage",
	"pause_reasons.view",
	"pause_reasons.manage",
	"skills.view",
	"skills.manage",
}

# METADATA
# title: SUP-1 supervisors enter the configuration portal
# custom:
#   rule_ids: [SUP-1]
#   source: seed
grants contains "SUP-1" if {
	input.action == "config_portal.access"
	common.is_supervisor
	portal_open
}

# METADATA
# title: SUP-1 portal closed to supervisors
# description: >-
#   With SUP-1 off, supervisors neither enter the portal nor use the settings inside it
#   (SUP-4..SUP-8, an assumption: the document places them in the portal).
# custom:
#   rule_ids: [SUP-1]
#   source: assumption
limits contains "SUP-1" if {
	input.action in portal_actions
	common.is_supervisor
	not portal_open
}

# METADATA
# title: SUP-1 the Permissions tab stays hidden from supervisors
# custom:
#   rule_ids: [SUP-1]
#   source: seed
limits contains "SUP-1" if {
	input.action == "permissions.manage"
	common.is_supervisor
}

# METADATA
# title: SUP-1 is a supervisor setting; agents never enter the portal
# custom:
#   rule_ids: [SUP-1]
#   source: seed
limits contains "SUP-1" if {
	input.action == "config_portal.access"
	common.is_agent
}

# ------------------------------------------------------------------ SUP-3, SUP-4 queue settings

# METADATA
# title: SUP-3 view a call queue's settings (always on)
# description: >-
#   The setting cannot be turned off; data that tries is rejected by validation, and the
#   policy does not read it.
# custom:
#   rule_ids: [SUP-3]
#   source: seed
grants contains reason if {
	input.action == "queue.settings.view"
	common.is_supervisor
	some reason in scope_reasons("SUP-3")
}

# METADATA
# title: SUP-4 manage a call queue's settings (default off; needs SUP-1)
# custom:
#   rule_ids: [SUP-4]
#   source: seed
grants contains reason if {
	input.action == "queue.settings.manage"
	common.is_supervisor
	portal_open
	common.setting("supervisor", "manage_queue_settings")
	reasons := scope_reasons("SUP-4") | {"SUP-1"}
	some reason in reasons
}

# METADATA
# title: SUP-4 off
# custom:
#   rule_ids: [SUP-4]
#   source: seed
limits contains "SUP-4" if {
	input.action == "queue.settings.manage"
	common.is_supervisor
	not common.setting("supervisor", "manage_queue_settings")
}

# METADATA
# title: SUP-3 and SUP-4 are supervisor rights, not agent rights
# custom:
#   rule_ids: [SUP-3, SUP-4]
#   source: seed
limits contains "SUP-3" if {
	input.action == "queue.settings.view"
	common.is_agent
}

limits contains "SUP-4" if {
	input.action == "queue.settings.manage"
	common.is_agent
}

# ------------------------------------------------------------------ SUP-5..SUP-8 general settings

# METADATA
# title: SUP-5 view pause reasons (default off; needs SUP-1)
# custom:
#   rule_ids: [SUP-5]
#   source: seed
grants contains reason if {
	input.action == "pause_reasons.view"
	common.is_supervisor
	portal_open
	common.setting("supervisor", "view_pause_reasons")
	some reason in {"SUP-1", "SUP-5"}
}

# METADATA
# title: SUP-6 manage pause reasons (default off; needs SUP-1; implies view)
# custom:
#   rule_ids: [SUP-6]
#   source: seed
grants contains reason if {
	input.action in {"pause_reasons.view", "pause_reasons.manage"}
	common.is_supervisor
	portal_open
	common.setting("supervisor", "manage_pause_reasons")
	some reason in {"SUP-1", "SUP-6"}
}

# METADATA
# title: SUP-7 view skills and skill assignment (default off; needs SUP-1)
# custom:
#   rule_ids: [SUP-7]
#   source: seed
grants contains reason if {
	input.action == "skills.view"
	common.is_supervisor
	portal_open
	common.setting("supervisor", "view_skills")
	some reason in {"SUP-1", "SUP-7"}
}

# METADATA
# title: SUP-8 manage skills and skill assignment (default off; needs SUP-1; implies view)
# custom:
#   rule_ids: [SUP-8]
#   source: seed
grants contains reason if {
	input.action in {"skills.view", "skills.manage"}
	common.is_supervisor
	portal_open
	common.setting("supervisor", "manage_skills")
	some reason in {"SUP-1", "SUP-8"}
}

# METADATA
# title: SUP-5..SUP-8 admins and owners hold them regardless of the toggles
# custom:
#   rule_ids: [SUP-5, SUP-6, SUP-7, SUP-8]
#   source: seed
grants contains general_settings_rule[input.action] if common.has_admin_rights

general_settings_rule := {
	"pause_reasons.view": "SUP-5",
	"pause_reasons.manage": "SUP-6",
	"skills.view": "SUP-7",
	"skills.manage": "SUP-8",
}

# METADATA
# title: SUP-5..SUP-8 toggles off
# description: >-
#   Viewing is denied when neither the view nor the manage toggle is on (the view rule is
#   named); managing when the manage toggle is off.
# custom:
#   rule_ids: [SUP-5, SUP-6, SUP-7, SUP-8]
#   source: seed
limits contains "SUP-5" if {
	input.action == "pause_reasons.view"
	common.is_supervisor
	not common.setting("supervisor", "view_pause_reasons")
	not common.setting("supervisor", "manage_pause_reasons")
}

limits contains "SUP-6" if {
	input.action == "pause_reasons.manage"
	common.is_supervisor
	not common.setting("supervisor", "manage_pause_reasons")
}

limits contains "SUP-7" if {
	input.action == "skills.view"
	common.is_supervisor
	not common.setting("supervisor", "view_skills")
	not common.setting("supervisor", "manage_skills")
}

limits contains "SUP-8" if {
	input.action == "skills.manage"
	common.is_supervisor
	not common.setting("supervisor", "manage_skills")
}

# METADATA
# title: SUP-5..SUP-8 are not agent rights
# custom:
#   rule_ids: [SUP-5, SUP-6, SUP-7, SUP-8]
#   source: seed
limits contains general_settings_rule[input.action] if common.is_agent
