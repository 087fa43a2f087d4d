"""A small OpenAI-compatible HTTP server that misbehaves on purpose, for tests.

It answers ``POST /v1/chat/completions`` from a script of ``Reply`` steps, one per request,
and records every request body. A step can be a good completion (text or tool calls), an HTTP
error with headers, a slow answer, a truncated or non-JSON body, a dropped connection, or a
response held until the test releases it (so a test can kill the client mid-run).

    with FaultServer([routing(("agent", "task")), text("done")]) as server:
        ... ChatOpenAI(base_url=server.base_url) ...
        assert len(server.requests) == 2
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ids = itertools.count(1)


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    payload: dict[str, Any] | None = None  # a JSON body (sent as SSE chunks to a streaming client)
    body: bytes = b""  # a raw body, when there is no payload
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait before answering (a timeout when longer than the client's)
    hold: bool = False  # wait until the server is released or stopped
    truncate: bool = False  # announce the full length, send half, close
    drop: bool = False  # close the connection without any response


def completion(message: dict[str, Any], model: str = "fault-model") -> dict[str, Any]:
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return {
        "id": f"chatcmpl-{next(_ids)}",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _json_reply(payload: dict[str, Any], status: int = 200, **options: Any) -> Reply:
    return Reply(status=status, payload=payload, **options)


def _sse(completion: dict[str, Any]) -> bytes:
    """A completion as the server-sent events of a streaming response."""
    message, finish = completion["choices"][0]["message"], completion["choices"][0]["finish_reason"]
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
    if message.get("tool_calls"):
        delta["tool_calls"] = [{"index": i, **c} for i, c in enumerate(message["tool_calls"])]
    head = {k: completion[k] for k in ("id", "created", "model")}
    chunks = [
        {**head, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}]},
        {
            **head,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": finish}],
        },
        {**head, "object": "chat.completion.chunk", "choices": [], "usage": completion["usage"]},
    ]
    events = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks] + ["data: [DONE]\n\n"]
    return "".join(events).encode()


def text(content: str, **options: Any) -> Reply:
    return _json_reply(completion({"role": "assistant", "content": content}), **options)


def tool_calls(*calls: tuple[str, dict[str, Any] | str], **options: Any) -> Reply:
    """Tool calls as (name, arguments); a ``str`` argument is sent as is (malformed JSON)."""
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{next(_ids)}",
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
            for name, args in calls
        ],
    }
    return _json_reply(completion(message), **options)


def tool_call(name: str, arguments: dict[str, Any] | str | None = None, **options: Any) -> Reply:
    return tool_calls((name, arguments if arguments is not None else {}), **options)


def routing(*handoffs: tuple[str, str], answer: str = "", **options: Any) -> Reply:
    """The supervisor's RoutingDecision, as a function-calling model sends it."""
    decision = {
        "reason": "scripted",
        "handoffs": [{"agent": agent, "task": task} for agent, task in handoffs],
        "parallel": True,
        "answer": answer,
    }
    return tool_call("RoutingDecision", decision, **options)


def error(status: int, message: str = "scripted failure", **options: Any) -> Reply:
    payload = {"error": {"message": message, "type": "server_error", "code": None}}
    return _json_reply(payload, status=status, **options)


def not_json() -> Reply:
    return Reply(body=b"<html><body>502 Bad Gateway</body></html>")


def truncated() -> Reply:
    return text("this answer will be cut in the middle", truncate=True)


def dropped() -> Reply:
    return Reply(drop=True)


class FaultServer:
    """The server on a free 127.0.0.1 port, serving in a background thread while open."""

    def __init__(self, script: list[Reply]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.holding = threading.Event()  # set when a held request is waiting
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def release(self) -> None:
        """Let held requests answer."""
        self._release.set()

    def add(self, *steps: Reply) -> None:
        with self._lock:
            self.script.extend(steps)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if not self.script:
                return error(500, f"fault server: script ran out at request {len(self.requests)}")
            return self.script.pop(0)

    def _wait(self, reply: Reply) -> None:
        if reply.hold:
            self.holding.set()
            self._release.wait()
        elif reply.delay_s:
            self._release.wait(reply.delay_s)


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"unparsable": raw.decode("utf-8", "replace")}
            reply = server._next(body)
            server._wait(reply)
            self._send(reply, streaming=bool(body.get("stream")))

        def _send(self, reply: Reply, streaming: bool) -> None:
            if reply.drop:
                self.close_connection = True
                return
            content_type, data = "text/html", reply.body
            if reply.payload is not None and streaming and reply.status == 200:
                content_type, data = "text/event-stream", _sse(reply.payload)
            elif reply.payload is not None:
                content_type, data = "application/json", json.dumps(reply.payload).encode()
            try:
                self.send_response(reply.status)
                for name, value in {"Content-Type": content_type, **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                if reply.truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if reply.truncate else data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass
            if reply.truncate:
                self.close_connection = True

    return Handler
