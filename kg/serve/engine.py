"""Where a ``kg serve`` worker gets its answers: the embedded or an external store.

Both engines take a :class:`QueryRequest` and a deadline (event-loop time)
and give an :class:`~kg.serve.answer.Answer`; both refuse Update, ``LOAD``
and ``SERVICE`` on the query's tokens (:func:`~kg.serve.answer.refuse_query`)
before anything runs, and answer ``503`` at once past ``max_pending``
queries running or waiting in this worker.

* :class:`LocalEngine` holds the store open read-only once (reopened only
  when ``kg build`` publishes a new generation) and runs each query on one
  of a few threads with a deep stack (Oxigraph releases the GIL while it
  parses, evaluates and serialises, so the event loop goes on serving). A
  query still running at its deadline cannot be interrupted: its request is
  answered ``503``, and the engine asks its worker to stop (``on_stop``):
  the worker stops accepting, finishes the other requests it holds, and
  exits, which ends the query; the server starts a fresh worker.
* :class:`RemoteEngine` forwards the query to an external SPARQL 1.1
  store's query endpoint (``kg serve --store URL``) with kg's prefixes
  declared ahead of it, and the union of the named graphs as the default
  graph (Oxigraph's ``union-default-graph``) unless the request names its
  dataset (a small keep-alive client, :mod:`kg.serve.forward`); a store
  that cannot be reached or fails gives ``502``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from kg.serve.answer import Answer, answer_query, negotiate, refuse_query
from kg.serve.forward import ForwardError, StoreClient, StoreReply, TooLargeError
from kg.serve.options import ServeOptions
from kg.sparql import QUICK_CHARS

__all__ = ["Engine", "LocalEngine", "QueryRequest", "RemoteEngine"]

log = logging.getLogger(__name__)
_RETRY = (("Retry-After", "1"),)


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One SPARQL Protocol query: text, ``Accept`` header and dataset IRIs."""

    text: str
    accept: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Engine(Protocol):
    """What the endpoint asks of an engine."""

    async def answer(self, request: QueryRequest, deadline: float) -> Answer:
        """Answer ``request`` by ``deadline`` (event-loop time), or say why not."""
        ...

    async def close(self) -> None:
        """Release what the engine holds."""
        ...


def _busy(pending: int) -> Answer:
    return Answer.text(
        HTTPStatus.SERVICE_UNAVAILABLE,
        f"server busy: {pending} queries running or waiting; try again shortly",
        _RETRY,
    )


def _over_time(limit: float) -> Answer:
    return Answer.text(
        HTTPStatus.SERVICE_UNAVAILABLE,
        f"query exceeded the time limit of {limit:g} s",
        _RETRY,
    )


_QUEUED, _RUNNING, _DONE, _DROPPED = range(4)


class _Job:
    """A query handed to the query threads, and the future its answer goes to."""

    __slots__ = ("future", "loop", "request", "state")

    def __init__(
        self,
        request: QueryRequest,
        future: asyncio.Future[Answer],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.request = request
        self.future = future
        self.loop = loop
        self.state = _QUEUED


def _settle(future: asyncio.Future[Answer], answer: Answer) -> None:
    if not future.done():  # not given up on meanwhile
        future.set_result(answer)


def _generation(link: Path) -> Path:
    """Return the generation folder the store link points at now."""
    try:
        return link.parent / os.readlink(link)
    except OSError:
        return link  # not a link: a plain store folder


class LocalEngine:
    """Queries on the embedded store, on threads (see the module docstring)."""

    def __init__(
        self,
        link: Path,
        prefixes: Mapping[str, str],
        options: ServeOptions,
        on_stop: Callable[[str], None],
    ) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.link = link
        self.prefixes = dict(prefixes)
        self.time_limit = options.timeout
        self.max_pending = options.per_worker(options.max_pending)
        self.max_memory_mb = options.max_memory_mb
        self.max_result = options.max_result_mb << 20
        self.pending = 0
        #: why this worker is stopping ("time", "memory"...), or None
        self.stopping: str | None = None
        self._on_stop = on_stop
        self._generation = _generation(link)
        self._store = ox.Store.read_only(str(self._generation))
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._serve_jobs, name="kg-query", daemon=True)
            for _ in range(options.query_threads)
        ]
        for thread in self._threads:
            thread.start()
        self._waiting: set[asyncio.Future[Answer]] = set()

    def _current_store(self) -> object:
        current = _generation(self.link)
        if current != self._generation:
            with self._lock:
                if current != self._generation:
                    self._store = self._ox.Store.read_only(str(current))
                    self._generation = current
        return self._store

    def _serve_jobs(self) -> None:
        """Run queued jobs, one at a time, until a None comes (a query thread)."""
        while (job := self._jobs.get()) is not None:
            with self._lock:
                if job.state != _QUEUED:  # dropped while it waited
                    continue
                job.state = _RUNNING
            try:
                answer = self._run(job.request)
            except Exception as exc:  # noqa: BLE001 - answered, the thread lives on
                log.exception("query failed")
                answer = Answer.text(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}"
                )
            job.state = _DONE
            job.loop.call_soon_threadsafe(_settle, job.future, answer)

    def _run(self, request: QueryRequest) -> Answer:
        try:
            store = self._current_store()
        except OSError as exc:
            return Answer.text(
                HTTPStatus.SERVICE_UNAVAILABLE, f"cannot open the store: {exc}"
            )
        return answer_query(
            store,  # type: ignore[arg-type]
            request.text,
            accept=request.accept,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            prefixes=self.prefixes,
            max_result=self.max_result,
        )

    async def answer(self, request: QueryRequest, deadline: float) -> Answer:
        """Answer ``request`` by ``deadline`` (event-loop time), or say why not."""
        if self.pending >= self.max_pending:
            return _busy(self.pending)
        self.pending += 1
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[Answer] = loop.create_future()
        job = _Job(request, waiting, loop)
        self._jobs.put(job)
        self._waiting.add(waiting)
        try:
            async with asyncio.timeout_at(deadline):
                return await waiting
        except TimeoutError:
            self._give_up(job, "time")
            return _over_time(self.time_limit)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self.stopping == "memory" and task is not None and not task.cancelling():
                return Answer.text(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    f"a query used more than {self.max_memory_mb} MB of memory "
                    "and was stopped; narrow it or add LIMIT",
                    _RETRY,
                )
            self._give_up(job, "cancelled")
            raise
        finally:
            self.pending -= 1
            self._waiting.discard(waiting)

    def _give_up(self, job: _Job, reason: str) -> None:
        """Drop ``job``; if it is already running, only stopping the worker ends it."""
        with self._lock:
            state = job.state
            if state == _QUEUED:
                job.state = _DROPPED
        if state == _RUNNING:
            self.stop(reason)

    def stop(self, reason: str) -> None:
        """Ask the worker to stop (once): it finishes its requests and exits."""
        if self.stopping is None:
            self.stopping = reason
            log.warning("query worker %d stops: %s limit", os.getpid(), reason)
            self._on_stop(reason)

    def abort(self, reason: str) -> None:
        """Answer every request in flight now with ``503``, and stop the worker."""
        self.stop(reason)
        for waiting in list(self._waiting):
            waiting.cancel()

    async def close(self) -> None:
        """Stop the query threads after their jobs (a runaway one ends with us)."""
        for _ in self._threads:
            self._jobs.put(None)


class RemoteEngine:
    """Queries forwarded to an external SPARQL 1.1 store (see the module docstring)."""

    def __init__(
        self, query_url: str, prefixes: Mapping[str, str], options: ServeOptions
    ) -> None:
        self.query_url = query_url
        self.prefixes = dict(prefixes)
        self.prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        self.time_limit = options.timeout
        self.max_pending = options.per_worker(options.max_pending)
        self.max_result = options.max_result_mb << 20
        self.pending = 0
        self._client = StoreClient(query_url, max_idle=self.max_pending)

    async def answer(self, request: QueryRequest, deadline: float) -> Answer:
        """Answer ``request`` by ``deadline`` (event-loop time), or say why not."""
        if self.pending >= self.max_pending:
            return _busy(self.pending)
        self.pending += 1
        try:
            async with asyncio.timeout_at(deadline):
                return await self._forward(request)
        except TimeoutError:
            return _over_time(self.time_limit)
        finally:
            self.pending -= 1

    async def _forward(self, request: QueryRequest) -> Answer:
        text = request.text
        if len(text) > QUICK_CHARS:  # tokenizing a long query: off the event loop
            refused, kind = await asyncio.to_thread(refuse_query, text, self.prefixes)
        else:
            refused, kind = refuse_query(text, self.prefixes)
        if refused is not None or kind is None:
            assert refused is not None
            return refused
        media, _ = negotiate(request.accept or "*/*", kind)
        params = [("default-graph-uri", g) for g in request.default_graphs]
        params += [("named-graph-uri", g) for g in request.named_graphs]
        if not params:
            params.append(("union-default-graph", ""))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": media,
        }
        body = urlencode({"query": self.prologue + text}).encode("ascii")
        try:
            reply = await self._client.post(
                urlencode(params), body, headers, self.max_result
            )
        except ForwardError as exc:
            return Answer.text(
                HTTPStatus.BAD_GATEWAY,
                f"cannot reach the store {self.query_url}: {exc}",
            )
        except TooLargeError:
            return Answer.text(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the result is over this endpoint's {self.max_result >> 20} "
                "MB limit; add LIMIT or narrow the query",
            )
        return _relayed(reply, media)

    async def close(self) -> None:
        """Close the connections to the store."""
        await self._client.close()


def _relayed(reply: StoreReply, media: str) -> Answer:
    """Turn the store's answer into this endpoint's."""
    if reply.status == HTTPStatus.OK:
        answered = reply.headers.get("content-type", media).split(";")[0].strip()
        return Answer(HTTPStatus.OK, answered or media, reply.body)
    message = " ".join(reply.body.decode("utf-8", errors="replace").split())[:300]
    if reply.status == HTTPStatus.BAD_REQUEST:
        return Answer.text(
            HTTPStatus.BAD_REQUEST, f"the store refused the query: {message}"
        )
    return Answer.text(
        HTTPStatus.BAD_GATEWAY, f"the store answered HTTP {reply.status}: {message}"
    )
