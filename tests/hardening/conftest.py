"""The hardening suites' hang guard (tests/conftest.py isolates the environment)."""

from __future__ import annotations

import signal

import pytest

HANG_GUARD_S = 120  # a hardening test that runs this long is hung, not slow


class Hung(Exception):
    pass


@pytest.fixture(autouse=True)
def _hang_guard():
    """Fail a test that hangs instead of hanging the suite (SIGALRM, main thread only)."""

    def _fail(signum, frame):
        raise Hung(f"the test ran over {HANG_GUARD_S}s: a hang")

    previous = signal.signal(signal.SIGALRM, _fail)
    signal.alarm(HANG_GUARD_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
