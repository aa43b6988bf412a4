package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/groupproto"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// toCoordinator sends build() to the coordinator of key and returns the
// response with its item-level error (from check), finding the coordinator
// again and retrying while that error, or the request's, says the broker
// is not (yet) the coordinator, or the request got no answer.
func (a *Admin) toCoordinator(ctx context.Context, kind int8, key string, build func() protocol.Request, check func(protocol.Response) error) (protocol.Response, error) {
	var lastErr error
	for attempt := 0; attempt < a.cfg.MaxAttempts; attempt++ {
		if attempt > 0 && !a.pause(ctx, attempt-1) {
			break
		}
		id, err := a.cl.Coordinator(ctx, kind, key)
		if err != nil {
			lastErr = err
			if isCoordinatorErr(err) || unanswered(err) && retriable(ctx, err) {
				continue
			}
			break
		}
		resp, err := a.send(ctx, id, build())
		if err == nil {
			err = check(resp)
			if err == nil || !isCoordinatorErr(err) {
				return resp, err
			}
		}
		lastErr = err
		a.cl.InvalidateCoordinator(kind, key)
		if !isCoordinatorErr(err) && !retriable(ctx, err) {
			break
		}
	}
	return nil, lastErr
}

// groupDispatch sends groups to their coordinators; R is a group's result.
func groupDispatch[R any](a *Admin, kind int8, send func(ctx context.Context, broker int32, keys []string) (map[string]R, error),
	errOf func(R) error, fail func(error) R) dispatch[string, R] {
	return dispatch[string, R]{
		route: a.routeCoordinators(kind), send: send, errOf: errOf, fail: fail,
		again: a.forgetCoordinators(kind),
		retry: func(err error) bool { return isCoordinatorErr(err) || unanswered(err) },
	}
}

// GroupListing is a group as ListGroups reports it.
type GroupListing struct {
	ID string
	// ProtocolType is "consumer" for consumer groups, "connect" for Kafka
	// Connect workers, "" for groups that only commit offsets.
	ProtocolType string
	// State is e.g. "Stable", "Empty", "PreparingRebalance" (Kafka 2.6+).
	State string
	// Type is "classic", "consumer", "share" or "streams" (Kafka 4.0+).
	Type string
	// Coordinator is the broker that coordinates the group.
	Coordinator int32
}

// ListGroupsOptions filter ListGroups; empty filters match every group.
type ListGroupsOptions struct {
	// States keeps only groups in these states, e.g. "Stable", "Empty".
	States []string
	// Types keeps only groups of these types, e.g. "classic", "consumer".
	Types []string
}

// ListGroups asks every broker for the groups it coordinates and returns
// them all, sorted by id. When some brokers fail, the groups of the others
// are returned together with an error naming the brokers that failed.
func (a *Admin) ListGroups(ctx context.Context, opts ListGroupsOptions) ([]GroupListing, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	ids, err := a.brokerIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: ListGroups: %w", err)
	}
	var mu sync.Mutex
	var out []GroupListing
	errs := a.eachBroker(ctx, ids, func(ctx context.Context, id int32) error {
		req := &protocol.ListGroupsRequest{}
		req.Default()
		req.StatesFilter, req.TypesFilter = opts.States, opts.Types
		if err := a.needListGroupsFilters(ctx, id, opts); err != nil {
			return err
		}
		resp, err := a.send(ctx, id, req)
		if err != nil {
			return err
		}
		r := resp.(*protocol.ListGroupsResponse)
		if err := kerr.ForCode(r.ErrorCode); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, g := range r.Groups {
			out = append(out, GroupListing{ID: g.GroupId, ProtocolType: g.ProtocolType, State: g.GroupState, Type: g.GroupType, Coordinator: id})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, brokerErrors("ListGroups", errs)
}

// brokerErrors joins the errors of the brokers that failed, or nil.
func brokerErrors(api string, errs map[int32]error) error {
	if len(errs) == 0 {
		return nil
	}
	ids := make([]int32, 0, len(errs))
	for id := range errs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	all := make([]error, len(ids))
	for i, id := range ids {
		all[i] = fmt.Errorf("core: %s on broker %d: %w", api, id, errs[id])
	}
	return errors.Join(all...)
}

// GroupDescription describes a group and its members.
type GroupDescription struct {
	ID string
	// State is e.g. "Stable", "Empty", "PreparingRebalance".
	State string
	// ProtocolType is "consumer" for consumer groups.
	ProtocolType string
	// Protocol is the chosen protocol, for consumer groups the assignor
	// (e.g. "range", "cooperative-sticky").
	Protocol    string
	Members     []GroupMember
	Coordinator int32
	// Err is why the group could not be described: GROUP_ID_NOT_FOUND for a
	// group that does not exist, GROUP_AUTHORIZATION_FAILED, ...
	Err error
}

// GroupMember is one member of a group.
type GroupMember struct {
	MemberID   string
	InstanceID string // the static member's group.instance.id, "" if none
	ClientID   string
	ClientHost string
	// Metadata and Assignment are the member's raw protocol bytes.
	Metadata, Assignment []byte
	// For consumer groups, Topics are the member's subscription and
	// Assigned its partitions, by topic, decoded from the raw bytes.
	Topics   []string
	Assigned map[string][]int32
	// DecodeErr is why the consumer protocol bytes could not be decoded.
	DecodeErr error
}

// DescribeGroups describes groups, asking each group's coordinator, and
// returns one description per group in the order given. A group that does
// not exist has Err kerr.GroupIDNotFound.
func (a *Admin) DescribeGroups(ctx context.Context, groups ...string) []GroupDescription {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := groupDispatch(a, cluster.CoordinatorGroup, func(ctx context.Context, broker int32, keys []string) (map[string]GroupDescription, error) {
		req := &protocol.DescribeGroupsRequest{}
		req.Default()
		req.Groups = keys
		resp, err := a.send(ctx, broker, req)
		if err != nil {
			return nil, err
		}
		out := map[string]GroupDescription{}
		for _, g := range resp.(*protocol.DescribeGroupsResponse).Groups {
			out[g.GroupId] = describedGroup(g, broker)
		}
		return out, nil
	}, func(g GroupDescription) error { return g.Err }, func(err error) GroupDescription { return GroupDescription{Err: err} })
	res := d.run(ctx, a, groups)
	out := make([]GroupDescription, len(groups))
	for i, g := range groups {
		out[i] = res[g]
		out[i].ID = g
	}
	return out
}

func describedGroup(g protocol.DescribeGroupsResponseDescribedGroup, coordinator int32) GroupDescription {
	d := GroupDescription{ID: g.GroupId, State: g.GroupState, ProtocolType: g.ProtocolType, Protocol: g.ProtocolData,
		Coordinator: coordinator, Err: itemErr(g.ErrorCode, g.ErrorMessage)}
	if d.Err == nil && g.GroupState == "Dead" {
		// Brokers before 4.0 describe a group that does not exist as Dead.
		d.Err = fmt.Errorf("core: group %q does not exist: %w", g.GroupId, kerr.GroupIDNotFound)
	}
	for _, m := range g.Members {
		gm := GroupMember{MemberID: m.MemberId, InstanceID: str(m.GroupInstanceId), ClientID: m.ClientId, ClientHost: m.ClientHost,
			Metadata: bytes.Clone(m.MemberMetadata), Assignment: bytes.Clone(m.MemberAssignment)}
		if g.ProtocolType == "consumer" {
			decodeConsumerMember(&gm)
		}
		d.Members = append(d.Members, gm)
	}
	return d
}

// decodeConsumerMember decodes a consumer's subscription and assignment.
func decodeConsumerMember(m *GroupMember) {
	if len(m.Metadata) > 0 {
		sub, err := groupproto.DecodeSubscription(m.Metadata)
		if err != nil {
			m.DecodeErr = fmt.Errorf("core: member %s's subscription: %w", m.MemberID, err)
		}
		m.Topics = sub.Topics
	}
	asg, err := groupproto.DecodeAssignment(m.Assignment)
	if err != nil {
		m.DecodeErr = errors.Join(m.DecodeErr, fmt.Errorf("core: member %s's assignment: %w", m.MemberID, err))
		return
	}
	for _, tps := range asg.Partitions {
		if m.Assigned == nil {
			m.Assigned = map[string][]int32{}
		}
		m.Assigned[tps.Topic] = append(m.Assigned[tps.Topic], tps.Partitions...)
	}
}

// DeleteGroups deletes groups, which must have no members, through their
// coordinators, and returns the error of each group: nil when deleted,
// NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, ...
func (a *Admin) DeleteGroups(ctx context.Context, groups ...string) map[string]error {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := groupDispatch(a, cluster.CoordinatorGroup, func(ctx context.Context, broker int32, keys []string) (map[string]error, error) {
		req := &protocol.DeleteGroupsRequest{}
		req.Default()
		req.GroupsNames = keys
		resp, err := a.send(ctx, broker, req)
		if err != nil {
			return nil, err
		}
		out := map[string]error{}
		for _, r := range resp.(*protocol.DeleteGroupsResponse).Results {
			out[r.GroupId] = itemErr(r.ErrorCode, r.ErrorMessage)
		}
		return out, nil
	}, func(err error) error { return err }, func(err error) error { return err })
	return d.run(ctx, a, groups)
}

// RemoveGroupMembers removes members from a group, as if they had left it:
// the static members with the given group.instance.ids, or, when none are
// given, every member. It returns the error of each member, keyed by
// instance id (by member id for a dynamic member removed as part of "every
// member"). The error is the group's: GROUP_ID_NOT_FOUND, ...
func (a *Admin) RemoveGroupMembers(ctx context.Context, group string, instanceIDs ...string) (map[string]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	var members []protocol.LeaveGroupRequestMemberIdentity
	reason := "removed by an administrator (kafka3-go Admin.RemoveGroupMembers)"
	for i := range instanceIDs {
		members = append(members, protocol.LeaveGroupRequestMemberIdentity{GroupInstanceId: &instanceIDs[i], Reason: &reason})
	}
	if len(instanceIDs) == 0 {
		desc := a.DescribeGroups(ctx, group)
		if err := desc[0].Err; err != nil {
			return nil, fmt.Errorf("core: RemoveGroupMembers: listing the members of %q: %w", group, err)
		}
		for _, m := range desc[0].Members {
			id := protocol.LeaveGroupRequestMemberIdentity{MemberId: m.MemberID, Reason: &reason}
			if m.InstanceID != "" {
				id.GroupInstanceId = &m.InstanceID
			}
			members = append(members, id)
		}
		if len(members) == 0 {
			return map[string]error{}, nil
		}
	}
	build := func() protocol.Request {
		req := &protocol.LeaveGroupRequest{}
		req.Default()
		req.GroupId, req.Members = group, members
		return req
	}
	if id, err := a.cl.Coordinator(ctx, cluster.CoordinatorGroup, group); err == nil {
		if err := a.needVersion(ctx, id, (*protocol.LeaveGroupRequest)(nil).Key(), leaveGroupBatch, BrokerVersion{Major: 2, Minor: 4}, "removing members by id (KIP-345)"); err != nil {
			return nil, fmt.Errorf("core: RemoveGroupMembers from %q: %w", group, err)
		}
	}
	resp, err := a.toCoordinator(ctx, cluster.CoordinatorGroup, group, build, func(r protocol.Response) error {
		return kerr.ForCode(r.(*protocol.LeaveGroupResponse).ErrorCode)
	})
	if err != nil {
		return nil, fmt.Errorf("core: RemoveGroupMembers from %q: %w", group, err)
	}
	out := map[string]error{}
	for _, m := range resp.(*protocol.LeaveGroupResponse).Members {
		key := str(m.GroupInstanceId)
		if key == "" {
			key = m.MemberId
		}
		out[key] = kerr.ForCode(m.ErrorCode)
	}
	return out, nil
}
