# The GoTo Connect contact-center administrator (GA-1..GA-6, seed 000). Owners hold every
# admin right through the role order (X-4); GA-6 names owners itself.
package ccpol.admin

import data.ccpol.common

# METADATA
# title: GA-1 full access to the configuration portal
# custom:
#   rule_ids: [GA-1]
#   source: seed
grants contains reason if {
	input.action == "config_portal.access"
	some reason in common.admin_right("GA-1")
}

# METADATA
# title: GA-2 assign contact-center licenses
# custom:
#   rule_ids: [GA-2]
#   source: seed
grants contains reason if {
	input.action == "license.assign"
	some reason in common.admin_right("GA-2")
}

# METADATA
# title: GA-3 assign users to queues as agents or supervisors
# custom:
#   rule_ids: [GA-3]
#   source: seed
grants contains reason if {
	input.action == "queue.members.assign"
	common.queue
	some reason in common.admin_right("GA-3")
}

# METADATA
# title: GA-4 contact-center analytics
# custom:
#   rule_ids: [GA-4]
#   source: seed
grants contains reason if {
	input.action == "analytics.view"
	some reason in common.admin_right("GA-4")
}

# METADATA
# title: GA-5 configure every queue of the tenant
# custom:
#   rule_ids: [GA-5]
#   source: seed
grants contains reason if {
	input.action == "queue.settings.view"
	common.queue
	some reason in common.admin_right("GA-5")
}

grants contains reason if {
	input.action == "queue.settings.manage"
	common.queue
	some reason in common.admin_right("GA-5")
}

# METADATA
# title: GA-6 the Permissions page, only admins and owners
# custom:
#   rule_ids: [GA-6]
#   source: seed
grants contains "GA-6" if {
	input.action == "permissions.manage"
	common.has_admin_rights
}

# METADATA
# title: GA-1..GA-6 are not agent rights
# description: >-
#   An agent asking for an admin action is denied by the admin rule that reserves it
#   (supervisors' own paths are in supervisor.rego).
# custom:
#   rule_ids: [GA-1, GA-2, GA-3, GA-4, GA-5, GA-6]
#   source: seed
limits contains reserved_for_admins[input.action] if common.is_agent

reserved_for_admins := {
	"config_portal.access": "GA-1",
	"license.assign": "GA-2",
	"queue.members.assign": "GA-3",
	"analytics.view": "GA-4",
	"queue.settings.view": "GA-5",
	"queue.settings.manage": "GA-5",
	"permissions.manage": "GA-6",
}

# METADATA
# title: GA-2 and GA-3 are not supervisor rights
# custom:
#   rule_ids: [GA-2, GA-3]
#   source: seed
limits contains "GA-2" if {
	input.action == "license.assign"
	common.is_supervisor
}

limits contains "GA-3" if {
	input.action == "queue.members.assign"
	common.is_supervisor
}

# METADATA
# title: GA-6 the Permissions page is not a supervisor right
# description: SUP-1 (supervisor.rego) adds that the tab stays hidden whatever the settings.
# custom:
#   rule_ids: [GA-6]
#   source: seed
limits contains "GA-6" if {
	input.action == "permissions.manage"
	common.is_supervisor
}
