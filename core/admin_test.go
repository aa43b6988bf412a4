package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"testing"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// TestScramSaltedPasswordRFC7677 checks the salted password Admin sends
// against the SCRAM-SHA-256 example exchange of RFC 7677: the client proof
// and server signature derived from it must be the RFC's.
func TestScramSaltedPasswordRFC7677(t *testing.T) {
	t.Parallel()
	salt, _ := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	w, err := scramUpsertion(ScramUpsertion{User: "user", Mechanism: ScramSHA256, Password: "pencil", Iterations: 4096, Salt: salt})
	if err != nil {
		t.Fatal(err)
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	auth := "n=user,r=rOprNGfwEbeRWgbNEkqO," +
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	clientKey := mac(w.SaltedPassword, "Client Key")
	stored := sha256.Sum256(clientKey)
	proof := mac(stored[:], auth)
	for i := range proof {
		proof[i] ^= clientKey[i]
	}
	if got := base64.StdEncoding.EncodeToString(proof); got != "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=" {
		t.Errorf("client proof %s", got)
	}
	if got := base64.StdEncoding.EncodeToString(mac(mac(w.SaltedPassword, "Server Key"), auth)); got != "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Errorf("server signature %s", got)
	}
}

func TestScramUpsertionChecks(t *testing.T) {
	t.Parallel()
	for _, u := range []ScramUpsertion{
		{Mechanism: ScramSHA256, Password: "p"},
		{User: "u", Mechanism: ScramSHA256, Password: "p", Iterations: 100},
		{User: "u", Mechanism: ScramSHA512, Password: "p", Iterations: 20000},
		{User: "u", Mechanism: ScramSHA256},
	} {
		if _, err := scramUpsertion(u); !errors.Is(err, kerr.UnacceptableCredential) {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if _, err := scramUpsertion(ScramUpsertion{User: "u", Mechanism: 7, Password: "p"}); !errors.Is(err, kerr.UnsupportedSASLMechanism) {
		t.Errorf("mechanism 7: %v", err)
	}
	w, err := scramUpsertion(ScramUpsertion{User: "u", Mechanism: ScramSHA512, Password: "p"})
	if err != nil || w.Iterations != 8192 || len(w.Salt) != 32 || len(w.SaltedPassword) != 64 {
		t.Fatalf("defaults: %+v %v", w, err)
	}
}

func TestACLValuesAndValidation(t *testing.T) {
	t.Parallel()
	if s := (ACLBinding{ResourceType: ACLResourceTransactionalID, ResourceName: "tx", PatternType: ACLPatternPrefixed, Principal: "User:a",
		Host: "*", Operation: ACLOperationTwoPhaseCommit, Permission: ACLPermissionAllow}).String(); s != "(User:a ALLOW TRANSACTIONAL_ID:tx from *: TWO_PHASE_COMMIT PREFIXED)" {
		t.Errorf("String() = %s", s)
	}
	if s := ACLOperation(99).String(); s != "ACLOperation(99)" {
		t.Errorf("unknown operation: %s", s)
	}
	ok := ACLBinding{ResourceType: ACLResourceTopic, ResourceName: "t", Principal: "User:a", Operation: ACLOperationRead, Permission: ACLPermissionDeny}
	if bad := ok.indefinite(ACLPatternLiteral); bad != "" {
		t.Errorf("a definite binding is reported %q", bad)
	}
	for _, b := range []ACLBinding{
		{ResourceType: ACLResourceAny, ResourceName: "t", Principal: "User:a", Operation: ACLOperationRead, Permission: ACLPermissionDeny},
		{ResourceType: ACLResourceTopic, ResourceName: "t", Principal: "User:a", Operation: ACLOperationAny, Permission: ACLPermissionDeny},
		{ResourceType: ACLResourceTopic, ResourceName: "t", Principal: "User:a", Operation: ACLOperationRead, Permission: ACLPermissionAny},
		{ResourceType: ACLResourceTopic, Principal: "User:a", Operation: ACLOperationRead, Permission: ACLPermissionDeny},
		{ResourceType: ACLResourceTopic, ResourceName: "t", Operation: ACLOperationRead, Permission: ACLPermissionDeny},
	} {
		if b.indefinite(ACLPatternLiteral) == "" {
			t.Errorf("%v passes as definite", b)
		}
	}
	if ok.indefinite(ACLPatternMatch) == "" {
		t.Error("pattern MATCH passes as definite")
	}
	if (ACLFilter{}).invalid() != "" || (ACLFilter{Operation: 16}).invalid() == "" {
		t.Error("ACLFilter.invalid")
	}
	if got := operationsOf(1<<ACLOperationRead | 1<<ACLOperationAlter); !slices.Equal(got, []ACLOperation{ACLOperationRead, ACLOperationAlter}) {
		t.Errorf("operationsOf = %v", got)
	}
	if operationsOf(-1<<31) != nil {
		t.Error("operationsOf(not computed) is not nil")
	}
}

func TestAdminEnumStrings(t *testing.T) {
	t.Parallel()
	for got, want := range map[string]string{
		ConfigResourceBrokerLogger.String():                                      "BROKER_LOGGER",
		ConfigSourceDynamicDefaultBroker.String():                                "DYNAMIC_DEFAULT_BROKER_CONFIG",
		AlterSubtract.String():                                                   "SUBTRACT",
		ScramSHA256.String():                                                     "SCRAM-SHA-256",
		ElectPreferred.String():                                                  "preferred",
		ConfigResource{Type: ConfigResourceTopic, Name: "t"}.String():            "TOPIC:t",
		ConfigResourceType(3).String():                                           "ConfigResourceType(3)",
		(tp{"t", 2}).String():                                                    "t[2]",
		ACLPatternType(ACLPatternPrefixed).String() + ACLPermissionDeny.String(): "PREFIXEDDENY",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}
