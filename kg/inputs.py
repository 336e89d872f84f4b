"""The inputs of a build: files, folders, globs, path lists and JSON Lines corpora.

Each argument of ``kg build`` is one *spec*:

* a **file**: one document (``*.jsonl``: a corpus, one document per line);
* a **folder**: its ``*.txt`` and ``*.jsonl`` files, at any depth, each
  folder's entries in code-point order of their names (symbolic links to
  folders are not followed, so a link cannot loop);
* a **glob**, a path that does not exist and holds ``*``, ``?`` or ``[``:
  ``'news/**/*.txt'`` (``**`` is any number of folders; quote it so the shell
  leaves it to kg), matched the same way, a matching folder walked as above;
* ``@FILE``: a list of specs, one a line (files, folders or globs, not other
  lists; relative ones are relative to the working directory, as if typed;
  blank lines and lines starting with ``#`` are skipped), e.g. the output of
  ``find``.

A JSON Lines corpus holds one JSON object a line with an ``id`` (a string or
an integer, unique within the file) and a ``text``; other keys are ignored.

Everything is streamed (:func:`iter_sources` is a generator): no list of all
paths or texts is ever held, only one folder's entries at a time.

Document identity (:func:`document_id`) is the file's path, made absolute
without resolving symbolic links and then relative to the working directory
when it lies under it, with ``/`` separators; a JSON Lines record's id is
``<path of the corpus>#<its id>`` (``%`` and ``#`` in a path are written
``%25`` and ``%23``, so the two kinds never meet). The path is kept exactly
as the file system spells it, with no Unicode normalisation: two files whose
names differ only in composed and decomposed accents are two documents
(``kg remove`` also finds a document by the NFC form of its name). A
document's label is its file name, or its record's id.

Special files (FIFOs, devices, sockets) and file names that are not UTF-8
are refused with an :class:`~kg.errors.InputError`; files are opened without
blocking and read with a size bound.
"""

from __future__ import annotations

import fnmatch
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kg.errors import InputError, LimitError

__all__ = [
    "CORPUS_SUFFIX",
    "TEXT_SUFFIX",
    "Skipped",
    "Source",
    "document_id",
    "is_glob",
    "iter_sources",
    "read_source",
    "read_text",
]

TEXT_SUFFIX = ".txt"
CORPUS_SUFFIX = ".jsonl"
_FOLDER_SUFFIXES = (TEXT_SUFFIX, CORPUS_SUFFIX)
_GLOB_CHARS = frozenset("*?[")
_BINARY_SNIFF = 8192
#: UTF-8 takes at most four bytes a character.
_BYTES_PER_CHAR = 4
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


@dataclass(frozen=True, slots=True)
class Source:
    """One document to read: its id, label and where its text is.

    ``text`` holds a JSON Lines record's text (read with the record); it is
    None for a text file, read by :func:`read_source` when its turn comes.

    Examples
    --------
    >>> Source("news/a.txt", "a.txt", Path("news/a.txt")).line
    0
    """

    doc_id: str
    label: str
    path: Path
    line: int = 0
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input left out of the build, and why (a warning, never silent).

    Examples
    --------
    >>> str(Skipped("'c.jsonl' line 3", "empty text"))
    "'c.jsonl' line 3: empty text; skipped"
    """

    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what}: {self.reason}; skipped"


def _check_name(path: str) -> None:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path)
        raise InputError(
            f"file name {raw!r} is not valid UTF-8; rename it "
            "(e.g. convmv -f latin1 -t utf-8 --notest FILE)"
        ) from None


def _escape(path: str) -> str:
    return path.replace("%", "%25").replace("#", "%23")


def document_id(path: Path | str, record: str | None = None) -> str:
    """Return the id of the document read from ``path`` (or its ``record``).

    The path made absolute without resolving links (``..`` and ``.`` are
    taken out as written), relative to the working directory when under it,
    with ``/`` separators and ``%``/``#`` escaped; ``<that>#<record>`` for a
    JSON Lines record.

    Raises
    ------
    InputError
        The path is not valid UTF-8.

    Examples
    --------
    >>> document_id("./news/../news/a.txt"), document_id("/srv/c.jsonl", "7")
    ('news/a.txt', '/srv/c.jsonl#7')
    """
    text = os.fspath(path)
    _check_name(text)
    absolute = os.path.abspath(text)
    cwd = os.getcwd().rstrip("/")
    relative = absolute[len(cwd) + 1 :] if absolute.startswith(f"{cwd}/") else absolute
    doc_id = _escape(Path(relative).as_posix())
    return doc_id if record is None else f"{doc_id}#{record}"


def is_glob(spec: str) -> bool:
    """Tell whether an input spec is a glob pattern (kg expands it).

    Examples
    --------
    >>> is_glob("news/**/*.txt"), is_glob("news/a.txt")
    (True, False)
    """
    return any(c in _GLOB_CHARS for c in spec)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "special file"


def _not_regular(path: Path, mode: int) -> InputError:
    return InputError(
        f"{str(path)!r} is not a regular file (a {_kind(mode)}); "
        "kg reads text files, folders and .jsonl corpora"
    )


def _open_regular(path: Path) -> tuple[int, int]:
    """Open ``path`` for reading without blocking; return the fd and its size."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _not_regular(path, info.st_mode)
    return fd, info.st_size


def _read_bounded(fd: int, bound: int | None) -> bytes:
    """Read at most ``bound + 1`` bytes (all when None) and close ``fd``."""
    chunks: list[bytes] = []
    size = 0
    with os.fdopen(fd, "rb") as fh:
        while bound is None or size <= bound:
            want = 1 << 20 if bound is None else min(1 << 20, bound + 1 - size)
            chunk = fh.read(want)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _too_large(what: str, size: str, max_chars: int) -> LimitError:
    return LimitError(
        f"{what} holds {size} characters, over the limit of {max_chars:,} "
        "(--max-document-chars)"
    )


def read_text(path: Path, *, max_chars: int | None = None) -> str:
    """Read a UTF-8 text file, refusing special, empty, binary and non-UTF-8 files.

    The file is opened without blocking (a FIFO never hangs the build) and
    read with a bound: at most ``max_chars`` characters.

    Raises
    ------
    InputError
        The file is not a regular file, or is empty, binary or not UTF-8.
    LimitError
        It holds more than ``max_chars`` characters.

    Examples
    --------
    >>> read_text(Path("seeds/tiger-king-pardon.txt"))[:5]
    "'Tige"
    """
    fd, size = _open_regular(path)
    bound = None if max_chars is None else _BYTES_PER_CHAR * max_chars
    if bound is not None and size > bound:
        os.close(fd)
        assert max_chars is not None
        raise _too_large(repr(str(path)), f"over {size // 4:,}", max_chars)
    data = _read_bounded(fd, bound)
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{str(path)!r} looks binary (NUL bytes); kg reads UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{str(path)!r} is not valid UTF-8 (byte {exc.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8"
        ) from exc
    if max_chars is not None and len(text) > max_chars:
        raise _too_large(repr(str(path)), f"{len(text):,}", max_chars)
    if not text.strip():
        raise InputError(f"{str(path)!r} is empty")
    return text


def read_source(source: Source, *, max_chars: int | None = None) -> str:
    """Return the text of a source: a record's text, or its file read.

    Raises
    ------
    InputError
        As :func:`read_text`.

    Examples
    --------
    >>> read_source(Source("c.jsonl#1", "1", Path("c.jsonl"), 1, "Hi."))
    'Hi.'
    """
    if source.text is not None:
        return source.text
    return read_text(source.path, max_chars=max_chars)


# --- expanding specs -------------------------------------------------------


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"cannot list {str(folder)!r}: {exc.strerror}") from exc


def _is_dir(entry: os.DirEntry[str]) -> bool:
    return entry.is_dir(follow_symlinks=False)


def _walk(folder: Path) -> Iterator[Path]:
    """Yield the .txt and .jsonl files under ``folder``, sorted per folder."""
    for entry in _sorted_entries(folder):
        path = folder / entry.name
        if _is_dir(entry):
            yield from _walk(path)
        elif entry.name.endswith(_FOLDER_SUFFIXES):
            _check_name(str(path))
            yield path


def _hidden_mismatch(pattern: str, name: str) -> bool:
    # as in a shell: '*' and '?' do not match a leading dot
    return name.startswith(".") and not pattern.startswith(".")


def _match(folder: Path, parts: tuple[str, ...]) -> Iterator[Path]:
    head, rest = parts[0], parts[1:]
    if head == "**":
        if rest:
            yield from _match(folder, rest)
        for entry in _sorted_entries(folder):
            if _is_dir(entry) and not entry.name.startswith("."):
                yield from _match(folder / entry.name, parts)
        return
    for entry in _sorted_entries(folder):
        if _hidden_mismatch(head, entry.name):
            continue
        if not fnmatch.fnmatchcase(entry.name, head):
            continue
        path = folder / entry.name
        if not rest:
            yield path
        elif _is_dir(entry):
            yield from _match(path, rest)


def _iter_glob(pattern: str) -> Iterator[Path]:
    parts = PurePosixPath(pattern).parts
    fixed = 0
    while fixed < len(parts) and not is_glob(parts[fixed]):
        fixed += 1
    base = Path(*parts[:fixed]) if fixed else Path(".")
    if fixed == len(parts) or not base.is_dir():
        return
    yield from _match(base, parts[fixed:])


def _iter_list(spec: str) -> Iterator[str]:
    path = Path(spec[1:])
    if not spec[1:]:
        raise InputError("'@' needs a file listing inputs, e.g. @list.txt")
    fd, _size = _open_regular(path)
    with os.fdopen(fd, "r", encoding="utf-8", errors="surrogateescape") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                _check_name(line)
            except InputError as exc:
                raise InputError(f"{str(path)!r} line {number}: {exc}") from None
            yield line


def _expand(spec: str) -> Iterator[Path]:
    """Yield the files one spec names (a folder walked, a glob matched)."""
    _check_name(spec)
    path = Path(spec)
    if os.path.lexists(path):
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file
            if not found:
                raise InputError(
                    f"directory {spec!r} holds no .txt files; kg reads UTF-8 "
                    "plain-text files ending in .txt and .jsonl corpora"
                )
            return
        yield path
        return
    if not is_glob(spec):
        raise InputError(f"input path {spec!r} does not exist")
    found = False
    for match in _iter_glob(spec):
        found = True
        if match.is_dir():
            yield from _walk(match)
        else:
            yield match
    if not found:
        raise InputError(f"no file matches {spec!r}")


def _iter_specs(specs: Iterable[str | Path]) -> Iterator[Path]:
    for spec in specs:
        text = os.fspath(spec)
        if isinstance(spec, str) and text.startswith("@"):
            for entry in _iter_list(text):
                yield from _expand(entry)
        else:
            yield from _expand(text)


def _record_error(path: Path, line: int, what: str) -> InputError:
    return InputError(
        f"{str(path)!r} line {line}: {what}; each line of a .jsonl corpus is "
        'a JSON object {"id": ..., "text": ...}'
    )


def _record(path: Path, line: int, raw: bytes) -> tuple[str, str]:
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise _record_error(path, line, f"not JSON ({reason[:80]})") from None
    if not isinstance(record, dict):
        raise _record_error(path, line, "not a JSON object")
    rid, text = record.get("id"), record.get("text")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or rid == "":
        raise _record_error(path, line, "no 'id' (a string or an integer)")
    if not isinstance(text, str):
        raise _record_error(path, line, "no 'text' (a string)")
    rid = str(rid)
    _check_name(rid)
    return rid, text


def _skip_rest_of_line(fh: object) -> None:
    readline = getattr(fh, "readline")  # noqa: B009 - a binary file
    while chunk := readline(1 << 20):
        if chunk.endswith(b"\n"):
            return


def _iter_corpus(path: Path, *, max_chars: int | None) -> Iterator[Source | Skipped]:
    """Yield the records of a JSON Lines corpus, one line read at a time."""
    fd, _size = _open_regular(path)
    prefix = document_id(path)
    bound = -1 if max_chars is None else _BYTES_PER_CHAR * max_chars + 1024
    seen: dict[str, int] = {}
    with os.fdopen(fd, "rb") as fh:
        line = 0
        while raw := fh.readline(bound + 1 if bound > 0 else -1):
            line += 1
            where = f"{str(path)!r} line {line}"
            if bound > 0 and len(raw) > bound and not raw.endswith(b"\n"):
                _skip_rest_of_line(fh)
                assert max_chars is not None
                yield Skipped(where, str(_too_large("the record", "more", max_chars)))
                continue
            if not raw.strip():
                continue
            rid, text = _record(path, line, raw)
            if rid in seen:
                raise _record_error(
                    path, line, f"id {rid!r} repeats line {seen[rid]} (ids are unique)"
                )
            seen[rid] = line
            if max_chars is not None and len(text) > max_chars:
                error = _too_large(f"record {rid!r}", f"{len(text):,}", max_chars)
                yield Skipped(where, str(error))
            elif not text.strip():
                yield Skipped(f"{where} (id {rid!r})", "empty text")
            else:
                yield Source(f"{prefix}#{_escape(rid)}", rid, path, line, text)


def iter_sources(
    specs: Iterable[str | Path], *, max_chars: int | None = None
) -> Iterator[Source | Skipped]:
    """Stream the documents the input specs name, in a deterministic order.

    Yields a :class:`Source` per document (a file, or a record of a
    ``.jsonl`` corpus; a file met twice, by any path, once) and a
    :class:`Skipped` for a record left out (over ``max_chars``, or an empty
    text). Path-level problems raise as they are met. Text files are not
    read here (:func:`read_source`).

    Parameters
    ----------
    specs
        Files, folders, glob patterns (strings) and ``@LIST`` files (strings).
    max_chars
        Largest document in characters (records over it are skipped).

    Raises
    ------
    InputError
        A path that does not exist, a folder without inputs, a glob that
        matches nothing, a special file, a name that is not UTF-8, or a
        malformed ``.jsonl`` line.

    Examples
    --------
    >>> [s.doc_id for s in iter_sources([Path("seeds")])]
    ['seeds/tiger-king-pardon.txt']
    """
    seen: set[tuple[int, int]] = set()
    any_input = False
    for path in _iter_specs(specs):
        any_input = True
        try:
            info = os.stat(path)
        except OSError as exc:
            raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        if path.name.endswith(CORPUS_SUFFIX):
            yield from _iter_corpus(path, max_chars=max_chars)
        else:
            yield Source(document_id(path), path.name, path)
    if not any_input:
        raise InputError("no input given; pass .txt files, folders or .jsonl corpora")
