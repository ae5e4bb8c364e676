package ccpol.organization_test

import data.ccpol.fixtures_test.decide
import data.ccpol.fixtures_test.queue

test_assigned_agent_logs_in if {
	decide({"tenant": "big", "user": "agt", "action": "queue.login", "resource": queue("wrap")}).allow
}

test_unassigned_login_follows_the_setting if {
	decide({"tenant": "big", "user": "sup", "action": "queue.login", "resource": queue("nowrap")}).allow
	d := decide({"tenant": "tiny", "user": "sup2", "action": "queue.login", "resource": queue("q")})
	d == {"allow": false, "reasons": ["ORG-1"]}
}

test_unassigned_login_needs_agent_rights if {
	d := decide({"tenant": "big", "user": "tst", "action": "queue.login", "resource": queue("wrap")})
	d == {"allow": false, "reasons": ["ORG-1"]}
}
