"""A worker process of ``kg serve``: HTTP and queries, on the server's listening socket.

The server (:mod:`kg.serve.server`) starts a few of these; each listens on
the server's address with ``SO_REUSEPORT`` (the kernel spreads connections
over the workers), speaks HTTP (uvicorn with :mod:`kg.serve.protocol`) and
answers with its own engine (:mod:`kg.serve.engine`): no hop between
processes on a request. A worker writes :data:`READY` to its standard output
once it serves, and stops

* when a query runs past its deadline (the engine asks: the thread running
  it cannot be interrupted): it writes :data:`RETIRING`, goes on serving on
  its other threads until the server has started its replacement and sends
  ``SIGUSR2`` (at most a few seconds), then stops accepting, finishes the
  requests it holds (each within its own deadline), closes idle connections
  and exits, which ends the query;
* on ``SIGUSR1`` (the server saw it over the memory limit): every request
  in flight is answered ``503`` at once, then the same at once;
* on ``SIGTERM``/``SIGINT`` (uvicorn's graceful shutdown), or when its
  standard input closes (the server is gone).

Run as a script (``python -P kg/serve/worker.py CONFIG_JSON``), it does not
import the ``kg`` package (whose ``__init__`` loads the NLP stack): it
registers a bare ``kg`` package pointing at its folder and imports only the
server stack, pyoxigraph and :mod:`kg.sparql`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop
    from collections.abc import Callable

    from kg.serve.engine import Engine

__all__ = ["READY", "RETIRING", "listen", "main", "run_worker"]

#: The byte a worker writes to its standard output once it serves.
READY = b"R"
#: The byte a worker writes when it must stop and wants a replacement first.
RETIRING = b"D"
#: Longest wait for the server's ``SIGUSR2`` after :data:`RETIRING`.
_RETIRE_WAIT = 5.0
#: Stack of a query thread: Oxigraph parses and plans recursively
#: (see :func:`kg.sparql.call_with_deep_stack`); reserved, not resident.
_DEEP_STACK = 256 << 20


def _bare_package() -> None:
    """Make ``import kg.x`` work without running ``kg/__init__.py``."""
    if "kg" not in sys.modules:
        package = types.ModuleType("kg")
        package.__path__ = [str(Path(__file__).resolve().parent.parent)]
        sys.modules["kg"] = package


def _watch_parent(loop: AbstractEventLoop, stop: Callable[[str], None]) -> None:
    """Stop when standard input closes (the server process is gone)."""

    def readable() -> None:
        try:
            data = os.read(0, 64)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(0)
            stop("server gone")

    loop.add_reader(0, readable)


def listen(host: str, port: int) -> socket.socket:
    """Bind ``host:port`` with ``SO_REUSEPORT`` and listen (one socket per worker).

    Examples
    --------
    >>> sock = listen("127.0.0.1", 0)
    >>> sock.getsockname()[0]
    '127.0.0.1'
    >>> sock.close()
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def run_worker(config: dict[str, object]) -> None:
    """Serve on the inherited socket until told to stop (see the module docstring)."""
    import asyncio

    import uvicorn

    from kg.serve.app import AppSettings, create_app
    from kg.serve.engine import LocalEngine, RemoteEngine
    from kg.serve.options import ServeOptions
    from kg.serve.protocol import guarded_protocol

    options = ServeOptions.from_json(config["options"])  # type: ignore[arg-type]
    prefixes: dict[str, str] = config["prefixes"]  # type: ignore[assignment]
    sock = listen(str(config["host"]), int(config["port"]))  # type: ignore[call-overload]
    status = os.dup(1)
    os.dup2(2, 1)  # stray prints go to the log, never into the status pipe
    holder: dict[str, uvicorn.Server] = {}

    def exit_now() -> None:
        holder["server"].should_exit = True

    def stop(reason: str) -> None:
        if reason in {"time", "cancelled"}:  # a replacement first, then exit
            with contextlib.suppress(OSError):
                os.write(status, RETIRING)
            asyncio.get_running_loop().call_later(_RETIRE_WAIT, exit_now)
        else:
            exit_now()

    def make_engine() -> Engine:
        if config.get("store_url"):
            return RemoteEngine(str(config["store_url"]), prefixes, options)
        return LocalEngine(Path(str(config["link"])), prefixes, options, stop)

    def ready(engine: Engine) -> None:
        loop = asyncio.get_running_loop()
        if isinstance(engine, LocalEngine):
            loop.add_signal_handler(signal.SIGUSR1, engine.abort, "memory")
        loop.add_signal_handler(signal.SIGUSR2, exit_now)
        _watch_parent(loop, stop)
        os.write(status, READY)

    settings = AppSettings(
        out_dir=Path(str(config["out"])),
        prefixes=prefixes,
        time_limit=options.timeout,
        max_body=options.max_body,
    )
    app = create_app(settings, config["allowed"], make_engine, ready)  # type: ignore[arg-type]
    server = holder["server"] = uvicorn.Server(
        uvicorn.Config(
            app,
            http=guarded_protocol(options.head_timeout, options.max_head),
            loop="auto",
            lifespan="on",
            log_level="warning",
            access_log=False,
            timeout_keep_alive=max(1, round(options.keep_alive)),
            timeout_graceful_shutdown=max(1, round(options.timeout + 1)),
            limit_concurrency=options.per_worker(options.max_connections),
            server_header=False,
            proxy_headers=False,
            date_header=False,
        )
    )
    server.run(sockets=[sock])


def main(argv: list[str]) -> int:
    """Run a worker from its JSON configuration; never returns normally."""
    config = json.loads(argv[0])
    _bare_package()
    threading.stack_size(_DEEP_STACK)  # every query thread gets the deep stack
    code = 0
    try:
        run_worker(config)
    except Exception:  # noqa: BLE001 - reported, then the process ends
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # a query past its deadline may still run on a thread: end it with the process
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
