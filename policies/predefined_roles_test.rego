package ccpol.predefined_roles_test

import data.ccpol.fixtures_test.decide

test_test_role_reads_only if {
	decide({"tenant": "big", "user": "tst", "action": "kb.view"}) == {"allow": true, "reasons": ["LR-4"]}
	decide({"tenant": "big", "user": "tst", "action": "kb.write"}) == {"allow": false, "reasons": ["LR-1", "LR-4"]}
}

test_admin_never_manages_owners if {
	decide({"tenant": "big", "user": "adm", "action": "agents.manage", "resource": {"type": "user", "id": "own"}}) == {"allow": false, "reasons": ["LR-2"]}
	decide({"tenant": "big", "user": "own", "action": "agents.manage", "resource": {"type": "user", "id": "adm"}}) == {"allow": true, "reasons": ["LR-3"]}
}

test_billing_is_the_owners if {
	decide({"tenant": "big", "user": "adm", "action": "billing.manage"}) == {"allow": false, "reasons": ["LR-3"]}
}
