"""A query worker of ``kg serve``: one process, one read-only store, a query at a time.

The server starts a few of these (:mod:`kg.serve.pool`) and talks to each
over its standard input and output in length-prefixed frames:

* request: 4-byte big-endian length, then JSON ``{"q": query, "a": Accept
  header, "d": default-graph IRIs, "n": named-graph IRIs}``;
* answer: ``!HII`` (status, media type length, body length), the media type,
  the body. The first frame, status 0, says the store is open.

A worker opens the store once and reopens it only when ``kg build`` has
published a new generation (the ``store`` link points elsewhere). Queries
run on a thread with a deep stack (:func:`kg.sparql.call_with_deep_stack`).
A query over the time limit or the memory limit is not cancelled but killed
with its process, and the server starts another worker.

Run as a script (``python -P kg/serve/worker.py LINK PREFIXES MAX_RESULT``),
it does not import the ``kg`` package (whose ``__init__`` loads the NLP
stack): it registers a bare ``kg`` package pointing at its folder and
imports only :mod:`kg.errors`, :mod:`kg.sparql` and :mod:`kg.serve.answer`.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["ANSWER_HEADER", "READY", "main"]

#: Status, media-type length, body length of an answer frame.
ANSWER_HEADER = struct.Struct("!HII")
#: The status of the first frame: the store is open.
READY = 0
_REQUEST_HEADER = struct.Struct("!I")


def _bare_package() -> None:
    """Make ``import kg.x`` work without running ``kg/__init__.py``."""
    if "kg" not in sys.modules:
        package = types.ModuleType("kg")
        package.__path__ = [str(Path(__file__).resolve().parent.parent)]
        sys.modules["kg"] = package


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _write(stream: BinaryIO, status: int, media: str, body: bytes) -> None:
    head = media.encode("ascii")
    stream.write(ANSWER_HEADER.pack(status, len(head), len(body)) + head)
    stream.write(body)
    stream.flush()


def _generation(link: Path) -> Path:
    """Return the generation folder the store link points at now."""
    try:
        return link.parent / os.readlink(link)
    except OSError:
        return link  # not a link: a plain store folder


def _serve(link: Path, prefixes: dict[str, str], max_result: int) -> int:
    import pyoxigraph as ox

    from kg.serve.answer import Answer, answer_query

    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "wb")
    # stray prints (warnings...) must not corrupt the frames
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    generation = _generation(link)
    store: ox.Store = ox.Store.read_only(str(generation))
    _write(answers, READY, "", b"")
    while True:
        head = _read_exactly(requests, _REQUEST_HEADER.size)
        if head is None:
            return 0
        (size,) = _REQUEST_HEADER.unpack(head)
        payload = _read_exactly(requests, size)
        if payload is None:
            return 0
        request = json.loads(payload)
        current = _generation(link)
        if current != generation:
            try:
                store, generation = ox.Store.read_only(str(current)), current
            except OSError as exc:
                answer = Answer.text(503, f"cannot open the store: {exc}")
                _write(answers, answer.status, answer.media, answer.body)
                continue
        answer = answer_query(
            store,
            request["q"],
            accept=request.get("a", ""),
            default_graphs=request.get("d", ()),
            named_graphs=request.get("n", ()),
            prefixes=prefixes,
            max_result=max_result,
        )
        _write(answers, answer.status, answer.media, answer.body)


def main(argv: list[str]) -> int:
    """Serve queries on standard input until it closes; return the exit code."""
    link, prefixes, max_result = Path(argv[0]), json.loads(argv[1]), int(argv[2])
    _bare_package()
    from kg.sparql import call_with_deep_stack

    return call_with_deep_stack(lambda: _serve(link, prefixes, max_result))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
