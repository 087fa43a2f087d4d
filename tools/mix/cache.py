"""The on-disk cache of per-file facts, shared by every process indexing the same project.

One JSON file per project root. Writes go to a temporary file that replaces the old one
atomically, so two processes writing at once leave one complete cache, never a mixed one; a
cache that cannot be read (corrupt, old format, other code version) is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

FORMAT_VERSION = 2
# The code facts come from: parse.py and facts/, and the redaction config facts go through
# (a changed redaction rule must not leave facts redacted the old way in the cache).
_FACT_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "redact.py")


def cache_dir() -> Path:
    override = os.environ.get("MIXCREW_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("mixcrew"))


def cache_path(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"index-{digest}.json"


def code_fingerprint() -> str:
    """A hash of the extractor code, so editing an extractor invalidates cached facts."""
    digest = hashlib.sha256(str(FORMAT_VERSION).encode())
    for place in _FACT_CODE:
        for source in sorted(place.rglob("*.py")) if place.is_dir() else [place]:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def load(path: Path, fingerprint: str) -> dict[str, Any] | None:
    """The cached data, or None when missing, unreadable or written by other code."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return None
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    """Write atomically; a read-only or full disk only costs the next run a cold index."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(json.dumps(data, separators=(",", ":")).encode())
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
