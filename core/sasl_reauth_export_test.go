package core

// Test hooks for the re-authentication tests of package core_test.

// SetReauthDisabled turns SASL re-authentication off (or on again) for
// connections opened afterwards. Only for tests that do not run in
// parallel.
func SetReauthDisabled(off bool) { reauthDisabled.Store(off) }

// ReauthCount returns the successful re-authentications so far in this
// process.
func ReauthCount() int64 { return reauthCount.Load() }

// ReauthDelay exposes reauthDelay.
var ReauthDelay = reauthDelay
