// Custom-serializer shows how to write a serializer and deserializer of your
// own for a Go type, implementing core.Serializer and core.Deserializer, and
// use them with the typed producer and consumer (kafka-python's
// value_serializer callables). Registering it by name also
// makes it available to configuration-driven programs such as the kafka3
// command (-serializer point).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
	"github.com/kafka3/kafka3-go/serde"
)

// Point is written as the text "x,y", with a content-type header.
type Point struct{ X, Y int }

// PointSerde serializes Points. It is stateless, hence safe for concurrent use.
type PointSerde struct{}

// Serialize writes p as "x,y" and says so in a header.
func (PointSerde) Serialize(_ string, headers *[]core.Header, p Point) ([]byte, error) {
	*headers = append(*headers, core.Header{Key: "content-type", Value: []byte("text/x-point")})
	return fmt.Appendf(nil, "%d,%d", p.X, p.Y), nil
}

// Deserialize parses "x,y"; errors say what was wrong with the bytes.
func (PointSerde) Deserialize(_ string, _ []core.Header, data []byte) (Point, error) {
	var p Point
	if _, err := fmt.Sscanf(string(data), "%d,%d", &p.X, &p.Y); err != nil {
		return Point{}, fmt.Errorf("point: want x,y, got %q: %w", data, err)
	}
	return p, nil
}

func init() {
	// Optional: make it available by name, parsing text as "x,y".
	core.RegisterSerde("point", core.Untyped[Point](PointSerde{}, func(s string) (Point, error) {
		return PointSerde{}.Deserialize("", nil, []byte(s))
	}))
}

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topic, drop := demo.Topic(ctx, 1)
	defer drop()
	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	points := core.NewTypedProducer[[]byte, Point](p, serde.Bytes{}, PointSerde{})
	if _, err := points.SendSync(ctx, core.TypedRecord[[]byte, Point]{Topic: topic, Value: Point{3, 4}}); err != nil {
		return err
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config(), AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		return err
	}
	recs, err := core.NewTypedConsumer[[]byte, Point](c, serde.Bytes{}, PointSerde{}).Poll(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("received %+v (content-type %s)\n", recs[0].Value, recs[0].Headers[0].Value)

	byName, err := core.SerdeFor[Point]("point")
	if err != nil {
		return err
	}
	b, _ := byName.Serialize(topic, &[]core.Header{}, Point{-1, 2})
	fmt.Printf("the serde registered as \"point\" writes %q\n", b)
	return nil
}
