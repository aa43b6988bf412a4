package kerr

// The table below lists every error code of Apache Kafka up to 4.4.0 (its
// Errors enum, codes -1 to 136), with Java's name and whether Java's
// exception for the code extends RetriableException. Each Message is this
// project's own description: what the code means and, where the user can act,
// what to do; settings are named as this module's Go API spells them
// (ProducerConfig.MaxRequestSize) or, for broker and topic settings, by
// Kafka's property name (max.message.bytes).

var (
	// UnknownServerError is error code -1, UNKNOWN_SERVER_ERROR.
	UnknownServerError = &Error{Code: -1, Name: "UNKNOWN_SERVER_ERROR", Retriable: false,
		Message: "The broker failed unexpectedly while handling the request; the cause is in the broker's log."}
	// OffsetOutOfRange is error code 1, OFFSET_OUT_OF_RANGE.
	OffsetOutOfRange = &Error{Code: 1, Name: "OFFSET_OUT_OF_RANGE", Retriable: false,
		Message: "The offset asked for is before the start or past the end of the partition's log; seek to an offset that exists, or let ConsumerConfig.AutoOffsetReset choose one."}
	// CorruptMessage is error code 2, CORRUPT_MESSAGE. It is retriable.
	CorruptMessage = &Error{Code: 2, Name: "CORRUPT_MESSAGE", Retriable: true,
		Message: "The broker found a damaged record batch (bad checksum or size) or, on older brokers, a record without a key on a compacted topic, which needs one."}
	// UnknownTopicOrPartition is error code 3, UNKNOWN_TOPIC_OR_PARTITION. It is retriable.
	UnknownTopicOrPartition = &Error{Code: 3, Name: "UNKNOWN_TOPIC_OR_PARTITION", Retriable: true,
		Message: "The broker has no such topic or partition: it does not exist, is still being created, or lives on another broker. Check the name or create the topic."}
	// InvalidFetchSize is error code 4, INVALID_FETCH_SIZE.
	InvalidFetchSize = &Error{Code: 4, Name: "INVALID_FETCH_SIZE", Retriable: false,
		Message: "A fetch asked for a number of bytes the broker cannot accept; check ConsumerConfig.FetchMaxBytes and MaxPartitionFetchBytes."}
	// LeaderNotAvailable is error code 5, LEADER_NOT_AVAILABLE. It is retriable.
	LeaderNotAvailable = &Error{Code: 5, Name: "LEADER_NOT_AVAILABLE", Retriable: true,
		Message: "The partition has no leader at the moment, usually during a leader election or just after the topic was created; a retry shortly afterwards normally works."}
	// NotLeaderOrFollower is error code 6, NOT_LEADER_OR_FOLLOWER. It is retriable.
	NotLeaderOrFollower = &Error{Code: 6, Name: "NOT_LEADER_OR_FOLLOWER", Retriable: true,
		Message: "The broker asked is not the partition's leader (or not one of its replicas), because leadership moved; refresh metadata and send the request to the new leader."}
	// RequestTimedOut is error code 7, REQUEST_TIMED_OUT. It is retriable.
	RequestTimedOut = &Error{Code: 7, Name: "REQUEST_TIMED_OUT", Retriable: true,
		Message: "The broker did not finish the request in time (for example, replicas were slow to confirm a write with acks=all); retry, or raise Config.RequestTimeout if it keeps happening."}
	// BrokerNotAvailable is error code 8, BROKER_NOT_AVAILABLE.
	BrokerNotAvailable = &Error{Code: 8, Name: "BROKER_NOT_AVAILABLE", Retriable: false,
		Message: "The broker the request refers to is down or not part of the cluster right now."}
	// ReplicaNotAvailable is error code 9, REPLICA_NOT_AVAILABLE. It is retriable.
	ReplicaNotAvailable = &Error{Code: 9, Name: "REPLICA_NOT_AVAILABLE", Retriable: true,
		Message: "A replica of the partition is offline or not on the broker asked; this is usually temporary."}
	// MessageTooLarge is error code 10, MESSAGE_TOO_LARGE.
	MessageTooLarge = &Error{Code: 10, Name: "MESSAGE_TOO_LARGE", Retriable: false,
		Message: "The record batch is larger than the broker or topic accepts; raise max.message.bytes on the topic (or message.max.bytes on the broker), or lower ProducerConfig.BatchSize and MaxRequestSize."}
	// StaleControllerEpoch is error code 11, STALE_CONTROLLER_EPOCH.
	StaleControllerEpoch = &Error{Code: 11, Name: "STALE_CONTROLLER_EPOCH", Retriable: false,
		Message: "A replaced controller sent a request to a broker; this is an error between brokers, not a client error."}
	// OffsetMetadataTooLarge is error code 12, OFFSET_METADATA_TOO_LARGE.
	OffsetMetadataTooLarge = &Error{Code: 12, Name: "OFFSET_METADATA_TOO_LARGE", Retriable: false,
		Message: "The metadata string committed with an offset is longer than the broker's offset.metadata.max.bytes; commit a shorter one."}
	// NetworkException is error code 13, NETWORK_EXCEPTION. It is retriable.
	NetworkException = &Error{Code: 13, Name: "NETWORK_EXCEPTION", Retriable: true,
		Message: "The connection to the broker closed before its response arrived, so the request may or may not have taken effect; it can be retried."}
	// CoordinatorLoadInProgress is error code 14, COORDINATOR_LOAD_IN_PROGRESS. It is retriable.
	CoordinatorLoadInProgress = &Error{Code: 14, Name: "COORDINATOR_LOAD_IN_PROGRESS", Retriable: true,
		Message: "The group or transaction coordinator is still loading its state after a restart or a move; retry shortly."}
	// CoordinatorNotAvailable is error code 15, COORDINATOR_NOT_AVAILABLE. It is retriable.
	CoordinatorNotAvailable = &Error{Code: 15, Name: "COORDINATOR_NOT_AVAILABLE", Retriable: true,
		Message: "No coordinator is active for the group or transaction yet (often the internal offsets or transactions topic is not ready); retry shortly."}
	// NotCoordinator is error code 16, NOT_COORDINATOR. It is retriable.
	NotCoordinator = &Error{Code: 16, Name: "NOT_COORDINATOR", Retriable: true,
		Message: "The broker asked is not the coordinator of this group or transaction; look the coordinator up again and retry there."}
	// InvalidTopicException is error code 17, INVALID_TOPIC_EXCEPTION.
	InvalidTopicException = &Error{Code: 17, Name: "INVALID_TOPIC_EXCEPTION", Retriable: false,
		Message: "The topic name is not valid or the operation is not allowed on it (such as writing to an internal topic); names use at most 249 of the characters a-z, A-Z, 0-9, '.', '_' and '-'."}
	// RecordListTooLarge is error code 18, RECORD_LIST_TOO_LARGE.
	RecordListTooLarge = &Error{Code: 18, Name: "RECORD_LIST_TOO_LARGE", Retriable: false,
		Message: "The record batch is larger than the topic's log segment (segment.bytes); send smaller batches or raise segment.bytes."}
	// NotEnoughReplicas is error code 19, NOT_ENOUGH_REPLICAS. It is retriable.
	NotEnoughReplicas = &Error{Code: 19, Name: "NOT_ENOUGH_REPLICAS", Retriable: true,
		Message: "With acks=all, the broker refused the write because fewer replicas are in sync than the topic's min.insync.replicas; it succeeds again once replicas catch up."}
	// NotEnoughReplicasAfterAppend is error code 20, NOT_ENOUGH_REPLICAS_AFTER_APPEND. It is retriable.
	NotEnoughReplicasAfterAppend = &Error{Code: 20, Name: "NOT_ENOUGH_REPLICAS_AFTER_APPEND", Retriable: true,
		Message: "The leader stored the records, but the in-sync replicas fell below min.insync.replicas before confirming them; a retry may store them twice unless idempotence is on."}
	// InvalidRequiredAcks is error code 21, INVALID_REQUIRED_ACKS.
	InvalidRequiredAcks = &Error{Code: 21, Name: "INVALID_REQUIRED_ACKS", Retriable: false,
		Message: "The produce request's acks value is not one the broker accepts; set ProducerConfig.Acks to AcksAll, AcksLeader or AcksNone."}
	// IllegalGeneration is error code 22, ILLEGAL_GENERATION.
	IllegalGeneration = &Error{Code: 22, Name: "ILLEGAL_GENERATION", Retriable: false,
		Message: "The member's generation is out of date because the group has rebalanced since; rejoin the group before committing or syncing again."}
	// InconsistentGroupProtocol is error code 23, INCONSISTENT_GROUP_PROTOCOL.
	InconsistentGroupProtocol = &Error{Code: 23, Name: "INCONSISTENT_GROUP_PROTOCOL", Retriable: false,
		Message: "The member's protocol type or assignors share nothing with the group's other members (or are empty); make every member the same kind of client with a common entry in ConsumerConfig.AssignmentStrategy."}
	// InvalidGroupID is error code 24, INVALID_GROUP_ID.
	InvalidGroupID = &Error{Code: 24, Name: "INVALID_GROUP_ID", Retriable: false,
		Message: "The group ID is empty or otherwise not valid; set ConsumerConfig.GroupID."}
	// UnknownMemberID is error code 25, UNKNOWN_MEMBER_ID.
	UnknownMemberID = &Error{Code: 25, Name: "UNKNOWN_MEMBER_ID", Retriable: false,
		Message: "The coordinator does not know this member ID, usually because its session expired; the member must join the group again."}
	// InvalidSessionTimeout is error code 26, INVALID_SESSION_TIMEOUT.
	InvalidSessionTimeout = &Error{Code: 26, Name: "INVALID_SESSION_TIMEOUT", Retriable: false,
		Message: "ConsumerConfig.SessionTimeout is outside what the broker permits (group.min.session.timeout.ms to group.max.session.timeout.ms); change it or the broker's limits."}
	// RebalanceInProgress is error code 27, REBALANCE_IN_PROGRESS.
	RebalanceInProgress = &Error{Code: 27, Name: "REBALANCE_IN_PROGRESS", Retriable: false,
		Message: "The group is rebalancing; the member must rejoin before its commit or request can succeed."}
	// InvalidCommitOffsetSize is error code 28, INVALID_COMMIT_OFFSET_SIZE.
	InvalidCommitOffsetSize = &Error{Code: 28, Name: "INVALID_COMMIT_OFFSET_SIZE", Retriable: false,
		Message: "The broker could not store the offset commit because its data is too large for the offsets topic; commit fewer partitions or less metadata at a time."}
	// TopicAuthorizationFailed is error code 29, TOPIC_AUTHORIZATION_FAILED.
	TopicAuthorizationFailed = &Error{Code: 29, Name: "TOPIC_AUTHORIZATION_FAILED", Retriable: false,
		Message: "The client's principal lacks an ACL for this operation on the topic; grant it."}
	// GroupAuthorizationFailed is error code 30, GROUP_AUTHORIZATION_FAILED.
	GroupAuthorizationFailed = &Error{Code: 30, Name: "GROUP_AUTHORIZATION_FAILED", Retriable: false,
		Message: "The client's principal lacks an ACL for this operation on the group (consumers need READ on their group); grant it."}
	// ClusterAuthorizationFailed is error code 31, CLUSTER_AUTHORIZATION_FAILED.
	ClusterAuthorizationFailed = &Error{Code: 31, Name: "CLUSTER_AUTHORIZATION_FAILED", Retriable: false,
		Message: "The client's principal lacks the cluster-level ACL this operation needs; grant it. Brokers before 2.8 also require IDEMPOTENT_WRITE on the cluster for idempotent producers."}
	// InvalidTimestamp is error code 32, INVALID_TIMESTAMP.
	InvalidTimestamp = &Error{Code: 32, Name: "INVALID_TIMESTAMP", Retriable: false,
		Message: "A record's timestamp is further from the broker's clock than the topic allows (message.timestamp.before.max.ms and message.timestamp.after.max.ms); check the producer host's clock or the timestamps set."}
	// UnsupportedSASLMechanism is error code 33, UNSUPPORTED_SASL_MECHANISM.
	UnsupportedSASLMechanism = &Error{Code: 33, Name: "UNSUPPORTED_SASL_MECHANISM", Retriable: false,
		Message: "The broker does not enable the requested SASL mechanism on this listener; set Config.SASL.Mechanism to one in the broker's sasl.enabled.mechanisms."}
	// IllegalSASLState is error code 34, ILLEGAL_SASL_STATE.
	IllegalSASLState = &Error{Code: 34, Name: "ILLEGAL_SASL_STATE", Retriable: false,
		Message: "A SASL request came at the wrong step of the authentication exchange; this points to a bug in the client or broker."}
	// UnsupportedVersion is error code 35, UNSUPPORTED_VERSION.
	UnsupportedVersion = &Error{Code: 35, Name: "UNSUPPORTED_VERSION", Retriable: false,
		Message: "The broker does not support this request at the version sent, or at all; the broker is likely too old for the operation."}
	// TopicAlreadyExists is error code 36, TOPIC_ALREADY_EXISTS.
	TopicAlreadyExists = &Error{Code: 36, Name: "TOPIC_ALREADY_EXISTS", Retriable: false,
		Message: "The topic name is taken; use the existing topic, or delete it first."}
	// InvalidPartitions is error code 37, INVALID_PARTITIONS.
	InvalidPartitions = &Error{Code: 37, Name: "INVALID_PARTITIONS", Retriable: false,
		Message: "The partition count is not valid: a topic needs at least 1, and an existing topic's count can only grow."}
	// InvalidReplicationFactor is error code 38, INVALID_REPLICATION_FACTOR.
	InvalidReplicationFactor = &Error{Code: 38, Name: "INVALID_REPLICATION_FACTOR", Retriable: false,
		Message: "The replication factor must be at least 1 and at most the number of brokers available; lower it or add brokers."}
	// InvalidReplicaAssignment is error code 39, INVALID_REPLICA_ASSIGNMENT.
	InvalidReplicaAssignment = &Error{Code: 39, Name: "INVALID_REPLICA_ASSIGNMENT", Retriable: false,
		Message: "The replica assignment is not valid (for example, it names unknown or repeated brokers, or partitions have different replica counts)."}
	// InvalidConfig is error code 40, INVALID_CONFIG.
	InvalidConfig = &Error{Code: 40, Name: "INVALID_CONFIG", Retriable: false,
		Message: "A configuration name or value in the request is not valid; the broker's message names it."}
	// NotController is error code 41, NOT_CONTROLLER. It is retriable.
	NotController = &Error{Code: 41, Name: "NOT_CONTROLLER", Retriable: true,
		Message: "The broker asked is not the active controller; find the controller again and retry."}
	// InvalidRequest is error code 42, INVALID_REQUEST.
	InvalidRequest = &Error{Code: 42, Name: "INVALID_REQUEST", Retriable: false,
		Message: "The broker could not accept the request as sent: it is malformed or does not fit this broker; the broker's log explains."}
	// UnsupportedForMessageFormat is error code 43, UNSUPPORTED_FOR_MESSAGE_FORMAT.
	UnsupportedForMessageFormat = &Error{Code: 43, Name: "UNSUPPORTED_FOR_MESSAGE_FORMAT", Retriable: false,
		Message: "The topic's message format version is too old for this request (for example, headers and transactions need format v2); raise the topic's message.format.version (brokers before 4.0)."}
	// PolicyViolation is error code 44, POLICY_VIOLATION.
	PolicyViolation = &Error{Code: 44, Name: "POLICY_VIOLATION", Retriable: false,
		Message: "The broker's policy for creating or changing topics or configs refused the request; the broker's message names the rule."}
	// OutOfOrderSequenceNumber is error code 45, OUT_OF_ORDER_SEQUENCE_NUMBER.
	OutOfOrderSequenceNumber = &Error{Code: 45, Name: "OUT_OF_ORDER_SEQUENCE_NUMBER", Retriable: false,
		Message: "The broker got a batch whose sequence number skips past the one it expected from this producer, so records in between may be lost."}
	// DuplicateSequenceNumber is error code 46, DUPLICATE_SEQUENCE_NUMBER.
	DuplicateSequenceNumber = &Error{Code: 46, Name: "DUPLICATE_SEQUENCE_NUMBER", Retriable: false,
		Message: "The broker already has a batch with this sequence number from this producer; the batch is a duplicate."}
	// InvalidProducerEpoch is error code 47, INVALID_PRODUCER_EPOCH.
	InvalidProducerEpoch = &Error{Code: 47, Name: "INVALID_PRODUCER_EPOCH", Retriable: false,
		Message: "The producer's epoch is older than the broker's: another producer took over its ID, or the broker aborted its transaction on timeout. Close this producer and create a new one."}
	// InvalidTxnState is error code 48, INVALID_TXN_STATE.
	InvalidTxnState = &Error{Code: 48, Name: "INVALID_TXN_STATE", Retriable: false,
		Message: "The transactional call does not fit the transaction's current state (for example, committing with no transaction begun, or while an abort is under way)."}
	// InvalidProducerIDMapping is error code 49, INVALID_PRODUCER_ID_MAPPING.
	InvalidProducerIDMapping = &Error{Code: 49, Name: "INVALID_PRODUCER_ID_MAPPING", Retriable: false,
		Message: "The producer ID is not the one the coordinator has for this transactional ID (it may have expired); create a new producer."}
	// InvalidTransactionTimeout is error code 50, INVALID_TRANSACTION_TIMEOUT.
	InvalidTransactionTimeout = &Error{Code: 50, Name: "INVALID_TRANSACTION_TIMEOUT", Retriable: false,
		Message: "ProducerConfig.TransactionTimeout is above the broker's transaction.max.timeout.ms or not positive; lower it, or raise the broker's limit."}
	// ConcurrentTransactions is error code 51, CONCURRENT_TRANSACTIONS. It is retriable.
	ConcurrentTransactions = &Error{Code: 51, Name: "CONCURRENT_TRANSACTIONS", Retriable: true,
		Message: "Another operation on the same transaction, usually the end of the previous one, is still in progress; retry shortly."}
	// TransactionCoordinatorFenced is error code 52, TRANSACTION_COORDINATOR_FENCED.
	TransactionCoordinatorFenced = &Error{Code: 52, Name: "TRANSACTION_COORDINATOR_FENCED", Retriable: false,
		Message: "A replaced transaction coordinator tried to write transaction markers; this is an error between brokers."}
	// TransactionalIDAuthorizationFailed is error code 53, TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
	TransactionalIDAuthorizationFailed = &Error{Code: 53, Name: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", Retriable: false,
		Message: "The client's principal lacks an ACL on the transactional ID (WRITE, and DESCRIBE to find its coordinator); grant it."}
	// SecurityDisabled is error code 54, SECURITY_DISABLED.
	SecurityDisabled = &Error{Code: 54, Name: "SECURITY_DISABLED", Retriable: false,
		Message: "The operation needs security features, such as ACLs, that are switched off on the broker; configure an authorizer on the broker."}
	// OperationNotAttempted is error code 55, OPERATION_NOT_ATTEMPTED.
	OperationNotAttempted = &Error{Code: 55, Name: "OPERATION_NOT_ATTEMPTED", Retriable: false,
		Message: "The broker skipped this item because another item in the same batched request failed; fix that one and send this one again."}
	// KafkaStorageError is error code 56, KAFKA_STORAGE_ERROR. It is retriable.
	KafkaStorageError = &Error{Code: 56, Name: "KAFKA_STORAGE_ERROR", Retriable: true,
		Message: "The broker could not read or write the partition's log on disk (a failed or offline log directory); retry, as another replica usually takes over."}
	// LogDirNotFound is error code 57, LOG_DIR_NOT_FOUND.
	LogDirNotFound = &Error{Code: 57, Name: "LOG_DIR_NOT_FOUND", Retriable: false,
		Message: "The log directory named is not one of the broker's log.dirs."}
	// SASLAuthenticationFailed is error code 58, SASL_AUTHENTICATION_FAILED.
	SASLAuthenticationFailed = &Error{Code: 58, Name: "SASL_AUTHENTICATION_FAILED", Retriable: false,
		Message: "The broker rejected the SASL credentials (wrong user name or password, unknown user, or a refused token); check Config.SASL."}
	// UnknownProducerID is error code 59, UNKNOWN_PRODUCER_ID.
	UnknownProducerID = &Error{Code: 59, Name: "UNKNOWN_PRODUCER_ID", Retriable: false,
		Message: "The broker holds no state for this producer ID, typically because retention removed all of the producer's records."}
	// ReassignmentInProgress is error code 60, REASSIGNMENT_IN_PROGRESS.
	ReassignmentInProgress = &Error{Code: 60, Name: "REASSIGNMENT_IN_PROGRESS", Retriable: false,
		Message: "A partition reassignment is running, so the operation cannot run now; wait for it to finish."}
	// DelegationTokenAuthDisabled is error code 61, DELEGATION_TOKEN_AUTH_DISABLED.
	DelegationTokenAuthDisabled = &Error{Code: 61, Name: "DELEGATION_TOKEN_AUTH_DISABLED", Retriable: false,
		Message: "Delegation tokens are switched off on the broker; set delegation.token.secret.key to enable them."}
	// DelegationTokenNotFound is error code 62, DELEGATION_TOKEN_NOT_FOUND.
	DelegationTokenNotFound = &Error{Code: 62, Name: "DELEGATION_TOKEN_NOT_FOUND", Retriable: false,
		Message: "The broker has no delegation token matching the one given."}
	// DelegationTokenOwnerMismatch is error code 63, DELEGATION_TOKEN_OWNER_MISMATCH.
	DelegationTokenOwnerMismatch = &Error{Code: 63, Name: "DELEGATION_TOKEN_OWNER_MISMATCH", Retriable: false,
		Message: "The principal is neither the delegation token's owner nor one of its renewers."}
	// DelegationTokenRequestNotAllowed is error code 64, DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.
	DelegationTokenRequestNotAllowed = &Error{Code: 64, Name: "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", Retriable: false,
		Message: "Delegation tokens can only be managed over a connection authenticated by SASL or a client certificate, and not by a delegation token."}
	// DelegationTokenAuthorizationFailed is error code 65, DELEGATION_TOKEN_AUTHORIZATION_FAILED.
	DelegationTokenAuthorizationFailed = &Error{Code: 65, Name: "DELEGATION_TOKEN_AUTHORIZATION_FAILED", Retriable: false,
		Message: "The client's principal lacks the ACL this delegation-token operation needs; grant it."}
	// DelegationTokenExpired is error code 66, DELEGATION_TOKEN_EXPIRED.
	DelegationTokenExpired = &Error{Code: 66, Name: "DELEGATION_TOKEN_EXPIRED", Retriable: false,
		Message: "The delegation token has expired; create a new one, or renew tokens before they expire."}
	// InvalidPrincipalType is error code 67, INVALID_PRINCIPAL_TYPE.
	InvalidPrincipalType = &Error{Code: 67, Name: "INVALID_PRINCIPAL_TYPE", Retriable: false,
		Message: "The principal type is not one the broker supports (it expects \"User\")."}
	// NonEmptyGroup is error code 68, NON_EMPTY_GROUP.
	NonEmptyGroup = &Error{Code: 68, Name: "NON_EMPTY_GROUP", Retriable: false,
		Message: "The group still has active members, so it cannot be deleted; stop its consumers first."}
	// GroupIDNotFound is error code 69, GROUP_ID_NOT_FOUND.
	GroupIDNotFound = &Error{Code: 69, Name: "GROUP_ID_NOT_FOUND", Retriable: false,
		Message: "The coordinator has no group with this ID."}
	// FetchSessionIDNotFound is error code 70, FETCH_SESSION_ID_NOT_FOUND. It is retriable.
	FetchSessionIDNotFound = &Error{Code: 70, Name: "FETCH_SESSION_ID_NOT_FOUND", Retriable: true,
		Message: "The broker no longer has the fetch session referred to (it was evicted, or the broker restarted); a new session is needed."}
	// InvalidFetchSessionEpoch is error code 71, INVALID_FETCH_SESSION_EPOCH. It is retriable.
	InvalidFetchSessionEpoch = &Error{Code: 71, Name: "INVALID_FETCH_SESSION_EPOCH", Retriable: true,
		Message: "The fetch session's epoch is not the one the broker expected; the session must start over."}
	// ListenerNotFound is error code 72, LISTENER_NOT_FOUND. It is retriable.
	ListenerNotFound = &Error{Code: 72, Name: "LISTENER_NOT_FOUND", Retriable: true,
		Message: "The partition's leader has no listener with the name of the one the client used; make every broker define the same listener names."}
	// TopicDeletionDisabled is error code 73, TOPIC_DELETION_DISABLED.
	TopicDeletionDisabled = &Error{Code: 73, Name: "TOPIC_DELETION_DISABLED", Retriable: false,
		Message: "Topic deletion is switched off on the broker (delete.topic.enable=false)."}
	// FencedLeaderEpoch is error code 74, FENCED_LEADER_EPOCH. It is retriable.
	FencedLeaderEpoch = &Error{Code: 74, Name: "FENCED_LEADER_EPOCH", Retriable: true,
		Message: "The leader epoch sent is older than the broker's, so the client's metadata is out of date; refresh it and retry."}
	// UnknownLeaderEpoch is error code 75, UNKNOWN_LEADER_EPOCH. It is retriable.
	UnknownLeaderEpoch = &Error{Code: 75, Name: "UNKNOWN_LEADER_EPOCH", Retriable: true,
		Message: "The leader epoch sent is newer than the broker knows, so the broker is behind; retry shortly."}
	// UnsupportedCompressionType is error code 76, UNSUPPORTED_COMPRESSION_TYPE.
	UnsupportedCompressionType = &Error{Code: 76, Name: "UNSUPPORTED_COMPRESSION_TYPE", Retriable: false,
		Message: "The data's compression codec cannot travel in this request version (zstd needs Kafka 2.1 or later); pick another ProducerConfig.Compression or upgrade the broker."}
	// StaleBrokerEpoch is error code 77, STALE_BROKER_EPOCH.
	StaleBrokerEpoch = &Error{Code: 77, Name: "STALE_BROKER_EPOCH", Retriable: false,
		Message: "A broker sent a request with an outdated broker epoch (it restarted or registered again); this is an error between brokers."}
	// OffsetNotAvailable is error code 78, OFFSET_NOT_AVAILABLE. It is retriable.
	OffsetNotAvailable = &Error{Code: 78, Name: "OFFSET_NOT_AVAILABLE", Retriable: true,
		Message: "The new leader's high watermark has not caught up since a leader change, so it cannot yet answer for offsets; retry shortly."}
	// MemberIDRequired is error code 79, MEMBER_ID_REQUIRED.
	MemberIDRequired = &Error{Code: 79, Name: "MEMBER_ID_REQUIRED", Retriable: false,
		Message: "The coordinator has given the member an ID and expects it to join again with that ID; this is the normal first step of joining a group."}
	// PreferredLeaderNotAvailable is error code 80, PREFERRED_LEADER_NOT_AVAILABLE. It is retriable.
	PreferredLeaderNotAvailable = &Error{Code: 80, Name: "PREFERRED_LEADER_NOT_AVAILABLE", Retriable: true,
		Message: "The preferred replica cannot become leader now (it is down or out of sync); retry the election later."}
	// GroupMaxSizeReached is error code 81, GROUP_MAX_SIZE_REACHED.
	GroupMaxSizeReached = &Error{Code: 81, Name: "GROUP_MAX_SIZE_REACHED", Retriable: false,
		Message: "The group has as many members as the broker allows (group.max.size, or group.consumer.max.size for the consumer protocol); raise the limit or run fewer consumers."}
	// FencedInstanceID is error code 82, FENCED_INSTANCE_ID.
	FencedInstanceID = &Error{Code: 82, Name: "FENCED_INSTANCE_ID", Retriable: false,
		Message: "Another consumer joined with the same ConsumerConfig.GroupInstanceID and replaced this one; give each consumer its own instance ID."}
	// EligibleLeadersNotAvailable is error code 83, ELIGIBLE_LEADERS_NOT_AVAILABLE. It is retriable.
	EligibleLeadersNotAvailable = &Error{Code: 83, Name: "ELIGIBLE_LEADERS_NOT_AVAILABLE", Retriable: true,
		Message: "None of the replicas allowed to lead the partition is available for the election; retry once they are back."}
	// ElectionNotNeeded is error code 84, ELECTION_NOT_NEEDED. It is retriable.
	ElectionNotNeeded = &Error{Code: 84, Name: "ELECTION_NOT_NEEDED", Retriable: true,
		Message: "The partition already has the leader the election would pick, so there was nothing to do."}
	// NoReassignmentInProgress is error code 85, NO_REASSIGNMENT_IN_PROGRESS.
	NoReassignmentInProgress = &Error{Code: 85, Name: "NO_REASSIGNMENT_IN_PROGRESS", Retriable: false,
		Message: "There is no partition reassignment running to cancel."}
	// GroupSubscribedToTopic is error code 86, GROUP_SUBSCRIBED_TO_TOPIC.
	GroupSubscribedToTopic = &Error{Code: 86, Name: "GROUP_SUBSCRIBED_TO_TOPIC", Retriable: false,
		Message: "The group is subscribed to the topic, so its offsets for it cannot be deleted; stop the group's consumers or change their subscription first."}
	// InvalidRecord is error code 87, INVALID_RECORD.
	InvalidRecord = &Error{Code: 87, Name: "INVALID_RECORD", Retriable: false,
		Message: "The broker's validation rejected a record (for example, a record without a key on a compacted topic); the broker's message says which and why."}
	// UnstableOffsetCommit is error code 88, UNSTABLE_OFFSET_COMMIT. It is retriable.
	UnstableOffsetCommit = &Error{Code: 88, Name: "UNSTABLE_OFFSET_COMMIT", Retriable: true,
		Message: "A pending transaction may still change the committed offset, so it cannot be read yet; retry shortly."}
	// ThrottlingQuotaExceeded is error code 89, THROTTLING_QUOTA_EXCEEDED. It is retriable.
	ThrottlingQuotaExceeded = &Error{Code: 89, Name: "THROTTLING_QUOTA_EXCEEDED", Retriable: true,
		Message: "The request would exceed the principal's quota for creating or deleting topics and partitions; retry after the throttle time, or raise the quota (controller_mutation_rate)."}
	// ProducerFenced is error code 90, PRODUCER_FENCED.
	ProducerFenced = &Error{Code: 90, Name: "PRODUCER_FENCED", Retriable: false,
		Message: "A newer producer with the same transactional ID has started and fenced this one; close this producer, as only one may use a transactional ID at a time."}
	// ResourceNotFound is error code 91, RESOURCE_NOT_FOUND.
	ResourceNotFound = &Error{Code: 91, Name: "RESOURCE_NOT_FOUND", Retriable: false,
		Message: "Something the request refers to was not found on the cluster."}
	// DuplicateResource is error code 92, DUPLICATE_RESOURCE.
	DuplicateResource = &Error{Code: 92, Name: "DUPLICATE_RESOURCE", Retriable: false,
		Message: "The request names the same resource more than once; list each only once."}
	// UnacceptableCredential is error code 93, UNACCEPTABLE_CREDENTIAL.
	UnacceptableCredential = &Error{Code: 93, Name: "UNACCEPTABLE_CREDENTIAL", Retriable: false,
		Message: "The broker refused the credential as unacceptable (for example, a SCRAM iteration count outside what it allows)."}
	// InconsistentVoterSet is error code 94, INCONSISTENT_VOTER_SET.
	InconsistentVoterSet = &Error{Code: 94, Name: "INCONSISTENT_VOTER_SET", Retriable: false,
		Message: "The sender or receiver of a KRaft voter request is not one of the expected voters; this is an error between controllers."}
	// InvalidUpdateVersion is error code 95, INVALID_UPDATE_VERSION.
	InvalidUpdateVersion = &Error{Code: 95, Name: "INVALID_UPDATE_VERSION", Retriable: false,
		Message: "The feature version in the update is not valid for it (for example, a downgrade that is not allowed)."}
	// FeatureUpdateFailed is error code 96, FEATURE_UPDATE_FAILED.
	FeatureUpdateFailed = &Error{Code: 96, Name: "FEATURE_UPDATE_FAILED", Retriable: false,
		Message: "The controller could not apply the feature update because of an unexpected error; its log has the cause."}
	// PrincipalDeserializationFailure is error code 97, PRINCIPAL_DESERIALIZATION_FAILURE.
	PrincipalDeserializationFailure = &Error{Code: 97, Name: "PRINCIPAL_DESERIALIZATION_FAILURE", Retriable: false,
		Message: "A broker could not decode the principal of a forwarded request, which points to inconsistent security settings across the cluster."}
	// SnapshotNotFound is error code 98, SNAPSHOT_NOT_FOUND.
	SnapshotNotFound = &Error{Code: 98, Name: "SNAPSHOT_NOT_FOUND", Retriable: false,
		Message: "The KRaft snapshot asked for does not exist; this is an error between controllers."}
	// PositionOutOfRange is error code 99, POSITION_OUT_OF_RANGE.
	PositionOutOfRange = &Error{Code: 99, Name: "POSITION_OUT_OF_RANGE", Retriable: false,
		Message: "The position asked for in a KRaft snapshot is negative or past the snapshot's end."}
	// UnknownTopicID is error code 100, UNKNOWN_TOPIC_ID. It is retriable.
	UnknownTopicID = &Error{Code: 100, Name: "UNKNOWN_TOPIC_ID", Retriable: true,
		Message: "The broker knows no topic with this ID (it was deleted, or the broker's metadata is behind); refresh metadata and retry."}
	// DuplicateBrokerRegistration is error code 101, DUPLICATE_BROKER_REGISTRATION.
	DuplicateBrokerRegistration = &Error{Code: 101, Name: "DUPLICATE_BROKER_REGISTRATION", Retriable: false,
		Message: "A live broker has already registered with this broker ID; give every broker its own node.id."}
	// BrokerIDNotRegistered is error code 102, BROKER_ID_NOT_REGISTERED.
	BrokerIDNotRegistered = &Error{Code: 102, Name: "BROKER_ID_NOT_REGISTERED", Retriable: false,
		Message: "No broker is registered with this ID."}
	// InconsistentTopicID is error code 103, INCONSISTENT_TOPIC_ID. It is retriable.
	InconsistentTopicID = &Error{Code: 103, Name: "INCONSISTENT_TOPIC_ID", Retriable: true,
		Message: "The topic ID in the request differs from the partition log's (the topic was likely deleted and created again); refresh metadata."}
	// InconsistentClusterID is error code 104, INCONSISTENT_CLUSTER_ID.
	InconsistentClusterID = &Error{Code: 104, Name: "INCONSISTENT_CLUSTER_ID", Retriable: false,
		Message: "The cluster ID in the request is not this cluster's; the node's storage was formatted for another cluster."}
	// TransactionalIDNotFound is error code 105, TRANSACTIONAL_ID_NOT_FOUND.
	TransactionalIDNotFound = &Error{Code: 105, Name: "TRANSACTIONAL_ID_NOT_FOUND", Retriable: false,
		Message: "The coordinator has no transactional ID by this name."}
	// FetchSessionTopicIDError is error code 106, FETCH_SESSION_TOPIC_ID_ERROR. It is retriable.
	FetchSessionTopicIDError = &Error{Code: 106, Name: "FETCH_SESSION_TOPIC_ID_ERROR", Retriable: true,
		Message: "A fetch session mixed requests with and without topic IDs, or a topic's ID changed; the session must start over."}
	// IneligibleReplica is error code 107, INELIGIBLE_REPLICA.
	IneligibleReplica = &Error{Code: 107, Name: "INELIGIBLE_REPLICA", Retriable: false,
		Message: "The proposed in-sync replica set includes a replica that may not be in it (fenced or shutting down); this is an error between brokers."}
	// NewLeaderElected is error code 108, NEW_LEADER_ELECTED.
	NewLeaderElected = &Error{Code: 108, Name: "NEW_LEADER_ELECTED", Retriable: false,
		Message: "The partition change was applied, but the partition's leader changed at the same time; this is an error between brokers."}
	// OffsetMovedToTieredStorage is error code 109, OFFSET_MOVED_TO_TIERED_STORAGE.
	OffsetMovedToTieredStorage = &Error{Code: 109, Name: "OFFSET_MOVED_TO_TIERED_STORAGE", Retriable: false,
		Message: "The offset asked for is no longer on the broker's local disk, only in tiered (remote) storage."}
	// FencedMemberEpoch is error code 110, FENCED_MEMBER_EPOCH.
	FencedMemberEpoch = &Error{Code: 110, Name: "FENCED_MEMBER_EPOCH", Retriable: false,
		Message: "The coordinator fenced the member's epoch; the member must give up all its partitions and join the group again."}
	// UnreleasedInstanceID is error code 111, UNRELEASED_INSTANCE_ID.
	UnreleasedInstanceID = &Error{Code: 111, Name: "UNRELEASED_INSTANCE_ID", Retriable: false,
		Message: "The static instance ID (ConsumerConfig.GroupInstanceID) is still held by another member, which must leave the group first."}
	// UnsupportedAssignor is error code 112, UNSUPPORTED_ASSIGNOR.
	UnsupportedAssignor = &Error{Code: 112, Name: "UNSUPPORTED_ASSIGNOR", Retriable: false,
		Message: "The group does not support the server-side assignor requested; set ConsumerConfig.RemoteAssignor to one in the broker's group.consumer.assignors."}
	// StaleMemberEpoch is error code 113, STALE_MEMBER_EPOCH.
	StaleMemberEpoch = &Error{Code: 113, Name: "STALE_MEMBER_EPOCH", Retriable: false,
		Message: "The member's epoch is behind the coordinator's; the member must get its current epoch from a heartbeat, then retry."}
	// MismatchedEndpointType is error code 114, MISMATCHED_ENDPOINT_TYPE.
	MismatchedEndpointType = &Error{Code: 114, Name: "MISMATCHED_ENDPOINT_TYPE", Retriable: false,
		Message: "The request reached the wrong kind of endpoint (a controller instead of a broker, or the reverse); check the addresses in Config.BootstrapServers."}
	// UnsupportedEndpointType is error code 115, UNSUPPORTED_ENDPOINT_TYPE.
	UnsupportedEndpointType = &Error{Code: 115, Name: "UNSUPPORTED_ENDPOINT_TYPE", Retriable: false,
		Message: "This kind of endpoint (broker or controller) does not support the request yet."}
	// UnknownControllerID is error code 116, UNKNOWN_CONTROLLER_ID.
	UnknownControllerID = &Error{Code: 116, Name: "UNKNOWN_CONTROLLER_ID", Retriable: false,
		Message: "The controller ID given matches no known controller."}
	// UnknownSubscriptionID is error code 117, UNKNOWN_SUBSCRIPTION_ID.
	UnknownSubscriptionID = &Error{Code: 117, Name: "UNKNOWN_SUBSCRIPTION_ID", Retriable: false,
		Message: "The telemetry push used a client-metrics subscription ID that is unknown or outdated; fetch the subscription again."}
	// TelemetryTooLarge is error code 118, TELEMETRY_TOO_LARGE.
	TelemetryTooLarge = &Error{Code: 118, Name: "TELEMETRY_TOO_LARGE", Retriable: false,
		Message: "The telemetry push exceeds the size the broker accepts."}
	// InvalidRegistration is error code 119, INVALID_REGISTRATION.
	InvalidRegistration = &Error{Code: 119, Name: "INVALID_REGISTRATION", Retriable: false,
		Message: "The controller found the broker's registration invalid; this is an error between brokers."}
	// TransactionAbortable is error code 120, TRANSACTION_ABORTABLE.
	TransactionAbortable = &Error{Code: 120, Name: "TRANSACTION_ABORTABLE", Retriable: false,
		Message: "The transaction met an error that prevents its commit; abort it, after which the producer can start a new transaction with the same transactional ID."}
	// InvalidRecordState is error code 121, INVALID_RECORD_STATE.
	InvalidRecordState = &Error{Code: 121, Name: "INVALID_RECORD_STATE", Retriable: false,
		Message: "The share-group acknowledgement could not be applied because the record is not in a state that allows it (for example, its acquisition lock expired)."}
	// ShareSessionNotFound is error code 122, SHARE_SESSION_NOT_FOUND. It is retriable.
	ShareSessionNotFound = &Error{Code: 122, Name: "SHARE_SESSION_NOT_FOUND", Retriable: true,
		Message: "The broker has no share session with this ID; a new session is needed."}
	// InvalidShareSessionEpoch is error code 123, INVALID_SHARE_SESSION_EPOCH. It is retriable.
	InvalidShareSessionEpoch = &Error{Code: 123, Name: "INVALID_SHARE_SESSION_EPOCH", Retriable: true,
		Message: "The share session's epoch is not the one the broker expected; the session must start over."}
	// FencedStateEpoch is error code 124, FENCED_STATE_EPOCH.
	FencedStateEpoch = &Error{Code: 124, Name: "FENCED_STATE_EPOCH", Retriable: false,
		Message: "The share coordinator refused the request: the state epoch it holds for the share partition differs from the request's."}
	// InvalidVoterKey is error code 125, INVALID_VOTER_KEY.
	InvalidVoterKey = &Error{Code: 125, Name: "INVALID_VOTER_KEY", Retriable: false,
		Message: "The voter key (ID and directory ID) does not match the KRaft replica that received it."}
	// DuplicateVoter is error code 126, DUPLICATE_VOTER.
	DuplicateVoter = &Error{Code: 126, Name: "DUPLICATE_VOTER", Retriable: false,
		Message: "The KRaft voter being added is already a voter."}
	// VoterNotFound is error code 127, VOTER_NOT_FOUND.
	VoterNotFound = &Error{Code: 127, Name: "VOTER_NOT_FOUND", Retriable: false,
		Message: "That voter is missing from the KRaft controller quorum's voter set."}
	// InvalidRegularExpression is error code 128, INVALID_REGULAR_EXPRESSION.
	InvalidRegularExpression = &Error{Code: 128, Name: "INVALID_REGULAR_EXPRESSION", Retriable: false,
		Message: "The subscription's regular expression does not compile on the broker, which uses RE2J syntax."}
	// RebootstrapRequired is error code 129, REBOOTSTRAP_REQUIRED.
	RebootstrapRequired = &Error{Code: 129, Name: "REBOOTSTRAP_REQUIRED", Retriable: false,
		Message: "The client's metadata is too stale to update; it must connect to the bootstrap servers again and fetch metadata from scratch."}
	// StreamsInvalidTopology is error code 130, STREAMS_INVALID_TOPOLOGY.
	StreamsInvalidTopology = &Error{Code: 130, Name: "STREAMS_INVALID_TOPOLOGY", Retriable: false,
		Message: "The Kafka Streams topology sent to the group coordinator is not valid."}
	// StreamsInvalidTopologyEpoch is error code 131, STREAMS_INVALID_TOPOLOGY_EPOCH.
	StreamsInvalidTopologyEpoch = &Error{Code: 131, Name: "STREAMS_INVALID_TOPOLOGY_EPOCH", Retriable: false,
		Message: "The group coordinator rejected the Kafka Streams topology epoch as invalid."}
	// StreamsTopologyFenced is error code 132, STREAMS_TOPOLOGY_FENCED.
	StreamsTopologyFenced = &Error{Code: 132, Name: "STREAMS_TOPOLOGY_FENCED", Retriable: false,
		Message: "The Kafka Streams topology epoch sent is older than the group's; a newer topology replaced it."}
	// ShareSessionLimitReached is error code 133, SHARE_SESSION_LIMIT_REACHED. It is retriable.
	ShareSessionLimitReached = &Error{Code: 133, Name: "SHARE_SESSION_LIMIT_REACHED", Retriable: true,
		Message: "The broker already has as many share sessions as it allows; retry later."}
	// GroupDeletionFailed is error code 134, GROUP_DELETION_FAILED.
	GroupDeletionFailed = &Error{Code: 134, Name: "GROUP_DELETION_FAILED", Retriable: false,
		Message: "The broker could not delete the group; the broker's message says why."}
	// StreamsTopologyDescriptionUpdateFailed is error code 135, STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED.
	StreamsTopologyDescriptionUpdateFailed = &Error{Code: 135, Name: "STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED", Retriable: false,
		Message: "Storing the Kafka Streams topology description failed on the broker; the broker's message gives the reason."}
	// ControllerIDNotRegistered is error code 136, CONTROLLER_ID_NOT_REGISTERED.
	ControllerIDNotRegistered = &Error{Code: 136, Name: "CONTROLLER_ID_NOT_REGISTERED", Retriable: false,
		Message: "The controller ID given matches no registered controller."}
)

// all lists the sentinels in code order.
var all = [...]*Error{
	UnknownServerError, OffsetOutOfRange, CorruptMessage, UnknownTopicOrPartition,
	InvalidFetchSize, LeaderNotAvailable, NotLeaderOrFollower, RequestTimedOut,
	BrokerNotAvailable, ReplicaNotAvailable, MessageTooLarge, StaleControllerEpoch,
	OffsetMetadataTooLarge, NetworkException, CoordinatorLoadInProgress,
	CoordinatorNotAvailable, NotCoordinator, InvalidTopicException, RecordListTooLarge,
	NotEnoughReplicas, NotEnoughReplicasAfterAppend, InvalidRequiredAcks, IllegalGeneration,
	InconsistentGroupProtocol, InvalidGroupID, UnknownMemberID, InvalidSessionTimeout,
	RebalanceInProgress, InvalidCommitOffsetSize, TopicAuthorizationFailed,
	GroupAuthorizationFailed, ClusterAuthorizationFailed, InvalidTimestamp,
	UnsupportedSASLMechanism, IllegalSASLState, UnsupportedVersion, TopicAlreadyExists,
	InvalidPartitions, InvalidReplicationFactor, InvalidReplicaAssignment, InvalidConfig,
	NotController, InvalidRequest, UnsupportedForMessageFormat, PolicyViolation,
	OutOfOrderSequenceNumber, DuplicateSequenceNumber, InvalidProducerEpoch,
	InvalidTxnState, InvalidProducerIDMapping, InvalidTransactionTimeout,
	ConcurrentTransactions, TransactionCoordinatorFenced,
	TransactionalIDAuthorizationFailed, SecurityDisabled, OperationNotAttempted,
	KafkaStorageError, LogDirNotFound, SASLAuthenticationFailed, UnknownProducerID,
	ReassignmentInProgress, DelegationTokenAuthDisabled, DelegationTokenNotFound,
	DelegationTokenOwnerMismatch, DelegationTokenRequestNotAllowed,
	DelegationTokenAuthorizationFailed, DelegationTokenExpired, InvalidPrincipalType,
	NonEmptyGroup, GroupIDNotFound, FetchSessionIDNotFound, InvalidFetchSessionEpoch,
	ListenerNotFound, TopicDeletionDisabled, FencedLeaderEpoch, UnknownLeaderEpoch,
	UnsupportedCompressionType, StaleBrokerEpoch, OffsetNotAvailable, MemberIDRequired,
	PreferredLeaderNotAvailable, GroupMaxSizeReached, FencedInstanceID,
	EligibleLeadersNotAvailable, ElectionNotNeeded, NoReassignmentInProgress,
	GroupSubscribedToTopic, InvalidRecord, UnstableOffsetCommit, ThrottlingQuotaExceeded,
	ProducerFenced, ResourceNotFound, DuplicateResource, UnacceptableCredential,
	InconsistentVoterSet, InvalidUpdateVersion, FeatureUpdateFailed,
	PrincipalDeserializationFailure, SnapshotNotFound, PositionOutOfRange, UnknownTopicID,
	DuplicateBrokerRegistration, BrokerIDNotRegistered, InconsistentTopicID,
	InconsistentClusterID, TransactionalIDNotFound, FetchSessionTopicIDError,
	IneligibleReplica, NewLeaderElected, OffsetMovedToTieredStorage, FencedMemberEpoch,
	UnreleasedInstanceID, UnsupportedAssignor, StaleMemberEpoch, MismatchedEndpointType,
	UnsupportedEndpointType, UnknownControllerID, UnknownSubscriptionID, TelemetryTooLarge,
	InvalidRegistration, TransactionAbortable, InvalidRecordState, ShareSessionNotFound,
	InvalidShareSessionEpoch, FencedStateEpoch, InvalidVoterKey, DuplicateVoter,
	VoterNotFound, InvalidRegularExpression, RebootstrapRequired, StreamsInvalidTopology,
	StreamsInvalidTopologyEpoch, StreamsTopologyFenced, ShareSessionLimitReached, GroupDeletionFailed,
	StreamsTopologyDescriptionUpdateFailed, ControllerIDNotRegistered,
}
