package main

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/rocketmq-client-go/v2/admin"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

const (
	newTopicQueues = 2
	routeWaitLimit = 10 * time.Second
	routePollEvery = 500 * time.Millisecond
)

// queryByKey: rocketmq-client-go v2 has no public API for QUERY_MESSAGE.
func queryByKey(s *scenarioEnv) outcome {
	return unsupported("rocketmq-client-go v2 has no public query-by-key API (QUERY_MESSAGE only in package internal)")
}

// adminCreateTopic: admin.CreateTopic makes PREFIX_admin_create_topic_new with 2+2 queues on --broker; within
// 10 s its route shows 2 queues; one message sent to it is consumed.
func adminCreateTopic(s *scenarioEnv) outcome {
	mqAdmin, err := newAdmin(s)
	if err != nil {
		return failure("new admin", err)
	}
	s.onClose("admin", mqAdmin.Close)
	topic := s.topic() + "_new" // the name onNewTopic uses below
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	err = mqAdmin.CreateTopic(ctx,
		admin.WithTopicCreate(topic),
		admin.WithBrokerAddrCreate(s.config.broker),
		admin.WithReadQueueNums(newTopicQueues),
		admin.WithWriteQueueNums(newTopicQueues))
	cancel()
	if err != nil {
		return failure("create topic", err)
	}
	queues, err := waitForRoute(mqAdmin, topic)
	if err != nil {
		return failure("route of "+topic, err)
	}
	if len(queues) != newTopicQueues {
		return fail("route of %s shows %d queues, want %d", topic, len(queues), newTopicQueues)
	}
	onNewTopic := &scenarioEnv{config: s.config, id: s.id, topicSuffix: "_new"}
	defer onNewTopic.closeAll()
	o := consumeOneOnNewTopic(onNewTopic)
	if o.result == "pass" {
		o.detail = fmt.Sprintf("created; route shows %d queues; %s", len(queues), o.detail)
	}
	return o
}

// waitForRoute polls the NameServer until the topic has a route (the client caches the first one it finds).
func waitForRoute(mqAdmin admin.Admin, topic string) ([]*primitive.MessageQueue, error) {
	deadline := time.Now().Add(routeWaitLimit)
	for {
		queues, err := mqAdmin.FetchPublishMessageQueues(context.Background(), topic)
		if err == nil && len(queues) > 0 {
			return queues, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("no route within 10 s (last error: %v)", err)
		}
		time.Sleep(routePollEvery)
	}
}

func consumeOneOnNewTopic(s *scenarioEnv) outcome {
	if o, ok := sendBodies(s, 1); !ok {
		return o
	}
	return consumeAll(s, s.bodies(1))
}

func newAdmin(s *scenarioEnv) (admin.Admin, error) {
	return admin.NewAdmin(admin.WithResolver(primitive.NewPassthroughResolver([]string{s.config.namesrv})))
}
