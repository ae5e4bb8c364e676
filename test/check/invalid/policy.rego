package authz

allow if {
	role := input.role
	role := "admin"
}

deny if {
	count(input.x, 1, 2)
	undefined_thing(1)
}

loop if { loop }
