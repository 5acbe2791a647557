"""A real HTTP server on 127.0.0.1 whose routes misbehave on purpose, for fetch tests."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A route answers (status, headers, body) for the n-th request (1-based) to its path.
Route = Callable[[int], tuple[int, dict[str, str], bytes]]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        with server.lock:
            server.hits[self.path] += 1
            count = server.hits[self.path]
            server.user_agents.append(self.headers.get("User-Agent", ""))
        route = server.routes.get(self.path)
        status, headers, body = route(count) if route else (404, {"Content-Type": "text/html"}, b"<h1>not here</h1>")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextmanager
def local_server(routes: dict[str, Route]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.routes, server.hits, server.user_agents, server.lock = routes, Counter(), [], threading.Lock()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def html(body: bytes, status: int = 200) -> Route:
    return lambda n: (status, {"Content-Type": "text/html; charset=utf-8"}, body)


def fail_then(first_failures: int, status: int, then: Route) -> Route:
    return lambda n: (status, {"Content-Type": "text/html", "Retry-After": "0"}, b"busy") if n <= first_failures else then(n)
