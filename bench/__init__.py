"""Benchmark scripts: each prints its figures and exposes run(...) -> dict."""
