package lib.roles

permissions := {
	"admin": {"queue.read", "queue.write"},
	"agent": {"queue.read"},
}

of_user(tenant, user) := {r |
	some assignment in data.tenants[tenant].assignments
	assignment.user == user
	r := assignment.role
}
