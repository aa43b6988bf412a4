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
	@started=; scripts/kafka status >/dev/null 2>&1 || { scripts/kafka start && started=1; }; \
	eval "$$(scripts/kafka env)" && (cd bench/compare && go run . $(BENCH_ARGS)); rc=$$?; \
	if [ -n "$$started" ]; then scripts/kafka stop; fi; exit $$rc

.PHONY: compat
compat: ## run the integration tests against Kafka 0.10.2.2 1.1.1 2.8.2 3.9.2 4.4.0 (each its own broker) and print the matrix; COMPAT_VERSIONS="..." to choose
	scripts/compat $(COMPAT_VERSIONS)
