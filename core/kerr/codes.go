package kerr

// The table below lists every error code of Apache Kafka up to 4.1 (its
// Errors enum), with Java's name, Kafka's default description, and whether
// Java's exception for the code extends RetriableException.

var (
	// UnknownServerError is error code -1, UNKNOWN_SERVER_ERROR.
	UnknownServerError = &Error{Code: -1, Name: "UNKNOWN_SERVER_ERROR", Retriable: false,
		Message: "The server experienced an unexpected error when processing the request."}
	// OffsetOutOfRange is error code 1, OFFSET_OUT_OF_RANGE.
	OffsetOutOfRange = &Error{Code: 1, Name: "OFFSET_OUT_OF_RANGE", Retriable: false,
		Message: "The requested offset is not within the range of offsets maintained by the server."}
	// CorruptMessage is error code 2, CORRUPT_MESSAGE. It is retriable.
	CorruptMessage = &Error{Code: 2, Name: "CORRUPT_MESSAGE", Retriable: true,
		Message: "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."}
	// UnknownTopicOrPartition is error code 3, UNKNOWN_TOPIC_OR_PARTITION. It is retriable.
	UnknownTopicOrPartition = &Error{Code: 3, Name: "UNKNOWN_TOPIC_OR_PARTITION", Retriable: true,
		Message: "This server does not host this topic-partition."}
	// InvalidFetchSize is error code 4, INVALID_FETCH_SIZE.
	InvalidFetchSize = &Error{Code: 4, Name: "INVALID_FETCH_SIZE", Retriable: false,
		Message: "The requested fetch size is invalid."}
	// LeaderNotAvailable is error code 5, LEADER_NOT_AVAILABLE. It is retriable.
	LeaderNotAvailable = &Error{Code: 5, Name: "LEADER_NOT_AVAILABLE", Retriable: true,
		Message: "There is no leader for this topic-partition as we are in the middle of a leadership election."}
	// NotLeaderOrFollower is error code 6, NOT_LEADER_OR_FOLLOWER. It is retriable.
	NotLeaderOrFollower = &Error{Code: 6, Name: "NOT_LEADER_OR_FOLLOWER", Retriable: true,
		Message: "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."}
	// RequestTimedOut is error code 7, REQUEST_TIMED_OUT. It is retriable.
	RequestTimedOut = &Error{Code: 7, Name: "REQUEST_TIMED_OUT", Retriable: true,
		Message: "The request timed out."}
	// BrokerNotAvailable is error code 8, BROKER_NOT_AVAILABLE.
	BrokerNotAvailable = &Error{Code: 8, Name: "BROKER_NOT_AVAILABLE", Retriable: false,
		Message: "The broker is not available."}
	// ReplicaNotAvailable is error code 9, REPLICA_NOT_AVAILABLE. It is retriable.
	ReplicaNotAvailable = &Error{Code: 9, Name: "REPLICA_NOT_AVAILABLE", Retriable: true,
		Message: "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition."}
	// MessageTooLarge is error code 10, MESSAGE_TOO_LARGE.
	MessageTooLarge = &Error{Code: 10, Name: "MESSAGE_TOO_LARGE", Retriable: false,
		Message: "The request included a message larger than the max message size the server will accept."}
	// StaleControllerEpoch is error code 11, STALE_CONTROLLER_EPOCH.
	StaleControllerEpoch = &Error{Code: 11, Name: "STALE_CONTROLLER_EPOCH", Retriable: false,
		Message: "The controller moved to another broker."}
	// OffsetMetadataTooLarge is error code 12, OFFSET_METADATA_TOO_LARGE.
	OffsetMetadataTooLarge = &Error{Code: 12, Name: "OFFSET_METADATA_TOO_LARGE", Retriable: false,
		Message: "The metadata field of the offset request was too large."}
	// NetworkException is error code 13, NETWORK_EXCEPTION. It is retriable.
	NetworkException = &Error{Code: 13, Name: "NETWORK_EXCEPTION", Retriable: true,
		Message: "The server disconnected before a response was received."}
	// CoordinatorLoadInProgress is error code 14, COORDINATOR_LOAD_IN_PROGRESS. It is retriable.
	CoordinatorLoadInProgress = &Error{Code: 14, Name: "COORDINATOR_LOAD_IN_PROGRESS", Retriable: true,
		Message: "The coordinator is loading and hence can't process requests."}
	// CoordinatorNotAvailable is error code 15, COORDINATOR_NOT_AVAILABLE. It is retriable.
	CoordinatorNotAvailable = &Error{Code: 15, Name: "COORDINATOR_NOT_AVAILABLE", Retriable: true,
		Message: "The coordinator is not available."}
	// NotCoordinator is error code 16, NOT_COORDINATOR. It is retriable.
	NotCoordinator = &Error{Code: 16, Name: "NOT_COORDINATOR", Retriable: true,
		Message: "This is not the correct coordinator."}
	// InvalidTopicException is error code 17, INVALID_TOPIC_EXCEPTION.
	InvalidTopicException = &Error{Code: 17, Name: "INVALID_TOPIC_EXCEPTION", Retriable: false,
		Message: "The request attempted to perform an operation on an invalid topic."}
	// RecordListTooLarge is error code 18, RECORD_LIST_TOO_LARGE.
	RecordListTooLarge = &Error{Code: 18, Name: "RECORD_LIST_TOO_LARGE", Retriable: false,
		Message: "The request included message batch larger than the configured segment size on the server."}
	// NotEnoughReplicas is error code 19, NOT_ENOUGH_REPLICAS. It is retriable.
	NotEnoughReplicas = &Error{Code: 19, Name: "NOT_ENOUGH_REPLICAS", Retriable: true,
		Message: "Messages are rejected since there are fewer in-sync replicas than required."}
	// NotEnoughReplicasAfterAppend is error code 20, NOT_ENOUGH_REPLICAS_AFTER_APPEND. It is retriable.
	NotEnoughReplicasAfterAppend = &Error{Code: 20, Name: "NOT_ENOUGH_REPLICAS_AFTER_APPEND", Retriable: true,
		Message: "Messages are written to the log, but to fewer in-sync replicas than required."}
	// InvalidRequiredAcks is error code 21, INVALID_REQUIRED_ACKS.
	InvalidRequiredAcks = &Error{Code: 21, Name: "INVALID_REQUIRED_ACKS", Retriable: false,
		Message: "Produce request specified an invalid value for required acks."}
	// IllegalGeneration is error code 22, ILLEGAL_GENERATION.
	IllegalGeneration = &Error{Code: 22, Name: "ILLEGAL_GENERATION", Retriable: false,
		Message: "Specified group generation id is not valid."}
	// InconsistentGroupProtocol is error code 23, INCONSISTENT_GROUP_PROTOCOL.
	InconsistentGroupProtocol = &Error{Code: 23, Name: "INCONSISTENT_GROUP_PROTOCOL", Retriable: false,
		Message: "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."}
	// InvalidGroupID is error code 24, INVALID_GROUP_ID.
	InvalidGroupID = &Error{Code: 24, Name: "INVALID_GROUP_ID", Retriable: false,
		Message: "The configured groupId is invalid."}
	// UnknownMemberID is error code 25, UNKNOWN_MEMBER_ID.
	UnknownMemberID = &Error{Code: 25, Name: "UNKNOWN_MEMBER_ID", Retriable: false,
		Message: "The coordinator is not aware of this member."}
	// InvalidSessionTimeout is error code 26, INVALID_SESSION_TIMEOUT.
	InvalidSessionTimeout = &Error{Code: 26, Name: "INVALID_SESSION_TIMEOUT", Retriable: false,
		Message: "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."}
	// RebalanceInProgress is error code 27, REBALANCE_IN_PROGRESS.
	RebalanceInProgress = &Error{Code: 27, Name: "REBALANCE_IN_PROGRESS", Retriable: false,
		Message: "The group is rebalancing, so a rejoin is needed."}
	// InvalidCommitOffsetSize is error code 28, INVALID_COMMIT_OFFSET_SIZE.
	InvalidCommitOffsetSize = &Error{Code: 28, Name: "INVALID_COMMIT_OFFSET_SIZE", Retriable: false,
		Message: "The committing offset data size is not valid."}
	// TopicAuthorizationFailed is error code 29, TOPIC_AUTHORIZATION_FAILED.
	TopicAuthorizationFailed = &Error{Code: 29, Name: "TOPIC_AUTHORIZATION_FAILED", Retriable: false,
		Message: "Topic authorization failed."}
	// GroupAuthorizationFailed is error code 30, GROUP_AUTHORIZATION_FAILED.
	GroupAuthorizationFailed = &Error{Code: 30, Name: "GROUP_AUTHORIZATION_FAILED", Retriable: false,
		Message: "Group authorization failed."}
	// ClusterAuthorizationFailed is error code 31, CLUSTER_AUTHORIZATION_FAILED.
	ClusterAuthorizationFailed = &Error{Code: 31, Name: "CLUSTER_AUTHORIZATION_FAILED", Retriable: false,
		Message: "Cluster authorization failed."}
	// InvalidTimestamp is error code 32, INVALID_TIMESTAMP.
	InvalidTimestamp = &Error{Code: 32, Name: "INVALID_TIMESTAMP", Retriable: false,
		Message: "The timestamp of the message is out of acceptable range."}
	// UnsupportedSASLMechanism is error code 33, UNSUPPORTED_SASL_MECHANISM.
	UnsupportedSASLMechanism = &Error{Code: 33, Name: "UNSUPPORTED_SASL_MECHANISM", Retriable: false,
		Message: "The broker does not support the requested SASL mechanism."}
	// IllegalSASLState is error code 34, ILLEGAL_SASL_STATE.
	IllegalSASLState = &Error{Code: 34, Name: "ILLEGAL_SASL_STATE", Retriable: false,
		Message: "Request is not valid given the current SASL state."}
	// UnsupportedVersion is error code 35, UNSUPPORTED_VERSION.
	UnsupportedVersion = &Error{Code: 35, Name: "UNSUPPORTED_VERSION", Retriable: false,
		Message: "The version of API is not supported."}
	// TopicAlreadyExists is error code 36, TOPIC_ALREADY_EXISTS.
	TopicAlreadyExists = &Error{Code: 36, Name: "TOPIC_ALREADY_EXISTS", Retriable: false,
		Message: "Topic with this name already exists."}
	// InvalidPartitions is error code 37, INVALID_PARTITIONS.
	InvalidPartitions = &Error{Code: 37, Name: "INVALID_PARTITIONS", Retriable: false,
		Message: "Number of partitions is below 1."}
	// InvalidReplicationFactor is error code 38, INVALID_REPLICATION_FACTOR.
	InvalidReplicationFactor = &Error{Code: 38, Name: "INVALID_REPLICATION_FACTOR", Retriable: false,
		Message: "Replication factor is below 1 or larger than the number of available brokers."}
	// InvalidReplicaAssignment is error code 39, INVALID_REPLICA_ASSIGNMENT.
	InvalidReplicaAssignment = &Error{Code: 39, Name: "INVALID_REPLICA_ASSIGNMENT", Retriable: false,
		Message: "Replica assignment is invalid."}
	// InvalidConfig is error code 40, INVALID_CONFIG.
	InvalidConfig = &Error{Code: 40, Name: "INVALID_CONFIG", Retriable: false,
		Message: "Configuration is invalid."}
	// NotController is error code 41, NOT_CONTROLLER. It is retriable.
	NotController = &Error{Code: 41, Name: "NOT_CONTROLLER", Retriable: true,
		Message: "This is not the correct controller for this cluster."}
	// InvalidRequest is error code 42, INVALID_REQUEST.
	InvalidRequest = &Error{Code: 42, Name: "INVALID_REQUEST", Retriable: false,
		Message: "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."}
	// UnsupportedForMessageFormat is error code 43, UNSUPPORTED_FOR_MESSAGE_FORMAT.
	UnsupportedForMessageFormat = &Error{Code: 43, Name: "UNSUPPORTED_FOR_MESSAGE_FORMAT", Retriable: false,
		Message: "The message format version on the broker does not support the request."}
	// PolicyViolation is error code 44, POLICY_VIOLATION.
	PolicyViolation = &Error{Code: 44, Name: "POLICY_VIOLATION", Retriable: false,
		Message: "Request parameters do not satisfy the configured policy."}
	// OutOfOrderSequenceNumber is error code 45, OUT_OF_ORDER_SEQUENCE_NUMBER.
	OutOfOrderSequenceNumber = &Error{Code: 45, Name: "OUT_OF_ORDER_SEQUENCE_NUMBER", Retriable: false,
		Message: "The broker received an out of order sequence number."}
	// DuplicateSequenceNumber is error code 46, DUPLICATE_SEQUENCE_NUMBER.
	DuplicateSequenceNumber = &Error{Code: 46, Name: "DUPLICATE_SEQUENCE_NUMBER", Retriable: false,
		Message: "The broker received a duplicate sequence number."}
	// InvalidProducerEpoch is error code 47, INVALID_PRODUCER_EPOCH.
	InvalidProducerEpoch = &Error{Code: 47, Name: "INVALID_PRODUCER_EPOCH", Retriable: false,
		Message: "Producer attempted to produce with an old epoch."}
	// InvalidTxnState is error code 48, INVALID_TXN_STATE.
	InvalidTxnState = &Error{Code: 48, Name: "INVALID_TXN_STATE", Retriable: false,
		Message: "The producer attempted a transactional operation in an invalid state."}
	// InvalidProducerIDMapping is error code 49, INVALID_PRODUCER_ID_MAPPING.
	InvalidProducerIDMapping = &Error{Code: 49, Name: "INVALID_PRODUCER_ID_MAPPING", Retriable: false,
		Message: "The producer attempted to use a producer id which is not currently assigned to its transactional id."}
	// InvalidTransactionTimeout is error code 50, INVALID_TRANSACTION_TIMEOUT.
	InvalidTransactionTimeout = &Error{Code: 50, Name: "INVALID_TRANSACTION_TIMEOUT", Retriable: false,
		Message: "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."}
	// ConcurrentTransactions is error code 51, CONCURRENT_TRANSACTIONS. It is retriable.
	ConcurrentTransactions = &Error{Code: 51, Name: "CONCURRENT_TRANSACTIONS", Retriable: true,
		Message: "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing."}
	// TransactionCoordinatorFenced is error code 52, TRANSACTION_COORDINATOR_FENCED.
	TransactionCoordinatorFenced = &Error{Code: 52, Name: "TRANSACTION_COORDINATOR_FENCED", Retriable: false,
		Message: "Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer."}
	// TransactionalIDAuthorizationFailed is error code 53, TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
	TransactionalIDAuthorizationFailed = &Error{Code: 53, Name: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", Retriable: false,
		Message: "Transactional Id authorization failed."}
	// SecurityDisabled is error code 54, SECURITY_DISABLED.
	SecurityDisabled = &Error{Code: 54, Name: "SECURITY_DISABLED", Retriable: false,
		Message: "Security features are disabled."}
	// OperationNotAttempted is error code 55, OPERATION_NOT_ATTEMPTED.
	OperationNotAttempted = &Error{Code: 55, Name: "OPERATION_NOT_ATTEMPTED", Retriable: false,
		Message: "The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest."}
	// KafkaStorageError is error code 56, KAFKA_STORAGE_ERROR. It is retriable.
	KafkaStorageError = &Error{Code: 56, Name: "KAFKA_STORAGE_ERROR", Retriable: true,
		Message: "Disk error when trying to access log file on the disk."}
	// LogDirNotFound is error code 57, LOG_DIR_NOT_FOUND.
	LogDirNotFound = &Error{Code: 57, Name: "LOG_DIR_NOT_FOUND", Retriable: false,
		Message: "The user-specified log directory is not found in the broker config."}
	// SASLAuthenticationFailed is error code 58, SASL_AUTHENTICATION_FAILED.
	SASLAuthenticationFailed = &Error{Code: 58, Name: "SASL_AUTHENTICATION_FAILED", Retriable: false,
		Message: "SASL Authentication failed."}
	// UnknownProducerID is error code 59, UNKNOWN_PRODUCER_ID.
	UnknownProducerID = &Error{Code: 59, Name: "UNKNOWN_PRODUCER_ID", Retriable: false,
		Message: "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception."}
	// ReassignmentInProgress is error code 60, REASSIGNMENT_IN_PROGRESS.
	ReassignmentInProgress = &Error{Code: 60, Name: "REASSIGNMENT_IN_PROGRESS", Retriable: false,
		Message: "A partition reassignment is in progress."}
	// DelegationTokenAuthDisabled is error code 61, DELEGATION_TOKEN_AUTH_DISABLED.
	DelegationTokenAuthDisabled = &Error{Code: 61, Name: "DELEGATION_TOKEN_AUTH_DISABLED", Retriable: false,
		Message: "Delegation Token feature is not enabled."}
	// DelegationTokenNotFound is error code 62, DELEGATION_TOKEN_NOT_FOUND.
	DelegationTokenNotFound = &Error{Code: 62, Name: "DELEGATION_TOKEN_NOT_FOUND", Retriable: false,
		Message: "Delegation Token is not found on server."}
	// DelegationTokenOwnerMismatch is error code 63, DELEGATION_TOKEN_OWNER_MISMATCH.
	DelegationTokenOwnerMismatch = &Error{Code: 63, Name: "DELEGATION_TOKEN_OWNER_MISMATCH", Retriable: false,
		Message: "Specified Principal is not valid Owner/Renewer."}
	// DelegationTokenRequestNotAllowed is error code 64, DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.
	DelegationTokenRequestNotAllowed = &Error{Code: 64, Name: "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", Retriable: false,
		Message: "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels."}
	// DelegationTokenAuthorizationFailed is error code 65, DELEGATION_TOKEN_AUTHORIZATION_FAILED.
	DelegationTokenAuthorizationFailed = &Error{Code: 65, Name: "DELEGATION_TOKEN_AUTHORIZATION_FAILED", Retriable: false,
		Message: "Delegation Token authorization failed."}
	// DelegationTokenExpired is error code 66, DELEGATION_TOKEN_EXPIRED.
	DelegationTokenExpired = &Error{Code: 66, Name: "DELEGATION_TOKEN_EXPIRED", Retriable: false,
		Message: "Delegation Token is expired."}
	// InvalidPrincipalType is error code 67, INVALID_PRINCIPAL_TYPE.
	InvalidPrincipalType = &Error{Code: 67, Name: "INVALID_PRINCIPAL_TYPE", Retriable: false,
		Message: "Supplied principalType is not supported."}
	// NonEmptyGroup is error code 68, NON_EMPTY_GROUP.
	NonEmptyGroup = &Error{Code: 68, Name: "NON_EMPTY_GROUP", Retriable: false,
		Message: "The group is not empty."}
	// GroupIDNotFound is error code 69, GROUP_ID_NOT_FOUND.
	GroupIDNotFound = &Error{Code: 69, Name: "GROUP_ID_NOT_FOUND", Retriable: false,
		Message: "The group id does not exist."}
	// FetchSessionIDNotFound is error code 70, FETCH_SESSION_ID_NOT_FOUND. It is retriable.
	FetchSessionIDNotFound = &Error{Code: 70, Name: "FETCH_SESSION_ID_NOT_FOUND", Retriable: true,
		Message: "The fetch session ID was not found."}
	// InvalidFetchSessionEpoch is error code 71, INVALID_FETCH_SESSION_EPOCH. It is retriable.
	InvalidFetchSessionEpoch = &Error{Code: 71, Name: "INVALID_FETCH_SESSION_EPOCH", Retriable: true,
		Message: "The fetch session epoch is invalid."}
	// ListenerNotFound is error code 72, LISTENER_NOT_FOUND. It is retriable.
	ListenerNotFound = &Error{Code: 72, Name: "LISTENER_NOT_FOUND", Retriable: true,
		Message: "There is no listener on the leader broker that matches the listener on which metadata request was processed."}
	// TopicDeletionDisabled is error code 73, TOPIC_DELETION_DISABLED.
	TopicDeletionDisabled = &Error{Code: 73, Name: "TOPIC_DELETION_DISABLED", Retriable: false,
		Message: "Topic deletion is disabled."}
	// FencedLeaderEpoch is error code 74, FENCED_LEADER_EPOCH. It is retriable.
	FencedLeaderEpoch = &Error{Code: 74, Name: "FENCED_LEADER_EPOCH", Retriable: true,
		Message: "The leader epoch in the request is older than the epoch on the broker."}
	// UnknownLeaderEpoch is error code 75, UNKNOWN_LEADER_EPOCH. It is retriable.
	UnknownLeaderEpoch = &Error{Code: 75, Name: "UNKNOWN_LEADER_EPOCH", Retriable: true,
		Message: "The leader epoch in the request is newer than the epoch on the broker."}
	// UnsupportedCompressionType is error code 76, UNSUPPORTED_COMPRESSION_TYPE.
	UnsupportedCompressionType = &Error{Code: 76, Name: "UNSUPPORTED_COMPRESSION_TYPE", Retriable: false,
		Message: "The requesting client does not support the compression type of given partition."}
	// StaleBrokerEpoch is error code 77, STALE_BROKER_EPOCH.
	StaleBrokerEpoch = &Error{Code: 77, Name: "STALE_BROKER_EPOCH", Retriable: false,
		Message: "Broker epoch has changed."}
	// OffsetNotAvailable is error code 78, OFFSET_NOT_AVAILABLE. It is retriable.
	OffsetNotAvailable = &Error{Code: 78, Name: "OFFSET_NOT_AVAILABLE", Retriable: true,
		Message: "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing."}
	// MemberIDRequired is error code 79, MEMBER_ID_REQUIRED.
	MemberIDRequired = &Error{Code: 79, Name: "MEMBER_ID_REQUIRED", Retriable: false,
		Message: "The group member needs to have a valid member id before actually entering a consumer group."}
	// PreferredLeaderNotAvailable is error code 80, PREFERRED_LEADER_NOT_AVAILABLE. It is retriable.
	PreferredLeaderNotAvailable = &Error{Code: 80, Name: "PREFERRED_LEADER_NOT_AVAILABLE", Retriable: true,
		Message: "The preferred leader was not available."}
	// GroupMaxSizeReached is error code 81, GROUP_MAX_SIZE_REACHED.
	GroupMaxSizeReached = &Error{Code: 81, Name: "GROUP_MAX_SIZE_REACHED", Retriable: false,
		Message: "The consumer group has reached its max size."}
	// FencedInstanceID is error code 82, FENCED_INSTANCE_ID.
	FencedInstanceID = &Error{Code: 82, Name: "FENCED_INSTANCE_ID", Retriable: false,
		Message: "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."}
	// EligibleLeadersNotAvailable is error code 83, ELIGIBLE_LEADERS_NOT_AVAILABLE. It is retriable.
	EligibleLeadersNotAvailable = &Error{Code: 83, Name: "ELIGIBLE_LEADERS_NOT_AVAILABLE", Retriable: true,
		Message: "Eligible topic partition leaders are not available."}
	// ElectionNotNeeded is error code 84, ELECTION_NOT_NEEDED. It is retriable.
	ElectionNotNeeded = &Error{Code: 84, Name: "ELECTION_NOT_NEEDED", Retriable: true,
		Message: "Leader election not needed for topic partition."}
	// NoReassignmentInProgress is error code 85, NO_REASSIGNMENT_IN_PROGRESS.
	NoReassignmentInProgress = &Error{Code: 85, Name: "NO_REASSIGNMENT_IN_PROGRESS", Retriable: false,
		Message: "No partition reassignment is in progress."}
	// GroupSubscribedToTopic is error code 86, GROUP_SUBSCRIBED_TO_TOPIC.
	GroupSubscribedToTopic = &Error{Code: 86, Name: "GROUP_SUBSCRIBED_TO_TOPIC", Retriable: false,
		Message: "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."}
	// InvalidRecord is error code 87, INVALID_RECORD.
	InvalidRecord = &Error{Code: 87, Name: "INVALID_RECORD", Retriable: false,
		Message: "This record has failed the validation on broker and hence will be rejected."}
	// UnstableOffsetCommit is error code 88, UNSTABLE_OFFSET_COMMIT. It is retriable.
	UnstableOffsetCommit = &Error{Code: 88, Name: "UNSTABLE_OFFSET_COMMIT", Retriable: true,
		Message: "There are unstable offsets that need to be cleared."}
	// ThrottlingQuotaExceeded is error code 89, THROTTLING_QUOTA_EXCEEDED. It is retriable.
	ThrottlingQuotaExceeded = &Error{Code: 89, Name: "THROTTLING_QUOTA_EXCEEDED", Retriable: true,
		Message: "The throttling quota has been exceeded."}
	// ProducerFenced is error code 90, PRODUCER_FENCED.
	ProducerFenced = &Error{Code: 90, Name: "PRODUCER_FENCED", Retriable: false,
		Message: "There is a newer producer with the same transactionalId which fences the current one."}
	// ResourceNotFound is error code 91, RESOURCE_NOT_FOUND.
	ResourceNotFound = &Error{Code: 91, Name: "RESOURCE_NOT_FOUND", Retriable: false,
		Message: "A request illegally referred to a resource that does not exist."}
	// DuplicateResource is error code 92, DUPLICATE_RESOURCE.
	DuplicateResource = &Error{Code: 92, Name: "DUPLICATE_RESOURCE", Retriable: false,
		Message: "A request illegally referred to the same resource twice."}
	// UnacceptableCredential is error code 93, UNACCEPTABLE_CREDENTIAL.
	UnacceptableCredential = &Error{Code: 93, Name: "UNACCEPTABLE_CREDENTIAL", Retriable: false,
		Message: "Requested credential would not meet criteria for acceptability."}
	// InconsistentVoterSet is error code 94, INCONSISTENT_VOTER_SET.
	InconsistentVoterSet = &Error{Code: 94, Name: "INCONSISTENT_VOTER_SET", Retriable: false,
		Message: "Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters."}
	// InvalidUpdateVersion is error code 95, INVALID_UPDATE_VERSION.
	InvalidUpdateVersion = &Error{Code: 95, Name: "INVALID_UPDATE_VERSION", Retriable: false,
		Message: "The given update version was invalid."}
	// FeatureUpdateFailed is error code 96, FEATURE_UPDATE_FAILED.
	FeatureUpdateFailed = &Error{Code: 96, Name: "FEATURE_UPDATE_FAILED", Retriable: false,
		Message: "Unable to update finalized features due to an unexpected server error."}
	// PrincipalDeserializationFailure is error code 97, PRINCIPAL_DESERIALIZATION_FAILURE.
	PrincipalDeserializationFailure = &Error{Code: 97, Name: "PRINCIPAL_DESERIALIZATION_FAILURE", Retriable: false,
		Message: "Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup."}
	// SnapshotNotFound is error code 98, SNAPSHOT_NOT_FOUND.
	SnapshotNotFound = &Error{Code: 98, Name: "SNAPSHOT_NOT_FOUND", Retriable: false,
		Message: "Requested snapshot was not found."}
	// PositionOutOfRange is error code 99, POSITION_OUT_OF_RANGE.
	PositionOutOfRange = &Error{Code: 99, Name: "POSITION_OUT_OF_RANGE", Retriable: false,
		Message: "Requested position is not greater than or equal to zero, and less than the size of the snapshot."}
	// UnknownTopicID is error code 100, UNKNOWN_TOPIC_ID. It is retriable.
	UnknownTopicID = &Error{Code: 100, Name: "UNKNOWN_TOPIC_ID", Retriable: true,
		Message: "This server does not host this topic ID."}
	// DuplicateBrokerRegistration is error code 101, DUPLICATE_BROKER_REGISTRATION.
	DuplicateBrokerRegistration = &Error{Code: 101, Name: "DUPLICATE_BROKER_REGISTRATION", Retriable: false,
		Message: "This broker ID is already in use."}
	// BrokerIDNotRegistered is error code 102, BROKER_ID_NOT_REGISTERED.
	BrokerIDNotRegistered = &Error{Code: 102, Name: "BROKER_ID_NOT_REGISTERED", Retriable: false,
		Message: "The given broker ID was not registered."}
	// InconsistentTopicID is error code 103, INCONSISTENT_TOPIC_ID. It is retriable.
	InconsistentTopicID = &Error{Code: 103, Name: "INCONSISTENT_TOPIC_ID", Retriable: true,
		Message: "The log's topic ID did not match the topic ID in the request."}
	// InconsistentClusterID is error code 104, INCONSISTENT_CLUSTER_ID.
	InconsistentClusterID = &Error{Code: 104, Name: "INCONSISTENT_CLUSTER_ID", Retriable: false,
		Message: "The clusterId in the request does not match that found on the server."}
	// TransactionalIDNotFound is error code 105, TRANSACTIONAL_ID_NOT_FOUND.
	TransactionalIDNotFound = &Error{Code: 105, Name: "TRANSACTIONAL_ID_NOT_FOUND", Retriable: false,
		Message: "The transactionalId could not be found."}
	// FetchSessionTopicIDError is error code 106, FETCH_SESSION_TOPIC_ID_ERROR. It is retriable.
	FetchSessionTopicIDError = &Error{Code: 106, Name: "FETCH_SESSION_TOPIC_ID_ERROR", Retriable: true,
		Message: "The fetch session encountered inconsistent topic ID usage."}
	// IneligibleReplica is error code 107, INELIGIBLE_REPLICA.
	IneligibleReplica = &Error{Code: 107, Name: "INELIGIBLE_REPLICA", Retriable: false,
		Message: "The new ISR contains at least one ineligible replica."}
	// NewLeaderElected is error code 108, NEW_LEADER_ELECTED.
	NewLeaderElected = &Error{Code: 108, Name: "NEW_LEADER_ELECTED", Retriable: false,
		Message: "The AlterPartition request successfully updated the partition state but the leader has changed."}
	// OffsetMovedToTieredStorage is error code 109, OFFSET_MOVED_TO_TIERED_STORAGE.
	OffsetMovedToTieredStorage = &Error{Code: 109, Name: "OFFSET_MOVED_TO_TIERED_STORAGE", Retriable: false,
		Message: "The requested offset is moved to tiered storage."}
	// FencedMemberEpoch is error code 110, FENCED_MEMBER_EPOCH.
	FencedMemberEpoch = &Error{Code: 110, Name: "FENCED_MEMBER_EPOCH", Retriable: false,
		Message: "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin."}
	// UnreleasedInstanceID is error code 111, UNRELEASED_INSTANCE_ID.
	UnreleasedInstanceID = &Error{Code: 111, Name: "UNRELEASED_INSTANCE_ID", Retriable: false,
		Message: "The instance ID is still used by another member in the consumer group. That member must leave first."}
	// UnsupportedAssignor is error code 112, UNSUPPORTED_ASSIGNOR.
	UnsupportedAssignor = &Error{Code: 112, Name: "UNSUPPORTED_ASSIGNOR", Retriable: false,
		Message: "The assignor or its version range is not supported by the consumer group."}
	// StaleMemberEpoch is error code 113, STALE_MEMBER_EPOCH.
	StaleMemberEpoch = &Error{Code: 113, Name: "STALE_MEMBER_EPOCH", Retriable: false,
		Message: "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API."}
	// MismatchedEndpointType is error code 114, MISMATCHED_ENDPOINT_TYPE.
	MismatchedEndpointType = &Error{Code: 114, Name: "MISMATCHED_ENDPOINT_TYPE", Retriable: false,
		Message: "The request was sent to an endpoint of the wrong type."}
	// UnsupportedEndpointType is error code 115, UNSUPPORTED_ENDPOINT_TYPE.
	UnsupportedEndpointType = &Error{Code: 115, Name: "UNSUPPORTED_ENDPOINT_TYPE", Retriable: false,
		Message: "This endpoint type is not supported yet."}
	// UnknownControllerID is error code 116, UNKNOWN_CONTROLLER_ID.
	UnknownControllerID = &Error{Code: 116, Name: "UNKNOWN_CONTROLLER_ID", Retriable: false,
		Message: "This controller ID is not known."}
	// UnknownSubscriptionID is error code 117, UNKNOWN_SUBSCRIPTION_ID.
	UnknownSubscriptionID = &Error{Code: 117, Name: "UNKNOWN_SUBSCRIPTION_ID", Retriable: false,
		Message: "Client sent a push telemetry request with an invalid or outdated subscription ID."}
	// TelemetryTooLarge is error code 118, TELEMETRY_TOO_LARGE.
	TelemetryTooLarge = &Error{Code: 118, Name: "TELEMETRY_TOO_LARGE", Retriable: false,
		Message: "Client sent a push telemetry request larger than the maximum size the broker will accept."}
	// InvalidRegistration is error code 119, INVALID_REGISTRATION.
	InvalidRegistration = &Error{Code: 119, Name: "INVALID_REGISTRATION", Retriable: false,
		Message: "The controller has considered the broker registration to be invalid."}
	// TransactionAbortable is error code 120, TRANSACTION_ABORTABLE.
	TransactionAbortable = &Error{Code: 120, Name: "TRANSACTION_ABORTABLE", Retriable: false,
		Message: "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID."}
	// InvalidRecordState is error code 121, INVALID_RECORD_STATE.
	InvalidRecordState = &Error{Code: 121, Name: "INVALID_RECORD_STATE", Retriable: false,
		Message: "The record state is invalid. The acknowledgement of delivery could not be completed."}
	// ShareSessionNotFound is error code 122, SHARE_SESSION_NOT_FOUND. It is retriable.
	ShareSessionNotFound = &Error{Code: 122, Name: "SHARE_SESSION_NOT_FOUND", Retriable: true,
		Message: "The share session was not found."}
	// InvalidShareSessionEpoch is error code 123, INVALID_SHARE_SESSION_EPOCH. It is retriable.
	InvalidShareSessionEpoch = &Error{Code: 123, Name: "INVALID_SHARE_SESSION_EPOCH", Retriable: true,
		Message: "The share session epoch is invalid."}
	// FencedStateEpoch is error code 124, FENCED_STATE_EPOCH.
	FencedStateEpoch = &Error{Code: 124, Name: "FENCED_STATE_EPOCH", Retriable: false,
		Message: "The share coordinator rejected the request because the share-group state epoch did not match."}
	// InvalidVoterKey is error code 125, INVALID_VOTER_KEY.
	InvalidVoterKey = &Error{Code: 125, Name: "INVALID_VOTER_KEY", Retriable: false,
		Message: "The voter key doesn't match the receiving replica's key."}
	// DuplicateVoter is error code 126, DUPLICATE_VOTER.
	DuplicateVoter = &Error{Code: 126, Name: "DUPLICATE_VOTER", Retriable: false,
		Message: "The voter is already part of the set of voters."}
	// VoterNotFound is error code 127, VOTER_NOT_FOUND.
	VoterNotFound = &Error{Code: 127, Name: "VOTER_NOT_FOUND", Retriable: false,
		Message: "The voter is not part of the set of voters."}
	// InvalidRegularExpression is error code 128, INVALID_REGULAR_EXPRESSION.
	InvalidRegularExpression = &Error{Code: 128, Name: "INVALID_REGULAR_EXPRESSION", Retriable: false,
		Message: "The regular expression is not valid."}
	// RebootstrapRequired is error code 129, REBOOTSTRAP_REQUIRED.
	RebootstrapRequired = &Error{Code: 129, Name: "REBOOTSTRAP_REQUIRED", Retriable: false,
		Message: "Client metadata is stale. The client should rebootstrap to obtain new metadata."}
	// StreamsInvalidTopology is error code 130, STREAMS_INVALID_TOPOLOGY.
	StreamsInvalidTopology = &Error{Code: 130, Name: "STREAMS_INVALID_TOPOLOGY", Retriable: false,
		Message: "The supplied topology is invalid."}
	// StreamsInvalidTopologyEpoch is error code 131, STREAMS_INVALID_TOPOLOGY_EPOCH.
	StreamsInvalidTopologyEpoch = &Error{Code: 131, Name: "STREAMS_INVALID_TOPOLOGY_EPOCH", Retriable: false,
		Message: "The supplied topology epoch is invalid."}
	// StreamsTopologyFenced is error code 132, STREAMS_TOPOLOGY_FENCED.
	StreamsTopologyFenced = &Error{Code: 132, Name: "STREAMS_TOPOLOGY_FENCED", Retriable: false,
		Message: "The supplied topology epoch is outdated."}
	// ShareSessionLimitReached is error code 133, SHARE_SESSION_LIMIT_REACHED. It is retriable.
	ShareSessionLimitReached = &Error{Code: 133, Name: "SHARE_SESSION_LIMIT_REACHED", Retriable: true,
		Message: "The limit of share sessions has been reached."}
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
	StreamsInvalidTopologyEpoch, StreamsTopologyFenced, ShareSessionLimitReached,
}
