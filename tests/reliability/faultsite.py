"""A real HTTP server on 127.0.0.x that serves a synthetic news site and fails on purpose.

Each page path has a planned list of faults for its first requests (request n gets plan[n-1];
past the plan it is served whole). The faults are the transient ones a crawler meets:

- ``timeout``: the answer comes after the client's read timeout;
- ``reset``: the connection is closed with a TCP reset, no answer;
- ``429`` / ``503``: the status with a ``Retry-After`` (seconds);
- ``truncated``: a 200 whose body stops half way (Content-Length promises more).

The server records every request (path, request number, fault served, start time), so a test
can check that the client's own accounting (fetches.attempts) matches what really happened.
"""
from __future__ import annotations

import random
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.local_server import send
from tests.reliability.newsroom import Article, render

FAULT_KINDS = ("timeout", "reset", "429", "503", "truncated")
ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class Served:
    path: str
    n: int             # 1-based request number to this path
    fault: str | None  # None: served whole
    started: float     # time.monotonic()


def plan_faults(paths: list[str], seed: int, rate: float, max_per_path: int) -> dict[str, tuple[str, ...]]:
    """Each request fails with probability `rate` (kind drawn uniformly), at most `max_per_path`
    times in a row for a path, so that every page is served within the client's retries."""
    rng = random.Random(seed)
    plan = {}
    for path in paths:
        faults: list[str] = []
        while len(faults) < max_per_path and rng.random() < rate:
            faults.append(rng.choice(FAULT_KINDS))
        plan[path] = tuple(faults)
    return plan


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        server: FaultSite = self.server
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            self.answer(200, {"Content-Type": "text/plain"}, ROBOTS)
            return
        with server.lock:
            server.hits[path] += 1
            n = server.hits[path]
        planned = server.plan.get(path, ())
        fault = planned[n - 1] if n <= len(planned) else None
        with server.lock:
            server.served.append(Served(path, n, fault, time.monotonic()))
        route = server.extra_routes.get(path)
        if route is not None:
            route(self)
            return
        body = server.pages.get(path)
        if body is None:
            self.answer(404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
        elif fault is None:
            self.answer(200, {"Content-Type": "text/html; charset=utf-8"}, body)
        else:
            self._fail(fault, body)

    def _fail(self, fault: str, body: bytes) -> None:
        if fault == "timeout":
            time.sleep(self.server.timeout_sleep_s)
            self.close_connection = True
            self.answer(200, {"Content-Type": "text/html; charset=utf-8"}, body)
        elif fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault in ("429", "503"):
            self.answer(int(fault), {"Content-Type": "text/html", "Retry-After": str(self.server.retry_after_s)},
                       b"<h1>Try again later</h1>")
        elif fault == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)
        else:
            raise ValueError(f"unknown fault {fault}")

    def answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            send(self, status, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True   # the client gave up (its timeout): expected

    def log_message(self, format, *args):
        pass


class FaultSite(ThreadingHTTPServer):
    daemon_threads = True
    base_url: str

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)

    def failed_responses(self) -> int:
        return sum(s.fault is not None for s in self.served)

    def url(self, path: str) -> str:
        return self.base_url + path


def fixed(status: int, headers: dict[str, str], body: bytes = b"") -> Callable[[BaseHTTPRequestHandler], None]:
    """An extra route that always gives the same answer."""
    return lambda handler: handler.answer(status, headers, body)


def redirect_to(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return fixed(302, {"Location": location, "Content-Type": "text/html"}, b"moved")


@contextmanager
def serve_fault_site(articles: list[Article], plan: dict[str, tuple[str, ...]] | None = None,
                     host: str = "127.0.0.1", timeout_sleep_s: float = 1.5, retry_after_s: int = 1,
                     extra_routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] | None = None
                     ) -> Iterator[FaultSite]:
    """Serves the articles (templates rotating by index) in a background thread."""
    server = FaultSite((host, 0), _Handler)
    server.base_url = f"http://{host}:{server.server_address[1]}"
    server.pages = {a.path: render(a, server.base_url, i % 3) for i, a in enumerate(articles)}
    server.plan, server.hits, server.served = plan or {}, Counter(), []
    server.lock, server.timeout_sleep_s, server.retry_after_s = threading.Lock(), timeout_sleep_s, retry_after_s
    server.extra_routes = extra_routes or {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_fault_sites(groups: list[list[Article]], **kwargs) -> Iterator[list[FaultSite]]:
    """One server per group, on 127.0.0.1, 127.0.0.2, ...: several hosts, as a real crawl has."""
    with ExitStack() as stack:
        yield [stack.enter_context(serve_fault_site(group, host=f"127.0.0.{i + 1}", **kwargs))
               for i, group in enumerate(groups)]
