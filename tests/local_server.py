"""A real HTTP server on 127.0.0.x whose routes misbehave on purpose, for fetch tests.

A route answers (status, headers, body) for the n-th request (1-based) to its path. A route that
needs the request itself or the raw socket (conditional GET, resets, drip-feeding) is a
`Responder`: its `respond(handler, n)` writes whatever it likes.

The server observes the politeness of its client: every request's start and end time, and the
largest number of requests it was serving at once (`max_active`).
"""
from __future__ import annotations

import gzip
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[int], tuple[int, dict[str, str], bytes]]


class Responder:
    def respond(self, handler: BaseHTTPRequestHandler, n: int) -> None:
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as real servers do

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the body
        # back for the client's delayed ACK (40 ms) on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        server = self.server
        with server.lock:
            server.hits[self.path] += 1
            count = server.hits[self.path]
            server.user_agents.append(self.headers.get("User-Agent", ""))
            server.active += 1
            server.max_active = max(server.max_active, server.active)
            started = time.monotonic()
        try:
            if server.latency_s:
                time.sleep(server.latency_s)
        finally:
            # The request counts as served once its answer is ready, before it is written: the
            # client holds its slot until it has read the answer, so this interval lies inside
            # the client's, and any overlap seen here is an overlap the client allowed.
            with server.lock:
                server.active -= 1
                server.log.append((self.path, started, time.monotonic(), dict(self.headers)))
        self._answer(server.routes.get(self.path), count)

    def _answer(self, route, count: int) -> None:
        if isinstance(route, Responder):
            route.respond(self, count)
            return
        status, headers, body = route(count) if route else (404, {"Content-Type": "text/html"}, b"<h1>not here</h1>")
        send(self, status, headers, body)

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up (a timeout, a cap, the end of a test) is expected here.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def local_server(routes: dict[str, Route | Responder], host: str = "127.0.0.1",
                 latency_s: float = 0.0, port: int = 0) -> Iterator[ThreadingHTTPServer]:
    server = _Server((host, port), _Handler)
    server.routes, server.hits, server.user_agents, server.lock = routes, Counter(), [], threading.Lock()
    server.active, server.max_active, server.log, server.latency_s = 0, 0, [], latency_s
    server.base_url = f"http://{host}:{server.server_address[1]}"
    # A short poll interval: shutdown() waits for one, at the end of every test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def starts(server, path: str | None = None) -> list[float]:
    """Monotonic start times of the requests (to one path), in order."""
    return sorted(start for p, start, _, _ in server.log if path is None or p == path)


# ---------------------------------------------------------------- plain routes

def html(body: bytes, status: int = 200) -> Route:
    return lambda n: (status, {"Content-Type": "text/html; charset=utf-8"}, body)


def typed(body: bytes, content_type: str, status: int = 200, **headers: str) -> Route:
    return lambda n: (status, {"Content-Type": content_type, **headers}, body)


def fail_then(first_failures: int, status: int, then: Route, retry_after: str = "0") -> Route:
    return lambda n: (status, {"Content-Type": "text/html", "Retry-After": retry_after}, b"busy") if n <= first_failures else then(n)


def redirect(location: str, status: int = 302) -> Route:
    return lambda n: (status, {"Location": location, "Content-Type": "text/html"}, b"moved")


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    packed = gzip.compress(body)
    return lambda n: (200, {"Content-Type": content_type, "Content-Encoding": "gzip"}, packed)


def gzip_bomb(decompressed_bytes: int) -> Route:
    """A small gzip body that inflates to `decompressed_bytes` of zeros."""
    packed = gzip.compress(b"\0" * decompressed_bytes, compresslevel=9)
    return lambda n: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, packed)


# ---------------------------------------------------------------- misbehaving responders

class Reset(Responder):
    """Closes the connection with a TCP reset instead of answering, the first `times` requests."""

    def __init__(self, times: int, then: Route):
        self.times, self.then = times, then

    def respond(self, handler, n):
        if n > self.times:
            send(handler, *self.then(n))
            return
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True


class Drip(Responder):
    """Sends headers, then one byte every `interval_s`: each read is quick, the whole is slow."""

    def __init__(self, length: int, interval_s: float):
        self.length, self.interval_s = length, interval_s

    def respond(self, handler, n):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(self.length))
        handler.end_headers()
        try:
            for _ in range(self.length):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(self.interval_s)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True


class Slow(Responder):
    """Waits `delay_s` before answering at all (a read timeout for the client)."""

    def __init__(self, delay_s: float, then: Route):
        self.delay_s, self.then = delay_s, then

    def respond(self, handler, n):
        time.sleep(self.delay_s)
        try:
            send(handler, *self.then(n))
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True


class Conditional(Responder):
    """ETag and Last-Modified validators: 304 when the client sends a matching one."""

    def __init__(self, body: bytes, etag: str, last_modified: str):
        self.body, self.etag, self.last_modified = body, etag, last_modified

    def respond(self, handler, n):
        validators = {"ETag": self.etag, "Last-Modified": self.last_modified}
        if handler.headers.get("If-None-Match") == self.etag or (
                "If-None-Match" not in handler.headers and handler.headers.get("If-Modified-Since") == self.last_modified):
            send(handler, 304, validators, b"")
            return
        send(handler, 200, {"Content-Type": "text/html; charset=utf-8", **validators}, self.body)


def max_overlap(intervals) -> int:
    """The most (start, end) intervals open at one time: what a server saw in flight at once."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    active = peak = 0
    for _, step in events:
        active += step
        peak = max(peak, active)
    return peak
