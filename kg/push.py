"""``kg push``: send the graph to an external triple store.

The store's default graph goes as N-Triples over the SPARQL 1.1 Graph Store
Protocol (``PUT`` replaces the target graph, ``POST`` adds to it), so any
server that speaks it (Oxigraph, Fuseki, GraphDB...) can hold and serve a
corpus built by ``kg build``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from kg.errors import ConfigError, KGError
from kg.store import open_store

__all__ = ["PushError", "PushReport", "push_store"]


class PushError(KGError):
    """The external store refused the graph or could not be reached."""


@dataclass(frozen=True, slots=True)
class PushReport:
    """What ``kg push`` sent and what the server answered."""

    url: str
    triples: int
    status: int


def push_store(
    out_dir: Path | str,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = True,
    timeout: float = 60.0,
) -> PushReport:
    """Send the store to an external triple store (SPARQL 1.1 Graph Store Protocol).

    ``endpoint`` is the server's graph store URL (Oxigraph: ``…/store``,
    Fuseki: ``…/DATASET/data``). The graph goes as N-Triples to the default
    graph (``?default``) or to the named graph ``graph``; ``replace`` uses
    ``PUT`` (replace that graph), otherwise ``POST`` (merge into it).

    Raises
    ------
    ConfigError
        The endpoint is not an http(s) URL, or there is no store.
    PushError
        The server cannot be reached or refuses the graph.

    Examples
    --------
    >>> push_store("output", "file:///tmp/store")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: endpoint 'file:///tmp/store' is not an http(s) URL, ...
    """
    import httpx

    url = urlsplit(endpoint)
    if url.scheme not in {"http", "https"} or not url.netloc:
        raise ConfigError(
            f"endpoint {endpoint!r} is not an http(s) URL, e.g. http://localhost:7878/store"
        )
    store = open_store(out_dir)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    query = urlencode({"graph": graph}) if graph else "default"
    target = f"{endpoint}{'&' if url.query else '?'}{query}"
    try:
        response = httpx.request(
            "PUT" if replace else "POST",
            target,
            content=data,
            headers={"Content-Type": "application/n-triples"},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise PushError(f"cannot reach {endpoint}: {exc}") from exc
    if response.status_code >= 300:
        raise PushError(
            f"{endpoint} answered HTTP {response.status_code}: "
            f"{response.text.strip()[:200]}"
        )
    return PushReport(url=target, triples=len(store), status=response.status_code)
