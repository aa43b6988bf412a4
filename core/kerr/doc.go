// Package kerr holds Kafka's protocol error codes as Go errors: one *Error
// sentinel per code (kerr.UnknownTopicOrPartition, kerr.NotCoordinator, ...)
// with the code, Java's name, a description in this project's words that
// says what to do where the user can act, and whether Java's client retries
// it.
//
// Responses carry error codes; turn them into errors with ForCode, or with
// WithMessage when the response also has an error message, and test them
// with errors.Is, errors.As or IsRetriable. ErrorType gives OpenTelemetry's
// error.type. The package imports only the standard library.
package kerr
