package main

import "errors"

// groupConsume would consume as a member of group. The Consumer does not
// offer Subscribe yet, so the -group flag explains that instead of
// pretending.
func groupConsume(_ *env, _ string) error {
	return errors.New("-group needs Consumer.Subscribe, which this build of kafka3-go does not have yet; " +
		"consume without -group (all partitions, or -partition N), and use 'kafka3 groups' to inspect groups")
}
