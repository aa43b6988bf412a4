package core

import "context"

// intercept runs the producer's SendInterceptors on r and wraps fn so that
// its AckInterceptors see the outcome; without interceptors it returns r
// and fn as they are, at no cost.
func (p *Producer) intercept(ctx context.Context, r *Record, fn func(RecordMetadata, error)) (*Record, func(RecordMetadata, error)) {
	if !p.ics.sends() {
		return r, fn
	}
	return p.ics.onSend(ctx, r, fn)
}
