# Organization setting of the GoTo Connect Permissions page (seed 000): whether agents may
# log in to queues they are not assigned to (ORG-1).
package ccpol.organization

import data.ccpol.common

# METADATA
# title: ORG-1 log in to an assigned queue
# description: A user listed among a queue's agents may log in to it, whatever its role.
# custom:
#   rule_ids: [ORG-1]
#   source: seed
grants contains "ORG-1" if {
	input.action == "queue.login"
	common.queue
	common.is_member_as_agent
}

# METADATA
# title: ORG-1 log in to an unassigned queue
# description: >-
#   Only with "agents_can_log_in_to_unassigned_queues" on (default off, an assumption), and
#   only for users who hold agent rights (agent, supervisor, admin, owner; X-4).
# custom:
#   rule_ids: [ORG-1]
#   source: seed
grants contains "ORG-1" if {
	input.action == "queue.login"
	common.queue
	not common.is_member_as_agent
	common.has_agent_rights
	common.setting("organization", "agents_can_log_in_to_unassigned_queues")
}

# METADATA
# title: ORG-1 denies other logins
# custom:
#   rule_ids: [ORG-1]
#   source: seed
limits contains "ORG-1" if input.action == "queue.login"
