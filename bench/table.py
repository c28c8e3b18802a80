#!/usr/bin/env python3
"""Builds the README's ingest benchmark table (and the latency table) from the reports in bench/results/ (their SUMMARY lines).

Groups the reports by setting (BENCH_LABEL) and by day, gives the median of each figure over the runs and how many
runs there were. Prints the table; with --readme README.md it replaces the text between the
'<!-- bench-table:start -->' and '<!-- bench-table:end -->' markers.
"""
import glob
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = [("ratio", "batch ÷ raw producer", "{:.2f}"), ("raw_rps", "raw producer rec/s", "{:,.0f}"),
           ("ratio_keyed", "batch ÷ keyed producer", "{:.2f}"), ("keyed_rps", "keyed producer rec/s", "{:,.0f}"),
           ("ratio_keyed_ce", "batch ÷ keyed + CloudEvents headers", "{:.2f}"),
           ("batch_rec_s", "batch x100 rec/s", "{:,.0f}"), ("single_rps", "single req/s", "{:,.0f}"),
           ("single_p99_ms", "single p99 ms", "{:.1f}"), ("floor_p50_ms", "1-conn p50 ms", "{:.2f}"),
           ("ol_p99_ms", "10k/s open-loop p99 ms", "{:.1f}"), ("load1", "load avg", "{:.1f}")]


LATENCY_COLUMNS = [("push_p50_ms", "ingest→SockJS p50 ms", "{:.1f}"), ("push_p99_ms", "ingest→SockJS p99 ms", "{:.1f}"),
                   ("ack_p99_ms", "POST→202 p99 ms (ref)", "{:.1f}"), ("arrived_share", "frames a browser gets", "{:.2f}"),
                   ("d2a_p50_ms", "detection→assessment p50 ms", "{:,.0f}"),
                   ("d2a_p95_ms", "detection→assessment p95 ms", "{:,.0f}"),
                   ("llm_call_p95_ms", "provider p95 ms (ref)", "{:,.0f}"),
                   ("d2a_over_llm_p95", "d2a p95 ÷ provider p95", "{:.2f}"),
                   ("argus_added_p95_ms", "Argus's share p95 ms (d2a − own call)", "{:,.0f}"), ("load1", "load avg", "{:.1f}")]


def summaries(results, prefix="ingest"):
    for path in sorted(glob.glob(os.path.join(results, prefix + "-*.txt"))):
        with open(path) as f:
            for line in f:
                if line.startswith("SUMMARY "):
                    yield dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def row_name(s):
    """A report's row. Reports from before the JIT-settled warm-up (2026-12-01) measured a gateway whose
    compiler still took one of the two cores: rows of their own, never mixed with settled ones."""
    return s.get("setting", "default") + ("" if s.get("jit_settled") == "yes" else " (JIT warming)")


def number(v):
    try:
        return float(v.replace(",", ""))
    except (AttributeError, ValueError):
        return None


def median_cells(runs, columns):
    """Each column's median over the runs that report it, formatted; '-' where none does."""
    cells = []
    for key, _, fmt in columns:
        vals = [x for x in (number(r.get(key)) for r in runs) if x is not None]
        cells.append(fmt.format(statistics.median(vals)) if vals else "-")
    return cells


def day(s):
    """The UTC day of a report (its stamp). Rows never mix days: each session runs on a machine of its own,
    and the same setting measured a day apart differed by 1.5x in the raw producer's rate (2026-12-01/02)."""
    stamp = s.get("stamp", "?")
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else "?"


def table(results):
    groups = {}
    for s in summaries(results):
        groups.setdefault((row_name(s), s.get("roles", "?"), day(s)), []).append(s)
    if not groups:
        return "(no reports with a SUMMARY line in bench/results/ yet)\n"
    machines = sorted({f"{s.get('nproc')} cores, {s.get('mem_gib')} GiB" for g in groups.values() for s in g})
    commits = sorted({s.get("commit", "?") for g in groups.values() for s in g})
    out = [f"Medians over the runs of each setting; machine: {'; '.join(machines)}; commits: {', '.join(commits)}.", "",
           "| setting | roles | day | runs | " + " | ".join(c[1] for c in COLUMNS) + " |",
           "|---|---|---|---|" + "---|" * len(COLUMNS)]
    for (setting, roles, when), runs in sorted(groups.items(), key=lambda g: (g[0][2], g[0][0], g[0][1])):
        cells = median_cells(runs, COLUMNS)
        stamps = ", ".join(r.get("stamp", "?") for r in runs)
        out.append(f"| {setting} | {roles} | {when} | {len(runs)} ({stamps}) | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def latency_table(results):
    """bench/latency/run.sh's reports (latency-*.txt): one row per setting and day, medians over its reports."""
    groups = {}
    for s in summaries(results, "latency"):
        groups.setdefault((row_name(s), day(s)), []).append(s)
    if not groups:
        return "(no latency reports with a SUMMARY line in bench/results/ yet)\n"
    machines = sorted({f"{s.get('nproc')} cores, {s.get('mem_gib')} GiB" for g in groups.values() for s in g})
    out = [f"Medians over the reports of each setting (each report is itself the median of its runs); machine: {'; '.join(machines)}.", "",
           "| setting | day | reports | rate frames/s | " + " | ".join(c[1] for c in LATENCY_COLUMNS) + " |",
           "|---|---|---|---|" + "---|" * len(LATENCY_COLUMNS)]
    for (setting, when), runs in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])):
        cells = median_cells(runs, LATENCY_COLUMNS)
        stamps = ", ".join(f"{r.get('stamp', '?')} ({r.get('commit', '?')}, {r.get('runs', '?')}×{r.get('seconds', '?')} s)" for r in runs)
        rates = "/".join(sorted({r.get("rate", "?") for r in runs}))
        out.append(f"| {setting} | {when} | {len(runs)}: {stamps} | {rates} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def replace_between(readme, start, end, text, path):
    if start not in readme or end not in readme:
        sys.exit(f"{path} has no {start} ... {end} markers")
    head, rest = readme.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + "\n" + text + end + tail


def main():
    results = os.path.join(HERE, "results")
    text = table(results)
    if len(sys.argv) == 3 and sys.argv[1] == "--readme":
        with open(sys.argv[2]) as f:
            readme = f.read()
        readme = replace_between(readme, "<!-- bench-table:start -->", "<!-- bench-table:end -->", text, sys.argv[2])
        if "<!-- latency-table:start -->" in readme:
            readme = replace_between(readme, "<!-- latency-table:start -->", "<!-- latency-table:end -->",
                                     latency_table(results), sys.argv[2])
        with open(sys.argv[2], "w") as f:
            f.write(readme)
    else:
        sys.stdout.write(text + "\n" + latency_table(results))


if __name__ == "__main__":
    main()
