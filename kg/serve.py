"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, and ``kg push``.

Why a small standard-library server over pyoxigraph rather than a library:

* **Oxigraph's own server** (``oxigraph serve-read-only --location
  output/store --timeout-s 10``) implements the
  protocol very well and also works on kg's store; but it cannot serve the
  graph page next to the endpoint, is a separate binary, and it keeps
  serving the store generation it opened (it does not follow ``kg build``,
  and that generation is deleted two builds later). It stays the
  recommended server for big deployments fed by ``kg push`` (which is
  tested against it).
* **rdflib-endpoint** (FastAPI + uvicorn) evaluates queries with rdflib's
  pure-Python engine (6-50x slower than Oxigraph on kg-shaped queries over
  1e6 triples, and the whole graph in memory: see
  ``benchmarks/results/sparql.md``), adds two web dependencies, and its
  YASGUI page loads from unpkg.com, so it does not work offline.

So ``kg serve`` is ~300 lines over :mod:`http.server` and the same Oxigraph
engine ``kg query`` uses: GET and POST (form or ``application/sparql-query``)
per the SPARQL 1.1 Protocol, results as JSON, XML, CSV or TSV by ``Accept``
(Turtle/N-Triples/JSON-LD/RDF-XML for CONSTRUCT and DESCRIBE), read-only
(updates, ``LOAD`` and ``SERVICE`` get ``403 Forbidden``), a time limit per
query (each query runs in a forked worker process on a read-only view of the
store, killed when it runs over: ``503``), bound to 127.0.0.1 unless told
otherwise. It also serves ``output/graph.html`` at ``/graph`` and an offline
query page at ``/query``; each query reads the store generation that
``kg build`` last published.
"""

from __future__ import annotations

import html
import json
import logging
import multiprocessing
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pyoxigraph as ox

from kg.errors import ConfigError, KGError, QueryError
from kg.query import PREFIXES, is_update, query_kind, uses_service
from kg.store import open_store, store_path

__all__ = [
    "PushError",
    "PushReport",
    "SparqlServer",
    "make_server",
    "push_store",
]

log = logging.getLogger(__name__)

_RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_MAX_BODY = 1 << 20


class PushError(KGError):
    """The external store refused the graph or could not be reached."""


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    content_type: str
    body: bytes


def _text(status: int, message: str) -> _Response:
    return _Response(
        status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8")
    )


def _negotiate(
    accept: str, kind: str
) -> tuple[str, ox.QueryResultsFormat | ox.RdfFormat]:
    types: dict[str, ox.QueryResultsFormat | ox.RdfFormat]
    types = (
        dict(_GRAPH_TYPES) if kind in {"construct", "describe"} else dict(_RESULT_TYPES)
    )
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, fields[0].lower()))
    for neg_q, _i, media in sorted(ranked):
        if neg_q >= 0:
            continue
        if media in types:
            return media, types[media]
        if media in {"*/*", "application/*", "text/*"}:
            break
    default = next(iter(types))
    return default, types[default]


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server of ``kg serve`` (see :func:`make_server`)."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], out_dir: Path, *, timeout: float
    ) -> None:
        self.out_dir = out_dir
        self.query_timeout = timeout
        super().__init__(address, _Handler)

    def store_location(self) -> Path:
        """Return the store generation to query (the last one published)."""
        link = store_path(self.out_dir)
        if not link.is_dir():
            raise ConfigError(f"no kg store in {str(self.out_dir)!r}; run kg build")
        return link.resolve()

    def run_sparql(
        self, text: str, accept: str, params: dict[str, list[str]]
    ) -> _Response:
        """Answer one SPARQL Protocol query request."""
        if is_update(text):
            return _text(
                HTTPStatus.FORBIDDEN,
                "read-only endpoint: SPARQL Update "
                "(INSERT, DELETE, LOAD, CLEAR, ...) is refused",
            )
        try:
            kind = query_kind(text)
        except QueryError as exc:
            return _text(HTTPStatus.BAD_REQUEST, str(exc))
        if uses_service(text):
            return _text(
                HTTPStatus.FORBIDDEN,
                "SERVICE (federated query) is disabled on this endpoint",
            )
        media, fmt = _negotiate(accept or "*/*", kind)
        graphs = {
            "default_graph": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
        }
        location = str(self.store_location())
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(
            target=_evaluate, args=(sender, location, text, fmt, graphs), daemon=True
        )
        worker.start()
        sender.close()
        try:
            if not receiver.poll(self.query_timeout):
                return _text(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    f"query exceeded the time limit of {self.query_timeout:g} s",
                )
            status, payload = receiver.recv()
        except EOFError:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, "query worker died")
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join()
        if status == "syntax":
            return _text(
                HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {payload.decode()}"
            )
        if status == "error":
            return _text(
                HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {payload.decode()}"
            )
        return _Response(HTTPStatus.OK, f"{media}; charset=utf-8", payload)


def _evaluate(
    sender: Connection,
    location: str,
    text: str,
    fmt: ox.QueryResultsFormat | ox.RdfFormat,
    graphs: dict[str, list[str]],
) -> None:
    """Run one query in a worker process (killed when it exceeds the time limit)."""
    kwargs: dict[str, object] = {
        key: [ox.NamedNode(iri) for iri in iris] for key, iris in graphs.items() if iris
    }
    try:
        store = ox.Store.read_only(location)
        results = store.query(text, prefixes=PREFIXES, **kwargs)  # type: ignore[arg-type]
        body = bytes(results.serialize(format=fmt) or b"")  # type: ignore[arg-type]
        sender.send(("ok", body))
    except SyntaxError as exc:
        sender.send(("syntax", " ".join(str(exc).split()).encode()))
    except (OSError, RuntimeError, ValueError) as exc:
        sender.send(("error", " ".join(str(exc).split()).encode()))
    finally:
        sender.close()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s " + format, self.address_string(), *args)

    def _send(self, response: _Response, *, head: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if url.path == "/sparql":
            if "update" in params:
                self._send(
                    _text(
                        HTTPStatus.FORBIDDEN, "read-only endpoint: updates are refused"
                    )
                )
            elif "query" not in params:
                self._send(_text(HTTPStatus.BAD_REQUEST, "missing 'query' parameter"))
            else:
                self._send(self._sparql(params["query"][0], params))
        elif url.path in {"/", "/index.html"}:
            self._send(
                _Response(HTTPStatus.OK, "text/html; charset=utf-8", _index_page())
            )
        elif url.path == "/query":
            self._send(
                _Response(HTTPStatus.OK, "text/html; charset=utf-8", _QUERY_PAGE)
            )
        elif url.path in {"/graph", "/graph.html"}:
            page = self.server.out_dir / "graph.html"
            if page.is_file():
                self._send(
                    _Response(
                        HTTPStatus.OK, "text/html; charset=utf-8", page.read_bytes()
                    )
                )
            else:
                self._send(_text(HTTPStatus.NOT_FOUND, "no graph.html; run kg build"))
        else:
            self._send(_text(HTTPStatus.NOT_FOUND, f"not found: {url.path}"))

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(_text(HTTPStatus.OK, ""), head=True)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._send(
                _text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only: POST only to /sparql")
            )
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._send(_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large"))
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query)
        if ctype == "application/sparql-update":
            self._send(
                _text(
                    HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is refused"
                )
            )
        elif ctype == "application/sparql-query":
            self._send(self._sparql(body, params))
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            params.update({k: v for k, v in form.items() if k != "query"})
            if "update" in form:
                self._send(
                    _text(
                        HTTPStatus.FORBIDDEN,
                        "read-only endpoint: SPARQL Update is refused",
                    )
                )
            elif "query" not in form:
                self._send(_text(HTTPStatus.BAD_REQUEST, "missing 'query' form field"))
            else:
                self._send(self._sparql(form["query"][0], params))
        else:
            self._send(
                _text(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST application/sparql-query "
                    "or application/x-www-form-urlencoded",
                )
            )

    def _sparql(self, text: str, params: dict[str, list[str]]) -> _Response:
        try:
            return self.server.run_sparql(
                text, self.headers.get("Accept") or "", params
            )
        except ConfigError as exc:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))


def _index_page() -> bytes:
    return b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>kg</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto}</style>
</head>
<body><h1>kg</h1><ul>
<li><a href="/graph">Graph page</a></li>
<li><a href="/query">Query page</a></li>
<li>SPARQL 1.1 Protocol endpoint: <code>/sparql</code> (read-only)</li>
</ul></body></html>"""


def _query_page() -> bytes:
    prefixes = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
    example = (
        "SELECT ?s ?p ?o ?sentence WHERE {\n"
        "  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;\n"
        "      prov:wasDerivedFrom/rdf:value ?sentence .\n"
        "} LIMIT 50"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg · SPARQL</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
textarea {{ width: 100%; height: 12em; font-family: ui-monospace, monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 6px; text-align: left;
          vertical-align: top; }}
#status {{ color: #555; margin-left: 1em; }}
pre {{ color: #a00; }}
</style></head>
<body>
<h1>kg · SPARQL</h1>
<p>Prefixes predeclared: <code>{html.escape(", ".join(PREFIXES))}</code>.
<a href="/graph">Graph page</a></p>
<textarea id="q" spellcheck="false">{html.escape(example)}</textarea>
<div><button id="run">Run</button><span id="status"></span></div>
<div id="out"></div>
<script>
const PREFIXES = {json.dumps(prefixes)};
const shorten = (v) => {{
  for (const line of PREFIXES.split("\\n")) {{
    const m = line.match(/^PREFIX (\\S*): <(.*)>$/);
    if (m && v.startsWith(m[2])) return m[1] + ":" + v.slice(m[2].length);
  }}
  return v;
}};
async function run() {{
  const status = document.getElementById("status");
  const out = document.getElementById("out");
  status.textContent = "running…"; out.textContent = "";
  const started = performance.now();
  const resp = await fetch("/sparql", {{
    method: "POST",
    headers: {{"Content-Type": "application/sparql-query",
               "Accept": "application/sparql-results+json"}},
    body: document.getElementById("q").value,
  }});
  const ms = Math.round(performance.now() - started);
  if (!resp.ok) {{
    status.textContent = "HTTP " + resp.status;
    const pre = document.createElement("pre"); pre.textContent = await resp.text();
    out.appendChild(pre); return;
  }}
  const data = await resp.json();
  if ("boolean" in data) {{ status.textContent = String(data.boolean); return; }}
  const vars = data.head.vars, rows = data.results.bindings;
  status.textContent = rows.length + " rows · " + ms + " ms";
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of vars) {{
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }}
  for (const b of rows) {{
    const tr = table.insertRow();
    for (const v of vars) tr.insertCell().textContent = b[v] ? shorten(b[v].value) : "";
  }}
  out.appendChild(table);
}}
document.getElementById("run").addEventListener("click", run);
document.getElementById("q").addEventListener("keydown",
  (e) => {{ if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); }});
</script>
</body></html>""".encode()


_QUERY_PAGE = _query_page()


def make_server(
    out_dir: Path | str = "output",
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
) -> SparqlServer:
    """Create (bind, not start) the ``kg serve`` server; ``port=0`` picks a free port.

    Call ``serve_forever()`` to run it and ``shutdown()`` + ``server_close()``
    to stop it.

    Raises
    ------
    ConfigError
        No store in ``out_dir``, a bad time limit, or the address is in use.

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
    if timeout <= 0:
        raise ConfigError(f"query time limit must be positive, got {timeout}")
    out = Path(out_dir)
    open_store(out)
    try:
        return SparqlServer((host, port), out, timeout=timeout)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


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
