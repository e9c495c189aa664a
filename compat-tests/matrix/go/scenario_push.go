package main

import (
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const (
	clusteringCount = 20
	// rebalanceSettle lets both consumers of a group see each other (NOTIFY_CONSUMER_IDS_CHANGED,
	// then a rebalance) before anything is sent.
	rebalanceSettle = 3 * time.Second
)

// pushClustering: two CLUSTERING consumers of one group; 20 sent, each received by exactly one of them.
func pushClustering(s *scenarioEnv) outcome {
	received := &inbox{}
	for _, name := range []string{"c1", "c2"} {
		if _, err := s.startPushConsumer(name, subscribeAll, received.acceptAll(name)); err != nil {
			return failure("start consumer "+name, err)
		}
	}
	time.Sleep(rebalanceSettle)
	if o, ok := sendBodies(s, clusteringCount); !ok {
		return o
	}
	expected := s.bodies(clusteringCount)
	deliveries := received.waitForBodies(expected)
	check := checkBodies(expected, deliveries)
	perConsumer := countByConsumer(deliveries)
	if !check.exact() {
		return fail("%s (c1=%d c2=%d)", check, perConsumer["c1"], perConsumer["c2"])
	}
	return pass("%d/%d each received once (c1=%d c2=%d)", check.received, check.expected,
		perConsumer["c1"], perConsumer["c2"])
}

// pushBroadcasting: two BROADCASTING consumers of one group, started first; 10 sent, each receives all 10.
func pushBroadcasting(s *scenarioEnv) outcome {
	inboxes := map[string]*inbox{"c1": {}, "c2": {}}
	for _, name := range []string{"c1", "c2"} {
		_, err := s.startPushConsumer(name, subscribeAll, inboxes[name].acceptAll(name),
			consumer.WithConsumerModel(consumer.BroadCasting))
		if err != nil {
			return failure("start consumer "+name, err)
		}
	}
	time.Sleep(rebalanceSettle)
	if o, ok := sendBodies(s, sendCount); !ok {
		return o
	}
	expected := s.bodies(sendCount)
	results := make(map[string]bodyCheck)
	for _, name := range []string{"c1", "c2"} {
		results[name] = checkBodies(expected, inboxes[name].waitForBodies(expected))
	}
	if !results["c1"].complete() || !results["c2"].complete() {
		return fail("c1: %s | c2: %s", results["c1"], results["c2"])
	}
	return pass("c1: %s | c2: %s", results["c1"], results["c2"])
}

// sendBodies sends messages 0..count-1 synchronously with a fresh producer.
func sendBodies(s *scenarioEnv, count int) (outcome, bool) {
	msgs := make([]*primitive.Message, count)
	for i := range msgs {
		msgs[i] = s.message(i)
	}
	return sendMessages(s, msgs)
}

func countByConsumer(ds []delivery) map[string]int {
	counts := make(map[string]int)
	for _, d := range ds {
		counts[d.consumer]++
	}
	return counts
}
