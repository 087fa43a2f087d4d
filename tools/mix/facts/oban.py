"""Oban facts: workers, queue and plugin configuration, and where jobs are built and inserted.

Per file, each a dict with ``kind``, ``file`` and ``line``:

- ``worker``: a module that ``use Oban.Worker`` (or ``Oban.Pro.Worker``) with its options;
- ``config``: one ``config :app, Oban, ...`` call with its queues, plugins (Cron entries
  listed one by one) and other options;
- ``insert``: an ``Oban.insert`` / ``insert!`` / ``insert_all`` call site and the workers
  whose ``new`` builds what it inserts;
- ``new``: an ``Alias.new(...)`` call (or a worker's own ``new(...)``); ``combine`` keeps
  only those of the project's workers. Only files that mention ``Oban`` are read, so a job
  built in a file that never names Oban is not seen.

``combine`` adds an ``unconfigured_queue`` fact for each worker whose queue no config file
starts.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    DEF_MACROS,
    ModuleNode,
    call_args,
    call_name,
    calls_matching,
    enclosing,
    enclosing_call,
    expand_alias,
    function_head,
    keyword_args,
    keywords_to_nodes,
    line_of,
    literal,
    module_aliases,
    module_uses,
    node_text,
    pipe_source,
    show,
    used_module,
)

_WORKER_USES = frozenset({"Oban.Worker", "Oban.Pro.Worker"})
_INSERTS = frozenset({"Oban.insert", "Oban.insert!", "Oban.insert_all"})
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
        return file.is_elixir and b"Oban" in file.source

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        root = file.tree.root_node
        facts: list[Fact] = []
        if file.path.endswith(".exs") and b"config" in file.source:
            configs = (_config_fact(call, file.path) for call in file.config_calls)
            facts += [fact for fact in configs if fact is not None]
        modules = file.modules
        workers = [fact for module in modules if (fact := _worker_fact(module, file.path))]
        facts += workers
        if b"new(" in file.source or b"Oban.insert" in file.source:
            names = {worker["module"] for worker in workers}
            facts += _job_calls(root, modules, names, file.path)
        return sorted(facts, key=lambda f: f["line"])

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        workers = {f["module"]: f for f in facts if f["kind"] == "worker"}
        kept = [f for f in facts if f["kind"] != "new" or f["worker"] in workers]
        return kept + _unconfigured_queues(list(workers.values()), facts)

    def render(self, fact: Fact) -> str:
        text = " ".join(_RENDERERS[fact["kind"]](fact).split())  # values may span lines
        return f"{text}  {fact['file']}:{fact['line']}"


# --- Workers, inserts and new calls -------------------------------------------------------


def _worker_fact(module: ModuleNode, path: str) -> Fact | None:
    use = _worker_use(module)
    if use is None:
        return None
    options = keyword_args(use)
    queue = literal(options.get("queue"))
    return {
        "kind": "worker",
        "module": module.name,
        "queue": str(queue) if queue is not None else "default",
        "options": {key: show(literal(value)) for key, value in options.items()},
        "file": path,
        "line": line_of(use),
    }


def _worker_use(module: ModuleNode) -> Node | None:
    return next((use for use in module_uses(module) if used_module(use) in _WORKER_USES), None)


def _job_calls(root: Node, modules: list[ModuleNode], workers: set[str], path: str) -> list[Fact]:
    """``Oban.insert*`` and ``new`` calls, found from where their names occur and placed in
    their module and function by walking up from each call."""
    by_node = {module.node.id: module for module in modules}
    aliases: dict[str, dict[str, str]] = {}  # computed once per module that needs them
    inserts: list[tuple[Node, Fact]] = []
    news: list[tuple[Node, Fact]] = []
    for call in calls_matching(root, "new|insert!?|insert_all"):
        if not _is_job_call(call):
            continue
        placed = _placement(call, by_node)
        if placed is None:
            continue
        module, function = placed
        where = {"module": module.name, "function": function, "file": path}
        where["line"] = line_of(call)
        name = call_name(call)
        if name in _INSERTS:
            inserts.append((call, {"kind": "insert", "call": name, **where}))
        elif name == "new" and module.name in workers:  # a worker building its own job
            news.append((call, {"kind": "new", "worker": module.name, **where}))
        elif name.endswith(".new"):
            if module.name not in aliases:
                aliases[module.name] = module_aliases(module)
            worker = _module_of(call, aliases[module.name], module.name)
            news.append((call, {"kind": "new", "worker": worker, **where}))
    for insert, fact in inserts:
        scope = _inserted(insert)
        if scope is None or scope.type == "identifier":  # a variable: look in the function
            scope = enclosing_call(insert, DEF_MACROS) or scope
        fact["workers"] = list(dict.fromkeys(f["worker"] for c, f in news if _within(c, scope)))
    return [fact for _, fact in inserts + news]


def _placement(call: Node, by_node: dict[int, ModuleNode]) -> tuple[ModuleNode, str | None] | None:
    """The module a call is in, and its function as ``name/arity`` (None in a module body)."""
    function = enclosing_call(call, DEF_MACROS)
    owner = enclosing(function or call, lambda n: n.id in by_node)
    if owner is None:
        return None
    head = function_head(function) if function is not None else None
    return by_node[owner.id], f"{head.name}/{head.arity}" if head else None


def _is_job_call(call: Node) -> bool:
    """A local ``new(...)``, or ``Module.new/insert/insert!/insert_all(...)`` on an alias."""
    target = call.child_by_field_name("target")
    if target is None or target.type == "identifier":
        return call_name(call) == "new"
    left = target.child_by_field_name("left")
    return left is not None and left.type == "alias"


def _within(node: Node, scope: Node | None) -> bool:
    return scope is not None and scope.start_byte <= node.start_byte < scope.end_byte


def _inserted(insert: Node) -> Node | None:
    """What an insert call inserts: the left of ``... |> Oban.insert()`` or its argument."""
    piped = pipe_source(insert)
    if piped is not None:
        return piped
    args = [a for a in call_args(insert) if a.type != "keywords"]
    return args[-1] if args else None  # Oban.insert(MyOban, changeset) names the instance first


def _module_of(new_call: Node, aliases: dict[str, str], module: str) -> str:
    return expand_alias(call_name(new_call).removesuffix(".new"), aliases, module)


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


def _caller(fact: Fact) -> str:
    return f"{fact['module']}.{fact['function']}" if fact["function"] else fact["module"]


def _render_insert(fact: Fact) -> str:
    workers = f" of {', '.join(fact['workers'])}" if fact["workers"] else ""
    return f"{fact['call']}{workers} in {_caller(fact)}"


def _render_new(fact: Fact) -> str:
    return f"{fact['worker']}.new in {_caller(fact)}"


def _render_unconfigured(fact: Fact) -> str:
    return f"queue :{fact['queue']} of {fact['module']} is not configured in any config file"


_RENDERERS = {
    "worker": _render_worker,
    "config": _render_config,
    "insert": _render_insert,
    "new": _render_new,
    "unconfigured_queue": _render_unconfigured,
}
