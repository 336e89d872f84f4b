"""Run ``kg serve``: bind the socket, start the worker processes, keep them alive.

The server process reserves the address (a socket bound with
``SO_REUSEPORT``, never listening) and starts ``workers`` processes
(:mod:`kg.serve.worker`) that each listen on it: the kernel spreads
connections over them, and each answers its own, so a request crosses no
process boundary (the pool of query processes behind one HTTP process that
this replaced spent most of its time passing bytes between them). The
server process only tends the workers, four times a second:

* a worker that must stop because a query ran past the time limit says so;
  its replacement is started first, then the old one is told to go
  (``SIGUSR2``), so the address never goes without a listener;
* a worker that exited otherwise (it crashed) is replaced;
* a worker over the memory limit gets ``SIGUSR1`` (it answers what it holds
  ``503`` and exits) and a replacement, and ``SIGKILL`` two seconds later
  if it has not gone.

With ``store_url`` (``kg serve --store URL``) the workers forward queries to
an external SPARQL store, checked once at start-up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError
from kg.serve import worker as worker_module
from kg.serve.app import LOOPBACK_HOSTS
from kg.serve.options import ServeOptions

__all__ = ["ServeOptions", "SparqlServer", "make_server"]

log = logging.getLogger(__name__)

_WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TEND = 0.25
_KILL_AFTER = 2.0


@dataclass(slots=True, eq=False)
class _Worker:
    """One worker process, its state, and the worker it replaces (if any)."""

    process: subprocess.Popen[bytes]
    started: float
    ready: bool = False
    retiring: bool = False
    signalled: float | None = None
    replaces: _Worker | None = None
    failures: int = field(default=0)

    def status(self) -> bytes:
        """Read what the worker wrote to its status pipe (b"" if nothing)."""
        stdout = self.process.stdout
        if stdout is None or stdout.closed:
            return b""
        readable, _, _ = select.select([stdout], [], [], 0)
        if not readable:
            return b""
        try:
            return os.read(stdout.fileno(), 64)
        except OSError:
            return b""

    def rss_mb(self) -> float:
        """Return the resident memory of the process in MB (0 if unknown)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * _PAGE / (1 << 20)
        except (OSError, ValueError, IndexError):
            return 0.0


class SparqlServer:
    """A bound ``kg serve`` server: :meth:`serve_forever`, :meth:`shutdown`.

    The socket is bound on creation, so :attr:`server_address` is known
    (``port=0`` picks a free port) before the server runs.
    """

    def __init__(
        self,
        sock: socket.socket,
        config: dict[str, object],
        options: ServeOptions,
        allowed: frozenset[str],
    ) -> None:
        self.socket = sock
        self.options = options
        self.allowed_hosts = allowed
        host, port = sock.getsockname()[:2]
        self._config = {**config, "host": host, "port": port}
        self._workers: list[_Worker] = []
        self._stop = threading.Event()
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

    def pids(self) -> list[int]:
        """Return the process ids of the live workers."""
        return [w.process.pid for w in self._workers if w.process.poll() is None]

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C when run on the main thread).

        Raises
        ------
        ConfigError
            A worker could not start.
        """
        self._stop.clear()
        self._stopped.clear()
        try:
            self._workers = [self._spawn() for _ in range(self.options.workers)]
            for worker in self._workers:
                self._wait_ready(worker)
            while not self._stop.wait(_TEND):
                self._tend()
        finally:
            self._stop_workers()
            self._stopped.set()

    def request_stop(self) -> None:
        """Ask a running server to stop, without waiting (safe in a signal handler)."""
        self._stop.set()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Ask a running server to stop and wait until it has."""
        self._stop.set()
        self._stopped.wait(timeout)

    def server_close(self) -> None:
        """Close the listening socket."""
        self.socket.close()

    def _spawn(self) -> _Worker:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                "-P",
                str(Path(worker_module.__file__).resolve()),
                json.dumps(self._config),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        return _Worker(process, time.monotonic())

    def _wait_ready(self, worker: _Worker, timeout: float = 60.0) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        readable, _, _ = select.select([stdout], [], [], timeout)
        if not readable or os.read(stdout.fileno(), 1) != worker_module.READY:
            worker.process.kill()
            raise ConfigError(
                "kg serve: a worker process did not start (see the messages above)"
            )
        worker.ready = True

    def _tend(self) -> None:
        """Read the workers' news, replace and stop them (see the module docstring)."""
        now = time.monotonic()
        for worker in list(self._workers):
            news = worker.status()
            if worker_module.READY in news:
                worker.ready = True
            if worker_module.RETIRING in news:
                self._retire(worker)
            if worker.replaces is not None and worker.ready:
                with contextlib.suppress(ProcessLookupError):
                    worker.replaces.process.send_signal(signal.SIGUSR2)
                worker.replaces = None
            if worker.process.poll() is not None:
                self._exited(worker, now)
            elif worker.rss_mb() > self.options.max_memory_mb:
                self._over_memory(worker, now)

    def _retire(self, worker: _Worker) -> None:
        """Start the replacement of ``worker``, which goes once it is ready."""
        if not worker.retiring:
            worker.retiring = True
            fresh = self._spawn()
            fresh.replaces = worker
            self._workers.append(fresh)

    def _exited(self, worker: _Worker, now: float) -> None:
        self._workers.remove(worker)
        self._reap(worker)
        log.info("worker %d exited (%s)", worker.process.pid, worker.process.returncode)
        if worker.retiring:
            return  # its replacement is already there
        failures = 0 if worker.ready else worker.failures + 1
        if failures > 1:  # one that dies before serving: retry more slowly
            time.sleep(min(5.0, 0.1 * 2**failures))
        fresh = self._spawn()
        fresh.failures = failures
        self._workers.append(fresh)

    def _over_memory(self, worker: _Worker, now: float) -> None:
        if worker.signalled is None:
            log.warning(
                "worker %d over %d MB: stopping it",
                worker.process.pid,
                self.options.max_memory_mb,
            )
            worker.signalled = now
            with contextlib.suppress(ProcessLookupError):
                worker.process.send_signal(signal.SIGUSR1)
            self._retire(worker)
        elif now - worker.signalled > _KILL_AFTER:
            with contextlib.suppress(ProcessLookupError):
                worker.process.kill()

    @staticmethod
    def _reap(worker: _Worker) -> None:
        for pipe in (worker.process.stdin, worker.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def _stop_workers(self) -> None:
        for worker in self._workers:
            if worker.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    worker.process.terminate()
        deadline = time.monotonic() + 5.0
        for worker in self._workers:
            try:
                worker.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            self._reap(worker)
        self._workers = []


def _bind(host: str, port: int) -> socket.socket:
    """Reserve ``host:port`` for the workers (``SO_REUSEPORT``, not listening).

    The address is first bound without ``SO_REUSEPORT``, so a port another
    server (another ``kg serve`` included) holds is refused.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = probe.getsockname()[1]
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    finally:
        probe.close()
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _check_store_url(url: str, timeout: float) -> str:
    """Return the query URL of the external store at ``url``, after one ``ASK``.

    Raises
    ------
    ConfigError
        ``url`` is no http(s) URL, or the store cannot be reached or fails.
    """
    import httpx

    from kg.remote import RemoteStore

    store = RemoteStore.parse(url)
    try:
        response = httpx.post(
            store.query_url,
            data={"query": "ASK {}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ConfigError(
            f"cannot reach the store {store.base}: {detail}; is the server running?"
        ) from exc
    if response.status_code != 200:
        raise ConfigError(
            f"the store {store.base} answered HTTP {response.status_code} to a query "
            f"at {store.query_url}; give the base URL of a SPARQL 1.1 server"
        )
    return store.query_url


def make_server(
    out_dir: Path | str = "output",
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    options: ServeOptions | None = None,
    store_url: str | None = None,
) -> SparqlServer:
    """Create (bind, not start) the ``kg serve`` server; ``port=0`` picks a free port.

    ``timeout`` is the query time limit unless ``options`` gives one. The
    Host names served are the loopback names, ``host`` itself when it is not
    a wildcard, and ``options.allow_hosts`` (``"*"``: any). With
    ``store_url``, queries go to that external SPARQL store (its base URL)
    and ``out_dir`` only holds the graph page, if any.

    Raises
    ------
    ConfigError
        No store in ``out_dir`` (or the store URL does not answer), a bad
        limit, or the address is in use.

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

    if not hasattr(socket, "SO_REUSEPORT") or not hasattr(signal, "SIGUSR1"):
        raise ConfigError(
            "kg serve needs a POSIX system (Linux, macOS, BSD): its workers share "
            "the port with SO_REUSEPORT and are told to stop with signals"
        )
    if options is None:
        options = ServeOptions(timeout=timeout)
    out = Path(out_dir)
    config: dict[str, object] = {
        "out": str(out.absolute()),
        "prefixes": dict(PREFIXES),
        "options": options.to_json(),
    }
    if store_url is not None:
        config["store_url"] = _check_store_url(store_url, min(options.timeout, 10.0))
    else:
        from kg.store import open_store, store_path

        open_store(out)  # a missing store fails here, with the usual message
        config["link"] = str(store_path(out).absolute())
    allowed = set(LOOPBACK_HOSTS) | set(options.allow_hosts)
    if host not in _WILDCARDS:
        allowed.add(host)
    config["allowed"] = sorted(allowed)
    sock = _bind(host, port)
    return SparqlServer(sock, config, options, frozenset(allowed))
