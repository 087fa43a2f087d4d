"""The mixcrew graph: agent files, the supervisor, one node per specialist, and the CLI.

Kept import-light on purpose: ``python -m graph.run --help`` must stay fast, so heavy
modules (LangChain, LangGraph, tree-sitter) are imported where they are used.
"""
