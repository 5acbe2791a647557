"""A real HTTP server on 127.0.0.1 for a directory of pages: the demo and the tests use it.

Feeds and sitemaps (.xml files) and robots.txt (its Sitemap: line) carry the placeholder
{{BASE_URL}}, replaced at serve time, because the port is chosen when the server starts.
"""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PLACEHOLDER = b"{{BASE_URL}}"


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/rss+xml"}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.suffix != ".xml" and path.name != "robots.txt") or not path.is_file():
            return super().send_head()
        host, port = self.server.server_address[:2]
        body = path.read_bytes().replace(PLACEHOLDER, f"http://{host}:{port}".encode())
        self.send_response(200)
        self.send_header("Content-Type", f"{self.guess_type(str(path))}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # the demo's output is the run summary, not access logs
        pass


@contextmanager
def serve_site(directory: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serves the directory in a background thread; yields the base URL."""
    server = ThreadingHTTPServer((host, port), partial(SiteHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
