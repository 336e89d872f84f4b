"""SPARQL syntax errors in words: where a refused query goes wrong, and how.

Oxigraph reports a syntax error as a position and the grammar tokens it
could have taken there (``error at 1:16: expected DISTINCT``), often past
the real mistake. :func:`describe_syntax_error` reads the query's tokens
(:func:`kg.sparql.tokenize_query`) and tries an ordered list of checks (an
unclosed string, unbalanced brackets, a broken IRI, a missing query form, a
keyword followed by what cannot follow it, an unknown word or prefix, an
operator without operand), and words the engine's own report when none
recognises the mistake: what was expected, after which token, the token
found, at which line and column.

Examples
--------
>>> print(describe_syntax_error("ASK { ?s ?p ?o } LIMIT x", "error at 1:24"))
line 1, column 24: expected a whole number after LIMIT, found 'x'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kg.sparql import (
    _CLOSE,
    _FORMS,
    _OPEN,
    _UPDATES,
    Token,
    _prologue_end,
    tokenize_query,
)

__all__ = ["describe_syntax_error"]

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
