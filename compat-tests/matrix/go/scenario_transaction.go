package main

import (
	"fmt"
	"sync"
	"time"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const checkBackLimit = 30 * time.Second

// localTransactions answers the local transaction by body and records the broker's check-backs.
type localTransactions struct {
	mu        sync.Mutex
	checkedOf map[string]int
}

func (t *localTransactions) ExecuteLocalTransaction(msg *primitive.Message) primitive.LocalTransactionState {
	switch string(msg.Body) {
	case "commit":
		return primitive.CommitMessageState
	case "rollback":
		return primitive.RollbackMessageState
	default:
		return primitive.UnkonwnState
	}
}

// CheckLocalTransaction is the broker's check-back: it commits whatever it is asked about.
func (t *localTransactions) CheckLocalTransaction(msg *primitive.MessageExt) primitive.LocalTransactionState {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.checkedOf[string(msg.Body)]++
	return primitive.CommitMessageState
}

func (t *localTransactions) checks() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	copied := make(map[string]int, len(t.checkedOf))
	for body, n := range t.checkedOf {
		copied[body] = n
	}
	return copied
}

// transactionCheckBack: `commit` commits, `rollback` rolls back, `unknown` is committed by the check-back;
// a consumer receives commit and unknown, never rollback.
func transactionCheckBack(s *scenarioEnv) outcome {
	listener := &localTransactions{checkedOf: make(map[string]int)}
	p, err := rocketmq.NewTransactionProducer(listener, s.producerOptions()...)
	if err != nil {
		return failure("new transaction producer", err)
	}
	if err := p.Start(); err != nil {
		return failure("start transaction producer", err)
	}
	s.onClose("transaction producer", p.Shutdown)
	for _, body := range []string{"commit", "rollback", "unknown"} {
		ctx, cancel := sendContext()
		result, err := p.SendMessageInTransaction(ctx, primitive.NewMessage(s.topic(), []byte(body)))
		cancel()
		if err != nil {
			return failure("send "+body, err)
		}
		if result.Status != primitive.SendOK {
			return fail("send %s: status %d, want SEND_OK", body, result.Status)
		}
	}
	received := &inbox{}
	if _, err := s.startPushConsumer("consumer", subscribeAll, received.acceptAll("consumer")); err != nil {
		return failure("start consumer", err)
	}
	expected := []string{"commit", "unknown"}
	received.waitUntil(checkBackLimit, func(ds []delivery) bool { return missingBodies(expected, ds) == 0 })
	time.Sleep(lingerTime)
	check := checkBodies(expected, received.snapshot())
	checks := listener.checks()
	detail := fmt.Sprintf("%s; check-backs %v", check, checks)
	if !check.complete() || checks["unknown"] == 0 {
		return fail("%s", detail)
	}
	return pass("%s", detail)
}
