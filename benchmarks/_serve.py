"""Serve a built site on 127.0.0.1 the way a static host does: gzip for text responses.

Used by benchmarks/lighthouse.py and benchmarks/bench_site.py. Python's `http.server` sends
everything uncompressed, which no real host does; measuring page weight or Lighthouse
scores through it would charge every page 3-4x its real transfer size.
"""

from __future__ import annotations

import functools
import gzip
import io
import http.server
import os
import re
import sys
import threading
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        bare = self.path.split("?")[0].split("#")[0]
        if (not wants or path.suffix not in COMPRESSIBLE or not path.is_file()
                or (Path(self.translate_path(self.path)).is_dir() and not bare.endswith("/"))):
            return super().send_head()     # binary files, 404s and directory redirects
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class _HTTPServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a page aborts its requests in flight: not an error of the site.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Server:
    """Context manager: `with Server(site) as origin: ...` (a free port on 127.0.0.1)."""

    def __init__(self, root: Path | str):
        handler = functools.partial(Handler, directory=os.fspath(root))
        self.httpd = _HTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.origin

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def site_pages(root: Path) -> list[str]:
    """Every page of the built site as a URL path, found on disk ('/', '/lessons/bptt/', ...).
    A long page's parts file (vgp/_deferred.py) is not a page of its own: it is fetched by its
    page, and reached directly only by a browser without JavaScript."""
    pages = []
    for html in sorted(Path(root).rglob("*.html")):
        if re.fullmatch(r"parts\.[0-9a-f]{10}\.html", html.name):
            continue
        rel = html.relative_to(root).as_posix()
        pages.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return sorted(pages)
