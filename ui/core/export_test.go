package core

import "time"

// SetPendingBackoff sets how long s's queue of answers waiting for the
// ledger pauses between tries (tests hold it until RetryPending).
func SetPendingBackoff(s *Service, first, most time.Duration) {
	s.pending.mu.Lock()
	s.pending.first, s.pending.max = first, most
	s.pending.mu.Unlock()
}
