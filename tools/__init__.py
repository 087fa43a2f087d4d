"""Read-only, sandboxed tools that read a mix project statically.

Nothing here imports from ``graph``: the tools know nothing of agents or models.
"""
