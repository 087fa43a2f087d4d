"""Every notebook runs top to bottom in a real kernel, offline, and is kept without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graph.context import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300


def _output_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/markdown", ""))
    return "\n".join(parts)


def test_there_is_a_quickstart():
    assert REPO_ROOT / "notebooks" / "quickstart.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code"
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_offline_top_to_bottom(path: Path):
    """Offline because tests/conftest.py removed every model key; the kernel inherits that."""
    notebook = nbformat.read(path, as_version=4)

    NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()

    if path.name == "quickstart.ipynb":
        text = _output_text(notebook)
        assert "| `backend-elixir-phoenix` |" in text  # the catalogue table
        assert "```mermaid" in text and "supervisor -.-> backend-elixir-phoenix" in text
        assert "supervisor -> backend-elixir-phoenix [lexical:" in text
        assert "supervisor => backend-elixir-phoenix:" in text
        assert "backend-elixir-phoenix: oban_jobs()" in text
        assert "Offline briefing from backend-elixir-phoenix" in text
        assert "[follow-up: a follow-up to backend-elixir-phoenix's answer" in text
        assert "model configured: False" in text
        assert "2 turn(s) Which Oban workers does this Phoenix app have" in text
