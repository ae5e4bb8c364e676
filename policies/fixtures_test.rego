# Tenant data for the policies' unit tests: small on purpose, and including data that
# validation would reject (a custom role on a small plan, a user whose custom role was
# deleted, malformed settings), to show the policies fail closed on their own.
package ccpol.fixtures_test

tenants := {
	"big": {
		"tenant": "big",
		"plan": "large",
		"settings": {
			"organization": {"agents_can_log_in_to_unassigned_queues": true},
			"supervisor": {"configuration_portal_access": true, "manage_queue_settings": true},
			"agent": {"call_disposition": true},
		},
		"custom_roles": {
			"editor": {"name": "Edit without view", "permissions": ["tickets.view", "telephony.edit"]},
			"lead": {"name": "Lead", "permissions": ["telephony.view", "telephony.edit", "agents.manage", "devices.manage"]},
		},
		"users": {
			"own": {"role": "owner"},
			"adm": {"role": "admin"},
			"sup": {"role": "supervisor"},
			"agt": {"role": "agent"},
			"tst": {"role": "test"},
			"edi": {"role": "editor"},
			"led": {"role": "lead"},
			"gone": {"role": "deleted_role"},
		},
		"queues": {
			"wrap": {"kind": "call", "wrap_up_seconds": 30, "agents": ["agt"], "supervisors": ["sup"]},
			"nowrap": {"kind": "call", "agents": ["agt"]},
		},
		"ring_groups": {"rg": {"members": ["tst"]}},
	},
	"tiny": {
		"tenant": "tiny",
		"plan": "small",
		"settings": {"supervisor": {"limit_to_assigned_queues": "no", "view_queue_settings": false}},
		"custom_roles": {"sneaky": {"name": "Sneaky", "permissions": ["telephony.view"]}},
		"users": {
			"snk": {"role": "sneaky"},
			"boss": {"role": "owner"},
			"sup2": {"role": "supervisor"},
		},
		"queues": {"q": {"kind": "call"}},
	},
	"full": {
		"tenant": "full",
		"plan": "enterprise",
		"custom_roles": {
			"r1": {"name": "One", "permissions": []},
			"r2": {"name": "Two", "permissions": []},
			"r3": {"name": "Three", "permissions": []},
		},
		"users": {"chief": {"role": "admin"}},
	},
}

# The decision for a request against these tenants.
decide(request) := result if {
	result := data.ccpol.decision.decision with input as request with data.tenants as tenants
}

queue(id) := {"type": "queue", "id": id}
