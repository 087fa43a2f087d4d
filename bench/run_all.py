"""Every benchmark in one run, printed as one table of figures next to their targets.

    python -m bench.run_all           # full inputs (a few minutes)
    python -m bench.run_all --quick   # tiny inputs: a smoke run in seconds

Routing quality, model economy and start-up run in this process; index speed runs in a
subprocess so its peak RSS is its own. Nothing is written into the repository (generated
projects and their caches live in temporary directories).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.context import EXAMPLE_PROJECT, REPO_ROOT

if TYPE_CHECKING:
    from bench.index_speed import IndexFigures

INDEX_MB_S_PER_CORE = 8.0  # Elixir's own parser on the same bytes, about


@dataclass(frozen=True)
class Row:
    """One figure of one benchmark; ``met`` is None for figures without a target."""

    benchmark: str
    figure: str
    value: str
    target: str = ""
    met: bool | None = None


# -- routing quality ------------------------------------------------------------------------

# The sealed splits (final, final2 ... final13): measured, never tuned on.
HELD_OUT_SPLITS = tuple(
    sorted((REPO_ROOT / "tests" / "fixtures" / "routing_heldout").glob("final*.jsonl"))
)
# Requests asked inside examples/kanban, the sealed ones (project-final, project-final2).
PROJECT_SPLITS = REPO_ROOT / "tests" / "fixtures" / "routing_project"


def routing_rows(quick: bool) -> list[Row]:
    from bench import routing_quality

    if not quick:
        rows = _routing_rows(routing_quality.run())
        for split in HELD_OUT_SPLITS:
            rows += _held_out_rows(split, routing_quality.run(queries_file=split))
        for split in sorted(PROJECT_SPLITS.glob("project-final*.jsonl")):
            rows += _in_project_rows(split.stem, routing_quality.load_queries(split))
        return rows
    with tempfile.TemporaryDirectory() as directory:
        queries = Path(directory) / "queries.jsonl"
        lines = routing_quality.DEFAULT_QUERIES.read_text(encoding="utf-8").splitlines()
        queries.write_text("\n".join(_first_of_each_kind(lines, 3)) + "\n", encoding="utf-8")
        rows = _routing_rows(routing_quality.run(queries_file=queries))
        tune = PROJECT_SPLITS / "project-tune.jsonl"
        lines = tune.read_text(encoding="utf-8").splitlines()
        queries.write_text("\n".join(_first_of_each_kind(lines, 2)) + "\n", encoding="utf-8")
        return rows + _in_project_rows(
            "project-tune, 6 rows", routing_quality.load_queries(queries)
        )


def _first_of_each_kind(lines: list[str], per_kind: int) -> list[str]:
    taken: dict[str, int] = {}
    chosen = []
    for line in filter(str.strip, lines):
        kind = json.loads(line).get("kind", "")
        if taken.get(kind, 0) < per_kind:
            taken[kind] = taken.get(kind, 0) + 1
            chosen.append(line)
    return chosen


def _routing_rows(result: dict) -> list[Row]:
    routers = result["routers"]
    ours = routers["lexical (BM25F)"]
    baselines = {name: r for name, r in routers.items() if name.startswith("BM25 ")}
    best_name, best = max(baselines.items(), key=lambda item: item[1]["overall"] or 0)
    name = f"routing ({result['agents']} agents)"
    return [
        *_target_rows(name, ours),
        Row(name, "top-3 recall", _percent(ours["top3_recall"])),
        Row(
            name,
            "all requests correct",
            _percent(ours["overall"]),
            f"> {best_name} {_percent(best['overall'])}",
            (ours["overall"] or 0) > (best["overall"] or 0),
        ),
        Row(name, "latency per request", f"{ours['ms_per_request']:.3f} ms", "< 1 ms",
            ours["ms_per_request"] < 1.0),
        Row(name, "catalogue build", f"{ours['build_ms']:.0f} ms"),
        Row(name, "catalogue size", f"{result['catalogue']['tokens_o200k']} tokens"),
    ]  # fmt: skip


def _held_out_rows(split: Path, result: dict) -> list[Row]:
    """The figures that speak for unseen requests: splits written blind and never tuned on."""
    return _target_rows(f"routing, held-out {split.stem}", result["routers"]["lexical (BM25F)"])


def _in_project_rows(split: str, queries: list) -> list[Row]:
    """Rows right when the supervisor routes inside examples/kanban, beside the lexical router
    alone, with all the agents, a Phoenix team's and the shipped agent alone (no target: a
    figure to watch)."""
    from bench import routing_quality

    agents = list(routing_quality.load_agents([routing_quality.DEFAULT_AGENTS]).agents.values())
    columns = routing_quality.in_project(agents, queries, EXAMPLE_PROJECT)
    rows = []
    for label in (
        "all agents",
        f"team of {len(routing_quality.PHOENIX_TEAM)}",
        "shipped agent alone",
    ):
        ours, alone = columns[f"in project, {label}"], columns[f"lexical, {label}"]
        value = f"{_rows_right(ours)} (lexical alone {_rows_right(alone)})"
        rows.append(Row(f"routing in a project, {split}", f"rows right, {label}", value))
    return rows


def _rows_right(figures: dict) -> str:
    total = sum(figures["rows"].values())
    return f"{total - len(figures['misses'])}/{total}"


def _target_rows(name: str, ours: dict) -> list[Row]:
    """The lexical router's two figures with a target: top-1 accepted and abstention."""
    return [
        _share_row(name, "top-1 accepted, clear+ambiguous", ours["top1_accepted"], 0.90),
        _share_row(name, "correct abstention, none", ours["abstention_none"], 0.80),
    ]


def _share_row(benchmark: str, figure: str, share: float | None, target: float) -> Row:
    met = None if share is None else share >= target
    return Row(benchmark, figure, _percent(share), f">= {target:.0%}", met)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


# -- model economy --------------------------------------------------------------------------


def economy_rows(quick: bool) -> list[Row]:
    from bench import economy

    report = economy.run(repeats=1 if quick else 5)
    ours, anchor = report.mixcrew, report.anchor
    name = "economy (4 tasks)"
    calls = f"{ours.total('model_calls'):.0f} vs {anchor.total('model_calls'):.0f}"
    tokens_in = f"{ours.total('input_tokens'):.0f} vs {anchor.total('input_tokens'):.0f}"
    tokens_out = f"{ours.total('output_tokens'):.0f} vs {anchor.total('output_tokens'):.0f}"
    overhead = f"{ours.overhead_per_turn_ms:.0f} vs {anchor.overhead_per_turn_ms:.0f} ms"
    return [
        Row(name, "model calls, mixcrew vs anchor", calls),
        Row(name, "calls saved, single-agent request", str(report.single_agent_calls_saved),
            ">= 1", report.single_agent_calls_saved >= 1),
        Row(name, "routing calls on an @mention", str(report.mention_routing_calls), "0",
            report.mention_routing_calls == 0),
        Row(name, "input tokens, mixcrew vs anchor", tokens_in,
            f"<= 50% ({report.input_ratio:.0%})", report.input_ratio <= 0.5),
        Row(name, "output tokens, mixcrew vs anchor", tokens_out),
        Row(name, "graph overhead per turn", overhead, "<= anchor",
            ours.overhead_per_turn_ms <= anchor.overhead_per_turn_ms),
    ]  # fmt: skip


# -- index speed ----------------------------------------------------------------------------

_QUICK_INDEX = (
    "import json, dataclasses; from bench.index_speed import run; "
    "print(json.dumps(dataclasses.asdict(run('tiny', 40, 1.2e5, 'quick run'))))"
)


def index_rows(quick: bool) -> list[Row]:
    """Run bench/index_speed in a subprocess (so its peak RSS is its own) and read its figures."""
    from bench.index_speed import IndexFigures

    command = ["-c", _QUICK_INDEX] if quick else ["-m", "bench.index_speed", "--json"]
    done = subprocess.run(
        [sys.executable, *command], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Row("index", "run", f"failed: {problem}", met=False)]
    figures = [IndexFigures(**json.loads(line)) for line in done.stdout.splitlines() if line]
    return [row for f in figures for row in _index_figure_rows(f)]


def _index_figure_rows(f: IndexFigures) -> list[Row]:
    name = f"index {f.name} ({f.files} files, {f.megabytes:.2f} MB)"
    rss = f"{f.peak_rss_mb:.0f} MB / {f.worker_peak_rss_mb:.0f} MB"
    rows = [
        Row(name, "cold wall throughput", f"{f.mb_per_second:.1f} MB/s"),
        Row(name, "cold throughput per CPU second", f"{f.mb_per_cpu_second:.1f} MB/s",
            f">= {INDEX_MB_S_PER_CORE:.0f} MB/s", f.mb_per_cpu_second >= INDEX_MB_S_PER_CORE),
        Row(name, "warm wall, share of cold", f"{100 * f.warm_share:.1f}%", "< 5%",
            f.warm_share < 0.05),
        Row(name, "peak RSS (main, worker)", rss, "< 150 MB",
            max(f.peak_rss_mb, f.worker_peak_rss_mb) < 150),
    ]  # fmt: skip
    if f.versus_elixir is not None:  # measured only where elixir is installed
        rows.insert(
            3,
            Row(name, "best cold wall / Elixir's parser, same files",
                f"{f.versus_elixir:.2f}x", "<= 1.00x", f.versus_elixir <= 1.0),
        )  # fmt: skip
    return rows


# -- start-up -------------------------------------------------------------------------------


def startup_rows(quick: bool) -> list[Row]:
    from bench import startup

    return [
        Row("start-up", f"{f.label} (median / p90 of {f.runs})",
            f"{f.median_s:.3f} / {f.p90_s:.3f} s", f"< {f.target_s} s", f.met)
        for f in startup.run(runs=3 if quick else 10)
    ]  # fmt: skip


# -- the table ------------------------------------------------------------------------------

# Index speed goes first: Linux carries a parent's peak RSS into a child started after the
# parent grew (ru_maxrss survives fork and exec), so it must start before the others import.
BENCHMARKS: dict[str, Callable[[bool], list[Row]]] = {
    "index": index_rows,
    "routing": routing_rows,
    "economy": economy_rows,
    "startup": startup_rows,
}


def run(quick: bool = False, only: list[str] | None = None) -> list[Row]:
    """Every row; a benchmark that fails becomes one failed row, the others still run."""
    rows: list[Row] = []
    for name, benchmark in BENCHMARKS.items():
        if only and name not in only:
            continue
        try:
            rows += benchmark(quick)
        except Exception as error:  # noqa: BLE001 - one broken benchmark must not hide the rest
            rows.append(Row(name, "run", f"failed: {type(error).__name__}: {error}", met=False))
    return rows


def format_table(rows: list[Row]) -> str:
    headers = ("benchmark", "figure", "value", "target", "")
    cells = [headers] + [
        (r.benchmark, r.figure, r.value, r.target, {True: "ok", False: "MISS", None: ""}[r.met])
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in cells]  # fmt: skip
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs, a few seconds")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run only this (repeatable)"
    )
    args = parser.parse_args(argv)
    print(format_table(run(args.quick, args.only)))
    if args.quick:
        print("(--quick: tiny inputs; the verdicts are meant for the full run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
