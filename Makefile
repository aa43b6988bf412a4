# kafka3-go: the README's commands. Each starts the local Kafka it needs
# (fetched through Maven the first time) and stops what it started.

.PHONY: quickstart test kafka-start kafka-stop generate fuzz bench

quickstart: ## start a local Kafka and run the quickstart (produce, consume in a group, metrics)
	scripts/quickstart

test: ## run every test against a real local Kafka
	scripts/test

kafka-start: ## start the local broker (scripts/kafka start) and leave it running
	scripts/kafka start

kafka-stop: ## stop the local broker
	scripts/kafka stop

generate: ## regenerate core/protocol from Kafka's message specs
	scripts/genproto

bench: ## compare kafka3-go with franz-go, sarama, kafka-go, Java and kafka-python; BENCH_ARGS="..." for the issue's sizes (see BENCHMARKS.md)
	@started=; scripts/kafka status >/dev/null 2>&1 || { KAFKA3_BROKER_JIT=full scripts/kafka start && started=1; }; \
	eval "$$(scripts/kafka env)" && (cd bench/compare && go run . $(BENCH_ARGS)); rc=$$?; \
	if [ -n "$$started" ]; then scripts/kafka stop; fi; exit $$rc

.PHONY: compat
compat: ## run the integration tests against Kafka 0.10.2.2 1.1.1 2.8.2 3.9.2 4.4.0 (each its own broker) and print the matrix; COMPAT_VERSIONS="..." to choose
	scripts/compat $(COMPAT_VERSIONS)

# Fuzzing: every Fuzz target of the module (found with go test -list), FUZZTIME
# each. The seed corpora already run in `make test` as part of go test.
FUZZTIME ?= 30s
fuzz: ## fuzz every decoder (every Fuzz target), FUZZTIME each (default 30s); scripts/fuzz PKGS to choose
	FUZZTIME=$(FUZZTIME) scripts/fuzz

# The long reliability suite (RELIABILITY.md): network faults with more
# records on the local broker, and broker faults (kill -9, controller,
# leader moves) on a 3-node cluster of its own in REL_STATE on ports from
# REL_PORT_BASE (below the ephemeral port range, so no client connection
# holds one of them), stopped afterwards. Figures are appended to REL_REPORT.
REL_STATE ?= /tmp/kafka3-reliability
REL_PORT_BASE ?= 31500
REL_REPORT ?= $(REL_STATE)-report.txt
# As root with iproute2 the cluster's nodes run in network namespaces
# (scripts/kafka, KAFKA3_NETNS), so that a test can partition brokers from
# each other; REL_NETNS= keeps them on loopback.
REL_NETNS ?= $(shell [ "$$(id -u)" = 0 ] && command -v ip >/dev/null && echo k3rel)
.PHONY: reliability
reliability: ## the long reliability suite: network and broker faults, figures in REL_REPORT (see RELIABILITY.md)
	@started=; cluster=; \
	cleanup() { [ -z "$$cluster" ] || KAFKA3_STATE=$(REL_STATE) KAFKA3_PORT_BASE=$(REL_PORT_BASE) scripts/kafka stop; \
		[ -z "$$started" ] || scripts/kafka stop; }; \
	trap cleanup EXIT INT TERM; \
	scripts/kafka status >/dev/null 2>&1 || { scripts/kafka start && started=1; } || exit 1; \
	eval "$$(scripts/kafka env)"; \
	{ KAFKA3_NETNS=$(REL_NETNS) KAFKA3_STATE=$(REL_STATE) KAFKA3_PORT_BASE=$(REL_PORT_BASE) scripts/kafka start --cluster 3 || \
	  { [ -n "$(REL_NETNS)" ] && echo "make reliability: no network namespaces here; the cluster runs on loopback" && \
	    KAFKA3_NETNS= KAFKA3_STATE=$(REL_STATE) KAFKA3_PORT_BASE=$(REL_PORT_BASE) scripts/kafka start --cluster 3; }; } && cluster=1 || exit 1; \
	rel=$$(KAFKA3_STATE=$(REL_STATE) KAFKA3_PORT_BASE=$(REL_PORT_BASE) scripts/kafka env | sed -n 's/^export KAFKA3_BROKERS=//p'); \
	echo "== $$(date -u +%FT%TZ) make reliability ($$(git rev-parse --short HEAD))" >>$(REL_REPORT); \
	RELIABILITY_LONG=1 RELIABILITY_REPORT=$(REL_REPORT) KAFKA3_REL_STATE=$(REL_STATE) KAFKA3_REL_BROKERS=$$rel \
		go test -count=1 -timeout 30m $(RELIABILITY_ARGS) ./reliability/ ./internal/faultproxy/; rc=$$?; \
	echo "== figures (also in $(REL_REPORT)):"; sed -n '/make reliability/h; //!H; $$!d; x; p' $(REL_REPORT); \
	exit $$rc
