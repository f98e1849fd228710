package sandboxtest

import (
	"sync"
	"time"

	"github.com/coolpay/coolpay/client/sandbox"
)

// FakeConfirm is the ConfirmAfter to use with a Clock: long enough that no
// real timer fires while a test runs, so only Advance settles payments.
const FakeConfirm = time.Hour

// Clock is a clock for sandbox.Config.Now that moves only when told. With
// ConfirmAfter FakeConfirm, Advance past it applies exactly the outcomes
// that are due: a test checks that nothing else happened without sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a Clock at a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2024, 6, 8, 16, 34, 0, 0, time.UTC)}
}

// Now is the clock's time (sandbox.Config.Now).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d and applies what is due on sb.
func (c *Clock) Advance(sb *sandbox.Server, d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	sb.Settle()
}
