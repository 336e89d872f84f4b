r"""A small keep-alive HTTP/1.1 client for forwarding queries to an external store.

``kg serve --store URL`` sends every query on to the store; a general client
(httpx) spent milliseconds of Python per request there and stalled under
concurrency, so this one does only what forwarding needs: a pool of
keep-alive connections to one origin, a request written in one piece, an
answer read by ``Content-Length`` or chunks up to a size cap.

Examples
--------
>>> _parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX: y\r\n\r\n")
(200, {'content-length': '2', 'x': 'y'})
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["ForwardError", "StoreClient", "StoreReply", "TooLargeError"]

_MAX_HEAD = 64 << 10


class ForwardError(Exception):
    """The store could not be reached, or its answer was not HTTP."""


class TooLargeError(Exception):
    """The store's answer is over the size cap."""


@dataclass(frozen=True, slots=True)
class StoreReply:
    """The store's answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ForwardError(f"not an HTTP answer: {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


class StoreClient:
    """Keep-alive connections to one origin (``http(s)://host:port``)."""

    def __init__(self, url: str, *, max_idle: int = 32) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.https else 80)
        self.authority = parts.netloc
        self.path = parts.path or "/"
        self.max_idle = max_idle
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        context = ssl.create_default_context() if self.https else None
        try:
            return await asyncio.open_connection(
                self.host, self.port, ssl=context, limit=_MAX_HEAD
            )
        except OSError as exc:
            raise ForwardError(exc.strerror or str(exc)) from exc

    async def post(
        self, query_string: str, body: bytes, headers: dict[str, str], cap: int
    ) -> StoreReply:
        """POST ``body`` to the URL's path with ``query_string``; read at most ``cap``.

        A pooled connection the store closed meanwhile is retried once on a
        fresh one.

        Raises
        ------
        ForwardError
            No connection, or no valid answer.
        TooLargeError
            The answer's body is over ``cap`` bytes.
        """
        target = self.path + ("?" + query_string if query_string else "")
        lines = [f"POST {target} HTTP/1.1", f"Host: {self.authority}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (0, 1):
            pooled = bool(self._idle) and attempt == 0
            reader, writer = self._idle.pop() if pooled else await self._connect()
            try:
                reply, keep = await self._exchange(reader, writer, request, cap)
            except TooLargeError:
                writer.close()
                raise
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
            ) as exc:
                writer.close()
                if pooled:
                    continue  # a stale keep-alive connection: once more, fresh
                raise ForwardError(str(exc) or type(exc).__name__) from exc
            except BaseException:
                writer.close()
                raise
            if keep and len(self._idle) < self.max_idle:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return reply
        raise ForwardError("the store closed the connection")  # pragma: no cover

    @staticmethod
    async def _exchange(
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: bytes,
        cap: int,
    ) -> tuple[StoreReply, bool]:
        writer.write(request)
        await writer.drain()
        status, headers = _parse_head(await reader.readuntil(b"\r\n\r\n"))
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = bytearray()
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if len(body) + size > cap:
                    raise TooLargeError
                body += (await reader.readexactly(size + 2))[:size]
                if size == 0:
                    break
            data = bytes(body)
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if length > cap:
                raise TooLargeError
            data = await reader.readexactly(length)
        else:  # the body ends with the connection
            data = await reader.read(cap + 1)
            while len(data) <= cap and (more := await reader.read(cap + 1 - len(data))):
                data += more
            if len(data) > cap:
                raise TooLargeError
            return StoreReply(status, headers, data), False
        keep = headers.get("connection", "").lower() != "close"
        return StoreReply(status, headers, data), keep

    async def close(self) -> None:
        """Close the pooled connections."""
        for _, writer in self._idle:
            with contextlib.suppress(OSError):
                writer.close()
        self._idle.clear()
