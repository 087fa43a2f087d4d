"""Run settings: what a run is about and how it may think, passed as LangGraph run context.

They are not graph state: they never enter a checkpoint, and LangGraph Studio fills them from
the run's context, with defaults from the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PROJECT = REPO_ROOT / "examples" / "kanban"

MODEL_ENV = "MIXCREW_MODEL"
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_STEP_BUDGET = 12
DEFAULT_MAX_HANDOFFS = 4


def _env_model() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def _env_project() -> str:
    return os.environ.get("MIXCREW_PROJECT") or str(EXAMPLE_PROJECT)


def _env_base_url() -> str | None:
    return os.environ.get("OPENAI_BASE_URL") or None


@dataclass
class RunContext:
    """Settings of one run. Every field has a default, so Studio can start with none."""

    project: str = field(default_factory=_env_project)
    model: str = field(default_factory=_env_model)
    base_url: str | None = field(default_factory=_env_base_url)
    offline: bool | None = None  # None: decided by whether a model is configured
    step_budget: int = DEFAULT_STEP_BUDGET
    max_handoffs: int = DEFAULT_MAX_HANDOFFS

    @property
    def project_root(self) -> Path:
        return Path(self.project).expanduser().resolve()
