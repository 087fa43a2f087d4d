"""Smoke runs of every benchmark on tiny inputs: the figures exist and have sane shapes.

No timing is asserted here; the benchmarks print the timings.
"""

from __future__ import annotations

import pytest

from bench import economy, run_all, startup
from bench.scripted import count_tokens


@pytest.fixture(scope="module")
def report() -> economy.EconomyReport:
    return economy.run(repeats=1)


@pytest.fixture(scope="module")
def quick_rows() -> list[run_all.Row]:
    return run_all.run(quick=True, only=["routing", "index", "startup"])


def _agent_calls(step: economy.AgentStep) -> int:
    return len(step.tool_calls) + 1  # one tool-calling step per tool, then the answer


def test_token_counts_grow_with_text():
    assert count_tokens("") == 0
    one = count_tokens("defmodule KanbanWeb.BoardLive.Show do")
    assert 0 < one < len("defmodule KanbanWeb.BoardLive.Show do")
    assert count_tokens("defmodule KanbanWeb.BoardLive.Show do\n" * 10) > 5 * one


def test_mixcrew_calls_follow_its_design(report):
    """One routing call per request, the agents' own calls, one combining call for several.
    The Oban task names one topic, so its agent starts from ``oban_jobs`` already read: one
    call fewer than its script's tools (graph/prefetch.py)."""
    read_ahead = {"single agent, 3 tool calls": 0, "two agents": 1, "follow-up, same thread": 0}
    for task, figures in zip(economy.SUITE, report.mixcrew.tasks, strict=True):
        combine = 1 if len(task.steps) > 1 else 0
        agents = sum(_agent_calls(step) for step in task.steps) - read_ahead.get(task.name, 0)
        assert (task.name, figures.model_calls) == (task.name, 1 + agents + combine)
        assert figures.routing_calls == 1
    assert report.mention_routing_calls == 0
    assert report.mixcrew_mention.model_calls == _agent_calls(economy.MENTION_TASK.steps[0])


def test_anchor_calls_follow_langgraph_supervisor(report):
    """A handoff call per agent, the agents' own calls, then the supervisor's final answer."""
    for task, figures in zip(economy.SUITE, report.anchor.tasks, strict=True):
        expected = sum(1 + _agent_calls(step) for step in task.steps) + 1
        assert (task.name, figures.model_calls) == (task.name, expected)
        assert figures.routing_calls == len(task.steps) + 1
    assert report.single_agent_calls_saved == 1


def test_token_and_overhead_figures_are_sane(report):
    for system in (report.mixcrew, report.anchor):
        for figures in system.tasks:
            assert figures.input_tokens > 50 * figures.model_calls  # every call sends a prompt
            assert 0 < figures.output_tokens < figures.input_tokens
            assert figures.overhead_ms >= 0
    # The two-agent task carries two agents' tool results: it costs more than the greeting.
    assert report.mixcrew.tasks[1].input_tokens > 10 * report.mixcrew.tasks[3].input_tokens
    assert 0 < report.input_ratio < 2
    assert "TOTAL (4 tasks)" in economy.format_report(report)


def test_startup_runs_each_command():
    figures = startup.run(runs=1)
    assert [f.label for f in figures][:2] == ["--help", "--list-agents"]
    for f in figures:
        assert 0 < f.median_s <= f.p90_s


def test_quick_table_has_every_benchmark_and_no_failure(quick_rows):
    benchmarks = {row.benchmark.split(" ")[0] for row in quick_rows}
    assert benchmarks == {"routing", "index", "start-up"}
    assert not [row for row in quick_rows if row.figure == "run"], "a benchmark failed"
    index = [row for row in quick_rows if row.benchmark.startswith("index")]
    assert {row.figure for row in index} >= {
        "cold throughput per CPU second",
        "warm wall, share of cold",
        "peak RSS (main, worker)",
    }
    table = run_all.format_table(quick_rows)
    assert len(table.splitlines()) == len(quick_rows) + 2
