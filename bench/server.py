"""A small, fast HTTP/1.1 server for the benchmark's generated sites: ``python bench/server.py --articles N``.

The site is rendered on request (``bench/site.py``, or ``bench/feed_site.py`` with ``--kind feed``): no
files, so a 25,000-article site starts at once. Why not ``http.server``: it spends a thread and a Python-level
header parser per request, and without keep-alive every request is a new connection. This one is a single
asyncio loop with persistent connections, which is what Scrapy uses, so the server costs a fraction of the
crawl's CPU (``bench/run.py`` prints both, so that claim is checked on every run).

``--prerender`` (the full-text and scale-out benchmarks, 1,000 pages) renders every response before it
listens: those crawls keep both cores busy (extraction workers, or two crawl processes), so whatever the
server spends while they run is taken from them; a site-rule crawl is one process and leaves a core free.

It prints ``listening on PORT`` once ready and runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HTML = b"text/html; charset=utf-8"
NOT_FOUND = b"<html><body>404 Not Found</body></html>"


class Renderer(Protocol):
    def get(self, target: str) -> tuple[str, str | bytes] | None: ...


def answer(pages: Renderer, target: str) -> bytes:
    """The whole HTTP response (head and body) for one GET."""
    found = pages.get(target)
    if found is None:
        status, content_type, body = b"404 Not Found", HTML, NOT_FOUND
    else:
        status, content_type = b"200 OK", found[0].encode("latin-1")
        body = found[1] if isinstance(found[1], bytes) else found[1].encode("utf-8")
    head = b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
        status,
        content_type,
        len(body),
    )
    return head + body


async def serve_connection(
    pages: Renderer, ready: dict[str, bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split(" ")
            target = parts[1] if len(parts) == 3 else "/"
            writer.write(ready.get(target) or answer(pages, target))
            await writer.drain()
            if b"connection: close" in head.lower():
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(pages: Renderer, port: int, prerender: bool = False) -> None:
    ready: dict[str, bytes] = {}
    server = await asyncio.start_server(
        lambda reader, writer: serve_connection(pages, ready, reader, writer), "127.0.0.1", port, backlog=512
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    bound = server.sockets[0].getsockname()[1]
    if hasattr(pages, "base"):
        pages.base = f"http://127.0.0.1:{bound}"  # feeds link their pages by absolute URL
    if prerender and hasattr(pages, "targets"):
        # Before "listening": rendering is then no part of the timed crawl, and the server, which shares
        # the cores with the crawl processes it serves, only copies bytes while they run.
        ready.update((target, answer(pages, target)) for target in pages.targets())
    print(f"listening on {bound}", flush=True)
    async with server:
        await stop.wait()


def renderer(kind: str, articles: int, seed: int, changed_every: int, feeds: int) -> Renderer:
    if kind == "feed":
        from bench.feed_site import FeedPages, FeedSite

        return FeedPages(FeedSite(articles, seed=seed, feeds=feeds))
    from bench.site import Pages, Site

    return Pages(Site(articles, seed=seed, changed_every=changed_every))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("sites", "feed"), default="sites", help="ZAKER + CCTV, or feeds")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--changed-every", type=int, default=0, help="every k-th article revised")
    parser.add_argument("--feeds", type=int, default=10, help="--kind feed: how many feeds")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--prerender",
        action="store_true",
        help="--kind feed: render every response before listening (a few MB per 1,000 pages)",
    )
    arguments = parser.parse_args()
    pages = renderer(
        arguments.kind, arguments.articles, arguments.seed, arguments.changed_every, arguments.feeds
    )
    asyncio.run(main(pages, arguments.port, arguments.prerender))
    sys.exit(0)
