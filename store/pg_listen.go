package store

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notifications: every write transaction on a PostgreSQL ledger ends with
// pg_notify('coolpay_changes', n) (pgLog.commit). A process showing the
// ledger listens on a session of its own and wakes its watcher at once;
// polling the change counter stays the fallback (a lost session, a
// notification dropped), so a missed one costs at most one poll interval.

type pgListener struct {
	once sync.Once
	ch   chan struct{}
	stop chan struct{}
	done chan struct{}
}

// Notify returns a channel that receives (coalesced) when another process
// may have changed the ledger: a hint to call Watch now rather than at the
// next poll. It is nil for a ledger file, whose change counter is polled.
func (db *DB) Notify() <-chan struct{} {
	if db == nil || db.pg == nil {
		return nil
	}
	l := db.pg
	l.listen.once.Do(func() {
		l.listen.ch = make(chan struct{}, 1)
		l.listen.stop = make(chan struct{})
		l.listen.done = make(chan struct{})
		go l.listenLoop()
	})
	return l.listen.ch
}

func (l *pgLedger) listenLoop() {
	defer close(l.listen.done)
	backoff := time.Second
	for {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			select {
			case <-l.listen.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		err := l.listenOnce(ctx)
		cancel()
		select {
		case <-l.listen.stop:
			return
		default:
		}
		if err == nil {
			backoff = time.Second
		}
		// The session broke: wake the watcher (it polls, and learns
		// whatever it missed from the change log), then listen again.
		l.poke()
		select {
		case <-l.listen.stop:
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second) // a restarted server is heard again within seconds
	}
}

func (l *pgLedger) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, pgOpTimeout)
	cn, err := pgx.ConnectConfig(cctx, l.connCfg.Copy())
	cancel()
	if err != nil {
		return err
	}
	defer cn.Close(context.Background())
	if _, err := cn.Exec(ctx, `LISTEN coolpay_changes`); err != nil {
		return err
	}
	for {
		if _, err := cn.WaitForNotification(ctx); err != nil {
			return err
		}
		l.poke()
	}
}

func (l *pgLedger) poke() {
	select {
	case l.listen.ch <- struct{}{}:
	default:
	}
}

func (l *pgLedger) stopListening() {
	if l.listen.stop == nil {
		return
	}
	close(l.listen.stop)
	<-l.listen.done
}
