package app

import (
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/pay"
)

// newPayScreen builds the money-moving screens of ui/pay.
func newPayScreen(c *common.Common, t Tab) common.Component {
	switch t {
	case TabPaylink:
		return pay.NewPaylink(c)
	case TabPayin:
		return pay.NewPayin(c)
	case TabPayout:
		return pay.NewPayout(c)
	}
	panic("app: no screen for tab " + t.key())
}
