package authz.more

result := x if {
	input.y
}
