"""The registry of fact groups: the index extracts, caches and combines every group listed here.

To add a group, write ``tools/mix/facts/<group>.py`` implementing ``FactGroup`` (see base.py)
and add one instance below.
"""

from __future__ import annotations

from tools.mix.facts.base import FactGroup
from tools.mix.facts.ecto import EctoFacts
from tools.mix.facts.oban import ObanFacts
from tools.mix.facts.router import RouterFacts

ALL_GROUPS: list[FactGroup] = [EctoFacts(), ObanFacts(), RouterFacts()]
