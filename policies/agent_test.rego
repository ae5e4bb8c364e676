package ccpol.agent_test

import data.ccpol.fixtures_test.decide
import data.ccpol.fixtures_test.queue

test_disposition_needs_wrap_up_time if {
	decide({"tenant": "big", "user": "agt", "action": "call.disposition.set", "resource": queue("wrap")}) == {"allow": true, "reasons": ["AGT-4"]}
	decide({"tenant": "big", "user": "agt", "action": "call.disposition.set", "resource": queue("nowrap")}) == {"allow": false, "reasons": ["AGT-4"]}
}

test_disposition_needs_membership if {
	d := decide({"tenant": "big", "user": "sup", "action": "call.disposition.set", "resource": queue("wrap")})
	d == {"allow": false, "reasons": ["GG-1"]}
}

test_ring_group_membership_decides_whatever_the_role if {
	decide({"tenant": "big", "user": "tst", "action": "queue.calls.handle", "resource": {"type": "ring_group", "id": "rg"}}).allow
	not decide({"tenant": "big", "user": "own", "action": "queue.calls.handle", "resource": {"type": "ring_group", "id": "rg"}}).allow
}

test_agent_settings_default_off if {
	d := decide({"tenant": "big", "user": "agt", "action": "tags.create"})
	d == {"allow": false, "reasons": ["AGT-3"]}
}
