package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const (
	sendCount         = 10
	asyncCallbackWait = 10 * time.Second
)

// sendSync: 10 synchronous sends, all SEND_OK, distinct message ids, distinct offsets within each queue.
func sendSync(s *scenarioEnv) outcome {
	p, err := s.startProducer()
	if err != nil {
		return failure("start producer", err)
	}
	msgIDs := make(map[string]bool)
	queueOffsets := make(map[string]bool)
	for i := 0; i < sendCount; i++ {
		ctx, cancel := sendContext()
		result, err := p.SendSync(ctx, s.message(i))
		cancel()
		if err != nil {
			return failure(fmt.Sprintf("send %d", i), err)
		}
		if result.Status != primitive.SendOK {
			return fail("send %d: status %d, want SEND_OK (%s)", i, result.Status, result)
		}
		msgIDs[result.MsgID] = true
		queueOffsets[fmt.Sprintf("%d@%d", result.QueueOffset, queueIDOfResult(result))] = true
	}
	if len(msgIDs) != sendCount || len(queueOffsets) != sendCount {
		return fail("%d/%d SEND_OK but %d distinct msgIds, %d distinct queue offsets",
			sendCount, sendCount, len(msgIDs), len(queueOffsets))
	}
	return pass("%d/%d SEND_OK, distinct msgIds and queue offsets", sendCount, sendCount)
}

func queueIDOfResult(result *primitive.SendResult) int {
	if result.MessageQueue == nil {
		return -1
	}
	return result.MessageQueue.QueueId
}

// sendAsync: 10 asynchronous sends, 10 success callbacks and no error within 10 s.
func sendAsync(s *scenarioEnv) outcome {
	p, err := s.startProducer()
	if err != nil {
		return failure("start producer", err)
	}
	var mu sync.Mutex
	var successes int
	var failures []string
	for i := 0; i < sendCount; i++ {
		err := p.SendAsync(context.Background(), func(_ context.Context, result *primitive.SendResult, err error) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				failures = append(failures, err.Error())
			case result.Status != primitive.SendOK:
				failures = append(failures, fmt.Sprintf("status %d", result.Status))
			default:
				successes++
			}
		}, s.message(i))
		if err != nil {
			return failure(fmt.Sprintf("send %d", i), err)
		}
	}
	deadline := time.Now().Add(asyncCallbackWait)
	for time.Now().Before(deadline) {
		mu.Lock()
		done := successes + len(failures)
		mu.Unlock()
		if done == sendCount {
			break
		}
		time.Sleep(pollInterval)
	}
	mu.Lock()
	defer mu.Unlock()
	if successes != sendCount || len(failures) > 0 {
		return fail("%d/%d success callbacks, %d errors within 10 s %s",
			successes, sendCount, len(failures), summarize(failures))
	}
	return pass("%d/%d success callbacks", successes, sendCount)
}

// sendOneway: 10 oneway sends; a push consumer receives all 10.
func sendOneway(s *scenarioEnv) outcome {
	p, err := s.startProducer()
	if err != nil {
		return failure("start producer", err)
	}
	for i := 0; i < sendCount; i++ {
		if err := p.SendOneWay(context.Background(), s.message(i)); err != nil {
			return failure(fmt.Sprintf("send %d", i), err)
		}
	}
	return consumeAll(s, s.bodies(sendCount))
}

// batchSend: one batch of 10 (SEND_BATCH_MESSAGE), SEND_OK; a push consumer receives all 10.
func batchSend(s *scenarioEnv) outcome {
	p, err := s.startProducer()
	if err != nil {
		return failure("start producer", err)
	}
	batch := make([]*primitive.Message, sendCount)
	for i := range batch {
		batch[i] = s.message(i)
	}
	ctx, cancel := sendContext()
	result, err := p.SendSync(ctx, batch...)
	cancel()
	if err != nil {
		return failure("batch send", err)
	}
	if result.Status != primitive.SendOK {
		return fail("batch send: status %d, want SEND_OK (%s)", result.Status, result)
	}
	o := consumeAll(s, s.bodies(sendCount))
	if o.result == "pass" {
		o.detail = "batch SEND_OK; " + o.detail
	}
	return o
}

// consumeAll starts a push consumer and checks it receives exactly the expected bodies.
func consumeAll(s *scenarioEnv, expected []string) outcome {
	received := &inbox{}
	if _, err := s.startPushConsumer("consumer", subscribeAll, received.acceptAll("consumer")); err != nil {
		return failure("start consumer", err)
	}
	check := checkBodies(expected, received.waitForBodies(expected))
	if !check.complete() {
		return fail("consumer: %s", check)
	}
	return pass("consumer: %s", check)
}
