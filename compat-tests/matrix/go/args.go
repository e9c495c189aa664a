package main

import (
	"errors"
	"flag"
	"io"
	"strings"
)

// runConfig is what the harness passes: the servers, the topic prefix and the scenarios to run.
type runConfig struct {
	namesrv   string
	broker    string
	prefix    string
	scenarios []string
}

func parseArgs(args []string) (runConfig, error) {
	var config runConfig
	var scenarioList string
	flags := flag.NewFlagSet("matrix-driver", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.StringVar(&config.namesrv, "namesrv", "", "NameServer address host:port")
	flags.StringVar(&config.broker, "broker", "", "broker address host:port")
	flags.StringVar(&config.prefix, "prefix", "", "topic and group prefix")
	flags.StringVar(&scenarioList, "scenarios", "", "comma-separated scenario ids")
	if err := flags.Parse(args); err != nil {
		return config, err
	}
	if config.namesrv == "" || config.broker == "" || config.prefix == "" || scenarioList == "" {
		return config, errors.New("usage: --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c")
	}
	for _, id := range strings.Split(scenarioList, ",") {
		if id = strings.TrimSpace(id); id != "" {
			config.scenarios = append(config.scenarios, id)
		}
	}
	return config, nil
}
