"""A real HTTP server on 127.0.0.1 for the web tests, run in a thread, with a request log.

Routes map a path (with query) to a ``Reply`` or to a function of the ``Seen`` request
returning one. The server records every request and the peak number of requests in flight
per Host header, so tests can check politeness from the server's side.
"""

from __future__ import annotations

import functools
import gzip
import select
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Reply", "Seen", "Site", "bomb_gzip", "serve"]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    host: str


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before answering
    drip: float = 0.0  # between body chunks when ``body`` is an iterable

    @classmethod
    def html(cls, text: str, *, charset: str = "utf-8", **kwargs: object) -> Reply:
        headers = {"Content-Type": f"text/html; charset={charset}"} | dict(kwargs.pop("headers", {}) or {})
        return cls(body=text.encode(charset), headers=headers, **kwargs)  # type: ignore[arg-type]


Route = Reply | Callable[[Seen], Reply]


class Site:
    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[Seen] = []
        self.inflight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.port = 0

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [s.path for s in self.log]

    def seen(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.log if s.path == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            seen = Seen(
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                time.monotonic(),
                self.headers.get("Host", ""),
            )
            host = seen.host.split(":")[0]
            with site.lock:
                site.log.append(seen)
                site.inflight[host] += 1
                site.peak[host] = max(site.peak[host], site.inflight[host])
            try:
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                reply = (route(seen) if callable(route) else route) if route else Reply(404, b"not found")
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with site.lock:
                    site.inflight[host] -= 1

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if isinstance(reply.body, bytes):
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            # Streamed body without a length: delimited by closing the connection.
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            for chunk in reply.body:
                self.wfile.write(chunk)
                self.wfile.flush()
                if reply.drip and self._client_left(reply.drip):
                    return

        def _client_left(self, seconds: float) -> bool:
            """Wait ``seconds`` between chunks, or less if the client closes: a request it gave up is no
            longer in flight, so the per-host peak counts only requests the client still has open."""
            readable, _, _ = select.select([self.connection], [], [], seconds)
            if not readable:
                return False
            try:
                if self.connection.recv(1, socket.MSG_PEEK) == b"":
                    return True
            except OSError:
                return True
            time.sleep(seconds)  # bytes from a client still there: keep the drip's pace
            return False

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@functools.cache
def bomb_gzip(expanded: int = 512 * 2**20) -> tuple[bytes, bytes]:
    """(single, double): gzip of ``expanded`` zero bytes (~500 KB), and that gzipped again (~1 KB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(expanded // len(block))]
    parts.append(compressor.flush())
    single = b"".join(parts)
    return single, gzip.compress(single, 9)
