package main

import (
	"context"
	"sync"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const (
	pollInterval = 50 * time.Millisecond
	lingerTime   = 2 * time.Second
	receiveLimit = 30 * time.Second
)

// delivery is one message as a consumer saw it.
type delivery struct {
	consumer       string
	body           string
	tags           string
	properties     map[string]string
	reconsumeTimes int32
	queueID        int
	queueOffset    int64
	at             time.Time
}

// inbox collects the deliveries of a scenario's consumers.
type inbox struct {
	mu         sync.Mutex
	deliveries []delivery
}

func (b *inbox) record(consumerName string, msgs ...*primitive.MessageExt) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range msgs {
		b.deliveries = append(b.deliveries, delivery{
			consumer:       consumerName,
			body:           string(m.Body),
			tags:           m.GetTags(),
			properties:     m.GetProperties(),
			reconsumeTimes: m.ReconsumeTimes,
			queueID:        queueIDOf(m),
			queueOffset:    m.QueueOffset,
			at:             now,
		})
	}
}

func (b *inbox) snapshot() []delivery {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]delivery(nil), b.deliveries...)
}

// acceptAll is a handler that records every delivery and acknowledges it.
func (b *inbox) acceptAll(consumerName string) messageHandler {
	return func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		b.record(consumerName, msgs...)
		return consumer.ConsumeSuccess, nil
	}
}

// waitUntil polls until ready holds for the deliveries so far, or timeout passes; it reports whether ready held.
func (b *inbox) waitUntil(timeout time.Duration, ready func([]delivery) bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if ready(b.snapshot()) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pollInterval)
	}
}

// waitForBodies waits until every expected body has arrived, then lingers so late extras show up.
func (b *inbox) waitForBodies(expected []string) []delivery {
	b.waitUntil(receiveLimit, func(ds []delivery) bool { return missingBodies(expected, ds) == 0 })
	time.Sleep(lingerTime)
	return b.snapshot()
}

func queueIDOf(m *primitive.MessageExt) int {
	if m.Queue == nil {
		return -1
	}
	return m.Queue.QueueId
}
