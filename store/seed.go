package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// ErrHasReal: Seed refused a ledger that holds real transactions.
var ErrHasReal = errors.New("the ledger holds real transactions")

// Seed appends n synthetic records (Synthesize(n, seed, now)) for demos and
// benchmarks. It refuses a ledger holding real transactions unless force.
// Open the ledger with NoSync for speed: Seed writes in large batches.
func Seed(db *DB, n int, seed int64, force bool) error {
	if n < 0 {
		return fmt.Errorf("seed: negative count %d", n)
	}
	if !force {
		real, err := db.HasReal()
		if err != nil {
			return err
		}
		if real {
			return fmt.Errorf("seed %s: %w (use --force to add synthetic ones anyway)", db.Path(), ErrHasReal)
		}
	}
	gen := Synthesize(n, seed, time.Now())
	batch := make([]Record, 0, insertBatch)
	for i := 0; i < n; i++ {
		batch = append(batch, gen(i))
		if len(batch) == cap(batch) || i == n-1 {
			if err := db.Insert(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

var (
	seedFirst = []string{"Marie", "Jean", "Paul", "Aïcha", "Brice", "Carine", "Hervé", "Josiane", "Ibrahim",
		"Fatimatou", "Serge", "Ange", "Blaise", "Yannick", "Nadège", "Rodrigue", "Clarisse", "Landry",
		"Sandrine", "Arnaud", "Estelle", "Junior", "Mireille", "Franck", "Gaëlle", "Christelle", "Boris",
		"Hamidou", "Raïssa", "Cédric"}
	seedLast = []string{"Ngono", "Mbarga", "Fotso", "Tchoupo", "Nkeng", "Abena", "Manga", "Nana", "Kamga",
		"Tchinda", "Essomba", "Owona", "Atangana", "Djoumessi", "Kenfack", "Nguemo", "Mvondo", "Simo",
		"Talla", "Yemeli", "Bello", "Hamadou", "Moussa", "Wamba", "Ebogo", "Fouda", "Ndjock", "Tagne",
		"Mefire", "Ngassa"}
	seedReasons = []string{"Facture %d", "Commande #%d", "Loyer", "Frais de scolarité", "Abonnement",
		"Remboursement", "Livraison %d", "Salaire", "Cotisation tontine", "Achat marchandises",
		"Facture eau %d", "Réparation", ""}
	seedFailures = []string{"Solde insuffisant", "Code PIN incorrect", "Délai dépassé",
		"Numéro invalide", "Transaction refusée par l'opérateur"}
	asciiFold = strings.NewReplacer("ï", "i", "é", "e", "è", "e", "ë", "e", "ç", "c", "'", "")
)

// The request bodies as the client marshals them (same field order), so
// that synthetic records weigh what real ones do.
type seedPayRequest struct {
	TransactionAmount   json.Number `json:"transaction_amount"`
	TransactionCurrency string      `json:"transaction_currency,omitempty"`
	TransactionReason   string      `json:"transaction_reason,omitempty"`
	AppTransactionRef   string      `json:"app_transaction_ref,omitempty"`
	CustomerPhoneNumber string      `json:"customer_phone_number,omitempty"`
	CustomerName        string      `json:"customer_name,omitempty"`
	CustomerEmail       string      `json:"customer_email,omitempty"`
	CustomerLang        string      `json:"customer_lang,omitempty"`
}

type seedPayoutRequest struct {
	TransactionAmount   json.Number `json:"transaction_amount"`
	TransactionCurrency string      `json:"transaction_currency,omitempty"`
	TransactionReason   string      `json:"transaction_reason,omitempty"`
	TransactionOperator string      `json:"transaction_operator"`
	AppTransactionRef   string      `json:"app_transaction_ref,omitempty"`
	CustomerName        string      `json:"customer_name,omitempty"`
	CustomerPhoneNumber string      `json:"customer_phone_number,omitempty"`
	CustomerUsername    string      `json:"customer_username,omitempty"`
	CustomerEmail       string      `json:"customer_email,omitempty"`
	CustomerLang        string      `json:"customer_lang,omitempty"`
}

// Synthesize returns a generator of n synthetic records spread over the two
// years before now, record i older than record i+1. Record i depends only on
// (seed, i), so generation can be split or repeated.
func Synthesize(n int, seed int64, now time.Time) func(i int) Record {
	span := 2 * 365 * 24 * time.Hour
	start := now.Add(-span).Unix()
	step := span.Seconds() / math.Max(float64(n), 1)
	return func(i int) Record {
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
		pick := func(s []string) string { return s[rng.IntN(len(s))] }
		created := time.Unix(start+int64((float64(i)+rng.Float64())*step), 0)
		r := Record{Synthetic: true, Created: created, Currency: "XAF"}

		switch p := rng.IntN(100); {
		case p < 60:
			r.Type = TypePayin
		case p < 85:
			r.Type = TypePayout
		default:
			r.Type = TypePaylink
		}
		switch p := rng.IntN(100); {
		case r.Type == TypePayout && p < 20:
			r.Operator = "MCP"
		case r.Type == TypePaylink && p < 15:
			r.Operator = "CARD"
		case r.Type == TypePaylink && p < 25:
			r.Operator = "MCP"
		case p < 62:
			r.Operator = "CM_OM"
		default:
			r.Operator = "CM_MOMO"
		}
		switch p := rng.IntN(1000); {
		case p < 800:
			r.State = StateSuccess
		case p < 880:
			r.State = StateFailed
		case p < 930:
			r.State = StateCanceled
		case p < 950:
			r.State = StateRejected
		case p < 960:
			r.State = StatePending
		case p < 963:
			r.State = StateUnknown
		case p < 965 && r.Type == TypePayin:
			r.State = StateOTP
		case r.Type == TypePaylink:
			r.State = StateCreated
		default:
			r.State = StateSuccess
		}

		first, last := pick(seedFirst), pick(seedLast)
		r.CustomerName = first + " " + last
		prefix := []string{"69", "655", "656", "657", "658", "659"} // Orange Cameroun
		if r.Operator == "CM_MOMO" || (r.Operator != "CM_OM" && rng.IntN(2) == 0) {
			prefix = []string{"67", "68", "650", "651", "652", "653", "654"} // MTN
		}
		pfx := "6" + pick(prefix)[1:]
		r.CustomerPhone = pfx + digits(rng, 9-len(pfx)) // normalised, as coolpay stores phones
		if rng.IntN(100) < 35 {
			dom := []string{"gmail.com", "yahoo.fr", "gmail.com", "outlook.fr"}[rng.IntN(4)]
			r.CustomerEmail = strings.ToLower(asciiFold.Replace(first+"."+last)) + strconv.Itoa(rng.IntN(100)) + "@" + dom
		}
		if r.Operator == "MCP" && r.Type == TypePayout {
			r.CustomerUsername = strings.ToLower(asciiFold.Replace(last)) + digits(rng, 3)
		}
		if rng.IntN(10) < 8 {
			r.CustomerLang = "fr"
		} else {
			r.CustomerLang = "en"
		}
		reason := pick(seedReasons)
		if strings.Contains(reason, "%d") {
			reason = fmt.Sprintf(reason, 100+rng.IntN(99900))
		}
		r.Reason = reason
		amount := int64(math.Exp(math.Log(100) + rng.Float64()*(math.Log(500000)-math.Log(100))))
		amount = max(100, amount/50*50)
		r.Amount = strconv.FormatInt(amount, 10)
		r.AppRef = "cp-" + created.UTC().Format("20060102") + "-" + hexDigits(rng, 12)
		if r.State != StateRejected {
			r.TransactionRef = hexDigits(rng, 8) + "-" + hexDigits(rng, 4) + "-4" + hexDigits(rng, 3) + "-" +
				string("89ab"[rng.IntN(4)]) + hexDigits(rng, 3) + "-" + hexDigits(rng, 12)
		}

		var req []byte
		switch r.Type {
		case TypePayout:
			req, _ = json.Marshal(seedPayoutRequest{json.Number(r.Amount), "XAF", r.Reason, r.Operator, r.AppRef,
				r.CustomerName, r.CustomerPhone, r.CustomerUsername, r.CustomerEmail, r.CustomerLang})
			r.HTTPStatus = 200
			if r.State != StateSuccess {
				r.HTTPStatus = 202
			}
		default:
			req, _ = json.Marshal(seedPayRequest{json.Number(r.Amount), "XAF", r.Reason, r.AppRef,
				r.CustomerPhone, r.CustomerName, r.CustomerEmail, r.CustomerLang})
			r.HTTPStatus = 201
		}
		r.Request = string(req)
		switch r.Type {
		case TypePaylink:
			if r.TransactionRef != "" {
				r.PaymentURL = "https://my-coolpay.com/payment/checkout/" + r.TransactionRef
			}
		case TypePayin:
			r.Action = "PENDING"
			if r.State == StateOTP || rng.IntN(10) == 0 {
				r.Action = "REQUIRE_OTP"
			}
			r.USSD = "#150*50#"
			if r.Operator == "CM_MOMO" {
				r.USSD = "*126#"
			}
		}

		// The trail: 2 to 4 events, then Updated is the last one.
		at := created
		later := func(maxSec int) time.Time { at = at.Add(time.Duration(1+rng.IntN(maxSec)) * time.Second); return at }
		r.Events = []Event{{At: created, Kind: EvCreated}}
		switch r.State {
		case StateRejected:
			r.HTTPStatus = 400
			r.Message = pick(seedFailures)
			r.Events = append(r.Events, Event{At: later(3), Kind: EvError, Detail: r.Message})
		case StatePending, StateCreated, StateOTP, StateUnknown:
			r.Events = append(r.Events, Event{At: later(2), Kind: EvSent})
			kind := EvAnswered
			if r.State == StateUnknown {
				kind = EvUnknown
			}
			r.Events = append(r.Events, Event{At: later(3), Kind: kind})
			if r.State == StatePending || r.State == StateUnknown {
				r.APIStatus = "PENDING"
				if r.State == StateUnknown {
					r.APIStatus = ""
				}
			}
		default:
			r.APIStatus = string(r.State)
			r.Fees = strconv.FormatInt(max(0, amount*2/100), 10)
			switch r.Operator {
			case "CM_OM":
				r.OperatorRef = "MP" + created.UTC().Format("060102") + "." + digits(rng, 4) + ".C" + digits(rng, 5)
			case "CM_MOMO":
				r.OperatorRef = digits(rng, 10)
			case "MCP":
				r.OperatorRef = "MCP" + digits(rng, 9)
			default:
				r.OperatorRef = strings.ToUpper(hexDigits(rng, 16))
			}
			if r.State == StateSuccess {
				if r.Type == TypePayout {
					r.Message = "Successful transaction !"
				}
			} else {
				r.Message = pick(seedFailures)
			}
			r.Events = append(r.Events, Event{At: later(2), Kind: EvSent})
			kind := EvCallback
			if rng.IntN(4) == 0 {
				kind = EvPolled
			}
			r.Events = append(r.Events, Event{At: later(600), Kind: kind, Detail: r.APIStatus},
				Event{At: at, Kind: EvFinal, Detail: string(r.State)})
		}
		r.Updated = at
		return r
	}
}

func digits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}

func hexDigits(rng *rand.Rand, n int) string {
	const hx = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hx[rng.IntN(16)]
	}
	return string(b)
}
