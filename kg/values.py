"""Values: dates and numbers a text states, normalised to typed literals.

Dates ("21 June 1946", "March 2011", "1990") and numbers ("19,550", "two")
are not entities: they get no node in the graph. They are read as
:class:`~kg.types.Value` objects, apart from ``Document.entities``, and the
relations that reach them ("X was born on DATE") end in an RDF literal with
its XSD datatype (:mod:`kg.rdf`).

Where the mentions come from:

* spaCy's ``DATE`` and ``TIME`` spans (dates) and ``CARDINAL``,
  ``QUANTITY``, ``MONEY`` and ``PERCENT`` spans (numbers); a date span that
  holds a range ("August 20, 1920 – January 16, 1992", "1992 to 2002") is
  split into its two ends;
* bare years and numbers the model missed, where the parse makes them
  clear: a four-digit year as the object of a preposition ("in 1990") or as
  a modifier of a noun ("a 1997 film"), a number modifying a noun ("three
  albums").

Normalisation (:func:`normalise_date`, :func:`normalise_number`):
``xsd:date`` for a full date, ``xsd:gYearMonth`` for a month and year,
``xsd:gYear`` for a year, ``xsd:integer``/``xsd:decimal`` for a clean
number; anything else ("the 1990s", "two weeks", "$21 million") stays a
plain string with the words of the text. Mentions of the same value within
a document form one :class:`~kg.types.Value`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span

from kg.lexicon import load_mapping
from kg.mentions import mention_tokens, sentence_starts
from kg.types import DocLike, Mention, Value, ValueKind

__all__ = [
    "DATE_LABELS",
    "NUMBER_LABELS",
    "extract_values",
    "normalise_date",
    "normalise_number",
    "value_key",
    "value_tokens",
]

#: spaCy NER labels read as dates and as numbers.
DATE_LABELS = frozenset({"DATE", "TIME"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: Number words (a closed class) up to the tens: ``ontology/lexicons/number-words.tsv``.
_NUMBER_WORDS = {word: int(n) for word, n in load_mapping("number-words").items()}
_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
#: Words joining the two ends of a date range.
_RANGE_WORDS = frozenset({"–", "-", "—", "to", "until", "till", "through"})
#: Words that join the items of a list of dates ("1959, 1961 and 1969").
_LIST_WORDS = frozenset({",", ";", "and", "or", "&"})
#: Prepositions whose object, a bare four-digit number, is a year.
_YEAR_PREPS = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "to",
        "before",
        "after",
        "during",
        "around",
        "circa",
        "c.",
        "of",
    }
)
_NUMBER_DEPS = frozenset({"nummod", "quantmod"})
_MIN_YEAR, _MAX_YEAR = 1000, 2199

_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{3,4})(?:\s*(?:AD|CE|A\.D\.))?$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_WORD = re.compile(r"[A-Za-z]+\.?|\d+(?:st|nd|rd|th)?|[^\sA-Za-z\d]")


def value_key(datatype: str, lexical: str) -> str:
    """Return the key of a value: its lexical form and datatype, Turtle style.

    Entity keys never contain ``^^``, so a value key cannot be taken for one.

    Examples
    --------
    >>> value_key("gYear", "1990")
    '1990^^gYear'
    """
    return f"{lexical}^^{datatype}"


def _plain(text: str) -> tuple[str, str]:
    return "string", " ".join(text.split())


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(word: str) -> int | None:
    found = _YEAR.match(word)
    if found is None:
        return None
    year = int(found.group(1))
    return year if _MIN_YEAR <= year <= _MAX_YEAR else None


def _day(word: str) -> int | None:
    found = _ORDINAL.match(word)
    return int(found.group(1)) if found is not None else None


def normalise_date(text: str) -> tuple[str, str]:
    """Normalise the text of a date to ``(XSD datatype, lexical form)``.

    Examples
    --------
    >>> normalise_date("June 21, 1946"), normalise_date("21st June 1946")
    (('date', '1946-06-21'), ('date', '1946-06-21'))
    >>> normalise_date("March 2011"), normalise_date("in 1990")
    (('gYearMonth', '2011-03'), ('gYear', '1990'))
    >>> normalise_date("the 1990s"), normalise_date("June 31, 1946")
    (('string', 'the 1990s'), ('string', 'June 31, 1946'))
    """
    iso = _ISO.match(text.strip())
    if iso is not None:
        found = _date(*(int(g) for g in iso.groups()))
        return ("date", found) if found else _plain(text)
    words = [w.lower().rstrip(".") for w in _WORD.findall(text) if w not in {",", "of"}]
    while words and words[0] in {"on", "in", "the", "year", "of", "since"}:
        words = words[1:]
    if words and words[-1] in {"ad", "ce"}:
        words = words[:-1]
    if len(words) == 1:
        year = _year(words[0])
        if year is not None:
            return "gYear", f"{year:04d}"
    elif len(words) == 2 and words[0] in _MONTHS:
        year = _year(words[1])
        if year is not None:
            return "gYearMonth", f"{year:04d}-{_MONTHS[words[0]]:02d}"
    elif len(words) == 3:
        year = _year(words[2])
        month_day = (
            (words[0], words[1]) if words[0] in _MONTHS else (words[1], words[0])
        )
        day = _day(month_day[1])
        if year is not None and month_day[0] in _MONTHS and day is not None:
            found = _date(year, _MONTHS[month_day[0]], day)
            if found is not None:
                return "date", found
    return _plain(text)


def normalise_number(text: str) -> tuple[str, str]:
    """Normalise the text of a number to ``(XSD datatype, lexical form)``.

    Digits (with thousands separators), number words up to the nineties and
    a multiplier ("71 million", "twenty-one") give an integer or a decimal;
    a number with a unit or currency stays a plain string.

    Examples
    --------
    >>> normalise_number("19,550"), normalise_number("103.6")
    (('integer', '19550'), ('decimal', '103.6'))
    >>> normalise_number("two"), normalise_number("71 million")
    (('integer', '2'), ('integer', '71000000'))
    >>> normalise_number("$21 million")
    ('string', '$21 million')
    >>> normalise_number("9" * 5000)[0]
    'string'
    """
    try:
        return _number(text)
    except (ValueError, OverflowError):
        # over Python's 4,300-digit int conversion limit, or past a float's
        # range: the number is kept as written
        return _plain(text)


def _number(text: str) -> tuple[str, str]:
    words = text.lower().replace("-", " ").replace("\u00a0", " ").split()
    if words and words[0] in {"about", "some", "over", "around", "nearly"}:
        return _plain(text)
    total = 0.0 if any("." in w for w in words) else 0
    current: float = 0
    seen = False
    for word in words:
        if _NUMBER.match(word):
            number = word.replace(",", "")
            current += float(number) if "." in number else int(number)
        elif word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        elif word in _MULTIPLIERS and seen:
            total += (current or 1) * _MULTIPLIERS[word]
            current = 0
        elif word == "and" and seen:
            continue
        else:
            return _plain(text)
        seen = True
    if not seen:
        return _plain(text)
    value = total + current
    if isinstance(value, float) and not math.isfinite(value):
        return _plain(text)
    if isinstance(value, float) and not value.is_integer():
        return "decimal", f"{value:f}".rstrip("0")
    return "integer", str(int(value))


def _split_range(span: Span) -> list[Span]:
    """Split "A – B" and "from A to B" date spans into their two ends."""
    cuts = [
        t.i for t in span if t.text in _RANGE_WORDS and span.start < t.i < span.end - 1
    ]
    if len(cuts) != 1:
        return [span]
    doc, cut = span.doc, cuts[0]
    start = span.start + (1 if doc[span.start].lower_ in {"from", "between"} else 0)
    return [s for s in (doc[start:cut], doc[cut + 1 : span.end]) if len(s)]


def _split_list(span: Span) -> list[Span]:
    """Split a list of dates ("2009 and 2013", "1959, 1961, 1969") into its items.

    The span is cut at each comma or conjunction, and only when every item
    holds a year of its own: "May 3, 1950" is one date.
    """
    doc = span.doc
    items: list[Span] = []
    start = span.start
    for token in span:
        if token.lower_ in _LIST_WORDS:
            if start < token.i:
                items.append(doc[start : token.i])
            start = token.i + 1
    if start < span.end:
        items.append(doc[start : span.end])
    if len(items) < 2 or not all(
        any(_year(t.text) is not None and len(t.text) == 4 for t in item)
        for item in items
    ):
        return [span]
    return items


def _trim(span: Span) -> Span:
    """Drop leading prepositions a date span may start with ("in 1990")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].pos_ in {"ADP"}:
        start += 1
    return span.doc[start : span.end]


def _bare_years(sent: Span, taken: set[int], dates: set[int]) -> Iterator[Span]:
    """Years the model missed: "in 1990", "a 1997 film", the end of "1750 – 1798"."""
    doc = sent.doc
    for token in sent:
        if token.i in taken or token.ent_type_ or _year(token.text) is None:
            continue
        if len(token.text) != 4:
            continue
        head = token.head
        after_range = (
            token.i >= 2
            and doc[token.i - 1].text in _RANGE_WORDS
            and token.i - 2 in dates
        )
        if (
            after_range
            or (token.dep_ == "pobj" and head.lower_ in _YEAR_PREPS)
            or (
                token.dep_ in {"nummod", "amod", "compound", "npadvmod"}
                and head.pos_ == "NOUN"
            )
        ):
            dates.add(token.i)
            yield doc[token.i : token.i + 1]


def _bare_numbers(sent: Span, taken: set[int]) -> Iterator[Span]:
    """Numbers the model missed: a cardinal modifying a noun ("three albums")."""
    for token in sent:
        if token.i in taken or token.ent_type_ or not token.like_num:
            continue
        if token.dep_ in _NUMBER_DEPS and token.head.pos_ in {"NOUN", "PROPN"}:
            if token.head.ent_type_ and token.head.ent_type_ not in NUMBER_LABELS:
                continue  # part of a name: "Apollo 11"
            yield sent.doc[token.i : token.i + 1]


def _widen_date(ent: Span) -> Span:
    """Take in a day or year the model left out: "12 | April 1961", "May 3 | , 1950"."""
    doc = ent.doc
    start, end = ent.start, ent.end
    if ent[0].lower_ in _MONTHS and start > 0:
        before = doc[start - 1]
        day = _day(before.text)
        if day is not None and 1 <= day <= 31 and before.ent_type_ not in DATE_LABELS:
            start -= 1
    last = doc[end - 1]
    if (
        end + 1 < len(doc)
        and (_day(last.text) is not None or last.lower_ in _MONTHS)
        and doc[end].text == ","
        and _year(doc[end + 1].text) is not None
        and doc[end + 1].ent_type_ not in DATE_LABELS
    ):
        end += 2
    return doc[start:end]


def _value_spans(doclike: DocLike) -> Iterator[tuple[Span, ValueKind, str]]:
    """Every span that states a value: its kind and NER label."""
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    lo, hi = (
        (doclike.start, doclike.end) if isinstance(doclike, Span) else (0, len(doc))
    )
    ents = [e for e in doc.ents if lo <= e.start and e.end <= hi]
    dates: set[int] = set()
    found: list[tuple[Span, ValueKind, str]] = []
    for ent in ents:
        if ent.label_ in DATE_LABELS:
            parts = _split_range(_widen_date(ent))
            for part in (item for p in parts for item in _split_list(p)):
                part = _trim(part)
                dates.update(range(part.start, part.end))
                found.append((part, "date", ent.label_))
    taken = set(dates)
    for ent in ents:
        if ent.label_ in NUMBER_LABELS and not any(t.i in dates for t in ent):
            taken.update(range(ent.start, ent.end))
            found.append((ent, "number", ent.label_))
    yield from found
    sents = [doclike] if isinstance(doclike, Span) else list(doc.sents)
    for sent in sents:
        for span in _bare_years(sent, taken, dates):
            taken.add(span.start)
            yield span, "date", "DATE"
        for span in _bare_numbers(sent, taken):
            yield span, "number", "CARDINAL"


def extract_values(doclike: DocLike) -> tuple[Value, ...]:
    """Read the dates and numbers of a text; one :class:`Value` per distinct value.

    Examples
    --------
    >>> doc = nlp("Ada was born on 10 December 1815. In 1815 she was a baby.")
    >>> [(v.datatype, v.lexical, len(v.mentions)) for v in extract_values(doc)]
    [('date', '1815-12-10', 1), ('gYear', '1815', 1)]
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    starts = sentence_starts(doc)
    found: dict[str, tuple[str, str, ValueKind, list[Mention]]] = {}
    spans = sorted(_value_spans(doclike), key=lambda item: item[0].start)
    for span, kind, label in spans:
        text = span.text
        datatype, lexical = (
            normalise_date(text) if kind == "date" else normalise_number(text)
        )
        if datatype == "string":
            lexical = lexical.lower()
        key = value_key(datatype, lexical)
        mention = Mention(
            text,
            label,
            span.start_char,
            span.end_char,
            starts[span.sent.start],
            kind="value",
        )
        if key not in found:
            found[key] = (datatype, lexical if datatype != "string" else text, kind, [])
        found[key][3].append(mention)
    return tuple(
        Value(key, datatype, lexical, kind, tuple(mentions))
        for key, (datatype, lexical, kind, mentions) in found.items()
    )


def value_tokens(doc: Doc, values: Sequence[Value]) -> dict[int, Value]:
    """Map each token covered by a value mention to its value.

    Examples
    --------
    >>> doc = nlp("It opened in 1990.")
    >>> sorted(value_tokens(doc, extract_values(doc)))
    [3]
    """
    return mention_tokens(doc, values)
