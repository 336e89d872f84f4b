"""The ASGI app of ``kg serve``: routes, request limits, Host check, security headers.

Starlette routes the pages; ``/sparql`` is a bare ASGI app that hands each
query to the worker's engine (:mod:`kg.serve.engine`) with a deadline set
when its request arrived, so the time limit covers reading the body,
waiting for a query thread, parsing, evaluating and serialising. A body
over the size limit is refused as it streams in (a ``Content-Length`` too
large is refused before reading; a malformed one never reaches here: the
HTTP parser answers 400). A
:class:`HostGuard` wraps it all: a request whose ``Host`` is not allowed
gets 403 (DNS rebinding), and every answer carries
``Content-Security-Policy``, ``X-Frame-Options: DENY`` and
``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.serve.answer import Answer
from kg.serve.engine import Engine, QueryRequest
from kg.serve.pages import API_CSP, GRAPH_CSP, PAGE_CSP, index_page, query_page

__all__ = ["LOOPBACK_HOSTS", "AppSettings", "HostGuard", "create_app"]

#: Host names a local server answers to by default.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_CLOSE = (("Connection", "close"),)
#: Headers on every answer (with a Content-Security-Policy).
_SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_API_CSP = API_CSP.encode("ascii")
_POST_TYPES = frozenset(
    {"application/sparql-query", "application/x-www-form-urlencoded"}
)


@dataclass(frozen=True, slots=True)
class AppSettings:
    """What the application needs: the output folder, prefixes and limits."""

    out_dir: Path
    prefixes: Mapping[str, str]
    time_limit: float = 10.0
    max_body: int = 1 << 20


def _response(answer: Answer) -> Response:
    media = answer.media
    if "charset" not in media and (
        media.startswith("text/") or media.endswith(("json", "xml", "triples"))
    ):
        media += "; charset=utf-8"
    headers = dict(answer.headers)
    headers["Vary"] = "Accept"
    return Response(answer.body, answer.status, headers=headers, media_type=media)


def _text(
    status: int, message: str, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    return _response(Answer.text(status, message, tuple(headers)))


async def _read_body(
    declared: bytes | None, receive: Receive, limit: int
) -> bytes | None:
    """Read the body up to ``limit`` bytes; None when it is longer."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > limit:
            return None
    return bytes(body)


def _params(query: str) -> dict[str, list[str]]:
    return parse_qs(query, keep_blank_values=True)


class _Endpoint:
    """``/sparql`` as a bare ASGI app (the hot path skips routing and Request objects).

    SPARQL 1.1 Protocol queries by GET, POST form or POST
    ``application/sparql-query``; update requests get 403.
    """

    def __init__(self, settings: AppSettings, engine: Callable[[], Engine]) -> None:
        self.settings = settings
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one SPARQL Protocol request."""
        deadline = asyncio.get_running_loop().time() + self.settings.time_limit
        answer = await self._answer(scope, receive, deadline)
        media = answer.media
        if "charset" not in media and (
            media.startswith("text/") or media.endswith(("json", "xml", "triples"))
        ):
            media += "; charset=utf-8"
        headers = [
            (b"content-type", media.encode("latin-1")),
            (b"content-length", str(len(answer.body)).encode("ascii")),
            (b"vary", b"Accept"),
            (b"content-security-policy", _API_CSP),
            *_SECURITY_HEADERS,
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in answer.headers]
        await send(
            {"type": "http.response.start", "status": answer.status, "headers": headers}
        )
        body = b"" if scope["method"] == "HEAD" else answer.body
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, receive: Receive, deadline: float) -> Answer:
        method = scope["method"]
        params = _params(scope["query_string"].decode("latin-1"))
        if method == "POST":
            try:
                async with asyncio.timeout_at(deadline):
                    refused = await self._read_post(scope, receive, params)
            except TimeoutError:
                return Answer.text(
                    HTTPStatus.REQUEST_TIMEOUT, "request body too slow", _CLOSE
                )
            if refused is not None:
                return refused
        elif method not in {"GET", "HEAD"}:
            return Answer.text(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "use GET or POST",
                (("Allow", "GET, POST"),),
            )
        if "update" in params:
            return Answer.text(
                HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is refused"
            )
        if "query" not in params:
            return Answer.text(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
        query = QueryRequest(
            text=params["query"][0],
            accept=accept.decode("latin-1"),
            default_graphs=tuple(params.get("default-graph-uri", ())),
            named_graphs=tuple(params.get("named-graph-uri", ())),
        )
        return await self.engine().answer(query, deadline)

    async def _read_post(
        self, scope: Scope, receive: Receive, params: dict[str, list[str]]
    ) -> Answer | None:
        """Merge a POST body into ``params``; return a refusal if there is one."""
        headers = dict(scope["headers"])
        ctype = headers.get(b"content-type", b"").decode("latin-1")
        ctype = ctype.split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return Answer.text(
                HTTPStatus.FORBIDDEN,
                "read-only endpoint: SPARQL Update is refused",
                _CLOSE,
            )
        if ctype not in _POST_TYPES:
            return Answer.text(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query or application/x-www-form-urlencoded",
                _CLOSE,
            )
        body = await _read_body(
            headers.get(b"content-length"), receive, self.settings.max_body
        )
        if body is None:
            return Answer.text(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"request body over {self.settings.max_body:,} bytes",
                _CLOSE,
            )
        text = body.decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        else:
            params.update(_params(text))
        return None


def create_app(
    settings: AppSettings,
    allowed_hosts: Iterable[str],
    make_engine: Callable[[], Engine],
    on_ready: Callable[[Engine], None] | None = None,
) -> ASGIApp:
    """Build the ASGI app: routes, the engine's life, the Host guard.

    The engine is made when the app starts (its lifespan), then
    ``on_ready`` is called with it; it is reachable as ``app.state.engine``
    of the inner Starlette app.
    """
    holder: dict[str, Engine] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = make_engine()
        holder["engine"] = app.state.engine = engine
        if on_ready is not None:
            on_ready(engine)
        try:
            yield
        finally:
            await engine.close()

    query_html = query_page(settings.prefixes)
    index_html = index_page()

    async def index(request: Request) -> Response:
        return Response(index_html, media_type="text/html; charset=utf-8")

    async def query(request: Request) -> Response:
        return Response(query_html, media_type="text/html; charset=utf-8")

    async def graph(request: Request) -> Response:
        page = settings.out_dir / "graph.html"
        try:
            data = page.read_bytes()
        except OSError:
            return _text(HTTPStatus.NOT_FOUND, "no graph.html; run kg build")
        return Response(
            data,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": GRAPH_CSP},
        )

    routes = [
        Route("/", index),
        Route("/index.html", index),
        Route("/query", query),
        Route("/graph", graph),
        Route("/graph.html", graph),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    endpoint = _Endpoint(settings, lambda: holder["engine"])
    return HostGuard(app, allowed_hosts, {"/sparql": endpoint})


class HostGuard:
    """ASGI middleware: refuse unknown ``Host`` headers; add security headers.

    ``allowed`` holds host names without port; ``"*"`` allows any.
    ``routes`` maps paths to bare ASGI apps served without the inner app's
    routing (the SPARQL endpoint), which add the security headers themselves.
    HTML pages get :data:`~kg.serve.pages.PAGE_CSP` unless the route set its
    own policy; other answers get :data:`~kg.serve.pages.API_CSP`.
    """

    def __init__(
        self,
        app: ASGIApp,
        allowed: Iterable[str],
        routes: Mapping[str, ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.allowed = frozenset(h.lower().rstrip(".") for h in allowed)
        self.routes = dict(routes or {})

    def host_allowed(self, host: str | None) -> bool:
        """Tell whether a ``Host`` header value names this server.

        Examples
        --------
        >>> guard = HostGuard(None, ["localhost", "::1"])  # type: ignore[arg-type]
        >>> guard.host_allowed("LOCALHOST:7878"), guard.host_allowed("[::1]:80")
        (True, True)
        >>> guard.host_allowed("evil.example:7878"), guard.host_allowed(None)
        (False, False)
        """
        if "*" in self.allowed:
            return True
        if not host:
            return False
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        return name.rstrip(".") in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the Host header, then pass the request on with headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None
        )
        if not self.host_allowed(host):
            response = _text(
                HTTPStatus.FORBIDDEN,
                f"host {host!r} is not served here; start kg serve with "
                "--allow-host NAME to allow it",
            )
            await response(scope, receive, _with_security_headers(send))
            return
        route = self.routes.get(scope["path"])
        if route is not None:  # sets SECURITY_HEADERS itself (the hot path)
            await route(scope, receive, send)
        else:
            await self.app(scope, receive, _with_security_headers(send))


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            if b"content-security-policy" not in names:
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html")
                    for k, v in headers
                )
                policy = PAGE_CSP if html else API_CSP
                headers.append((b"content-security-policy", policy.encode()))
            headers += _SECURITY_HEADERS
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
