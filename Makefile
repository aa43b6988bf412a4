# kafka3-go: the README's commands. Each starts the local Kafka it needs
# (fetched through Maven the first time) and stops what it started.

.PHONY: quickstart test kafka-start kafka-stop generate fuzz

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
