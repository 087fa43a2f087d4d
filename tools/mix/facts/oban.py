"""Oban facts: workers, queue and plugin configuration, and where jobs are built and inserted.

Per file, each a dict with ``kind``, ``file`` and ``line``:

- ``worker``: a module that ``use Oban.Worker`` (or ``Oban.Pro.Worker``) with its options;
- ``config``: one ``config :app, Oban, ...`` call with its queues, plugins (Cron entries
  listed one by one) and other options;
- ``insert``: an ``Oban.insert`` / ``insert!`` / ``insert_all`` call site and the workers
  whose ``new`` builds what it inserts;
- ``new``: an ``Alias.new(...)`` call; ``combine`` keeps only those of the project's workers.

``combine`` adds an ``unconfigured_queue`` fact for each worker whose queue no config file
starts.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tree_sitter import Node, Query, QueryCursor

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ELIXIR,
    ModuleNode,
    call_args,
    call_name,
    expand_alias,
    find_calls,
    function_head,
    iter_modules,
    keyword_args,
    keywords_to_nodes,
    line_of,
    literal,
    module_aliases,
    node_text,
    show,
)

_WORKER_USES = frozenset({"Oban.Worker", "Oban.Pro.Worker"})
_INSERTS = frozenset({"Oban.insert", "Oban.insert!", "Oban.insert_all"})
_NEW_CALLS = Query(
    ELIXIR,
    '((call target: (dot left: (alias) @module right: (identifier) @fn)) @call (#eq? @fn "new"))',
)
_CRON_PLUGINS = frozenset({"Oban.Plugins.Cron", "Oban.Pro.Plugins.DynamicCron"})


class ObanFacts:
    name: ClassVar[str] = "oban"
    tool_name: ClassVar[str] = "oban_jobs"
    tool_description: ClassVar[str] = (
        "Oban background jobs: workers with their queue, max_attempts, priority, unique and "
        "tags; configured queues and plugins (Cron schedules, Pruner, Lifeline) per config "
        "file; workers whose queue is not configured; where jobs are built (Worker.new) and "
        "inserted (Oban.insert), each with file:line."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and (b"Oban" in file.source or b".new(" in file.source)

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        root = file.tree.root_node
        facts: list[Fact] = []
        if b"Oban" in file.source:
            configs = (_config_fact(call, file.path) for call in find_calls(root, {"config"}))
            facts += [fact for fact in configs if fact is not None]
        for module in iter_modules(file.tree):
            facts += _module_facts(module, file.path)
        return sorted(facts, key=lambda f: f["line"])

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        workers = {f["module"]: f for f in facts if f["kind"] == "worker"}
        kept = [f for f in facts if f["kind"] != "new" or f["worker"] in workers]
        return kept + _unconfigured_queues(list(workers.values()), facts)

    def render(self, fact: Fact) -> str:
        return f"{_RENDERERS[fact['kind']](fact)}  {fact['file']}:{fact['line']}"


# --- Workers, inserts and new calls -------------------------------------------------------


def _module_facts(module: ModuleNode, path: str) -> list[Fact]:
    aliases = module_aliases(module)
    facts: list[Fact] = []
    for node in module.body:
        if node.type == "call" and call_name(node) == "use":
            args = call_args(node)
            if args and node_text(args[0]) in _WORKER_USES:
                facts.append(_worker_fact(module, node, path))
    for node in module.body:
        head = function_head(node) if node.type == "call" else None
        if head is None:
            continue
        where = {"module": module.name, "function": f"{head.name}/{head.arity}", "file": path}
        for call in find_calls(node, _INSERTS):
            facts.append(
                {"kind": "insert", "call": call_name(call), **where, "line": line_of(call)}
                | {"workers": _workers_built_in(_inserted(call), aliases, module.name)}
            )
        for call, worker in _new_calls(node, aliases, module.name):
            facts.append({"kind": "new", "worker": worker, **where, "line": line_of(call)})
    return facts


def _worker_fact(module: ModuleNode, use: Node, path: str) -> Fact:
    options = {key: show(literal(value)) for key, value in keyword_args(use).items()}
    queue = literal(keyword_args(use).get("queue"))
    return {
        "kind": "worker",
        "module": module.name,
        "queue": str(queue) if queue is not None else "default",
        "options": options,
        "file": path,
        "line": line_of(use),
    }


def _inserted(insert: Node) -> Node | None:
    """What an insert call inserts: the left of ``... |> Oban.insert()`` or its argument."""
    parent = insert.parent
    if (
        parent is not None
        and parent.type == "binary_operator"
        and node_text(parent.child_by_field_name("operator")) == "|>"
        and parent.child_by_field_name("right") == insert
    ):
        return parent.child_by_field_name("left")
    args = [a for a in call_args(insert) if a.type != "keywords"]
    return args[-1] if args else None  # Oban.insert(MyOban, changeset) names the instance first


def _new_calls(node: Node | None, aliases: dict[str, str], module: str) -> list[tuple[Node, str]]:
    if node is None:
        return []
    captures = QueryCursor(_NEW_CALLS).captures(node)
    calls = sorted(captures.get("call", []), key=lambda n: n.start_byte)
    return [(call, _module_of(call, aliases, module)) for call in calls]


def _workers_built_in(node: Node | None, aliases: dict[str, str], module: str) -> list[str]:
    workers = [worker for _, worker in _new_calls(node, aliases, module)]
    if node is not None and node.type == "call" and call_name(node).endswith(".new"):
        workers.insert(0, _module_of(node, aliases, module))
    return list(dict.fromkeys(workers))


def _module_of(new_call: Node, aliases: dict[str, str], module: str) -> str:
    name = call_name(new_call).removesuffix(".new")
    if name == "__MODULE__" or name.startswith("__MODULE__."):
        return module + name.removeprefix("__MODULE__")
    return expand_alias(name, aliases)


# --- Configuration ------------------------------------------------------------------------


def _config_fact(call: Node, path: str) -> Fact | None:
    """``config :app, Oban, repo: ..., queues: [...], plugins: [...]``; None for other keys."""
    args = call_args(call)
    if len(args) < 3 or args[1].type != "alias" or args[2].type != "keywords":
        return None
    instance = node_text(args[1])
    if instance != "Oban" and not instance.endswith(".Oban"):
        return None
    options = keywords_to_nodes(args[2])
    fact: Fact = {
        "kind": "config",
        "app": str(literal(args[0])),
        "instance": instance,
        "options": {
            k: show(literal(v)) for k, v in options.items() if k not in ("queues", "plugins")
        },
        "file": path,
        "line": line_of(call),
    }
    if "queues" in options:
        fact["queues"] = _queues(options["queues"])
    if "plugins" in options:
        fact["plugins"] = _plugins(options["plugins"])
    return fact


def _queues(node: Node) -> dict[str, str] | None:
    """Queue name -> limit as written; {} for ``false``; None when not a literal list."""
    value = literal(node)
    if value is False or value == []:
        return {}
    if not isinstance(value, dict):
        return None
    return {name: show(limit) for name, limit in value.items()}


def _plugins(node: Node) -> list[dict[str, Any]]:
    if node.type != "list":
        return [{"module": node_text(node), "options": {}, "line": line_of(node)}]
    plugins = []
    for item in node.named_children:
        if item.type == "comment":
            continue
        if item.type == "tuple" and item.named_children:
            module_node, *rest = item.named_children
            options = keywords_to_nodes(rest[0]) if rest and rest[0].type == "keywords" else {}
        else:
            module_node, options = item, {}
        plugin: dict[str, Any] = {"module": node_text(module_node), "line": line_of(item)}
        plugin["options"] = {k: show(literal(v)) for k, v in options.items() if k != "crontab"}
        if plugin["module"] in _CRON_PLUGINS and "crontab" in options:
            plugin["crontab"] = _crontab(options["crontab"])
        plugins.append(plugin)
    return plugins


def _crontab(node: Node) -> list[dict[str, Any]]:
    """``{"0 3 * * *", Worker, args: %{...}}`` entries: schedule, worker, options, line."""
    entries = []
    for entry in node.named_children:
        if entry.type != "tuple" or len(entry.named_children) < 2:
            continue
        schedule, worker, *rest = entry.named_children
        options = keywords_to_nodes(rest[0]) if rest and rest[0].type == "keywords" else {}
        entries.append(
            {
                "schedule": show(literal(schedule)).strip('"'),
                "worker": node_text(worker),
                "options": {k: show(literal(v)) for k, v in options.items()},
                "line": line_of(entry),
            }
        )
    return entries


# --- Combine ------------------------------------------------------------------------------


def _unconfigured_queues(workers: list[Fact], facts: list[Fact]) -> list[Fact]:
    """Workers whose queue no config file lists; none when some config's queues are dynamic."""
    queue_lists = [f["queues"] for f in facts if f["kind"] == "config" and "queues" in f]
    if any(queues is None for queues in queue_lists):
        return []
    configured = {name for queues in queue_lists for name in queues}
    return [
        {
            "kind": "unconfigured_queue",
            "module": worker["module"],
            "queue": worker["queue"],
            "file": worker["file"],
            "line": worker["line"],
        }
        for worker in workers
        if worker["queue"] not in configured
    ]


# --- Rendering ----------------------------------------------------------------------------


def _options_text(options: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in options.items())


def _render_worker(fact: Fact) -> str:
    options = {k: v for k, v in fact["options"].items() if k != "queue"}
    extra = f" ({_options_text(options)})" if options else ""
    return f"worker {fact['module']} queue :{fact['queue']}{extra}"


def _render_plugin(plugin: dict[str, Any]) -> str:
    text = plugin["module"]
    if plugin["options"]:
        text += f" ({_options_text(plugin['options'])})"
    if "crontab" in plugin:
        entries = ", ".join(f'"{e["schedule"]}" -> {e["worker"]}' for e in plugin["crontab"])
        text += f" crontab [{entries}]"
    return text


def _render_config(fact: Fact) -> str:
    parts = [f"config :{fact['app']} {fact['instance']}"]
    if "queues" in fact:
        queues = "(dynamic)" if fact["queues"] is None else _options_text(fact["queues"])
        parts.append(f"queues {queues or 'none'}")
    if "plugins" in fact:
        parts.append("plugins " + (", ".join(_render_plugin(p) for p in fact["plugins"]) or "none"))
    if fact["options"]:
        parts.append(_options_text(fact["options"]))
    return "; ".join(parts)


def _render_insert(fact: Fact) -> str:
    workers = f" of {', '.join(fact['workers'])}" if fact["workers"] else ""
    return f"{fact['call']}{workers} in {fact['module']}.{fact['function']}"


def _render_new(fact: Fact) -> str:
    return f"{fact['worker']}.new in {fact['module']}.{fact['function']}"


def _render_unconfigured(fact: Fact) -> str:
    return f"queue :{fact['queue']} of {fact['module']} is not configured in any config file"


_RENDERERS = {
    "worker": _render_worker,
    "config": _render_config,
    "insert": _render_insert,
    "new": _render_new,
    "unconfigured_queue": _render_unconfigured,
}
