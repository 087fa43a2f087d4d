"""Start-up time of the CLI: ``--help`` and ``--list-agents`` in fresh interpreters.

Each command runs in a subprocess several times; the figures are the median and p90 wall
time. ``--imports`` also lists the slowest imports of each command (``python -X importtime``).

    python -m bench.startup [--runs 10] [--imports]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from graph.context import REPO_ROOT

SHARED_AGENTS = REPO_ROOT / "tests" / "fixtures" / "routing" / "agents"


@dataclass(frozen=True)
class Command:
    label: str
    args: tuple[str, ...]
    target_s: float


@dataclass(frozen=True)
class StartupFigures:
    label: str
    runs: int
    median_s: float
    p90_s: float
    target_s: float

    @property
    def met(self) -> bool:
        return self.median_s <= self.target_s


def commands() -> list[Command]:
    listed = [
        Command("--help", ("--help",), 0.3),
        Command("--list-agents", ("--list-agents",), 0.6),
    ]
    if SHARED_AGENTS.is_dir():
        args = ("--list-agents", "--agents", str(SHARED_AGENTS))
        listed.append(Command("--list-agents (90 agents)", args, 0.6))
    return listed


def _cli(args: tuple[str, ...], python_flags: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, *python_flags, "-m", "graph.run", *args]


def time_command(command: Command, runs: int) -> StartupFigures:
    """Wall time of ``runs`` fresh interpreters running the command."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(_cli(command.args), cwd=REPO_ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{command.label}: exit {done.returncode}: {done.stderr.strip()}")
    median = statistics.median(times)
    return StartupFigures(command.label, runs, median, _p90(times), command.target_s)


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def slowest_imports(command: Command, top: int = 8) -> list[tuple[str, float]]:
    """(module, cumulative seconds) of the costliest top-level imports of one run."""
    done = subprocess.run(
        _cli(command.args, ("-X", "importtime")), cwd=REPO_ROOT, capture_output=True, text=True
    )
    costs: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if not name.startswith(" ") and "." not in name:  # top-level packages only
            costs.append((name, int(cumulative) / 1e6))
    return sorted(costs, key=lambda cost: -cost[1])[:top]


def run(runs: int = 10) -> list[StartupFigures]:
    return [time_command(command, runs) for command in commands()]


def format_figures(figures: list[StartupFigures]) -> str:
    lines = [f"{'command':<28} {'runs':>4} {'median s':>9} {'p90 s':>7} {'target s':>9}"]
    for f in figures:
        verdict = "ok" if f.met else "SLOW"
        lines.append(
            f"{f.label:<28} {f.runs:>4} {f.median_s:>9.3f} {f.p90_s:>7.3f} "
            f"{f.target_s:>9.2f}  {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="runs per command (default 10)")
    parser.add_argument("--imports", action="store_true", help="list the slowest imports")
    args = parser.parse_args(argv)
    print(format_figures(run(args.runs)))
    if args.imports:
        for command in commands():
            costs = ", ".join(f"{name} {secs:.3f}s" for name, secs in slowest_imports(command))
            print(f"{command.label} imports: {costs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
