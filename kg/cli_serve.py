"""``kg serve``: the command, registered on :data:`kg.cli.app` (kept out of cli.py)."""

from __future__ import annotations

import signal
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["serve"]


def serve(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder holding the store.")
    ] = Path("output"),
    host: Annotated[
        str, typer.Option(help="Interface to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    timeout: Annotated[
        float, typer.Option(help="Time limit of a request, in seconds.")
    ] = 10.0,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default: one per core, 2 to 8)."),
    ] = None,
    max_pending: Annotated[
        int,
        typer.Option(help="Queries running or waiting before answering 503."),
    ] = 64,
    max_memory: Annotated[
        int, typer.Option(help="Memory limit of one worker process, in MB.")
    ] = 1024,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Host name clients may use besides localhost (repeat; '*': any).",
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Serve an external SPARQL 1.1 store (its base URL, e.g. an "
            "Oxigraph server's http://HOST:7878) instead of the output folder's "
            "store; queries are forwarded read-only.",
        ),
    ] = None,
) -> None:
    """Serve the store: SPARQL 1.1 Protocol at /sparql, the graph and a query page."""
    from rich.console import Console

    from kg.serve.server import ServeOptions, make_server

    options = ServeOptions(
        timeout=timeout,
        max_pending=max_pending,
        max_memory_mb=max_memory,
        allow_hosts=tuple(allow_host or ()),
    )
    if workers is not None:
        options = replace(options, workers=workers)
    server = make_server(out, host=host, port=port, options=options, store_url=store)
    shown = f"[{host}]" if ":" in host else host
    source = f" · store {store}" if store is not None else ""
    Console(stderr=True).print(
        f"kg serve: http://{shown}:{server.server_port}/ "
        f"(SPARQL at /sparql){source} · Ctrl-C stops",
        markup=False,
        highlight=False,
    )
    signal.signal(signal.SIGTERM, lambda *_: server.request_stop())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
