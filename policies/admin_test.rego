package ccpol.admin_test

import data.ccpol.fixtures_test.decide
import data.ccpol.fixtures_test.queue

test_admin_configures_every_queue if {
	decide({"tenant": "big", "user": "adm", "action": "queue.settings.manage", "resource": queue("nowrap")}) == {"allow": true, "reasons": ["GA-5"]}
}

test_owner_holds_admin_rights_through_role_order if {
	decide({"tenant": "big", "user": "own", "action": "license.assign"}) == {"allow": true, "reasons": ["GA-2", "X-4"]}
}

test_admin_does_not_monitor if {
	decide({"tenant": "big", "user": "adm", "action": "queue.monitor", "resource": queue("wrap")}) == {"allow": false, "reasons": ["GS-1", "X-4"]}
}

test_agent_is_denied_admin_actions_by_the_reserving_rule if {
	decide({"tenant": "big", "user": "agt", "action": "permissions.manage"}) == {"allow": false, "reasons": ["GA-6"]}
}
