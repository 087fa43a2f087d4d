"""The registry of fact groups: the index extracts, caches and combines every group listed here.

To add a group, write ``tools/mix/facts/<group>.py`` implementing ``FactGroup`` (see base.py)
and add one instance below.
"""

from __future__ import annotations

from tools.mix.facts.absinthe import AbsintheFacts
from tools.mix.facts.base import FactGroup
from tools.mix.facts.config import ConfigGroup
from tools.mix.facts.ecto import EctoFacts
from tools.mix.facts.liveview import LiveViewFacts
from tools.mix.facts.modules import ModulesGroup
from tools.mix.facts.oban import ObanFacts
from tools.mix.facts.otp import OtpFacts
from tools.mix.facts.project import ProjectGroup
from tools.mix.facts.realtime import RealtimeFacts
from tools.mix.facts.router import RouterFacts

ALL_GROUPS: list[FactGroup] = [
    ProjectGroup(),
    ModulesGroup(),
    ConfigGroup(),
    EctoFacts(),
    ObanFacts(),
    OtpFacts(),
    RouterFacts(),
    LiveViewFacts(),
    RealtimeFacts(),
    AbsintheFacts(),
]
