package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

var orderKeys = []string{"k0", "k1", "k2"}

const orderSeqCount = 10

// orderedSendOrderlyConsume: keys k0..k2, 10 each (`<key>-<seq>`), queue chosen by the key's hash;
// an orderly consumer receives all 30, per key seq 0..9 in order.
func orderedSendOrderlyConsume(s *scenarioEnv) outcome {
	p, err := s.startProducer(producer.WithQueueSelector(producer.NewHashQueueSelector()))
	if err != nil {
		return failure("start producer", err)
	}
	var expected []string
	for seq := 0; seq < orderSeqCount; seq++ {
		for _, key := range orderKeys {
			body := fmt.Sprintf("%s-%d", key, seq)
			expected = append(expected, body)
			msg := primitive.NewMessage(s.topic(), []byte(body)).WithShardingKey(key).WithKeys([]string{key})
			ctx, cancel := sendContext()
			result, err := p.SendSync(ctx, msg)
			cancel()
			if err != nil {
				return failure("send "+body, err)
			}
			if result.Status != primitive.SendOK {
				return fail("send %s: status %d, want SEND_OK", body, result.Status)
			}
		}
	}
	received := &inbox{}
	_, err = s.startPushConsumer("consumer", subscribeAll, received.acceptAll("consumer"),
		consumer.WithConsumerOrder(true))
	if err != nil {
		return failure("start consumer", err)
	}
	deliveries := received.waitForBodies(expected)
	if check := checkBodies(expected, deliveries); !check.exact() {
		return fail("%s", check)
	}
	for _, key := range orderKeys {
		if seqs := seqsOf(key, deliveries); !inOrder(seqs) {
			return fail("key %s arrived in order %v, want 0..9", key, seqs)
		}
	}
	return pass("30/30 received, per key seq 0..9 in order")
}

// seqsOf lists, in arrival order, the seq of each delivery of key.
func seqsOf(key string, ds []delivery) []int {
	var seqs []int
	for _, d := range ds {
		if rest := strings.TrimPrefix(d.body, key+"-"); rest != d.body {
			if seq, err := strconv.Atoi(rest); err == nil {
				seqs = append(seqs, seq)
			}
		}
	}
	return seqs
}

func inOrder(seqs []int) bool {
	if len(seqs) != orderSeqCount {
		return false
	}
	for i, seq := range seqs {
		if seq != i {
			return false
		}
	}
	return true
}
