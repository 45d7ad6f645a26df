"""A real HTTP server on 127.0.0.1 that serves saved pages, so crawls in tests never leave the machine.

Routes are registered per test: a body with its status and headers, optionally slow (to provoke timeouts)
or a sequence of answers (``429`` then ``200``). Every request is recorded for assertions.

Answers can also misbehave the way real servers and networks do (``Answer.fault``): reset the connection
before answering, or promise more bytes in ``Content-Length`` than they send and hang up. A body can trickle
in slowly (``Answer.trickle``), which keeps a crawl busy for as long as a test needs to interrupt it.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FAULTS = ("reset", "truncate")
"""``reset``: the connection is reset (TCP RST) before any byte of the answer is sent.
``truncate``: the headers promise more bytes than the body has; the server hangs up after the body."""


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    fault: str = ""
    """One of :data:`FAULTS`, or empty for a well-behaved answer."""
    trickle: float = 0.0
    """Seconds to wait between the body's chunks (1 KiB each): a slow body rather than a slow start."""

    def __post_init__(self) -> None:
        if self.fault and self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; use one of {FAULTS}")


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (timeouts, resets the tests provoke) are normal here, not tracebacks on stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Route:
    answers: list[Answer]
    served: int = 0

    def next_answer(self) -> Answer:
        answer = self.answers[min(self.served, len(self.answers) - 1)]
        self.served += 1
        return answer


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path)
                key = path.path + (f"?{path.query}" if path.query else "")
                with server._lock:
                    server.requests.append((key, dict(self.headers.items())))
                    route = server.routes.get(key) or server.routes.get(path.path)
                    answer = route.next_answer() if route else Answer(b"not found", 404)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.fault == "reset":
                    self.reset_connection()
                    return
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    promised = len(answer.body) * 2 + 1024 if answer.fault == "truncate" else len(answer.body)
                    self.send_header("Content-Length", str(promised))
                    self.end_headers()
                    if answer.trickle:
                        for start in range(0, len(answer.body), 1024):
                            self.wfile.write(answer.body[start : start + 1024])
                            self.wfile.flush()
                            time.sleep(answer.trickle)
                    else:
                        self.wfile.write(answer.body)
                    if answer.fault == "truncate":
                        self.wfile.flush()
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def reset_connection(self) -> None:
                """Close with SO_LINGER 0, which makes the kernel send RST instead of a polite FIN."""
                self.close_connection = True
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll: shutdown() waits for the serve loop to notice, which is once per poll (0.5 s by
        # default, paid by every test that uses a server).
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Serve ``body`` at ``path``; return the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = (
            {"Content-Type": content_type, **(headers or {})} if content_type else dict(headers or {})
        )
        self.routes[path] = Route([Answer(data, status, all_headers, delay)])
        return self.url(path)

    def add_sequence(self, path: str, answers: Iterable[Answer]) -> str:
        """Serve these answers in turn at ``path`` (the last one repeats)."""
        self.routes[path] = Route(list(answers))
        return self.url(path)

    def add_fault(self, path: str, fault: str, body: bytes | str = b"", *, delay: float = 0.0) -> str:
        """Misbehave at ``path`` every time (see :data:`FAULTS`); return the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": "text/html; charset=utf-8"}
        self.routes[path] = Route([Answer(data, 200, headers, delay, fault=fault)])
        return self.url(path)

    def add_redirect(self, path: str, target: str, status: int = 302) -> str:
        """Redirect ``path`` to ``target`` (a path on this server or a full URL); return the full URL."""
        location = target if "://" in target else self.url(target)
        self.routes[path] = Route([Answer(b"", status, {"Location": location})])
        return self.url(path)

    def add_file(self, path: str, file: Path, content_type: str = "text/html; charset=utf-8") -> str:
        return self.add(path, file.read_bytes(), content_type=content_type)

    def hits(self, path: str) -> int:
        return sum(
            1 for requested, _ in self.requests if requested == path or requested.split("?")[0] == path
        )

    def start(self) -> FixtureServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
