# The two commands of the README:
#   make run    build the tools, index the bundled reports, search them
#   make test   run every test
GO ?= go
BIN := bin

.PHONY: run test build lint bench clean

build:
	$(GO) build -o $(BIN)/ ./cmd/...

run: build
	$(BIN)/indexer -o $(BIN)/bundled-index corpus/reports
	$(BIN)/search -index $(BIN)/bundled-index -limit 5 放管服
	@echo
	@echo "Web: $(BIN)/search serve -index $(BIN)/bundled-index   (then open http://127.0.0.1:8080/)"

test: lint
	$(GO) test -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

bench: build
	$(GO) run ./cmd/bench

clean:
	rm -rf $(BIN)
