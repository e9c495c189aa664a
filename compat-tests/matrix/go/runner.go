package main

import (
	"sync"
	"time"
)

const (
	scenarioTimeout = 60 * time.Second
	// maxConcurrentScenarios keeps bursts small: a busy broker answers sends with SYSTEM_BUSY
	// (the Java oracle's send queue flow control) and drops oneway sends.
	maxConcurrentScenarios = 5
	// startDeadline: a scenario not started by then is reported without running, so the whole
	// run ends within the harness's 240 s (a started scenario ends within scenarioTimeout).
	startDeadline = 170 * time.Second
)

type scenarioFunc func(s *scenarioEnv) outcome

// scenarioTable maps the ids of compat-tests/matrix/scenarios.json to their drivers.
var scenarioTable = map[string]scenarioFunc{
	"send_sync":          sendSync,
	"send_async":         sendAsync,
	"send_oneway":        sendOneway,
	"push_clustering":    pushClustering,
	"push_broadcasting":  pushBroadcasting,
	"filter_tag":         filterTag,
	"filter_sql92":       filterSQL92,
	"order":              orderedSendOrderlyConsume,
	"delay":              delayLevel,
	"retry_dlq":          retryThenDLQ,
	"transaction":        transactionCheckBack,
	"batch":              batchSend,
	"pull_offsets":       pullWithCommittedOffsets,
	"query_key":          queryByKey,
	"admin_create_topic": adminCreateTopic,
}

// runScenarios runs the scenarios, a few at a time (they share no topic or group), and prints a line
// for each.
func runScenarios(config runConfig) {
	runStartedAt := time.Now()
	slots := make(chan struct{}, maxConcurrentScenarios)
	var wg sync.WaitGroup
	for _, id := range config.scenarios {
		slots <- struct{}{}
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			defer func() { <-slots }()
			if time.Since(runStartedAt) > startDeadline {
				printLine(id, fail("not started: the run was near its 240 s limit"), 0)
				return
			}
			runScenario(config, id)
		}(id)
	}
	wg.Wait()
}

// runScenario prints the scenario's outcome, or a timeout failure once scenarioTimeout has passed.
func runScenario(config runConfig, id string) {
	startedAt := time.Now()
	run, known := scenarioTable[id]
	if !known {
		printLine(id, fail("unknown scenario %q", id), 0)
		return
	}
	done := make(chan outcome, 1)
	go func() {
		env := newScenarioEnv(config, id)
		o := fail("scenario returned no result")
		defer func() {
			if r := recover(); r != nil {
				o = fail("panic: %v", r)
			}
			env.closeAll()
			done <- o
		}()
		o = run(env)
	}()
	timer := time.NewTimer(scenarioTimeout)
	defer timer.Stop()
	select {
	case o := <-done:
		printLine(id, o, time.Since(startedAt).Milliseconds())
	case <-timer.C:
		printLine(id, fail("timeout after 60 s"), time.Since(startedAt).Milliseconds())
	}
}
