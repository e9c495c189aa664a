// Command matrix-driver runs the client-matrix scenarios (compat-tests/matrix/README.md)
// with github.com/apache/rocketmq-client-go/v2 and prints one MATRIX line per scenario.
package main

import (
	"fmt"
	"os"

	"github.com/apache/rocketmq-client-go/v2/rlog"
)

func main() {
	rlog.SetLogLevel("error")
	config, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "matrix-driver:", err)
		os.Exit(2)
	}
	runScenarios(config)
	os.Exit(0)
}
