# METADATA
# entrypoint: true
package authz

import data.lib.roles

default allow := false

allow if {
	some role in roles.of_user(input.tenant, input.user)
	input.action in roles.permissions[role]
}

reasons contains "X-DEFAULT-DENY" if not allow
