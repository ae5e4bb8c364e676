package ccpol.custom_roles_test

import data.ccpol.fixtures_test.decide

test_edit_without_view_is_ineffective if {
	decide({"tenant": "big", "user": "edi", "action": "telephony.edit"}) == {"allow": false, "reasons": ["CP-4"]}
	decide({"tenant": "big", "user": "led", "action": "telephony.edit"}) == {"allow": true, "reasons": ["CP-4", "CR-3"]}
}

test_custom_role_on_small_plan_grants_nothing if {
	d := decide({"tenant": "tiny", "user": "snk", "action": "telephony.view"})
	d == {"allow": false, "reasons": ["CP-3", "CR-1"]}
}

test_no_custom_role_management_on_small_plan if {
	decide({"tenant": "tiny", "user": "boss", "action": "custom_roles.create"}) == {"allow": false, "reasons": ["CR-1"]}
}

test_custom_roles_never_grant_admin if {
	d := decide({"tenant": "big", "user": "led", "action": "role.assign", "resource": {"type": "user", "id": "agt", "role": "admin"}})
	d == {"allow": false, "reasons": ["CR-5"]}
	decide({"tenant": "big", "user": "led", "action": "role.assign", "resource": {"type": "user", "id": "agt", "role": "editor"}}).allow
}

test_custom_role_limit if {
	decide({"tenant": "big", "user": "adm", "action": "custom_roles.create"}).allow
	d := decide({"tenant": "full", "user": "chief", "action": "custom_roles.create"})
	d == {"allow": false, "reasons": ["CR-6"]}
}

test_deleted_custom_role_cannot_be_edited if {
	d := decide({"tenant": "big", "user": "adm", "action": "custom_roles.edit", "resource": {"type": "custom_role", "id": "gone_role"}})
	d.reasons == ["CR-4", "X-3", "X-3:unknown-custom-role"]
}

test_custom_role_cannot_be_assigned_on_a_small_plan if {
	d := decide({"tenant": "tiny", "user": "boss", "action": "role.assign", "resource": {"type": "user", "id": "sup2", "role": "sneaky"}})
	d.allow == false
	"CR-1" in d.reasons
}
