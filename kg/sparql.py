"""SPARQL text before the engine: tokens, structure, limits and error wording.

Oxigraph parses and runs kg's queries; this module only reads the text
around that, in one linear pass of a tokenizer that follows the SPARQL 1.1
terminals (strings, IRIs, prefixed names, comments...), so a word inside a
string, an IRI or a comment is never taken for a keyword:

* :func:`inspect_query` tells the query form (``select``, ``ask``,
  ``construct``, ``describe``), whether the text is SPARQL Update and
  whether it calls ``SERVICE``: the read-only checks of ``kg serve`` and
  ``kg query`` are decided on these tokens, not on substrings;
* :func:`check_query` refuses, with a one-line :class:`~kg.errors.QueryError`,
  text that would make the engine crash (Oxigraph's recursive parser
  overflows its stack on a few thousand nested brackets) or work on more
  than the limits allow;
* :mod:`kg.sparql_messages` turns Oxigraph's terse syntax errors into words
  from the same tokens.

Examples
--------
>>> shape = inspect_query('SELECT * { ?s ?p "SERVICE" } # LOAD')
>>> shape.kind, shape.update, shape.service
('select', False, False)
>>> inspect_query("LOAD <http://example.org/x.ttl>").update
True
"""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, TypeVar

from kg.errors import ConfigError, QueryError

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_DEPTH",
    "MAX_QUERY_TOKENS",
    "QueryShape",
    "Token",
    "QUICK_CHARS",
    "call_with_deep_stack",
    "check_query",
    "inspect_query",
    "quick_shape",
    "read_query_file",
    "tokenize_query",
]

#: Longest query text accepted (characters); ``kg serve``'s body limit matches.
MAX_QUERY_CHARS = 1_000_000
#: Deepest nesting of ``( [ { << {|`` accepted. Real queries stay under 20;
#: Oxigraph's parser overflows the stack near 1,600 nested braces.
MAX_QUERY_DEPTH = 128
#: Most tokens accepted outside ``VALUES`` data blocks: a flat chain of
#: 3,500 ``MINUS`` overflows the parser's 8 MB main-thread stack, so queries
#: run on a deeper one (:func:`call_with_deep_stack`), where 20,000 fit.
MAX_QUERY_TOKENS = 20_000

_T = TypeVar("_T")
_DEEP_STACK = 256 << 20
_STACK_LOCK = threading.Lock()
TokenKind = Literal[
    "iri", "string", "var", "pname", "bnode", "langtag", "number", "word",
    "punct", "error",
]  # fmt: skip
QueryForm = Literal["select", "ask", "construct", "describe"]

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
    "\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = re.compile(f"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?")
_EXPONENT = r"[eE][+-]?[0-9]++"
# One alternative per terminal, tried in this order at each position. Every
# repetition is possessive and a name-like run (keywords, prefixed names) is
# matched once, then split in Python, so tokenizing is linear in the text.
_TOKEN = re.compile(
    r"[ \t\r\n]*+(?:#[^\r\n]*+[ \t\r\n]*+)*+(?:"
    + "|".join(
        (
            r"(?P<string>'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''"
            r'|"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""'
            r"|'[^'\\\r\n]*+(?:\\.[^'\\\r\n]*+)*+'"
            r'|"[^"\\\r\n]*+(?:\\.[^"\\\r\n]*+)*+")',
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*+>)",
            f"(?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9"
            r"\u00b7\u0300-\u036f\u203f-\u2040]*+)",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9][{_PN_CHARS}.]*+)",
            r"(?P<langtag>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?)",
            f"(?P<number>[0-9]*+\\.[0-9]++(?:{_EXPONENT})?"
            f"|[0-9]++\\.[0-9]*+{_EXPONENT}|[0-9]++(?:{_EXPONENT})?)",
            f"(?P<name>[{_PN_CHARS_U}:](?:[{_PN_CHARS}.:]|{_PLX})*+)",
            r"(?P<punct>\^\^|\|\||&&|!=|<=|>=|<<\(|\)>>|<<|>>|\{\||\|\}"
            r"|[{}()\[\];,.*/+\-=<>!|^?$~])",
            r"(?P<error>['\"]|\\[uU][0-9A-Fa-f]*+|.)",
        )
    )
    + ")?",
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*+")
# A name-like run without ':' is no prefixed name: it splits into words.
_SPLIT = re.compile(
    r"(?P<word>[A-Za-z_][A-Za-z0-9_]*+)|(?P<number>[0-9]++)|(?P<punct>[.\-])"
    r"|(?P<error>.)",
    re.DOTALL,
)
_OPEN = frozenset({"(", "[", "{", "<<", "<<(", "{|"})
_CLOSE = {")": "(", "]": "[", "}": "{", ">>": "<<", ")>>": "<<(", "|}": "{|"}
_UNARY = frozenset({"!", "-", "+", "^"})
#: Longest query :func:`quick_shape` reads (its depth and length cannot
#: reach what overflows the 256 MB query stack: 51,200 nested braces fit).
QUICK_CHARS = 4096
_GAP = r"(?:[ \t\r\n]++|#[^\r\n]*+)*+"
_IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*+>"
_QUICK_HEAD = re.compile(
    _GAP
    + r"(?:(?:PREFIX"
    + _GAP
    + r"[^\s<#'\"]*+"
    + _GAP
    + _IRIREF
    + r"|BASE"
    + _GAP
    + _IRIREF
    + r")"
    + _GAP
    + r")*+([A-Za-z]++)",
    re.IGNORECASE,
)
_DECLARATION = {"PREFIX": 2, "BASE": 1, "VERSION": 1}
_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
     "WITH"}
)  # fmt: skip


class Token(NamedTuple):
    """One SPARQL token: its terminal kind, its text and its offset in the query."""

    kind: TokenKind
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What the tokens of a query say about it, before any parse.

    ``kind`` is the query form (None when the text starts with something
    else), ``update`` tells SPARQL Update (``INSERT``, ``LOAD``...),
    ``service`` a ``SERVICE`` keyword anywhere; ``depth`` is the deepest
    bracket nesting and ``tokens`` the number of tokens outside ``VALUES``
    data; ``lexical_error`` is the first character no terminal matches (an
    unterminated string, a stray backslash...), or None.
    """

    kind: QueryForm | None
    update: bool
    service: bool
    depth: int
    tokens: int
    lexical_error: Token | None = None


def tokenize_query(text: str) -> list[Token]:
    """Split SPARQL text into tokens, dropping whitespace and comments.

    Linear in the length of ``text``. A character that starts no terminal
    becomes an ``error`` token and tokenizing goes on after it.

    Examples
    --------
    >>> [t.text for t in tokenize_query('ASK { ?s ex:p "a # b" } # note')]
    ['ASK', '{', '?s', 'ex:p', '"a # b"', '}']
    >>> tokenize_query("SELECT ?x")[1]
    Token(kind='var', text='?x', start=7)
    """
    tokens: list[Token] = []
    append = tokens.append
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        if kind is None:  # trailing whitespace or comment
            continue
        value, start = found.group(kind), found.start(kind)
        if kind == "name":
            if _WORD.fullmatch(value):
                append(Token("word", value, start))
            else:
                _split_name(value, start, tokens)
        elif kind == "bnode" and value.endswith("."):
            label = value.rstrip(".")
            append(Token("bnode", label, start))
            tokens.extend(
                Token("punct", ".", start + i) for i in range(len(label), len(value))
            )
        else:
            append(Token(kind, value, start))  # type: ignore[arg-type]
    return tokens


def _is_pname(run: str) -> bool:
    """Tell whether a name-like run holding ':' is a prefixed name."""
    colon = run.find(":")
    return bool(_PN_PREFIX.fullmatch(run, 0, colon))


def _split_name(run: str, start: int, tokens: list[Token]) -> None:
    """Append the tokens of a name-like run: a prefixed name, or words."""
    stripped = run.rstrip(".")  # a name never ends with '.': the rest is punctuation
    colon = stripped.find(":")
    if colon >= 0 and _PN_PREFIX.fullmatch(stripped, 0, colon):
        tokens.append(Token("pname", stripped, start))
        rest, offset = run[len(stripped) :], start + len(stripped)
    else:
        rest, offset = run, start
    for part in _SPLIT.finditer(rest):
        tokens.append(Token(part.lastgroup, part.group(), offset + part.start()))  # type: ignore[arg-type]


def _bare_words(group: str, value: str) -> list[str]:
    """Return the upper-cased bare words of a token (keywords; none for terms)."""
    if group == "name" and (":" not in value or not _is_pname(value)):
        return [w.upper() for w in _WORD.findall(value)]
    return []


def _head_or_skip(words: list[str]) -> tuple[str, int]:
    """Return the query's first word, or how many declaration tokens to pass."""
    first = words[0] if words else "?"
    skip = _DECLARATION.get(first, 0)
    return ("" if skip else first), skip


def _prologue_end(tokens: Sequence[Token]) -> int:
    """Return the index of the first token after ``BASE``/``PREFIX``/``VERSION``."""
    i = 0
    while i < len(tokens):
        word = tokens[i].text.upper() if tokens[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word == "VERSION":
            i += 2
        else:
            break
    return i


def inspect_query(text: str) -> QueryShape:
    """Read the form, update/SERVICE keywords, nesting and size of a query.

    Keywords are bare words outside strings, IRIs, prefixed names and
    comments, so ``ex:service``, ``"LOAD"`` or ``<http://x/service>`` are
    not taken for them. Only the text is read; nothing is parsed or run.

    Examples
    --------
    >>> inspect_query("PREFIX s: <http://x/> ASK { ?s s:service ?o }").kind
    'ask'
    >>> inspect_query("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }").service
    True
    >>> inspect_query("SELECT * { " + "{" * 3 + "}" * 3 + " }").depth
    4
    """
    head = ""  # the first word after the prologue
    skip = 0  # tokens of a PREFIX/BASE/VERSION declaration still to pass
    depth = deepest = counted = unary = 0
    values_at: int | None = None  # depth of the VALUES keyword being read
    in_data = service = False
    error: Token | None = None
    for found in _TOKEN.finditer(text):
        group = found.lastgroup
        if group is None:
            continue
        value = found.group(group)
        words = _bare_words(group, value)
        if skip:
            skip -= 1
        elif not head:
            head, skip = _head_or_skip(words)
        if words:
            service = service or "SERVICE" in words
            if values_at is None and "VALUES" in words:
                values_at = depth
        if group == "punct":
            if value in _UNARY:  # prefix operators recurse in the parser too
                unary += 1
                deepest = max(deepest, depth + unary)
                counted += not in_data
                continue
            if value in _OPEN:
                in_data = in_data or (values_at == depth and value == "{")
                depth += 1
                deepest = max(deepest, depth)
            elif value in _CLOSE:
                depth -= 1
                if in_data and depth == values_at:
                    in_data, values_at = False, None
                    unary = 0
                    continue
        elif group == "error" and error is None:
            error = Token("error", value, found.start(group))
        unary = 0
        counted += not in_data
    kind: QueryForm | None = head.lower() if head in _FORMS else None  # type: ignore[assignment]
    word = head
    return QueryShape(
        kind=kind,
        update=word in _UPDATES,
        service=service,
        depth=deepest,
        tokens=counted,
        lexical_error=error,
    )


def quick_shape(text: str) -> QueryShape | None:
    r"""Return the shape of a short, plain query without tokenizing it, or None.

    A query of at most :data:`QUICK_CHARS` characters in which the letters
    "service" appear nowhere (in any case, even inside strings) holds no
    ``SERVICE`` token, and is too short to nest or chain past what the query
    thread's deep stack holds; its form is its first word after the
    ``PREFIX``/``BASE`` lines and comments. Anything else (None) goes through
    :func:`check_query`.

    Examples
    --------
    >>> quick_shape("PREFIX ex: <http://x/> # note\nASK { ?s ex:p ?o }").kind
    'ask'
    >>> quick_shape("SELECT * { ?s <http://x/service> ?o }") is None
    True
    """
    if len(text) > QUICK_CHARS or "service" in text.lower():
        return None
    head = _QUICK_HEAD.match(text)
    if head is None:
        return None
    word = head[1].upper()
    kind: QueryForm | None = word.lower() if word in _FORMS else None  # type: ignore[assignment]
    return QueryShape(
        kind=kind, update=word in _UPDATES, service=False, depth=0, tokens=0
    )


def check_query(
    text: str,
    *,
    max_chars: int = MAX_QUERY_CHARS,
    max_depth: int = MAX_QUERY_DEPTH,
    max_tokens: int = MAX_QUERY_TOKENS,
) -> QueryShape:
    """Refuse a query over the size and nesting limits; return its shape.

    Linear in the text, and run before the engine sees it, so a query that
    would overflow the parser's stack gets a one-line error instead.

    Raises
    ------
    QueryError
        The text is longer, deeper or has more tokens than allowed.

    Examples
    --------
    >>> check_query("ASK { ?s ?p ?o }").kind
    'ask'
    >>> check_query("ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query nested 5002 levels deep (limit 128) ...
    """
    if len(text) > max_chars:
        raise QueryError(
            f"query too long: {len(text):,} characters (limit {max_chars:,}); "
            "move long VALUES lists into the data or split the query"
        )
    shape = inspect_query(text)
    if shape.depth > max_depth:
        raise QueryError(
            f"query nested {shape.depth} levels deep (limit {max_depth}) "
            "in brackets ( [ {; flatten the query"
        )
    if shape.tokens > max_tokens:
        raise QueryError(
            f"query too long: {shape.tokens:,} tokens outside VALUES blocks "
            f"(limit {max_tokens:,}); split it into smaller queries"
        )
    return shape


def call_with_deep_stack(function: Callable[[], _T]) -> _T:
    """Call ``function`` on a thread with a large stack and return its result.

    Oxigraph parses and plans recursively; on the main thread's 8 MB stack
    a few thousand chained ``MINUS`` or ``BIND`` already overflow it, on
    this thread's 256 MB (reserved, used only as deep as the recursion goes)
    every query within :func:`check_query`'s limits fits. The exception
    ``function`` raises is raised again here.

    Examples
    --------
    >>> call_with_deep_stack(lambda: 6 * 7)
    42
    """
    outcome: list[_T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            failure.append(exc)

    with _STACK_LOCK:
        previous = threading.stack_size(_DEEP_STACK)
        try:
            thread = threading.Thread(target=target, name="kg-sparql", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def read_query_file(path: str | os.PathLike[str]) -> str:
    """Read a query from a file, refusing what cannot be a SPARQL text.

    A missing or unreadable file, a directory, FIFO or device, a file over
    :data:`MAX_QUERY_CHARS` bytes, a binary file (NUL bytes) or text that is
    not UTF-8 each get a one-line :class:`~kg.errors.ConfigError`. A UTF-8
    byte-order mark is dropped.

    Raises
    ------
    ConfigError
        The file cannot hold a query.

    Examples
    --------
    >>> read_query_file("/dev/null")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: query file '/dev/null' is not a regular file ...
    """
    name = os.fspath(path)
    try:
        # O_NONBLOCK: a FIFO swapped in after the check cannot block the open
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ConfigError(f"cannot read query file {name!r}: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(
                f"query file {name!r} is not a regular file (a directory, FIFO or "
                "device); give a .rq text file"
            )
        if info.st_size > MAX_QUERY_CHARS:
            raise ConfigError(
                f"query file {name!r} is too large: {info.st_size:,} bytes "
                f"(limit {MAX_QUERY_CHARS:,})"
            )
        data = os.read(fd, MAX_QUERY_CHARS + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_QUERY_CHARS:
        raise ConfigError(
            f"query file {name!r} is too large (limit {MAX_QUERY_CHARS:,} bytes)"
        )
    if b"\0" in data:
        raise ConfigError(
            f"query file {name!r} is binary (it holds NUL bytes), not SPARQL text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"query file {name!r} is not UTF-8 text (byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start}); save it as UTF-8"
        ) from exc
