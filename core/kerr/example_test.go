package kerr_test

import (
	"errors"
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
)

func Example() {
	msg := "Topic 'orders' does not exist"
	err := fmt.Errorf("produce to orders-0: %w", kerr.WithMessage(3, &msg))

	fmt.Println(err)
	fmt.Println(errors.Is(err, kerr.UnknownTopicOrPartition), kerr.IsRetriable(err))
	var ke *kerr.Error
	if errors.As(err, &ke) {
		fmt.Println(ke.Code, ke.ErrorType())
	}
	fmt.Println(kerr.ForCode(0) == nil)
	// Output:
	// produce to orders-0: kafka: UNKNOWN_TOPIC_OR_PARTITION (3): The broker has no such topic or partition: it does not exist, is still being created, or lives on another broker. Check the name or create the topic. (broker: Topic 'orders' does not exist)
	// true true
	// 3 UNKNOWN_TOPIC_OR_PARTITION
	// true
}
