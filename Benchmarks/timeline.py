#!/usr/bin/env python3
"""Reads the marks a server built with Benchmarks/timeline.patch wrote (LINKSTAR_TRACE=FILE: one "LETTER NANOSECONDS"
line per mark) during write + answer pairs on one connection, and prints each mark's median time after the pair began
(the write entering the server's outermost middleware), with the step from the mark before it.
Marks: M/m a POST/GET enters the access-log middleware, X/x it leaves it; P the write's handler starts, I its
transaction starts, C it commits, Q the handler returns; R the refresh starts, S/E a funnel computation starts/ends;
G/V the GET's authentication starts/has the workspace's versions; A its answer is found; N the next pair begins."""
import statistics, sys

events = [(line.split()[0], int(line.split()[1])) for line in open(sys.argv[1]) if line.strip()]
pairs, current = [], None
for mark, time in events:
    if mark == "M":
        if current:
            pairs.append(current)
        current = {"M": time}
    elif current is not None and mark not in current:
        current[mark] = time
pairs = [p for p in pairs if all(k in p for k in "MPICQXmGVAx")]
pairs = pairs[len(pairs) // 5:]          # the first fifth warms up
for this, following in zip(pairs, pairs[1:]):
    this["N"] = following["M"]
pairs = pairs[:-1]
print(f"{len(pairs)} pairs")
marks = sorted({k for p in pairs for k in p}, key=lambda k: statistics.median(p[k] - p["M"] for p in pairs if k in p))
previous = 0.0
for mark in marks:
    offsets = sorted((p[mark] - p["M"]) / 1000 for p in pairs if mark in p)
    median = statistics.median(offsets)
    print(f"{mark}  {median:7.1f} µs  (+{median - previous:6.1f})   p90 {offsets[9 * len(offsets) // 10]:7.1f}")
    previous = median
