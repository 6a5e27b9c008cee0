# The two commands of the README:
#   make run    build the tools, index the bundled reports, search them
#   make test   run every test
GO ?= go
BIN := bin

.PHONY: run test build lint fuzz bench clean

build:
	$(GO) build -o $(BIN)/ ./cmd/...

run: build
	$(BIN)/indexer -o $(BIN)/bundled-index corpus/reports
	$(BIN)/search -index $(BIN)/bundled-index -limit 5 放管服
	@echo
	@echo "Web: $(BIN)/search serve -index $(BIN)/bundled-index   (then open http://127.0.0.1:8080/)"

test: lint
	$(GO) test -count=1 ./...
	$(MAKE) fuzz FUZZTIME=5s

# Every fuzz target, one after the other, from its committed seed corpus
# (testdata/fuzz and the f.Add seeds). `make test` runs each for 5 s; for a
# real search run `make fuzz` (10 minutes each) or FUZZTIME=1h.
FUZZTIME ?= 10m
FUZZ := corpus:FuzzParse query:FuzzParse web:FuzzParseSearchParams \
	index:FuzzHighlight segment:FuzzOpen segment:FuzzRestore internal/termtext:FuzzEscape
fuzz:
	@set -e; for t in $(FUZZ); do \
		pkg=$${t%%:*}; fn=$${t#*:}; \
		echo "fuzz $$fn in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

bench: build
	$(GO) run ./cmd/bench

clean:
	rm -rf $(BIN)
