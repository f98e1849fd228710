# coolpay — two commands on a fresh machine: `make run` and `make test`.
GO        ?= go
BIN       ?= ./coolpay
FUZZTIME  ?= 50000x
CI        ?=

.PHONY: run build test vet fmt-check postgres hygiene tidy-check staticcheck vet-cross deadcode unit keyring fuzz e2e bench clean

# Tools for the hygiene checks, pinned: `go run pkg@version` builds them in
# the module cache without touching go.mod.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    ?= golang.org/x/tools/cmd/deadcode@v0.52.0

# One binary: the console and every command (the same program `go build .`
# and `go install` make). Built without cgo: Go then links no C runtime, and
# a static binary starts about a millisecond sooner (coolpay history is timed
# as a whole process; see make bench) and runs on any Linux of the same
# architecture. Nothing in coolpay needs cgo.
# (Only here: go test -race needs cgo.)
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) .

## run: the console on the built-in sandbox (throwaway ledger)
run: build
	$(BIN) --sandbox

## test: everything CI checks
test: fmt-check vet hygiene postgres unit keyring fuzz

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## hygiene: what keeps the tree clean (each fails make test on its own)
hygiene: tidy-check staticcheck vet-cross deadcode

# go.mod and go.sum say exactly what the code imports.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

staticcheck:
	$(GO) run $(STATICCHECK) ./...

# coolpay is built for Windows, macOS and the BSDs too: their files (and
# the tests) must vet there.
vet-cross:
	GOOS=windows $(GO) vet ./...
	GOOS=darwin $(GO) vet ./...
	GOOS=freebsd $(GO) vet ./...

# Exported code that only tests reach is dead weight (or a test helper that
# must say so): .ci/deadcode-allow lists the documented test helpers.
deadcode:
	@.ci/deadcode $(GO) $(DEADCODE)

unit:
	$(GO) test -race -count=1 ./...

# The PostgreSQL engine's tests (store/ledgertest, ui/cli) start a throwaway
# server on loopback (store/pgtest) from the installed binaries, or use the
# server $$COOLPAY_TEST_PG names. Without either they skip, and this says so;
# in CI they must run.
PG_INITDB := $(firstword $(shell command -v initdb 2>/dev/null) $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgres:
	@if [ -n "$$COOLPAY_TEST_PG" ]; then \
		echo "PostgreSQL engine tests: on the server in COOLPAY_TEST_PG"; \
	elif [ -n "$(PG_INITDB)" ]; then \
		echo "PostgreSQL engine tests: on a throwaway server ($(PG_INITDB))"; \
	elif [ -n "$(CI)" ]; then \
		echo "PostgreSQL engine tests cannot run: no initdb and no COOLPAY_TEST_PG (.ci/run installs postgresql)"; exit 1; \
	else \
		echo "PostgreSQL engine tests SKIPPED: install postgresql (Debian) or set COOLPAY_TEST_PG=postgres://... to run them"; \
	fi

# The private key's real home: a Secret Service keyring (gnome-keyring in its
# own D-Bus session). In CI this must run; elsewhere it runs when possible.
keyring:
	@if command -v gnome-keyring-daemon >/dev/null && command -v dbus-run-session >/dev/null; then \
		.ci/with-keyring env COOLPAY_REAL_KEYRING=1 $(GO) test -count=1 -run '^TestKeyringRealSecretService$$' -v ./keys/ ; \
	elif [ -n "$(CI)" ]; then \
		echo "keyring test: gnome-keyring or dbus missing (.ci/run installs them)"; exit 1; \
	else \
		echo "keyring test skipped: install gnome-keyring and dbus-user-session to run it"; \
	fi

# Short fuzzing runs of each target (go test runs one -fuzz target at a time),
# bounded by a count of inputs rather than a time: with a time bound, Go's
# fuzzer sometimes fails the run itself with "context deadline exceeded" when
# the time is up while a worker is busy. No minimising of new inputs either,
# which can outlast a short run the same way.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeResponse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./client/
	$(GO) test -run '^$$' -fuzz '^FuzzVerifyCallback$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./client/
	$(GO) test -run '^$$' -fuzz '^FuzzCodec$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./store/
	$(GO) test -run '^$$' -fuzz '^FuzzAppendJSON$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./store/
	$(GO) test -run '^$$' -fuzz '^FuzzCursor$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./store/
	$(GO) test -run '^$$' -fuzz '^FuzzLine$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/safe/
	$(GO) test -run '^$$' -fuzz '^FuzzJSON$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/safe/
	$(GO) test -run '^$$' -fuzz '^FuzzCSVCell$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/safe/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/batch/
	$(GO) test -run '^$$' -fuzz '^FuzzParseDate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/cli/
	$(GO) test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./ui/internal/config/

## bench: ledger benchmarks on 1,000,000 seeded records, the sqlite3 comparison, the console's start-up, 10 desks on PostgreSQL
bench: build
	@command -v sqlite3 >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends sqlite3; }
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./store/
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./store/ledgertest/
	$(GO) test -run '^$$' -bench PageAtAMillion -benchmem ./ui/history/
	$(GO) test -run '^$$' -bench 'HistoryProcessVsSQLite|SearchProcessVsSQLite' -benchtime 1x -timeout 60m ./ui/cli/
	@command -v tmux >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tmux; }
# 10 desks x 5 payouts/s on one PostgreSQL ledger for a minute: lost, doubled, busy must be 0.
	COOLPAY_LOAD_DURATION=1m $(GO) test -run '^$$' -bench TenDesksAtFiveAPerSecond -benchtime 1x -timeout 10m ./ui/core/
	$(GO) test -run '^$$' -bench ConsoleFirstFrame -benchtime 1x ./ui/e2e/
# (ConsoleFirstFrame also runs its PostgreSQL twin, ConsoleFirstFramePostgres: pg/bbolt.)

# The binary, and the coolpay-console a build before the single binary left.
clean:
	rm -f $(BIN) $(BIN)-console
