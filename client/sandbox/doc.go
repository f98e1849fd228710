// Package sandbox is a simulated My-CoolPay server: an http.Handler that
// speaks the merchant API as the vendor documents it (its Postman collection;
// the README's sandbox section lists each rule and where it comes from), with
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
//	POST /payment/checkout/{ref}/start          the customer starts paying: still PENDING
//	GET  /_sandbox/stats                        request counters (Stats) as JSON
//	POST /_sandbox/settle                       force an outcome: {"ref":…,"status":…}
//
// Every error is {"status":"error","message":"…"} (or "msg", with
// Config.ErrorField) with a 4xx status (or an injected 500). Bodies are JSON
// or forms, as the vendor's WooCommerce plugin sends them.
//
// The test rules, each marked "documented" (with its source: the Postman
// collection, the PHP SDK, its REST client, the WooCommerce plugin),
// "reported" or "sandbox's choice", are the table "The sandbox's rules" in
// the repository's README (a test keeps every row sourced); Config.TestRules
// lists the ones a tester steers with, as `coolpay sandbox` prints them.
//
// With a custom Config.Now, an outcome is applied on the first request (or
// Settle call) at which the clock has passed its due time.
package sandbox
