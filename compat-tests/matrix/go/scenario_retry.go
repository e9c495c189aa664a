package main

import (
	"context"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const (
	retryTopicPrefix = "%RETRY%"
	minDelay         = 900 * time.Millisecond
	retryWaitLimit   = 45 * time.Second
	noThirdWindow    = 5 * time.Second
)

// delayLevel: one message with delay level 1 (1 s) arrives no sooner than 900 ms after the send returned.
func delayLevel(s *scenarioEnv) outcome {
	received := &inbox{}
	if _, err := s.startPushConsumer("consumer", subscribeAll, received.acceptAll("consumer")); err != nil {
		return failure("start consumer", err)
	}
	msg := s.message(0).WithDelayTimeLevel(1)
	if o, ok := sendMessages(s, []*primitive.Message{msg}); !ok {
		return o
	}
	sentAt := time.Now()
	expected := []string{s.body(0)}
	deliveries := received.waitForBodies(expected)
	if check := checkBodies(expected, deliveries); !check.exact() {
		return fail("%s", check)
	}
	waited := deliveries[0].at.Sub(sentAt)
	if waited < minDelay {
		return fail("received %d ms after the send returned, want >= 900 ms", waited.Milliseconds())
	}
	return pass("received %d ms after the send returned", waited.Milliseconds())
}

// retryThenDLQ: a consumer with maxReconsumeTimes 1 fails every delivery; the message comes with
// reconsumeTimes 0, then 1, and not a third time within 5 s.
func retryThenDLQ(s *scenarioEnv) outcome {
	warmUpRetryTopic(s)
	received := &inbox{}
	failEvery := func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		received.record("consumer", msgs...)
		return consumer.ConsumeRetryLater, nil
	}
	_, err := s.startPushConsumer("consumer", subscribeAll, failEvery, consumer.WithMaxReconsumeTimes(1))
	if err != nil {
		return failure("start consumer", err)
	}
	if o, ok := sendBodies(s, 1); !ok {
		return o
	}
	received.waitUntil(retryWaitLimit, func(ds []delivery) bool { return len(ds) >= 2 })
	time.Sleep(noThirdWindow)
	deliveries := received.snapshot()
	times := reconsumeTimesOf(deliveries)
	if len(times) != 2 || times[0] != 0 || times[1] != 1 {
		return fail("deliveries with reconsumeTimes %v, want [0 1] and no third within 5 s", times)
	}
	for _, d := range deliveries {
		if d.body != s.body(0) {
			return fail("redelivered body %q, want %q", d.body, s.body(0))
		}
	}
	retryAfter := deliveries[1].at.Sub(deliveries[0].at)
	return pass("delivered with reconsumeTimes [0 1] (retry %d ms after the first), no third within 5 s",
		retryAfter.Milliseconds())
}

func reconsumeTimesOf(ds []delivery) []int32 {
	times := make([]int32, len(ds))
	for i, d := range ds {
		times[i] = d.reconsumeTimes
	}
	return times
}

// warmUpRetryTopic has the broker create %RETRY%<group> (a consumer's heartbeat does) before the real
// consumer starts: the Go client looks routes up every 30 s and rebalances every 20 s, so a retry topic
// created by the real consumer's own heartbeat is first pulled some 40 s later, close to the 60 s limit.
func warmUpRetryTopic(s *scenarioEnv) {
	warmUp := &scenarioEnv{config: s.config, id: s.id}
	if _, err := warmUp.startPushConsumer("warmup", subscribeAll, (&inbox{}).acceptAll("warmup")); err != nil {
		return
	}
	warmUp.closeAll()
	mqAdmin, err := newAdmin(s)
	if err != nil {
		return
	}
	defer mqAdmin.Close()
	waitForRoute(mqAdmin, retryTopicPrefix+s.consumerGroup())
}
