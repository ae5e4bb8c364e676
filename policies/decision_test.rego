package ccpol.decision_test

import data.ccpol.fixtures_test.decide

test_unknown_action_is_denied_with_x1 if {
	decide({"tenant": "big", "user": "own", "action": "coffee.make"}) == {
		"allow": false,
		"reasons": ["X-1", "X-1:unknown-action"],
	}
}

test_reasons_are_sorted_and_qualified_reasons_bring_their_id if {
	d := decide({"tenant": "nowhere", "user": "own", "action": "coffee.make"})
	d.reasons == ["X-1", "X-1:unknown-action", "X-3", "X-3:unknown-tenant"]
}

test_user_of_another_tenant_gets_nothing if {
	d := decide({"tenant": "tiny", "user": "own", "action": "billing.manage"})
	d == {"allow": false, "reasons": ["X-2", "X-2:user-of-other-tenant"]}
}

test_resource_of_another_tenant_vetoes_the_owner if {
	d := decide({"tenant": "big", "user": "own", "action": "queue.settings.manage", "resource": {"type": "queue", "id": "q"}})
	d.reasons == ["X-2", "X-2:resource-of-other-tenant"]
}

test_unknown_role_fails_closed if {
	d := decide({"tenant": "big", "user": "gone", "action": "tickets.view"})
	d == {"allow": false, "reasons": ["X-3", "X-3:unknown-role"]}
}

test_queue_action_without_queue_is_denied if {
	d := decide({"tenant": "big", "user": "sup", "action": "call.listen"})
	d.reasons == ["X-3", "X-3:missing-resource"]
}

test_allowed_decision_names_the_granting_rule if {
	decide({"tenant": "big", "user": "agt", "action": "tickets.view"}) == {"allow": true, "reasons": ["LR-1"]}
}

test_resource_of_unknown_type_is_denied if {
	d := decide({"tenant": "big", "user": "own", "action": "tickets.view", "resource": {"type": "printer", "id": "p1"}})
	d.allow == false
	"X-3:unknown-resource-type" in d.reasons
}

test_nothing_allows_and_nothing_explains_is_x1 if {
	d := data.ccpol.decision.decision with input as {"tenant": "big", "user": "agt", "action": "tickets.view"} with data.tenants as data.ccpol.fixtures_test.tenants with data.ccpol.decision.grants as set() with data.ccpol.decision.limits as set()
	d == {"allow": false, "reasons": ["X-1"]}
}
