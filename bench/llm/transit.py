#!/usr/bin/env python3
"""Each call's way from the key pool to the simulated provider, from a limit run's trace logs.

    BENCH_DISPATCH_LOG=TRACE BENCH_LLM_RUNS=limit:bucket-capacity-1 bench/llm/run.sh
    python3 bench/llm/transit.py bench/results/llm-<ts>-limit-bucket-capacity-1-gateway.log \
        bench/results/llm-<ts>-limit-bucket-capacity-1-provider.log

The dispatcher logs "sent <µs> <key>" as a call leaves the pool, the simulator "arrived <µs> <key>" as it
judges the call (System.nanoTime: one clock for every process on Linux). A key's n-th send is paired with its
n-th arrival. On a bucket of one call at 10 a second, a call is refused when it arrives less than 100 ms after
the one before: when the one before was held up on its way by more than the pool's margin (1% = 1 ms) more
than this one. Prints, per key, the transit percentiles and the gaps between sends and between arrivals.
"""
import re
import statistics
import sys
from collections import defaultdict


def times(path, word):
    out = defaultdict(list)
    for m in re.finditer(word + r" (\d+) (\S+)", open(path, errors="replace").read()):
        out[m.group(2)].append(int(m.group(1)))
    return out


def pct(xs, q):
    s = sorted(xs)
    return s[min(len(s) - 1, int(len(s) * q))]


def main(gateway_log, provider_log):
    # the run's keys only: the provider also serves the JIT warm-up's own key, whose calls start earlier
    arrived = {k: v for k, v in times(provider_log, "arrived").items() if k.startswith("key-")}
    start = min(v[0] for v in arrived.values()) - 2_000_000  # the run's own pool, not the JIT warm-up's
    sent = {k: [t for t in v if t >= start] for k, v in times(gateway_log, "sent").items()}
    for key in sorted(arrived):
        s, a = sent.get(key, []), arrived[key]
        transit = [(y - x) / 1000 for x, y in zip(s, a)]
        if len(transit) < 120:
            continue
        later = transit[100:]
        print(f"{key}: {len(s)} sent, {len(a)} arrived; transit ms, first 60 calls: median {statistics.median(transit[:60]):.2f} "
              f"p90 {pct(transit[:60], .9):.2f} max {max(transit[:60]):.2f}; after 100 calls: median {statistics.median(later):.2f} "
              f"p90 {pct(later, .9):.2f} p99 {pct(later, .99):.2f} max {max(later):.2f}")
        gaps_sent = [(y - x) / 1000 for x, y in zip(s[100:], s[101:])]
        gaps_arr = [(y - x) / 1000 for x, y in zip(a[100:], a[101:])]
        print(f"  gaps ms after 100 calls: sent median {statistics.median(gaps_sent):.1f}, arrived median "
              f"{statistics.median(gaps_arr):.1f}, arrived under 100 ms: {sum(g < 100 for g in gaps_arr)} of {len(gaps_arr)}")
        # On a bucket of one call, every millisecond a gap runs past 100 is lost for good: where did it go?
        long = [g for g in gaps_sent if g >= 110]
        short = [g for g in gaps_sent if g < 110]
        print(f"  sent gaps mean {statistics.fmean(gaps_sent):.2f} ms (admits {100 / statistics.fmean(gaps_sent):.3f} of the"
              f" limit); gaps under 110 ms: mean {statistics.fmean(short):.2f}; {len(long)} gaps of 110 ms or more,"
              f" {sum(g - 100 for g in long):.0f} ms past 100 in all (max {max(long, default=0):.0f})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
