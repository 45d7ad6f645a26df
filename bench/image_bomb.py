"""Peak memory of a download-mode crawl that meets a decompression bomb (issue 14); prints figures, exit 0.

python bench/image_bomb.py                 # a 12000x12000 PNG (144 megapixels in ~18 KB)
python bench/image_bomb.py --side 9000     # any square size

Serves one full-text feed entry holding the bomb and a small image on 127.0.0.1, runs ``scrapy crawl feed``
with ``IMAGES_MODE=download`` in its own process, and prints that process's peak RSS (``ru_maxrss`` of
the child) and whether the bomb was stored. Before the pixel cap it was stored, at about 930 MB of RSS.
"""

from __future__ import annotations

import argparse
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of any size, built row by row (it compresses to almost nothing)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + payload))
        return struct.pack(">I", len(payload)) + kind + payload + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def serve(routes: dict[str, tuple[bytes, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=12000, help="width and height of the bomb in pixels")
    args = parser.parse_args()
    bomb = png(args.side, args.side)
    routes: dict[str, tuple[bytes, str]] = {
        "/bomb.png": (bomb, "image/png"),
        "/small.png": (png(64, 48), "image/png"),
    }
    server = serve(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    text = "国产大飞机C919完成第1000次商业飞行，累计运送旅客超过十万人次。" * 8
    body = f'<p>{text}</p><p><img src="{base}/bomb.png"><img src="{base}/small.png"></p>'
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><item><title>炸弹</title>'
        f"<link>{base}/a/1</link><description><![CDATA[{body}]]></description></item></channel></rss>"
    )
    routes["/feed.xml"] = (feed.encode("utf-8"), "application/rss+xml")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        command = [sys.executable, "-m", "scrapy", "crawl", "feed", "-a", f"url={base}/feed.xml",
                   "-a", "fetch=never", "-s", f"OUTPUT_DIR={out}", "-s", "IMAGES_MODE=download",
                   "-s", "LOG_LEVEL=INFO"]  # fmt: skip
        completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stored = sum(1 for _ in (out / ".aggregator" / "images").rglob("*.jpg"))
        refused = "too_many_pixels" in completed.stdout + completed.stderr
    server.shutdown()
    print(f"bomb: {args.side}x{args.side} px, {len(bomb):,} bytes")
    print(f"crawl exit status {completed.returncode}; peak RSS {peak:.0f} MiB; images stored {stored} (of 2)")
    print(f"bomb refused (too_many_pixels): {'yes' if refused else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
