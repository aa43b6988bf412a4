package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckStrings(t *testing.T) { // not parallel: AllocsPerRun
	long := strings.Repeat("v", 40000)
	req := &CreateTopicsRequest{Topics: []CreateTopicsRequestCreatableTopic{
		{Name: "a", Configs: []CreateTopicsRequestCreatableTopicConfig{{Name: "x"}}},
		{Name: "b", Configs: []CreateTopicsRequestCreatableTopicConfig{{Name: "cleanup.policy"}, {Name: "y", Value: &long}}},
	}}
	var e *StringTooLongError
	if err := CheckStrings(req); !errors.As(err, &e) || e.Field != "CreateTopicsRequest.Topics[1].Configs[1].Value" || e.Len != 40000 {
		t.Fatalf("CheckStrings = %v, want the config value named with its length", err)
	}
	short := strings.Repeat("v", 32767)
	req.Topics[1].Configs[1].Value = &short
	if err := CheckStrings(req); err != nil {
		t.Fatalf("CheckStrings with a 32767-byte value: %v", err)
	}
	req.Topics[0].Name = long
	if err := CheckStrings(req); !errors.As(err, &e) || e.Field != "CreateTopicsRequest.Topics[0].Name" {
		t.Fatalf("CheckStrings = %v, want the topic name", err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = CheckStrings(&MetadataRequest{Topics: make([]MetadataRequestTopic, 3)}) }); n > 0 {
		t.Fatalf("CheckStrings allocated %v times on a request without long strings", n)
	}
}
