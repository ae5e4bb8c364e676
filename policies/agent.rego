# The GoTo Connect agent role (GG-1..GG-3, seed 000) and the tenant's agent settings
# (AGT-1..AGT-4). Supervisors, admins and owners hold agent rights too (X-4); test users and
# custom roles do not (LR-4, CR-3), except what queue membership gives (GG-1).
package ccpol.agent

import data.ccpol.common

# ------------------------------------------------------------------ GG-1..GG-3

# METADATA
# title: GG-1 handle callers of the queues and ring groups one is assigned to
# description: Membership as agent decides, whatever the base role (X-4).
# custom:
#   rule_ids: [GG-1]
#   source: seed
grants contains "GG-1" if {
	input.action == "queue.calls.handle"
	common.is_member_as_agent
}

# METADATA
# title: GG-1 and no others
# custom:
#   rule_ids: [GG-1]
#   source: seed
limits contains "GG-1" if {
	input.action == "queue.calls.handle"
	not common.is_member_as_agent
}

# METADATA
# title: GG-2 accept direct inbound calls
# custom:
#   rule_ids: [GG-2]
#   source: seed
grants contains reason if {
	input.action == "call.direct.accept"
	some reason in common.agent_right("GG-2")
}

# METADATA
# title: GG-3 place outbound calls
# custom:
#   rule_ids: [GG-3]
#   source: seed
grants contains reason if {
	input.action == "call.outbound.make"
	some reason in common.agent_right("GG-3")
}

# ------------------------------------------------------------------ AGT-1..AGT-3

# Agent-panel features switched by a tenant setting (all default off, an assumption).
panel_settings := {
	"recorded_messages.manage": {"name": "manage_recorded_messages", "rule": "AGT-1"},
	"canned_messages.public.manage": {"name": "manage_public_canned_messages", "rule": "AGT-2"},
	"tags.create": {"name": "create_custom_tags", "rule": "AGT-3"},
}

# METADATA
# title: AGT-1 pre-recorded messages, AGT-2 public canned messages, AGT-3 custom tags
# description: Allowed to users with agent rights when the tenant turns the setting on.
# custom:
#   rule_ids: [AGT-1, AGT-2, AGT-3]
#   source: seed
grants contains reason if {
	input.action == "recorded_messages.manage"
	common.setting("agent", "manage_recorded_messages")
	some reason in common.agent_right("AGT-1")
}

grants contains reason if {
	input.action == "canned_messages.public.manage"
	common.setting("agent", "manage_public_canned_messages")
	some reason in common.agent_right("AGT-2")
}

grants contains reason if {
	input.action == "tags.create"
	common.setting("agent", "create_custom_tags")
	some reason in common.agent_right("AGT-3")
}

# METADATA
# title: AGT-1..AGT-3 setting off
# custom:
#   rule_ids: [AGT-1, AGT-2, AGT-3]
#   source: seed
limits contains feature.rule if {
	feature := panel_settings[input.action]
	common.has_agent_rights
	not common.setting("agent", feature.name)
}

# ------------------------------------------------------------------ AGT-4

# A call queue with a wrap-up time configured (wrap_up_seconds > 0; omitted means none).
queue_has_wrap_up if {
	common.queue.kind == "call"
	object.get(common.queue, "wrap_up_seconds", 0) > 0
}

# METADATA
# title: AGT-4 call disposition (default off)
# description: >-
#   The agent who handles the queue's calls picks a disposition, only in call queues with a
#   wrap-up time and only with the setting on.
# custom:
#   rule_ids: [AGT-4]
#   source: seed
grants contains "AGT-4" if {
	input.action == "call.disposition.set"
	common.queue
	common.is_member_as_agent
	common.setting("agent", "call_disposition")
	queue_has_wrap_up
}

# METADATA
# title: AGT-4 setting off, or a queue without wrap-up time
# custom:
#   rule_ids: [AGT-4]
#   source: seed
limits contains "AGT-4" if {
	input.action == "call.disposition.set"
	not common.setting("agent", "call_disposition")
}

limits contains "AGT-4" if {
	input.action == "call.disposition.set"
	common.queue
	not queue_has_wrap_up
}

# METADATA
# title: AGT-4 only in queues one handles calls for (GG-1)
# custom:
#   rule_ids: [GG-1]
#   source: seed
limits contains "GG-1" if {
	input.action == "call.disposition.set"
	common.queue
	not common.is_member_as_agent
}
