"""A real HTTP server on 127.0.0.1 that serves saved pages, so crawls in tests never leave the machine.

Routes are registered per test: a body with its status and headers, optionally slow (to provoke timeouts)
or a sequence of answers (``429`` then ``200``). Every request is recorded for assertions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


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
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

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
