package main

import (
	"fmt"
	"strconv"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

var filterTags = []string{"TagA", "TagB", "TagC"}

// filterTag: 30 sent with TagA, TagB, TagC in turn; a `TagA || TagB` consumer gets exactly the 20 A and B,
// each with its tag intact.
func filterTag(s *scenarioEnv) outcome {
	const count = 30
	sent := make([]*primitive.Message, count)
	var expected []string
	wantTag := make(map[string]string)
	for i := range sent {
		tag := filterTags[i%len(filterTags)]
		sent[i] = s.message(i).WithTag(tag)
		if tag != "TagC" {
			expected = append(expected, s.body(i))
			wantTag[s.body(i)] = tag
		}
	}
	if o, ok := sendMessages(s, sent); !ok {
		return o
	}
	selector := consumer.MessageSelector{Type: consumer.TAG, Expression: "TagA || TagB"}
	deliveries, o, ok := receiveWith(s, selector, expected)
	if !ok {
		return o
	}
	for _, d := range deliveries {
		if d.tags != wantTag[d.body] {
			return fail("%s arrived with tag %q, want %q", d.body, d.tags, wantTag[d.body])
		}
	}
	return pass("%s, tags intact", o.detail)
}

// filterSQL92: 10 sent with user property a = 0..9; an `a >= 5` consumer gets exactly a = 5..9.
func filterSQL92(s *scenarioEnv) outcome {
	const count = 10
	sent := make([]*primitive.Message, count)
	var expected []string
	for i := range sent {
		sent[i] = s.message(i)
		sent[i].WithProperty("a", strconv.Itoa(i))
		if i >= 5 {
			expected = append(expected, s.body(i))
		}
	}
	if o, ok := sendMessages(s, sent); !ok {
		return o
	}
	selector := consumer.MessageSelector{Type: consumer.SQL92, Expression: "a >= 5"}
	_, o, _ := receiveWith(s, selector, expected)
	return o
}

// receiveWith starts a consumer with the selector and checks it receives exactly the expected bodies.
func receiveWith(s *scenarioEnv, selector consumer.MessageSelector, expected []string) ([]delivery, outcome, bool) {
	received := &inbox{}
	if _, err := s.startPushConsumer("consumer", selector, received.acceptAll("consumer")); err != nil {
		return nil, failure("start consumer", err), false
	}
	deliveries := received.waitForBodies(expected)
	check := checkBodies(expected, deliveries)
	if !check.exact() {
		return deliveries, fail("%s", check), false
	}
	return deliveries, pass("%s", check), true
}

func sendMessages(s *scenarioEnv, msgs []*primitive.Message) (outcome, bool) {
	p, err := s.startProducer()
	if err != nil {
		return failure("start producer", err), false
	}
	for i, m := range msgs {
		ctx, cancel := sendContext()
		result, err := p.SendSync(ctx, m)
		cancel()
		if err != nil {
			return failure(fmt.Sprintf("send %d", i), err), false
		}
		if result.Status != primitive.SendOK {
			return fail("send %d: status %d, want SEND_OK", i, result.Status), false
		}
	}
	return outcome{}, true
}
