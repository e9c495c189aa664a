package main

import (
	"fmt"
	"sort"
	"strings"
)

func countBodies(ds []delivery) map[string]int {
	counts := make(map[string]int, len(ds))
	for _, d := range ds {
		counts[d.body]++
	}
	return counts
}

func missingBodies(expected []string, ds []delivery) int {
	counts := countBodies(ds)
	missing := 0
	for _, body := range expected {
		if counts[body] == 0 {
			missing++
		}
	}
	return missing
}

// bodyCheck compares what arrived with the expected bodies.
type bodyCheck struct {
	expected   int
	received   int // distinct expected bodies seen
	missing    []string
	unexpected []string
	duplicated []string
}

func checkBodies(expected []string, ds []delivery) bodyCheck {
	counts := countBodies(ds)
	check := bodyCheck{expected: len(expected)}
	wanted := make(map[string]bool, len(expected))
	for _, body := range expected {
		wanted[body] = true
		switch n := counts[body]; {
		case n == 0:
			check.missing = append(check.missing, body)
		case n > 1:
			check.received++
			check.duplicated = append(check.duplicated, fmt.Sprintf("%s x%d", body, n))
		default:
			check.received++
		}
	}
	for body := range counts {
		if !wanted[body] {
			check.unexpected = append(check.unexpected, body)
		}
	}
	sort.Strings(check.unexpected)
	return check
}

func (c bodyCheck) exact() bool {
	return len(c.missing) == 0 && len(c.unexpected) == 0 && len(c.duplicated) == 0
}

// complete means every expected body came and nothing else (duplicates allowed).
func (c bodyCheck) complete() bool {
	return len(c.missing) == 0 && len(c.unexpected) == 0
}

func (c bodyCheck) String() string {
	parts := []string{fmt.Sprintf("%d/%d received", c.received, c.expected)}
	if len(c.missing) > 0 {
		parts = append(parts, "missing "+summarize(c.missing))
	}
	if len(c.unexpected) > 0 {
		parts = append(parts, "unexpected "+summarize(c.unexpected))
	}
	if len(c.duplicated) > 0 {
		parts = append(parts, "duplicated "+summarize(c.duplicated))
	}
	return strings.Join(parts, "; ")
}

func summarize(items []string) string {
	const shown = 3
	if len(items) <= shown {
		return "[" + strings.Join(items, ", ") + "]"
	}
	return fmt.Sprintf("[%s, ... %d more]", strings.Join(items[:shown], ", "), len(items)-shown)
}
