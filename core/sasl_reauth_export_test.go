package core

// SetReauthDisabled turns SASL re-authentication off (or on again) for
// connections opened afterwards, for the test that proves the broker ends
// sessions without it. Only for tests that do not run in parallel.
func SetReauthDisabled(off bool) { reauthDisabled.Store(off) }
