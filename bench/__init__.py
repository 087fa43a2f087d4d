"""Benchmark scripts, run by hand: ``python -m bench.run_all`` prints one table of every figure
beside its target; each module also runs alone and exposes ``run(...)`` for the runner."""
