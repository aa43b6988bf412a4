package core

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// ACLResourceType is the kind of resource an ACL protects.
type ACLResourceType int8

// ACL resource types, as Kafka numbers them. ACLResourceAny matches every
// type in filters only.
const (
	ACLResourceUnknown         ACLResourceType = 0
	ACLResourceAny             ACLResourceType = 1
	ACLResourceTopic           ACLResourceType = 2
	ACLResourceGroup           ACLResourceType = 3
	ACLResourceCluster         ACLResourceType = 4
	ACLResourceTransactionalID ACLResourceType = 5
	ACLResourceDelegationToken ACLResourceType = 6
	ACLResourceUser            ACLResourceType = 7
)

var aclResourceNames = [...]string{"UNKNOWN", "ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN", "USER"}

// String returns Kafka's name of t, such as "TOPIC".
func (t ACLResourceType) String() string {
	return enumName(aclResourceNames[:], int8(t), "ACLResourceType")
}

// ACLPatternType says how an ACL's resource name matches resources.
type ACLPatternType int8

// ACL pattern types. ACLPatternAny and ACLPatternMatch are for filters
// only: Any matches bindings of every pattern type, Match the bindings that
// apply to the filter's resource name (literal, prefixed or wildcard).
const (
	ACLPatternUnknown  ACLPatternType = 0
	ACLPatternAny      ACLPatternType = 1
	ACLPatternMatch    ACLPatternType = 2
	ACLPatternLiteral  ACLPatternType = 3
	ACLPatternPrefixed ACLPatternType = 4
)

var aclPatternNames = [...]string{"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"}

// String returns Kafka's name of p, such as "LITERAL".
func (p ACLPatternType) String() string {
	return enumName(aclPatternNames[:], int8(p), "ACLPatternType")
}

// ACLOperation is an operation an ACL allows or denies.
type ACLOperation int8

// ACL operations, as Kafka numbers them. ACLOperationAny matches every
// operation in filters only; ACLOperationAll grants or denies them all.
const (
	ACLOperationUnknown         ACLOperation = 0
	ACLOperationAny             ACLOperation = 1
	ACLOperationAll             ACLOperation = 2
	ACLOperationRead            ACLOperation = 3
	ACLOperationWrite           ACLOperation = 4
	ACLOperationCreate          ACLOperation = 5
	ACLOperationDelete          ACLOperation = 6
	ACLOperationAlter           ACLOperation = 7
	ACLOperationDescribe        ACLOperation = 8
	ACLOperationClusterAction   ACLOperation = 9
	ACLOperationDescribeConfigs ACLOperation = 10
	ACLOperationAlterConfigs    ACLOperation = 11
	ACLOperationIdempotentWrite ACLOperation = 12
	ACLOperationCreateTokens    ACLOperation = 13
	ACLOperationDescribeTokens  ACLOperation = 14
	ACLOperationTwoPhaseCommit  ACLOperation = 15
)

var aclOperationNames = [...]string{"UNKNOWN", "ANY", "ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE",
	"CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "CREATE_TOKENS", "DESCRIBE_TOKENS", "TWO_PHASE_COMMIT"}

// String returns Kafka's name of o, such as "DESCRIBE_CONFIGS".
func (o ACLOperation) String() string { return enumName(aclOperationNames[:], int8(o), "ACLOperation") }

// ACLPermission says whether an ACL allows or denies.
type ACLPermission int8

// ACL permission types. ACLPermissionAny is for filters only.
const (
	ACLPermissionUnknown ACLPermission = 0
	ACLPermissionAny     ACLPermission = 1
	ACLPermissionDeny    ACLPermission = 2
	ACLPermissionAllow   ACLPermission = 3
)

var aclPermissionNames = [...]string{"UNKNOWN", "ANY", "DENY", "ALLOW"}

// String returns Kafka's name of p, such as "ALLOW".
func (p ACLPermission) String() string {
	return enumName(aclPermissionNames[:], int8(p), "ACLPermission")
}

func enumName(names []string, v int8, typ string) string {
	if v >= 0 && int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// operationsOf decodes an authorized-operations bit field; nil when the
// broker did not compute it.
func operationsOf(bits int32) []ACLOperation {
	if bits == -1<<31 {
		return nil
	}
	ops := []ACLOperation{}
	for op := ACLOperationRead; op <= ACLOperationTwoPhaseCommit; op++ {
		if bits&(1<<op) != 0 {
			ops = append(ops, op)
		}
	}
	return ops
}

// ACLBinding is one ACL: Principal may (Permission Allow) or may not (Deny)
// perform Operation on the resources matching ResourceType, ResourceName
// and PatternType, from Host.
type ACLBinding struct {
	ResourceType ACLResourceType
	// ResourceName is the name, prefix or "*" (every resource of the type);
	// "kafka-cluster" for the cluster.
	ResourceName string
	// PatternType is ACLPatternLiteral (the default when zero) or
	// ACLPatternPrefixed.
	PatternType ACLPatternType
	// Principal is e.g. "User:alice"; "User:*" is every user.
	Principal string
	// Host is the client's IP address, or "*" (the default when empty).
	Host       string
	Operation  ACLOperation
	Permission ACLPermission
}

// String describes b in the manner of Kafka's tools.
func (b ACLBinding) String() string {
	return fmt.Sprintf("(%s %s %s:%s from %s: %s %s)", b.Principal, b.Permission, b.ResourceType, b.ResourceName, b.Host, b.Operation, b.PatternType)
}

// ACLFilter selects ACL bindings. Empty strings match anything; zero enum
// values mean "any" (ACLResourceAny, ACLPatternAny, ACLOperationAny,
// ACLPermissionAny), so the zero ACLFilter matches every binding.
type ACLFilter struct {
	ResourceType ACLResourceType
	ResourceName string
	PatternType  ACLPatternType
	Principal    string
	Host         string
	Operation    ACLOperation
	Permission   ACLPermission
}

// indefinite names the first field of b that is not a single definite
// value (ANY, MATCH, UNKNOWN, out of range, or empty), or "".
func (b ACLBinding) indefinite(pt ACLPatternType) string {
	switch {
	case b.ResourceType < ACLResourceTopic || int(b.ResourceType) >= len(aclResourceNames):
		return "resource type " + b.ResourceType.String()
	case pt < ACLPatternLiteral || int(pt) >= len(aclPatternNames):
		return "pattern type " + pt.String()
	case b.Operation < ACLOperationAll || int(b.Operation) >= len(aclOperationNames):
		return "operation " + b.Operation.String()
	case b.Permission < ACLPermissionDeny || int(b.Permission) >= len(aclPermissionNames):
		return "permission " + b.Permission.String()
	case b.ResourceName == "":
		return "empty resource name"
	case b.Principal == "":
		return "empty principal"
	}
	return ""
}

// invalid says what is out of range in f, or "".
func (f ACLFilter) invalid() string {
	switch {
	case f.ResourceType < 0 || int(f.ResourceType) >= len(aclResourceNames):
		return "resource type " + f.ResourceType.String()
	case f.PatternType < 0 || int(f.PatternType) >= len(aclPatternNames):
		return "pattern type " + f.PatternType.String()
	case f.Operation < 0 || int(f.Operation) >= len(aclOperationNames):
		return "operation " + f.Operation.String()
	case f.Permission < 0 || int(f.Permission) >= len(aclPermissionNames):
		return "permission " + f.Permission.String()
	}
	return ""
}

// wire returns f's fields as the protocol carries them.
func (f ACLFilter) wire() (rt int8, name *string, pt int8, principal, host *string, op, perm int8) {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	orAny := func(v int8) int8 {
		if v == 0 {
			return 1
		}
		return v
	}
	return orAny(int8(f.ResourceType)), opt(f.ResourceName), orAny(int8(f.PatternType)), opt(f.Principal), opt(f.Host),
		orAny(int8(f.Operation)), orAny(int8(f.Permission))
}

// DescribeACLs returns the ACL bindings that match filter.
func (a *Admin) DescribeACLs(ctx context.Context, filter ACLFilter) ([]ACLBinding, error) {
	if bad := filter.invalid(); bad != "" {
		return nil, fmt.Errorf("core: DescribeACLs: the filter's %s is not one Kafka knows: %w", bad, kerr.InvalidRequest)
	}
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	req := &protocol.DescribeAclsRequest{}
	req.Default()
	req.ResourceTypeFilter, req.ResourceNameFilter, req.PatternTypeFilter, req.PrincipalFilter, req.HostFilter, req.Operation, req.PermissionType = filter.wire()
	resp, err := a.toAny(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("core: DescribeACLs: %w", err)
	}
	r := resp.(*protocol.DescribeAclsResponse)
	if err := itemErr(r.ErrorCode, r.ErrorMessage); err != nil {
		return nil, fmt.Errorf("core: DescribeACLs: %w", err)
	}
	var out []ACLBinding
	for _, res := range r.Resources {
		for _, acl := range res.Acls {
			out = append(out, ACLBinding{ResourceType: ACLResourceType(res.ResourceType), ResourceName: res.ResourceName,
				PatternType: ACLPatternType(res.PatternType), Principal: acl.Principal, Host: acl.Host,
				Operation: ACLOperation(acl.Operation), Permission: ACLPermission(acl.PermissionType)})
		}
	}
	return out, nil
}

// CreateACLs creates ACL bindings and returns the error of each, in the
// order given: nil when created (or already present). A binding with a
// value that only filters may use (ACLOperationAny, ACLPatternMatch, ...),
// or an empty resource name or principal, fails alone with INVALID_REQUEST
// without being sent. The error is non-nil only when the request itself
// failed.
func (a *Admin) CreateACLs(ctx context.Context, bindings []ACLBinding) ([]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	out := make([]error, len(bindings))
	req := &protocol.CreateAclsRequest{}
	req.Default()
	var sent []int // index in bindings of each creation
	for i, b := range bindings {
		pt, host := b.PatternType, b.Host
		if pt == ACLPatternUnknown {
			pt = ACLPatternLiteral
		}
		if host == "" {
			host = "*"
		}
		if bad := b.indefinite(pt); bad != "" {
			out[i] = fmt.Errorf("core: ACL %v cannot be created: its %s is not a single definite value: %w", b, bad, kerr.InvalidRequest)
			continue
		}
		req.Creations = append(req.Creations, protocol.CreateAclsRequestAclCreation{ResourceType: int8(b.ResourceType), ResourceName: b.ResourceName,
			ResourcePatternType: int8(pt), Principal: b.Principal, Host: host, Operation: int8(b.Operation), PermissionType: int8(b.Permission)})
		sent = append(sent, i)
	}
	if len(sent) == 0 {
		return out, nil
	}
	if err := a.needPrefixedACLs(ctx, bindings); err != nil {
		return nil, fmt.Errorf("core: CreateACLs: %w", err)
	}
	resp, err := a.toAny(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("core: CreateACLs: %w", err)
	}
	results := resp.(*protocol.CreateAclsResponse).Results
	for j, i := range sent {
		if j >= len(results) {
			out[i] = fmt.Errorf("core: the broker did not answer for ACL %v; describe the ACLs to see whether it exists: %w", bindings[i], kerr.UnknownServerError)
			continue
		}
		out[i] = itemErr(results[j].ErrorCode, results[j].ErrorMessage)
	}
	return out, nil
}

// DeleteACLsResult is the outcome of one filter of DeleteACLs.
type DeleteACLsResult struct {
	// Deleted are the bindings the filter matched, each with the error of
	// its deletion (nil when deleted).
	Deleted []DeletedACL
	// Err is the filter's error, e.g. INVALID_REQUEST.
	Err error
}

// DeletedACL is a binding that DeleteACLs matched.
type DeletedACL struct {
	Binding ACLBinding
	Err     error
}

// DeleteACLs deletes the ACL bindings matching each filter and returns one
// result per filter, in the order given. A filter with a value Kafka does
// not know fails alone with INVALID_REQUEST without being sent. The error
// is non-nil only when the request itself failed.
func (a *Admin) DeleteACLs(ctx context.Context, filters []ACLFilter) ([]DeleteACLsResult, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	out := make([]DeleteACLsResult, len(filters))
	req := &protocol.DeleteAclsRequest{}
	req.Default()
	var sent []int
	for i, f := range filters {
		if bad := f.invalid(); bad != "" {
			out[i].Err = fmt.Errorf("core: DeleteACLs: filter %d's %s is not one Kafka knows: %w", i, bad, kerr.InvalidRequest)
			continue
		}
		var w protocol.DeleteAclsRequestDeleteAclsFilter
		w.ResourceTypeFilter, w.ResourceNameFilter, w.PatternTypeFilter, w.PrincipalFilter, w.HostFilter, w.Operation, w.PermissionType = f.wire()
		req.Filters = append(req.Filters, w)
		sent = append(sent, i)
	}
	if len(sent) == 0 {
		return out, nil
	}
	resp, err := a.toAny(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("core: DeleteACLs: %w", err)
	}
	results := resp.(*protocol.DeleteAclsResponse).FilterResults
	for j, i := range sent {
		if j >= len(results) {
			out[i].Err = fmt.Errorf("core: the broker did not answer for ACL filter %d; describe the ACLs to see what is left: %w", i, kerr.UnknownServerError)
			continue
		}
		out[i] = deletedACLs(results[j])
	}
	return out, nil
}

func deletedACLs(r protocol.DeleteAclsResponseDeleteAclsFilterResult) DeleteACLsResult {
	out := DeleteACLsResult{Err: itemErr(r.ErrorCode, r.ErrorMessage)}
	for _, m := range r.MatchingAcls {
		out.Deleted = append(out.Deleted, DeletedACL{Err: itemErr(m.ErrorCode, m.ErrorMessage), Binding: ACLBinding{
			ResourceType: ACLResourceType(m.ResourceType), ResourceName: m.ResourceName, PatternType: ACLPatternType(m.PatternType),
			Principal: m.Principal, Host: m.Host, Operation: ACLOperation(m.Operation), Permission: ACLPermission(m.PermissionType)}})
	}
	return out
}
