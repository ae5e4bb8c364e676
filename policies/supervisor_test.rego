package ccpol.supervisor_test

import data.ccpol.fixtures_test.decide
import data.ccpol.fixtures_test.queue

test_sup2_is_on_when_omitted if {
	decide({"tenant": "big", "user": "sup", "action": "queue.monitor", "resource": queue("wrap")}) == {"allow": true, "reasons": ["GS-1"]}
	decide({"tenant": "big", "user": "sup", "action": "queue.monitor", "resource": queue("nowrap")}) == {"allow": false, "reasons": ["SUP-2"]}
}

test_malformed_sup2_keeps_the_limit if {
	d := decide({"tenant": "tiny", "user": "sup2", "action": "call.listen", "resource": queue("q")})
	d == {"allow": false, "reasons": ["SUP-2"]}
}

test_sup3_cannot_be_turned_off if {
	d := decide({"tenant": "tiny", "user": "sup2", "action": "queue.settings.view", "resource": queue("q")})
	d.reasons == ["SUP-2"]
	decide({"tenant": "big", "user": "sup", "action": "queue.settings.view", "resource": queue("wrap")}).allow
}

test_sup4_needs_the_portal if {
	decide({"tenant": "big", "user": "sup", "action": "queue.settings.manage", "resource": queue("wrap")}) == {"allow": true, "reasons": ["SUP-1", "SUP-4"]}
	d := decide({"tenant": "tiny", "user": "sup2", "action": "queue.settings.manage", "resource": queue("q")})
	d.reasons == ["SUP-1", "SUP-2", "SUP-4"]
}

test_supervisors_never_manage_permissions if {
	d := decide({"tenant": "big", "user": "sup", "action": "permissions.manage"})
	d == {"allow": false, "reasons": ["GA-6", "SUP-1"]}
}

test_admins_hold_general_settings_regardless if {
	decide({"tenant": "tiny", "user": "boss", "action": "skills.manage"}) == {"allow": true, "reasons": ["SUP-8"]}
}
