package core

import (
	"strings"
	"testing"
)

type fakeAssignor struct{ name string }

func (f *fakeAssignor) Name() string      { return f.name }
func (f *fakeAssignor) Cooperative() bool { return false }
func (f *fakeAssignor) UserData([]string, []AssignorPartitions, int32) []byte {
	return nil
}
func (f *fakeAssignor) Assign(ms []AssignorMember, _ map[string]int32) (map[string][]AssignorPartitions, error) {
	return map[string][]AssignorPartitions{}, nil
}

func TestRegisterAssignorAndLookup(t *testing.T) {
	t.Parallel()
	a := &fakeAssignor{name: "test-fake-assignor"}
	RegisterAssignor(a)
	RegisterAssignor(a) // identical: no-op
	got, err := AssignorByName("test-fake-assignor")
	if err != nil || got != a {
		t.Fatalf("AssignorByName = %v, %v", got, err)
	}
	found := false
	for _, n := range Assignors() {
		found = found || n == "test-fake-assignor"
	}
	if !found {
		t.Fatalf("Assignors() = %v", Assignors())
	}
}

func TestRegisterAssignorTwicePanics(t *testing.T) {
	t.Parallel()
	RegisterAssignor(&fakeAssignor{name: "test-dup-assignor"})
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, `"test-dup-assignor" registered twice`) {
			t.Fatalf("panic = %q", msg)
		}
	}()
	RegisterAssignor(&fakeAssignor{name: "test-dup-assignor"})
	t.Fatal("no panic")
}

func TestAssignorByNameErrorsNameTheImport(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"cooperative-sticky":                              `forgotten import _ "github.com/kafka3/kafka3-go/assignors/cooperativesticky"?`,
		"org.apache.kafka.clients.consumer.RangeAssignor": `partition assignor "range" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/assignors/range"?)`,
		"mine": `core: partition assignor "mine" is not registered: register it with core.RegisterAssignor`,
	}
	for name, want := range cases {
		// Other test files of this binary import the plugins, so check the
		// error AssignorByName would return, after its Java-name mapping.
		if alias, ok := javaAssignorClasses[name]; ok {
			name = alias
		}
		if err := assignorNotRegistered(name); !strings.Contains(err.Error(), want) {
			t.Errorf("AssignorByName(%q) error = %v, want it to contain %s", name, err, want)
		}
	}
	if _, err := AssignorByName("mine"); err == nil {
		t.Error("AssignorByName(mine) found an assignor nobody registered")
	}
}

func TestValidateAssignment(t *testing.T) {
	t.Parallel()
	members := []AssignorMember{{MemberID: "a", Topics: []string{"t"}}, {MemberID: "b", Topics: []string{"t", "u"}}}
	topics := map[string]int32{"t": 2, "u": 1}
	ok := map[string][]AssignorPartitions{"a": {{"t", []int32{0}}}, "b": {{"t", []int32{1}}, {"u", []int32{0}}}}
	if err := ValidateAssignment(members, topics, ok); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		asg  map[string][]AssignorPartitions
		want string
	}{
		{map[string][]AssignorPartitions{"z": nil}, "not a member"},
		{map[string][]AssignorPartitions{"a": {{"u", []int32{0}}}}, "does not subscribe"},
		{map[string][]AssignorPartitions{"b": {{"x", []int32{0}}}}, "does not exist"},
		{map[string][]AssignorPartitions{"a": {{"t", []int32{2}}}}, "has 2 partitions"},
		{map[string][]AssignorPartitions{"a": {{"t", []int32{0}}}, "b": {{"t", []int32{0}}}}, "to both"},
	}
	for _, c := range bad {
		if err := ValidateAssignment(members, topics, c.asg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ValidateAssignment(%v) = %v, want %q", c.asg, err, c.want)
		}
	}
}
