"""uvicorn's httptools protocol with what a public-facing port needs.

A deadline for the request line and headers (a connection that trickles
them is closed with ``408``) and a cap on their size (``431``). Each worker
process of ``kg serve`` runs uvicorn with this protocol class.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["guarded_protocol"]


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


def guarded_protocol(head_timeout: float, max_head: int) -> type[HttpToolsProtocol]:
    """Return the protocol class with this header deadline and size cap.

    Examples
    --------
    >>> guarded_protocol(2.5, 1024).head_timeout
    2.5
    """
    return type(
        "GuardedProtocol",
        (_GuardedProtocol,),
        {"head_timeout": head_timeout, "max_head": max_head},
    )
