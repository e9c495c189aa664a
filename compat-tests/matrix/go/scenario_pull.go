package main

import (
	"context"
	"fmt"
	"time"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

const (
	pullTotal      = 20
	pullHalf       = 10
	pullWaitLimit  = 15 * time.Second
	commitSettle   = 1 * time.Second
	pullRequestMax = 10
)

// queueZeroSelector sends every message to queue 0.
type queueZeroSelector struct{}

func (queueZeroSelector) Select(_ *primitive.Message, queues []*primitive.MessageQueue, _ string) *primitive.MessageQueue {
	for _, q := range queues {
		if q.QueueId == 0 {
			return q
		}
	}
	return nil
}

// pullWithCommittedOffsets: 20 sent to queue 0; a pull consumer reads offsets 0..9, commits 10 and stops;
// a new one of the same group resumes at the committed offset and reads bodies 10..19 in order.
func pullWithCommittedOffsets(s *scenarioEnv) outcome {
	p, err := s.startProducer(producer.WithQueueSelector(queueZeroSelector{}))
	if err != nil {
		return failure("start producer", err)
	}
	for i := 0; i < pullTotal; i++ {
		ctx, cancel := sendContext()
		result, err := p.SendSync(ctx, s.message(i))
		cancel()
		if err != nil {
			return failure(fmt.Sprintf("send %d", i), err)
		}
		if result.Status != primitive.SendOK || queueIDOfResult(result) != 0 {
			return fail("send %d: status %d to queue %d, want SEND_OK to queue 0", i, result.Status, queueIDOfResult(result))
		}
	}
	if o, ok := pullFirstHalfAndCommit(s); !ok {
		return o
	}
	time.Sleep(commitSettle)
	return resumeSecondHalf(s)
}

func pullFirstHalfAndCommit(s *scenarioEnv) (outcome, bool) {
	c, queue, err := s.startPullConsumer("puller1")
	if err != nil {
		return failure("start pull consumer 1", err), false
	}
	msgs, err := pullRange(c, queue, 0, pullHalf)
	if err != nil {
		return failure("pull consumer 1", err), false
	}
	if o, ok := expectRange(s, msgs, 0); !ok {
		return o, false
	}
	if err := c.UpdateOffset(queue, pullHalf); err != nil {
		return failure("update offset", err), false
	}
	if err := c.PersistOffset(context.Background(), s.topic()); err != nil {
		return failure("persist offset", err), false
	}
	closeBounded(namedCloser{"pull consumer 1", c.Shutdown})
	return outcome{}, true
}

func resumeSecondHalf(s *scenarioEnv) outcome {
	c, queue, err := s.startPullConsumer("puller2")
	if err != nil {
		return failure("start pull consumer 2", err)
	}
	s.onClose("pull consumer 2", c.Shutdown)
	committed, err := c.CurrentOffset(queue)
	if err != nil {
		return failure("read committed offset", err)
	}
	if committed != pullHalf {
		return fail("second consumer found committed offset %d, want %d", committed, pullHalf)
	}
	msgs, err := pullRange(c, queue, committed, pullTotal-pullHalf)
	if err != nil {
		return failure("pull consumer 2", err)
	}
	if o, ok := expectRange(s, msgs, pullHalf); !ok {
		return o
	}
	return pass("consumer 1 read offsets 0..9 and committed 10; consumer 2 resumed at 10 and read 10..19 in order")
}

// startPullConsumer starts a pull consumer of the scenario's group assigned queue 0 of the topic.
func (s *scenarioEnv) startPullConsumer(role string) (rocketmq.PullConsumer, *primitive.MessageQueue, error) {
	c, err := rocketmq.NewPullConsumer(
		consumer.WithNameServer(primitive.NamesrvAddr{s.config.namesrv}),
		consumer.WithGroupName(s.consumerGroup()),
		consumer.WithInstance(s.instanceName(role)),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
		consumer.WithPullBatchSize(pullHalf),
	)
	if err != nil {
		return nil, nil, err
	}
	if err := c.Assign(s.topic(), nil); err != nil {
		return nil, nil, err
	}
	if err := c.Start(); err != nil {
		return nil, nil, err
	}
	queues, err := c.GetTopicRouteInfo(s.topic())
	if err != nil {
		c.Shutdown()
		return nil, nil, err
	}
	queue := queueZeroSelector{}.Select(nil, queues, "")
	if queue == nil {
		c.Shutdown()
		return nil, nil, fmt.Errorf("topic %s has no queue 0 in %v", s.topic(), queues)
	}
	// Assigned queues are the ones whose offsets PersistOffset and Shutdown commit to the broker.
	if err := c.Assign(s.topic(), []*primitive.MessageQueue{queue}); err != nil {
		c.Shutdown()
		return nil, nil, err
	}
	return c, queue, nil
}

// pullRange reads count messages of queue starting at offset with PullFrom, in a bounded number of pulls.
func pullRange(c rocketmq.PullConsumer, queue *primitive.MessageQueue, offset int64, count int) ([]*primitive.MessageExt, error) {
	var msgs []*primitive.MessageExt
	deadline := time.Now().Add(pullWaitLimit)
	for request := 0; len(msgs) < count && request < pullRequestMax && time.Now().Before(deadline); request++ {
		ctx, cancel := context.WithTimeout(context.Background(), pullWaitLimit)
		result, err := c.PullFrom(ctx, queue, offset, count-len(msgs))
		cancel()
		if err != nil {
			return msgs, err
		}
		if result.Status != primitive.PullFound {
			return msgs, fmt.Errorf("pull at offset %d: status %d (next %d), after %d messages",
				offset, result.Status, result.NextBeginOffset, len(msgs))
		}
		msgs = append(msgs, result.GetMessageExts()...)
		offset = result.NextBeginOffset
	}
	if len(msgs) != count {
		return msgs, fmt.Errorf("%d messages after %d pulls, want %d", len(msgs), pullRequestMax, count)
	}
	return msgs, nil
}

// expectRange checks the messages are offsets first.. of queue 0 with bodies first.., in order.
func expectRange(s *scenarioEnv, msgs []*primitive.MessageExt, first int) (outcome, bool) {
	for i, m := range msgs {
		want := first + i
		if m.QueueOffset != int64(want) || string(m.Body) != s.body(want) {
			return fail("message %d: offset %d body %q, want offset %d body %q",
				i, m.QueueOffset, string(m.Body), want, s.body(want)), false
		}
	}
	return outcome{}, true
}
