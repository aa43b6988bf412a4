package assignors_test

import (
	"fmt"

	_ "github.com/kafka3/kafka3-go/assignors"
	"github.com/kafka3/kafka3-go/core"
)

// The group leader looks the group's protocol up by name and assigns.
func Example() {
	a, err := core.AssignorByName("range")
	if err != nil {
		panic(err)
	}
	members := []core.AssignorMember{
		{MemberID: "C0", Topics: []string{"t0", "t1"}, Generation: -1},
		{MemberID: "C1", Topics: []string{"t0", "t1"}, Generation: -1},
	}
	plan, err := a.Assign(members, map[string]int32{"t0": 3, "t1": 3})
	if err != nil {
		panic(err)
	}
	fmt.Println("C0:", plan["C0"])
	fmt.Println("C1:", plan["C1"])
	// Output:
	// C0: [{t0 [0 1]} {t1 [0 1]}]
	// C1: [{t0 [2]} {t1 [2]}]
}
