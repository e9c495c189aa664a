package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

const maxDetailChars = 300

// outcome is one scenario's result: pass, fail or unsupported, and what was seen.
type outcome struct {
	result string
	detail string
}

func pass(format string, args ...interface{}) outcome {
	return outcome{"pass", fmt.Sprintf(format, args...)}
}

func fail(format string, args ...interface{}) outcome {
	return outcome{"fail", fmt.Sprintf(format, args...)}
}

func unsupported(format string, args ...interface{}) outcome {
	return outcome{"unsupported", fmt.Sprintf(format, args...)}
}

// failure turns an error into a fail outcome naming the step that failed.
func failure(step string, err error) outcome {
	return fail("%s: %T: %v", step, err, err)
}

type matrixLine struct {
	Scenario string `json:"scenario"`
	Result   string `json:"result"`
	Detail   string `json:"detail"`
	Ms       int64  `json:"ms"`
}

var stdoutLock sync.Mutex

// printLine writes one `MATRIX {json}` line on stdout.
func printLine(scenario string, o outcome, elapsedMs int64) {
	line := matrixLine{Scenario: scenario, Result: o.result, Detail: oneLine(o.detail), Ms: elapsedMs}
	data, err := json.Marshal(line)
	if err != nil {
		data = []byte(fmt.Sprintf(`{"scenario":%q,"result":"fail","detail":"cannot encode result"}`, scenario))
	}
	stdoutLock.Lock()
	defer stdoutLock.Unlock()
	fmt.Fprintf(os.Stdout, "MATRIX %s\n", data)
}

func oneLine(detail string) string {
	runes := []rune(detail)
	for i, r := range runes {
		if r == '\n' || r == '\r' {
			runes[i] = ' '
		}
	}
	if len(runes) > maxDetailChars {
		runes = runes[:maxDetailChars]
	}
	return string(runes)
}
