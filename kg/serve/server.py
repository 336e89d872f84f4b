"""Run ``kg serve``: uvicorn with header limits, the app, and a start/stop handle.

uvicorn (with httptools, and uvloop where installed) speaks HTTP; its
protocol class is extended here with what it lacks for a public-facing
port: a deadline for the request line and headers (a connection that
trickles them is closed with ``408``), and a cap on their size (``431``).
Idle keep-alive connections close after ``keep_alive`` seconds; past
``max_connections`` uvicorn answers ``503``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.errors import ConfigError
from kg.serve.app import LOOPBACK_HOSTS, AppSettings, create_app
from kg.serve.pool import PoolLimits
from kg.store import open_store, store_path

__all__ = ["ServeOptions", "SparqlServer", "make_server"]

_WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind


def _default_workers() -> int:
    """Query workers by default: one per core, at least 2, at most 8."""
    return max(2, min(8, os.cpu_count() or 2))


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """The limits of ``kg serve`` (each has a ``kg serve --option``)."""

    timeout: float = 10.0
    workers: int = field(default_factory=_default_workers)
    max_pending: int = 64
    max_body: int = 1 << 20
    max_head: int = 64 << 10
    head_timeout: float = 10.0
    keep_alive: float = 5.0
    max_connections: int = 256
    max_memory_mb: int = 1024
    max_result_mb: int = 256
    allow_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ConfigError(f"query time limit must be positive, got {self.timeout}")
        for name in (
            "workers",
            "max_pending",
            "max_body",
            "max_head",
            "max_connections",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', '-')} must be at least 1")
        if self.head_timeout <= 0 or self.keep_alive <= 0:
            raise ConfigError("header and keep-alive timeouts must be positive")


class _GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline and a header size cap."""

    head_timeout = 10.0
    max_head = 64 << 10

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_bytes = 0
            self._head_timer = self.loop.call_later(self.head_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def data_received(self, data: bytes) -> None:
        reading_head = self._between_requests()
        if reading_head:
            self._arm()
            self._head_bytes += len(data)
        super().data_received(data)
        if (
            reading_head
            and self._head_timer is not None  # the headers are not complete yet
            and self._head_bytes > self.max_head
            and not self.transport.is_closing()
        ):
            self._refuse(431, "request line and headers too large")

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def _too_slow(self) -> None:
        self._head_timer = None
        if self._between_requests() and not self.transport.is_closing():
            self._refuse(408, "request headers not received in time")

    def _refuse(self, status: int, message: str) -> None:
        self._disarm()
        body = message.encode("ascii") + b"\n"
        phrase = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, phrase[status], len(body), body)
        )
        self.transport.close()


def _protocol(options: ServeOptions) -> type[_GuardedProtocol]:
    return type(
        "GuardedProtocol",
        (_GuardedProtocol,),
        {"head_timeout": options.head_timeout, "max_head": options.max_head},
    )


class SparqlServer:
    """A bound ``kg serve`` server: :meth:`serve_forever`, :meth:`shutdown`.

    The socket is bound on creation, so :attr:`server_address` is known
    (``port=0`` picks a free port) before the server runs.
    """

    def __init__(
        self, sock: socket.socket, config: uvicorn.Config, allowed: frozenset[str]
    ) -> None:
        self.socket = sock
        self.allowed_hosts = allowed
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def server_address(self) -> tuple[str, int]:
        """The bound (host, port)."""
        host, port = self.socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def server_port(self) -> int:
        """The bound port."""
        return self.server_address[1]

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C when run on the main thread)."""
        self._stopped.clear()
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Ask a running server to stop and wait until it has."""
        self._server.should_exit = True
        self._stopped.wait(timeout)

    def server_close(self) -> None:
        """Close the listening socket."""
        self.socket.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def make_server(
    out_dir: Path | str = "output",
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    options: ServeOptions | None = None,
) -> SparqlServer:
    """Create (bind, not start) the ``kg serve`` server; ``port=0`` picks a free port.

    ``timeout`` is the query time limit unless ``options`` gives one. The
    Host names served are the loopback names, ``host`` itself when it is not
    a wildcard, and ``options.allow_hosts`` (``"*"``: any).

    Raises
    ------
    ConfigError
        No store in ``out_dir``, a bad limit, or the address is in use.

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> server = make_server(d, port=0)
    >>> server.server_address[0]
    '127.0.0.1'
    >>> server.server_close()
    """
    from kg.query import PREFIXES

    if options is None:
        options = ServeOptions(timeout=timeout)
    out = Path(out_dir)
    open_store(out)  # a missing store fails here, with the usual message
    allowed = set(LOOPBACK_HOSTS) | set(options.allow_hosts)
    if host not in _WILDCARDS:
        allowed.add(host)
    limits = PoolLimits(
        workers=options.workers,
        max_pending=options.max_pending,
        time_limit=options.timeout,
        max_memory_mb=options.max_memory_mb,
        max_result_mb=options.max_result_mb,
    )
    settings = AppSettings(
        out_dir=out,
        store_link=store_path(out).absolute(),
        prefixes=PREFIXES,
        limits=limits,
        max_body=options.max_body,
    )
    app = create_app(settings, allowed)
    config = uvicorn.Config(
        app,
        http=_protocol(options),
        loop="auto",
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=max(1, round(options.keep_alive)),
        limit_concurrency=options.max_connections,
        server_header=False,
        proxy_headers=False,
        date_header=False,
    )
    sock = _bind(host, port)
    return SparqlServer(sock, config, frozenset(allowed))
