"""A small, fast static HTTP/1.1 server for the benchmark site: ``python bench/server.py ROOT``.

Why not ``http.server``: it spends a thread and a Python-level header parser per request, and without
keep-alive every request is a new connection. This one is a single asyncio loop with persistent
connections, which is what Scrapy uses, so the server costs a fraction of the crawl's CPU (``bench/run.py``
prints both, so that claim is checked on every run). Nothing is cached: the OS page cache already is one.

A request target ``/path?query`` is served from the file ``ROOT/path?query`` if there is one (ZAKER's
``next_new.php?…`` continuations), else from ``ROOT/path`` (CCTV's lists ignore their ``?cb=``). It prints
``listening on PORT`` once ready and runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from urllib.parse import unquote

CONTENT_TYPES = {
    ".jsonp": b"application/javascript",  # CCTV sends its UTF-8 JSONP without a charset
    ".php": b"application/json; charset=utf-8",
    ".json": b"application/json; charset=utf-8",
}
HTML = b"text/html; charset=utf-8"
NOT_FOUND = b"<html><body>404 Not Found</body></html>"


def find(root: Path, target: str) -> Path | None:
    """The file a request target names, or None; never anything outside ``root``."""
    path, _, query = target.partition("?")
    relative = unquote(path).lstrip("/")
    if ".." in relative.split("/"):
        return None
    candidates = [root / f"{relative}?{query}"] if query else []
    candidates.append(root / relative)
    return next((candidate for candidate in candidates if candidate.is_file()), None)


def answer(root: Path, target: str) -> bytes:
    """The whole HTTP response (head and body) for one GET."""
    file = find(root, target)
    if file is None:
        status, content_type, body = b"404 Not Found", HTML, NOT_FOUND
    else:
        status, content_type, body = b"200 OK", CONTENT_TYPES.get(file.suffix, HTML), file.read_bytes()
    head = b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
        status,
        content_type,
        len(body),
    )
    return head + body


async def serve_connection(root: Path, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split(" ")
            writer.write(answer(root, parts[1] if len(parts) == 3 else "/"))
            await writer.drain()
            if b"connection: close" in head.lower():
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(root: Path, port: int) -> None:
    server = await asyncio.start_server(
        lambda reader, writer: serve_connection(root, reader, writer), "127.0.0.1", port, backlog=512
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.root.resolve(), arguments.port))
    sys.exit(0)
