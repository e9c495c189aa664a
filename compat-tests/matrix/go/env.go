package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	closeTimeout = 5 * time.Second
	sendTimeout  = 10 * time.Second
)

var instanceCounter int64

// scenarioEnv holds one scenario's names (contract: topic PREFIX_s, groups PREFIX_s_pg / PREFIX_s_cg)
// and the clients to shut down when it ends.
type scenarioEnv struct {
	config      runConfig
	id          string
	topicSuffix string // for a topic the scenario creates itself
	mu          sync.Mutex
	closers     []namedCloser
}

type namedCloser struct {
	name  string
	close func() error
}

func newScenarioEnv(config runConfig, id string) *scenarioEnv {
	return &scenarioEnv{config: config, id: id}
}

func (s *scenarioEnv) base() string          { return s.config.prefix + "_" + s.id }
func (s *scenarioEnv) topic() string         { return s.base() + s.topicSuffix }
func (s *scenarioEnv) producerGroup() string { return s.base() + "_pg" }
func (s *scenarioEnv) consumerGroup() string { return s.base() + "_cg" }

// body is the contract's distinct body of message i: PREFIX_s-<i>.
func (s *scenarioEnv) body(i int) string { return fmt.Sprintf("%s-%d", s.topic(), i) }

func (s *scenarioEnv) bodies(count int) []string {
	list := make([]string, count)
	for i := range list {
		list[i] = s.body(i)
	}
	return list
}

// instanceName is unique per client: the Go client shares one connection set (and one producer
// group for transaction check-backs) between clients of the same instance name.
func (s *scenarioEnv) instanceName(role string) string {
	n := atomic.AddInt64(&instanceCounter, 1)
	return fmt.Sprintf("%s_%s_%d_%d", s.id, role, os.Getpid(), n)
}

func (s *scenarioEnv) onClose(name string, close func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers = append(s.closers, namedCloser{name, close})
}

// closeAll shuts the clients down, newest first, each within closeTimeout.
func (s *scenarioEnv) closeAll() {
	s.mu.Lock()
	closers := s.closers
	s.closers = nil
	s.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closeBounded(closers[i])
	}
}

func closeBounded(c namedCloser) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := c.close(); err != nil {
			fmt.Fprintf(os.Stderr, "matrix-driver: closing %s: %v\n", c.name, err)
		}
	}()
	select {
	case <-done:
	case <-time.After(closeTimeout):
		fmt.Fprintf(os.Stderr, "matrix-driver: closing %s took over %s\n", c.name, closeTimeout)
	}
}

func sendContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), sendTimeout)
}
