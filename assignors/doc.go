// Package assignors links in every partition assignor of this module, for
// programs that want them all:
//
//	import _ "github.com/kafka3/kafka3-go/assignors"
//
// registers "range" (package rangeassignor at assignors/range), "roundrobin",
// "sticky" and "cooperative-sticky" (package cooperativesticky) with core, so
// that a consumer configuration can name any of them. Import a single
// assignor's package instead to link only that one.
package assignors

import (
	_ "github.com/kafka3/kafka3-go/assignors/cooperativesticky"
	_ "github.com/kafka3/kafka3-go/assignors/range"
	_ "github.com/kafka3/kafka3-go/assignors/roundrobin"
	_ "github.com/kafka3/kafka3-go/assignors/sticky"
)
