package main

import (
	"context"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

var subscribeAll = consumer.MessageSelector{Type: consumer.TAG, Expression: "*"}

type messageHandler func(context.Context, ...*primitive.MessageExt) (consumer.ConsumeResult, error)

func (s *scenarioEnv) producerOptions(extra ...producer.Option) []producer.Option {
	options := []producer.Option{
		producer.WithNameServer(primitive.NamesrvAddr{s.config.namesrv}),
		producer.WithGroupName(s.producerGroup()),
		producer.WithInstanceName(s.instanceName("producer")),
		producer.WithRetry(2),
	}
	return append(options, extra...)
}

// startProducer starts a producer of the scenario's producer group; it is shut down when the scenario ends.
func (s *scenarioEnv) startProducer(extra ...producer.Option) (rocketmq.Producer, error) {
	p, err := rocketmq.NewProducer(s.producerOptions(extra...)...)
	if err != nil {
		return nil, err
	}
	if err := p.Start(); err != nil {
		return nil, err
	}
	s.onClose("producer", p.Shutdown)
	return p, nil
}

// startPushConsumer starts a push consumer of the scenario's consumer group from the first offset.
func (s *scenarioEnv) startPushConsumer(role string, selector consumer.MessageSelector, handler messageHandler,
	extra ...consumer.Option) (rocketmq.PushConsumer, error) {
	options := []consumer.Option{
		consumer.WithNameServer(primitive.NamesrvAddr{s.config.namesrv}),
		consumer.WithGroupName(s.consumerGroup()),
		consumer.WithInstance(s.instanceName(role)),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
	}
	c, err := rocketmq.NewPushConsumer(append(options, extra...)...)
	if err != nil {
		return nil, err
	}
	if err := c.Subscribe(s.topic(), selector, handler); err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		return nil, err
	}
	s.onClose(role, c.Shutdown)
	return c, nil
}

// message builds message i of the scenario: its topic and the contract's body.
func (s *scenarioEnv) message(i int) *primitive.Message {
	return primitive.NewMessage(s.topic(), []byte(s.body(i)))
}
