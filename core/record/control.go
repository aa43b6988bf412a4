package record

import (
	"encoding/binary"
	"fmt"
)

// ControlType is the type of a control record (the int16 after the key's
// version): transaction markers, and KRaft's own types.
type ControlType int16

const (
	// ControlAbort marks the abort of a transaction.
	ControlAbort ControlType = 0
	// ControlCommit marks the commit of a transaction.
	ControlCommit ControlType = 1
)

// String returns "ABORT", "COMMIT" or "ControlType(n)".
func (t ControlType) String() string {
	switch t {
	case ControlAbort:
		return "ABORT"
	case ControlCommit:
		return "COMMIT"
	}
	return fmt.Sprintf("ControlType(%d)", int16(t))
}

// Control is a control record: key (version int16, type int16) and, for
// transaction markers, value (version int16, coordinator epoch int32).
type Control struct {
	KeyVersion       int16 // 0
	Type             ControlType
	ValueVersion     int16 // 0
	CoordinatorEpoch int32
}

// AppendKey appends the control record's key.
func (c *Control) AppendKey(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(c.KeyVersion))
	return binary.BigEndian.AppendUint16(dst, uint16(c.Type))
}

// AppendValue appends the value of a transaction marker (COMMIT or ABORT).
func (c *Control) AppendValue(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(c.ValueVersion))
	return binary.BigEndian.AppendUint32(dst, uint32(c.CoordinatorEpoch))
}

// ParseControl decodes the key of a record from a control batch and, for
// transaction markers, its value. Other control types (KRaft's) leave the
// value fields zero; their values are not parsed.
func ParseControl(key, value []byte) (Control, error) {
	var c Control
	if len(key) < 4 {
		return c, fmt.Errorf("record: control record key of %d bytes, want 4", len(key))
	}
	be := binary.BigEndian
	c.KeyVersion = int16(be.Uint16(key))
	c.Type = ControlType(be.Uint16(key[2:]))
	if c.Type == ControlAbort || c.Type == ControlCommit {
		if len(value) < 6 {
			return c, fmt.Errorf("record: %s marker value of %d bytes, want 6", c.Type, len(value))
		}
		c.ValueVersion = int16(be.Uint16(value))
		c.CoordinatorEpoch = int32(be.Uint32(value[2:]))
	}
	return c, nil
}
