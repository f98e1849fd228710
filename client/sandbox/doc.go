// Package sandbox is a simulated My-CoolPay server: an http.Handler that
// speaks the merchant API exactly as ../../../shared/API.md describes it, with
// deterministic test rules, so the client, the console and their tests can run
// every flow end to end without the vendor (which has no complete test
// environment).
//
// Routes (the public key is part of every API path, as on the vendor):
//
//	POST /api/{public_key}/paylink              201
//	POST /api/{public_key}/payin                201
//	POST /api/{public_key}/payin/authorize      201 (401 on a wrong code)
//	POST /api/{public_key}/payout               200 or 202 (X-PRIVATE-KEY)
//	GET  /api/{public_key}/checkStatus/{ref}    200
//	POST /api/{public_key}/checkStatus          200 (legacy, body {"transaction_ref":…})
//	GET  /api/{public_key}/balance              200 (X-PRIVATE-KEY)
//	GET  /payment/checkout/{ref}                the paylink's HTML checkout page
//	POST /payment/checkout/{ref}/{pay|cancel|fail}
//	GET  /_sandbox/stats                        request counters (Stats) as JSON
//
// Every error is {"status":"error","message":"…"} with a 4xx status (or the
// injected 500 below).
//
// Test rules, including the choices made where the vendor documents nothing:
//
//	rule                         | behaviour
//	-----------------------------+----------------------------------------------------------
//	unknown public key           | 404 "Unknown application: no application has this public key"
//	unknown route / wrong method | 404 "Route not found" / 405 "Method not allowed" (JSON)
//	bad JSON, empty body         | 400; body over 1 MiB: 413
//	private_key in a body        | 400 (deprecated by the vendor; the sandbox refuses it to catch leaks)
//	amount as a string ("100")   | 422: amounts must be JSON numbers (as documented)
//	amount / currency / phone /  | 422 with a message naming the field; validated with the
//	lang / email / operator      | client package's rules (ParseAmount, NormalizePhone)
//	app_transaction_ref          | stored and echoed, never deduplicated (no idempotency documented)
//	payin phone ending in 00     | REQUIRE_OTP; code 1234 accepted, anything else 401
//	                             | "Invalid authorization code !"; the 3rd wrong code fails the
//	                             | transaction (FAILED, callback); codes never expire
//	authorize when not awaiting  | 409 (already authorised, failed, not a payin); unknown ref 404
//	payin USSD                   | Orange (CM_OM) "#150*50#", MTN (CM_MOMO) "*126#"; a phone of
//	                             | neither operator is refused with 422
//	payin outcome (last digit)   | 1 FAILED, 2 CANCELED, 3 PENDING forever, else SUCCESS, reached
//	                             | ConfirmAfter (default 2s) after the payin became PENDING
//	                             | (after the OTP for REQUIRE_OTP payins)
//	paylink                      | CREATED until the customer acts on payment_url; Pay SUCCESS,
//	                             | Cancel CANCELED, Fail FAILED, at once (no digit rule);
//	                             | transaction_type PAYIN; operator CM_OM / CM_MOMO from the
//	                             | customer's phone when given, else CARD; EUR allowed (cents)
//	paylink query string         | kept (≤ 255 characters, else 422) and shown on the result page
//	payout checks, in order      | X-PRIVATE-KEY missing/wrong 401; client IP not loopback nor
//	                             | allow-listed 403 "IP address not allowed"; body 400/422;
//	                             | amount + fees over the balance 402 "Insufficient balance"
//	payout recipient             | CM_OM / CM_MOMO need a phone (its prefix is not checked against
//	                             | the operator); MCP needs one of phone, username, email
//	payout outcome (last digit)  | 0,4,5,6,8,9: 200 "Successful transaction !", SUCCESS at once;
//	                             | 7: 202 "Transaction in progress...", SUCCESS after ConfirmAfter;
//	                             | 1 / 2: 202, then FAILED / CANCELED after ConfirmAfter (refunded);
//	                             | 3: 202, PENDING forever (stays reserved)
//	fees                         | 2% of the amount, rounded half up (XAF units, EUR cents)
//	balance                      | XAF; payout debits amount + fees when accepted and refunds on
//	                             | FAILED/CANCELED; a payin credits amount - fees when it
//	                             | succeeds; EUR paylinks are credited at 1 EUR = 655.957 XAF
//	operator_transaction_ref     | "MP" + yymmdd.hhmm + ".A" + 5 digits, set at creation
//	transaction_message          | null until final, then "Transaction successful", "Transaction
//	                             | canceled" ("… by the customer" for a paylink), "Transaction
//	                             | failed" or "Too many invalid authorization codes"
//	callbacks                    | once per transaction when it becomes final, if CallbackURL is
//	                             | set; signed with client.SignCallback; 5s timeout; never
//	                             | retried; sent to any URL (the vendor refuses plain HTTP and
//	                             | localhost, the sandbox does not)
//	transaction_reason faults    | "sandbox:timeout": acts, answers after TimeoutDelay (60s) or
//	(paylink, payin, payout)     | when the client gives up; "sandbox:drop": acts, then closes
//	                             | the connection without an answer; "sandbox:500": HTML 500
//	                             | page, nothing done; "sandbox:badjson": 201 whose body is not
//	                             | JSON, nothing done; other "sandbox:…" reasons are plain text
//
// With a custom Config.Now, an outcome is applied on the first request (or
// Settle call) at which the clock has passed its due time.
package sandbox
