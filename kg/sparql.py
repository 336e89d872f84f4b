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
* :func:`describe_syntax_error` turns Oxigraph's terse error (a position and
  a list of grammar tokens) into words: what was expected, after what, and
  the token found there.

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
from collections.abc import Callable, Iterable, Sequence
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
    "describe_syntax_error",
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
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*+")
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
        if group == "name" and (":" not in value or not _is_pname(value)):
            words = [w.upper() for w in _WORDS.findall(value)]
        else:
            words = []
        if skip:
            skip -= 1
        elif not head:
            first = words[0] if words else "?"
            skip = _DECLARATION.get(first, 0)
            head = "" if skip else first
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


# --- syntax errors in words ---------------------------------------------------

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: What may follow a keyword, in words (the grammar, SPARQL 1.1 section 19.8).
_FOLLOWS: dict[str, str] = {
    "SELECT": "a variable, '*' or '(expression AS ?var)'",
    "DISTINCT": "a variable, '*' or '(expression AS ?var)'",
    "REDUCED": "a variable, '*' or '(expression AS ?var)'",
    "CONSTRUCT": "'{' with a triple template, or WHERE",
    "DESCRIBE": "a variable, an IRI or '*'",
    "ASK": "'{' or WHERE",
    "WHERE": "'{'",
    "PREFIX": "a prefix name ending in ':' (e.g. ex:)",
    "BASE": "an IRI in <...>",
    "FROM": "an IRI in <...> or NAMED",
    "NAMED": "an IRI in <...>",
    "GROUP": "BY",
    "ORDER": "BY",
    "BY": "a variable or an expression",
    "LIMIT": "a whole number",
    "OFFSET": "a whole number",
    "HAVING": "a condition in '(...)'",
    "FILTER": "a condition in '(...)' or a function call",
    "BIND": "'(expression AS ?var)'",
    "AS": "a variable",
    "OPTIONAL": "'{'",
    "MINUS": "'{'",
    "UNION": "'{'",
    "GRAPH": "a variable or an IRI, then '{'",
    "VALUES": "a variable or '(' with variables, then '{'",
    "SERVICE": "a variable or an IRI, then '{'",
    "EXISTS": "'{'",
    "NOT": "EXISTS or IN",
}
_ANY = frozenset({"*", "("})


def _after_select(t: Token) -> bool:
    return (
        t.kind == "var" or t.text in _ANY or t.text.upper() in {"DISTINCT", "REDUCED"}
    )


#: For keywords that take one particular next token: is this token allowed?
_NEXT: dict[str, Callable[[Token], bool]] = {
    "SELECT": _after_select,
    "DISTINCT": lambda t: t.kind == "var" or t.text in _ANY,
    "REDUCED": lambda t: t.kind == "var" or t.text in _ANY,
    "WHERE": lambda t: t.text == "{",
    "GROUP": lambda t: t.text.upper() == "BY",
    "ORDER": lambda t: t.text.upper() == "BY",
    "LIMIT": lambda t: t.kind == "number" and t.text.isdigit(),
    "OFFSET": lambda t: t.kind == "number" and t.text.isdigit(),
    "AS": lambda t: t.kind == "var",
    "BIND": lambda t: t.text == "(",
    "OPTIONAL": lambda t: t.text == "{",
    "MINUS": lambda t: t.text == "{",
    "UNION": lambda t: t.text == "{",
    "EXISTS": lambda t: t.text == "{",
    "PREFIX": lambda t: t.kind == "pname" and t.text.endswith(":"),
    "BASE": lambda t: t.kind == "iri",
}
#: Bare words of the grammar: keywords, built-in functions, aggregates.
_VOCABULARY = frozenset(
    """
    A ABS ADD ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE
    CONCAT CONSTRUCT CONTAINS COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE
    DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI EXISTS FALSE FILTER FLOOR FROM GRAPH
    GROUP GROUP_CONCAT HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI ISLITERAL
    ISNUMERIC ISURI LANG LANGMATCHES LCASE LIMIT LOAD MAX MD5 MIN MINUS MINUTES
    MONTH MOVE NAMED NOT NOW OFFSET OPTIONAL ORDER PREFIX RAND REDUCED REGEX
    REPLACE ROUND SAMETERM SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256
    SHA384 SHA512 SILENT STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLEN
    STRSTARTS STRUUID SUBSTR SUM TIMEZONE TO TRUE TZ UCASE UNDEF UNION URI USING
    UUID VALUES WHERE WITH YEAR LATERAL VERSION TRIPLE SUBJECT PREDICATE OBJECT
    ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR ADJUST
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_BINARY = frozenset({"=", "!=", "<", ">", "<=", ">=", "&&", "||", "*", "/", "+"})
_BROKEN_IRI = re.compile(
    r"(<[A-Za-z][A-Za-z0-9+.\-]*:[^<>\s\"{}|^`\\]*)([\s\"{}|^`\\])[^<>\n]*>"
)
#: Grammar tokens in Oxigraph's "expected one of ..." list, in words.
_EXPECTED_WORDS: tuple[tuple[str, str], ...] = (
    ('"?"', "a variable"),
    ('"<"', "an IRI"),
    ('":"', "a prefixed name"),
    ('"\\""', "a literal"),
    ("'0'..='9'", "a number"),
    ('"{"', "'{'"),
    ('"}"', "'}'"),
    ('"("', "'('"),
    ('")"', "')'"),
    ('"."', "'.'"),
    ('";"', "';'"),
    ('","', "','"),
)

#: A diagnosis: where the mistake is (an offset in the text) and what it is.
_Finding = tuple[int, str]


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + column - 1, len(text))


def _shown(token: Token | None, end: str = "the end of the query") -> str:
    if token is None:
        return end
    text = token.text if len(token.text) <= 40 else token.text[:37] + "..."
    return repr(text)


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    tokens: Sequence[Token]
    prefixes: frozenset[str]

    def at(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def offset(self, token: Token | None) -> int:
        return token.start if token is not None else len(self.text)

    def where(self, token: Token) -> str:
        line, column = _line_column(self.text, token.start)
        return f"line {line}, column {column}"


def _lexical(c: _Context) -> _Finding | None:
    token = next((t for t in c.tokens if t.kind == "error"), None)
    if token is None:
        return None
    if token.text in {"'", '"'}:
        return token.start, (
            "this string is not closed on its line "
            "(use '''...''' or \"\"\"...\"\"\" for text over several lines)"
        )
    if token.text.startswith("\\"):
        return token.start, (
            "unexpected backslash: escapes such as \\u0041 are allowed only "
            "inside strings and IRIs"
        )
    return token.start, f"unexpected character {token.text!r}"


def _brackets(c: _Context) -> _Finding | None:
    stack: list[Token] = []
    for token in c.tokens:
        if token.kind != "punct":
            continue
        if token.text in _OPEN:
            stack.append(token)
        elif token.text in _CLOSE:
            if not stack:
                return token.start, f"unexpected {token.text!r}: nothing to close"
            if stack[-1].text != _CLOSE[token.text]:
                return token.start, (
                    f"unexpected {token.text!r}: the {stack[-1].text!r} at "
                    f"{c.where(stack[-1])} is still open"
                )
            stack.pop()
    if stack:
        closer = next(k for k, v in _CLOSE.items() if v == stack[-1].text)
        return len(c.text), (
            f"expected {closer!r} to close the {stack[-1].text!r} at "
            f"{c.where(stack[-1])}, found the end of the query"
        )
    return None


def _iris(c: _Context) -> _Finding | None:
    for token in c.tokens:
        if token.kind == "punct" and token.text == "<":
            bad = _BROKEN_IRI.match(c.text, token.start)
            if bad is not None:
                return token.start + len(bad[1]), (
                    f"this IRI cannot hold {bad[2]!r}: an IRI in <...> has no spaces "
                    'or any of <>"{}|^`\\ (percent-encode them, e.g. %20)'
                )
    return None


def _words(c: _Context) -> _Finding | None:
    for token in c.tokens:
        if token.kind == "word" and token.text.upper() not in _VOCABULARY:
            return token.start, (
                f"unknown word {token.text!r}: not a SPARQL keyword or function "
                "(variables start with ?, prefixed names hold ':')"
            )
    return None


def _operands(c: _Context) -> _Finding | None:
    for i, token in enumerate(c.tokens):
        after = c.at(i + 1)
        if (
            token.kind == "punct"
            and token.text in _BINARY
            and (after is None or after.text in _CLOSE or after.text in {",", ";", "."})
        ):
            return c.offset(after), (
                f"expected an expression after {token.text!r}, found {_shown(after)}"
            )
    return None


def _form(c: _Context) -> _Finding | None:
    first = _prologue_end(c.tokens)
    head = c.at(first)
    word = head.text.upper() if head is not None and head.kind == "word" else ""
    if word in _FORMS:
        return None
    if word in _UPDATES:
        return c.offset(head), (
            f"{word} is SPARQL Update and kg is read-only: expected SELECT, ASK, "
            "CONSTRUCT or DESCRIBE"
        )
    return c.offset(head), (
        "expected SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE "
        f"lines), found {_shown(head)}"
    )


def _prefixes(c: _Context) -> _Finding | None:
    declared = set(c.prefixes)
    for i, token in enumerate(c.tokens):
        if token.kind != "pname":
            continue
        prefix = token.text.split(":", 1)[0]
        before = c.at(i - 1)
        if before is not None and before.text.upper() == "PREFIX":
            declared.add(prefix)
            iri = c.at(i + 1)
            if iri is None or iri.kind != "iri":
                return c.offset(iri), (
                    f"expected an IRI in <...> after PREFIX {token.text}, "
                    f"found {_shown(iri)}"
                )
        elif prefix not in declared:
            known = ", ".join(sorted(p for p in declared if p)) or "none"
            return token.start, (
                f"unknown prefix '{prefix}:' in {token.text!r}; declare it with "
                f"PREFIX {prefix}: <...> (known: {known})"
            )
    return None


def _keywords(c: _Context) -> _Finding | None:
    for i, token in enumerate(c.tokens):
        allowed = _NEXT.get(token.text.upper()) if token.kind == "word" else None
        after = c.at(i + 1)
        if allowed is not None and (after is None or not allowed(after)):
            word = token.text.upper()
            return c.offset(after), (
                f"expected {_FOLLOWS[word]} after {word}, found {_shown(after)}"
            )
    return None


#: Checks tried in order on a query the engine refused; the first that
#: recognises the mistake words the message.
_DIAGNOSES: tuple[Callable[[_Context], _Finding | None], ...] = (
    _lexical,
    _brackets,
    _iris,
    _form,
    _keywords,
    _words,
    _prefixes,
    _operands,
)


def _from_engine(c: _Context, message: str) -> _Finding:
    match = _POSITION.match(message)
    if match is None:
        return 0, message
    offset = _offset(c.text, int(match[1]), int(match[2]))
    found = next((t for t in c.tokens if t.start + len(t.text) > offset), None)
    before = next((t for t in reversed(c.tokens) if t.start < offset), None)
    if before is found and found is not None:  # the engine stopped inside a token
        before = next((t for t in reversed(c.tokens) if t.start < found.start), None)
    word = before.text.upper() if before is not None and before.kind == "word" else ""
    if word in _FOLLOWS:
        return offset, f"expected {_FOLLOWS[word]} after {word}, found {_shown(found)}"
    expected = list(dict.fromkeys(w for raw, w in _EXPECTED_WORDS if raw in match[3]))
    after = f" after {_shown(before)}" if before is not None else ""
    if not expected:
        return offset, f"unexpected {_shown(found, 'end of the query')}{after}"
    listed = ", ".join(expected[:-1]) + (" or " if len(expected) > 1 else "")
    return offset, f"expected {listed}{expected[-1]}{after}, found {_shown(found)}"


def describe_syntax_error(text: str, message: str, prefixes: Iterable[str] = ()) -> str:
    """Say in words where a query the engine refused goes wrong, and how.

    ``message`` is Oxigraph's (``error at LINE:COLUMN: expected ...``),
    ``prefixes`` the names predeclared for the query. The answer starts with
    the line and column, then says what was expected, after which keyword,
    and the token found there.

    Examples
    --------
    >>> print(describe_syntax_error("SELECT WHERE { ?s ?p ?o }", "error at 1:16: ..."))
    line 1, column 8: expected a variable, '*' or '(expression AS ?var)' after
    SELECT, found 'WHERE'
    >>> print(describe_syntax_error("ASK { ?s ex:p ?o }", "error at 1:11", ["kg"]))
    line 1, column 10: unknown prefix 'ex:' in 'ex:p'; declare it with PREFIX ex:
    <...> (known: kg)
    """
    context = _Context(text, tokenize_query(text), frozenset(prefixes))
    finding = None
    for diagnose in _DIAGNOSES:
        finding = diagnose(context)
        if finding is not None:
            break
    offset, words = finding or _from_engine(context, " ".join(message.split()))
    line, column = _line_column(text, offset)
    return f"line {line}, column {column}: {words}"


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
