"""The query workers of ``kg serve``: a fixed pool, a bounded queue, killing deadlines.

pyoxigraph cannot cancel a running query, so each query runs in a worker
process (:mod:`kg.serve.worker`) that holds the store open read-only for
its whole life. A query still running at its deadline is stopped by killing
its worker, which a fresh one replaces in the background; one using more
memory than allowed is killed the same way. At most ``max_pending`` queries
are running or waiting for a worker; the next one is answered ``503`` at
once. Everything here runs on the server's event loop and never blocks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from kg.serve import worker as worker_module
from kg.serve.answer import Answer
from kg.serve.worker import ANSWER_HEADER, READY

__all__ = ["PoolLimits", "QueryPool", "QueryRequest"]

log = logging.getLogger(__name__)

_REQUEST_HEADER_SIZE = 4
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_RETRY = (("Retry-After", "1"),)


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One SPARQL Protocol query: text, ``Accept`` header and dataset IRIs."""

    text: str
    accept: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def frame(self) -> bytes:
        r"""Encode the request for a worker (length-prefixed JSON).

        Examples
        --------
        >>> QueryRequest("ASK {}").frame()[:4]
        b'\x00\x00\x00*'
        """
        payload = json.dumps(
            {
                "q": self.text,
                "a": self.accept,
                "d": self.default_graphs,
                "n": self.named_graphs,
            }
        ).encode("utf-8")
        return len(payload).to_bytes(_REQUEST_HEADER_SIZE, "big") + payload


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """How many workers, how many queries in flight, and each query's limits."""

    workers: int = 4
    max_pending: int = 64
    time_limit: float = 10.0
    max_memory_mb: int = 1024
    max_result_mb: int = 256

    def __post_init__(self) -> None:
        if self.workers < 1 or self.max_pending < 1:
            raise ValueError("workers and max_pending must be at least 1")
        if self.time_limit <= 0 or self.max_memory_mb <= 0 or self.max_result_mb <= 0:
            raise ValueError("limits must be positive")


class _Worker:
    """One worker process and why it was killed, if it was."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.busy = False
        self.killed_for: str | None = None

    def kill(self, reason: str) -> None:
        self.killed_for = self.killed_for or reason
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    def rss_mb(self) -> float:
        """Return the resident memory of the process in MB (0 if unknown)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * _PAGE / (1 << 20)
        except (OSError, ValueError, IndexError):
            return 0.0


class QueryPool:
    """A pool of query workers on one store link (see the module docstring)."""

    def __init__(
        self, link: Path, prefixes: Mapping[str, str], limits: PoolLimits
    ) -> None:
        self.link = link
        self.prefixes = dict(prefixes)
        self.limits = limits
        self.pending = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        """Start the workers and wait until each has the store open.

        Raises
        ------
        RuntimeError
            A worker could not start (no store, or it exited).
        """
        workers = await asyncio.gather(
            *(self._spawn() for _ in range(self.limits.workers))
        )
        for worker in workers:
            self._idle.put_nowait(worker)
        self._background(self._watch_memory())

    async def close(self) -> None:
        """Stop every worker and background task."""
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            if worker.process.stdin is not None:
                worker.process.stdin.close()
            worker.kill("shutdown")
        for worker in list(self._workers):
            with contextlib.suppress(ProcessLookupError):
                await worker.process.wait()
        self._workers.clear()

    def pids(self) -> list[int]:
        """Return the process ids of the live workers."""
        return [w.process.pid for w in self._workers if w.process.returncode is None]

    async def answer(self, request: QueryRequest, deadline: float) -> Answer:
        """Answer a query by ``deadline`` (event-loop time), or say why not."""
        if self.pending >= self.limits.max_pending:
            return Answer.text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"server busy: {self.pending} queries running or waiting; "
                "try again shortly",
                _RETRY,
            )
        self.pending += 1
        try:
            return await self._answer(request, deadline)
        finally:
            self.pending -= 1

    def _over_time(self) -> Answer:
        return Answer.text(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"query exceeded the time limit of {self.limits.time_limit:g} s",
            _RETRY,
        )

    async def _answer(self, request: QueryRequest, deadline: float) -> Answer:
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            return self._over_time()
        worker.busy = True
        try:
            async with asyncio.timeout_at(deadline):
                answer = await self._exchange(worker, request.frame())
        except TimeoutError:
            worker.kill("time")
            self._replace(worker)
            return self._over_time()
        except (asyncio.IncompleteReadError, ConnectionError, RuntimeError):
            self._replace(worker)
            return self._failed(worker)
        except BaseException:  # cancelled mid-query: the worker's state is unknown
            worker.kill("cancelled")
            self._replace(worker)
            raise
        worker.busy = False
        self._idle.put_nowait(worker)
        return answer

    def _failed(self, worker: _Worker) -> Answer:
        if worker.killed_for == "memory":
            return Answer.text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"query used more than {self.limits.max_memory_mb} MB of memory "
                "and was stopped; narrow it or add LIMIT",
                _RETRY,
            )
        return Answer.text(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "the query worker crashed on this query; it has been replaced",
        )

    @staticmethod
    async def _exchange(worker: _Worker, frame: bytes) -> Answer:
        stdin, stdout = worker.process.stdin, worker.process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("worker without pipes")
        stdin.write(frame)
        await stdin.drain()
        status, media_size, body_size = ANSWER_HEADER.unpack(
            await stdout.readexactly(ANSWER_HEADER.size)
        )
        media = (await stdout.readexactly(media_size)).decode("ascii")
        body = await stdout.readexactly(body_size)
        return Answer(status, media, body)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (if alive), reap it, and put a fresh one in the pool."""
        worker.kill(worker.killed_for or "failed")
        self._background(self._renew(worker))

    async def _renew(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            await worker.process.wait()
        self._workers.discard(worker)
        delay = 0.1
        while not self._closing:
            try:
                fresh = await self._spawn()
            except (OSError, RuntimeError) as exc:
                log.warning("cannot start a query worker: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._idle.put_nowait(fresh)
            return

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-P",
            str(Path(worker_module.__file__).resolve()),
            str(self.link),
            json.dumps(self.prefixes),
            str(self.limits.max_result_mb << 20),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        worker = _Worker(process)
        self._workers.add(worker)
        try:
            async with asyncio.timeout(60):
                assert process.stdout is not None
                head = await process.stdout.readexactly(ANSWER_HEADER.size)
        except (TimeoutError, asyncio.IncompleteReadError) as exc:
            worker.kill("start")
            self._workers.discard(worker)
            with contextlib.suppress(ProcessLookupError):
                await process.wait()
            raise RuntimeError(
                f"a query worker did not start on {str(self.link)!r}"
            ) from exc
        if ANSWER_HEADER.unpack(head)[0] != READY:
            raise RuntimeError("a query worker sent an unexpected first frame")
        return worker

    async def _watch_memory(self) -> None:
        """Kill a busy worker whose memory goes over the limit (checked 4 times/s)."""
        while True:
            await asyncio.sleep(0.25)
            for worker in list(self._workers):
                if worker.busy and worker.rss_mb() > self.limits.max_memory_mb:
                    log.warning("query worker over %d MB: killed", worker.rss_mb())
                    worker.kill("memory")

    def _background(self, coroutine: Coroutine[object, object, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
