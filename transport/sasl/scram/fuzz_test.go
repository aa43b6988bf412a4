package scram

import "testing"

func FuzzParseServerMessages(f *testing.F) {
	for _, s := range []string{
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
		"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
		"e=invalid-proof", "m=x,r=a,s=b,i=1", "r=a,s=,i=-1,ext=1", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		if sf, err := parseServerFirst(msg); err == nil {
			if sf.iterations <= 0 || len(sf.salt) == 0 || !printable(sf.nonce) {
				t.Fatalf("parseServerFirst(%q) accepted %+v", msg, sf)
			}
		}
		if sig, err := parseServerFinal(msg); err == nil && len(sig) == 0 {
			t.Fatalf("parseServerFinal(%q) returned an empty signature", msg)
		}
	})
}
