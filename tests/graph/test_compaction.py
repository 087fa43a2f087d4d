"""Tool results the model has already used are resent trimmed; the newest stay whole."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from graph.compaction import USED_RESULT_CHARS, trimmed_history


def _call(id_: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "liveviews", "args": {}, "id": id_}])


def test_used_results_are_trimmed_and_the_newest_kept_whole():
    long = "\n".join(f"fact {i} lib/app/x.ex:{i}" for i in range(400))
    history = [
        HumanMessage("q"),
        _call("a"),
        ToolMessage(long, tool_call_id="a", name="liveviews"),
        _call("b"),
        ToolMessage(long, tool_call_id="b", name="liveviews"),
    ]
    trimmed = trimmed_history(history)

    assert len(trimmed[2].content) < USED_RESULT_CHARS + 120
    assert trimmed[2].content.startswith("fact 0 lib/app/x.ex:0\nfact 1")
    assert "call liveviews again to see them" in trimmed[2].content
    assert trimmed[4].content == long
    assert history[2].content == long  # the saved conversation itself is untouched


def test_short_results_are_resent_as_they_are():
    history = [HumanMessage("q"), _call("a"), ToolMessage("short", tool_call_id="a"), _call("b")]
    assert trimmed_history(history) == history
