"""Hypothesis strategies: hostile texts, and folders of hostile files."""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from hypothesis import strategies as st

#: surrogates cannot be written as UTF-8
_NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)


@dataclass(frozen=True)
class Scale:
    """How big the drawn inputs may get."""

    max_files: int
    max_depth: int
    max_names: int
    max_line_words: int
    max_digits: int
    max_unicode: int
    max_repeats: int


#: the fast slice CI runs (tests/test_fuzz.py)
CI = Scale(
    max_files=3,
    max_depth=300,
    max_names=40,
    max_line_words=300,
    max_digits=5000,
    max_unicode=200,
    max_repeats=30,
)
#: most documents of the benchmark run: small hostile texts, many of them
SMALL = Scale(
    max_files=4,
    max_depth=60,
    max_names=40,
    max_line_words=200,
    max_digits=5000,
    max_unicode=300,
    max_repeats=20,
)
#: the benchmark run's large inputs
BENCH = Scale(
    max_files=12,
    max_depth=5000,
    max_names=400,
    max_line_words=3000,
    max_digits=12000,
    max_unicode=1000,
    max_repeats=300,
)

_FIRST = ["Ada", "Mary", "Grace", "Alan", "Emmy", "Lise", "Niels", "Otto", "Marie"]
_LAST = ["Lovelace", "Somerville", "Hopper", "Turing", "Noether", "Meitner", "Bohr"]
_PLACES = ["London", "Paris", "Boston", "Vienna", "Berlin", "Kyoto", "Lagos", "Lima"]
_VERBS = ["met", "wrote to", "visited", "hired", "sued", "praised", "married"]
_NOUNS = ["the minister", "a lawyer", "the company", "his sister", "the court"]
_SCRIPTS = [
    "Müller",
    "Ærø",
    "Ωμέγα",
    "Москва",
    "新闻",
    "報道",
    "東京",
    "القاهرة",
    "שלום",
    "हिन्दी",
    "😀",
    "ﬁ",
    "İstanbul",
]
_OPENERS = ["(", "[", "{", '"', "\u201c", "\u2018", "\u00ab", "'"]
_CLOSE = {
    "(": ")",
    "[": "]",
    "{": "}",
    '"': '"',
    "\u201c": "\u201d",
    "\u2018": "\u2019",
    "\u00ab": "\u00bb",
    "'": "'",
}


# --- strategies: texts ------------------------------------------------------------


def _person() -> st.SearchStrategy[str]:
    return st.builds(
        "{} {}".format, st.sampled_from(_FIRST), st.sampled_from(_LAST)
    ) | st.builds("{}{}".format, st.sampled_from(_LAST), st.integers(0, 999))


@st.composite
def _prose(draw: st.DrawFn) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        a, b = draw(_person()), draw(_person())
        verb, place = draw(st.sampled_from(_VERBS)), draw(st.sampled_from(_PLACES))
        year = draw(st.integers(1000, 2100))
        sentences.append(f"{a} {verb} {b} in {place} in {year}.")
    return " ".join(sentences)


@st.composite
def _nested(draw: st.DrawFn, scale: Scale) -> str:
    depth = draw(st.integers(1, scale.max_depth))
    kinds = draw(st.lists(st.sampled_from(_OPENERS), min_size=1, max_size=3))
    opens = [kinds[i % len(kinds)] for i in range(depth)]
    inner = draw(_prose())
    balanced = draw(st.booleans())
    closes = [_CLOSE[c] for c in reversed(opens)] if balanced else []
    words = draw(st.booleans())  # a word at each level: "she said (he said (..."
    sep = draw(st.sampled_from(["", " "]))
    if words:
        said = [f"{_FIRST[i % 9]} said {o}" for i, o in enumerate(opens)]
        return f"{sep.join(said)}{inner}{sep.join(closes)}."
    return f"{draw(_person())} said {sep.join(opens)}{inner}{sep.join(closes)}."


@st.composite
def _names(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(2, scale.max_names))
    joiner = draw(st.sampled_from([" and ", ", ", " or ", "; ", ", and "]))
    people = [draw(_person()) for _ in range(min(count, 8))]
    listed = joiner.join(people[i % len(people)] + str(i) for i in range(count))
    return f"{listed} met in {draw(st.sampled_from(_PLACES))}."


@st.composite
def _coordination(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(2, scale.max_names))
    nouns = [f"{_NOUNS[i % 5]} of {_PLACES[i % 8]}" for i in range(count)]
    return f"{draw(_person())} met {' and '.join(nouns)}."


@st.composite
def _clauses(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(2, scale.max_names))
    joiner = draw(st.sampled_from([", ", " and ", ", and then ", "; "]))
    return joiner.join(
        f"{_LAST[i % 7]}{i} met {_FIRST[i % 9]}{i}" for i in range(count)
    )


@st.composite
def _chain(draw: st.DrawFn, scale: Scale) -> str:
    """Relative clauses, possessives, appositions or prepositions stacked deep."""
    count = draw(st.integers(2, scale.max_names))
    form = draw(st.sampled_from(["who", "poss", "appos", "of", "that"]))
    people = [f"{_FIRST[i % 9]} {_LAST[i % 7]}{i}" for i in range(count)]
    if form == "who":
        body = " who met ".join(people)
    elif form == "poss":
        body = "'s friend ".join(people)
    elif form == "appos":
        body = (
            people[0]
            + ", "
            + ", ".join(
                f"the {n} of {p}"
                for n, p in zip(_NOUNS * count, people[1:], strict=False)
            )
        )
    elif form == "of":
        body = " of ".join(f"the friend {p}" for p in people)
    else:
        body = " said that ".join(people)
    return f"{body} visited {draw(st.sampled_from(_PLACES))}."


@st.composite
def _line(draw: st.DrawFn, scale: Scale) -> str:
    words = draw(st.integers(10, scale.max_line_words))
    vocabulary = draw(
        st.lists(st.sampled_from(_FIRST + _LAST + _PLACES + _VERBS), min_size=1)
    )
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


@st.composite
def _repeats(draw: st.DrawFn, scale: Scale) -> str:
    """One to three sentences repeated: long coreference chains, many names."""
    count = draw(st.integers(2, scale.max_repeats))
    form = draw(st.sampled_from(["same", "numbered", "pronouns", "titles"]))
    a, b = draw(_person()), draw(_person())
    if form == "same":
        unit = [f"{a} met {b}. He said she would come."]
    elif form == "numbered":
        unit = [f"{_FIRST[i % 9]} {_LAST[i % 7]}{i} met {b}." for i in range(count)]
        return " ".join(unit)
    elif form == "pronouns":
        unit = [f"{a} met {b}.", "She thanked him.", "They left.", "It rained."]
    else:
        unit = [f"Dr. {a} met Mr. {b}.", f"The doctor met {a.split()[0]}."]
    return " ".join(unit[i % len(unit)] for i in range(count))


@st.composite
def _number(draw: st.DrawFn, scale: Scale) -> str:
    digits = draw(st.integers(1, scale.max_digits))
    form = draw(
        st.sampled_from(
            ["int", "float", "exp", "money", "grouped", "neg", "words", "dates", "list"]
        )
    )
    n = "9" * digits
    text = {
        "int": n,
        "float": f"{n}.{n[:50]}",
        "exp": f"1e{n[:7]}",
        "money": f"${n} million",
        "grouped": ",".join(["999"] * max(1, digits // 3)),
        "neg": f"-0.{'0' * digits}1",
        "words": " ".join(["million"] * min(digits, 400)),
        "dates": ", ".join(f"{1 + i % 28} May {1900 + i}" for i in range(digits % 300)),
        "list": ", ".join(str(i) for i in range(digits % 500)),
    }[form]
    return f"{draw(_person())} paid {text} dollars to {draw(_person())} in 1999."


def _unicode(scale: Scale) -> st.SearchStrategy[str]:
    # no NUL: a NUL byte makes kg refuse the file as binary (drawn apart)
    alphabet = st.characters(
        blacklist_categories=_NO_SURROGATES, blacklist_characters="\x00"
    )
    return st.text(alphabet, max_size=scale.max_unicode)


_CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\u2028\u2029\ufeff\u200b"


def _control() -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(list(_CONTROL) + list("Ada met Bo.")), max_size=200)


@st.composite
def _whitespace(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(1, scale.max_line_words))
    blank = draw(st.sampled_from([" ", "\n", "\t", "\n\n", " \n", "\u00a0", "\r\n"]))
    return f"{draw(_prose())}{blank * count}{draw(_prose())}"


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_SCRIPTS + _FIRST + _PLACES), min_size=1))
    upper = draw(st.booleans())
    text = " ".join(words) + "."
    return text.upper() if upper else text


@st.composite
def _web(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(1, scale.max_repeats))
    forms = [
        "https://example.org/a/b?c=d&e=f#g",
        "ada@example.org",
        "#Lovelace",
        "@Hopper",
        "C:\\Users\\ada\\file.txt",
        "<b>Otto</b>",
        "| Ada | Bo |",
        "* * *",
    ]
    picked = draw(st.lists(st.sampled_from(forms), min_size=1, max_size=4))
    return " ".join(picked[i % len(picked)] for i in range(count))


@st.composite
def _token(draw: st.DrawFn, scale: Scale) -> str:
    """One huge token: no space in tens of thousands of characters."""
    size = draw(st.integers(50, 30 * scale.max_line_words))
    unit = draw(
        st.sampled_from(
            ["x", "Ada", "-", "Ada-", "a.", "9", "\u00e9", "\U0001f600", "ab/", "%20"]
        )
    )
    token = (unit * (size // len(unit) + 1))[:size]
    form = draw(st.sampled_from(["bare", "url", "mail", "hash"]))
    token = {
        "bare": token,
        "url": f"https://example.org/{token}",
        "mail": f"{token}@example.org",
        "hash": f"#{token}",
    }[form]
    return f"{draw(_person())} wrote {token} to {draw(_person())}."


def _segment(scale: Scale) -> st.SearchStrategy[tuple[str, str]]:
    kinds: dict[str, st.SearchStrategy[str]] = {
        "prose": _prose(),
        "nested": _nested(scale),
        "names": _names(scale),
        "coordination": _coordination(scale),
        "clauses": _clauses(scale),
        "chain": _chain(scale),
        "line": _line(scale),
        "repeats": _repeats(scale),
        "number": _number(scale),
        "unicode": _unicode(scale),
        "control": _control(),
        "whitespace": _whitespace(scale),
        "scripts": _scripts(),
        "web": _web(scale),
        "token": _token(scale),
    }
    return st.one_of(*(s.map(_labelled(k)) for k, s in kinds.items()))


def _labelled(kind: str) -> Callable[[str], tuple[str, str]]:
    def label(text: str) -> tuple[str, str]:
        return kind, text

    return label


@dataclass(frozen=True)
class Drawn:
    """A drawn text and the kinds of its segments, in order."""

    text: str
    kinds: tuple[str, ...]


@st.composite
def drawn_texts(draw: st.DrawFn, scale: Scale) -> Drawn:
    """A text of one to four hostile or ordinary segments, and their kinds."""
    # one ordinary sentence at least: a text of blanks is refused as empty
    parts = [("prose", draw(_prose())), *draw(st.lists(_segment(scale), max_size=3))]
    parts = draw(st.permutations(parts))
    seps = draw(st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=len(parts)))
    text = "".join(p + s for (_k, p), s in zip(parts, seps, strict=False))
    return Drawn(text, tuple(k for k, _p in parts))


def texts(scale: Scale) -> st.SearchStrategy[str]:
    """A text of one to four hostile or ordinary segments."""
    return drawn_texts(scale).map(lambda d: d.text)


# --- strategies: corpora (files with hostile names) ----------------------------------


@st.composite
def _content(draw: st.DrawFn, scale: Scale) -> bytes:
    # now and then a bad file (mid-range values: hypothesis favours the ends)
    kind = draw(st.integers(0, 999))
    if kind == 617:
        return draw(st.sampled_from([b"", b"   \n", b"\xef\xbb\xbf"]))
    if kind == 618:
        return b"\x00" + draw(st.binary(max_size=200))
    if kind == 619:
        return draw(_prose()).encode("utf-8") + b" caf\xe9"
    if 620 <= kind <= 624:  # odd encodings of an ordinary text
        text = draw(_prose()) + " \u201cBesan\u00e7on\u201d \u00e9t\u00e9 \u2013 ok."
        encoding = ["utf-16", "utf-8-sig", "cp1252", "utf-16-be", "utf-32"][kind - 620]
        data = text.encode(encoding, "replace")
        return data.replace(b"\n", b"\r\n") if kind == 622 else data
    return draw(texts(scale)).encode("utf-8")


@st.composite
def _corpus_file(draw: st.DrawFn, scale: Scale) -> tuple[bytes, int]:
    """A JSON Lines corpus and the number of records in it."""
    lines: list[bytes] = []
    for i in range(draw(st.integers(1, 8))):
        rid: str | int = draw(st.one_of(st.integers(0, 10**6), _unicode(scale)))
        if rid == "":
            rid = i
        text = draw(texts(scale))
        lines.append(json.dumps({"id": rid, "text": text}).encode("utf-8"))
    if draw(st.integers(0, 59)) == 0:
        lines.append(draw(st.sampled_from([b"{not json", b"[1]", b'{"id": 1}'])))
    return b"\n".join(lines) + b"\n", len(lines)


@st.composite
def _stem(draw: st.DrawFn) -> str:
    alphabet = st.characters(
        blacklist_categories=_NO_SURROGATES, blacklist_characters="/\x00"
    )
    return draw(
        st.one_of(
            st.text(alphabet, min_size=1, max_size=24),
            st.sampled_from(["A B", "a-b", "News", "café", "新闻", "报道", "x"]),
        )
    )


def _variants(stem: str) -> list[str]:
    """Names a slug of the file name used to fold into one."""
    return [
        stem,
        stem.upper(),
        stem.lower(),
        unicodedata.normalize("NFD", stem),
        unicodedata.normalize("NFC", stem),
        stem.replace(" ", "-"),
    ]


@dataclass
class Corpus:
    """Files to write under a folder: relative path (bytes) -> content."""

    files: dict[bytes, bytes] = field(default_factory=dict)
    #: documents in each input file (a text file 1, a corpus its records)
    counts: dict[bytes, int] = field(default_factory=dict)
    spec: str = "folder"

    @property
    def chars(self) -> int:
        return sum(len(c) for c in self.files.values())

    def inputs(self) -> list[bytes]:
        """The files the spec names: .txt and .jsonl (a glob skips hidden ones)."""
        names = [n for n in self.files if n.endswith((b".txt", b".jsonl"))]
        if self.spec == "glob":
            names = [
                n for n in names if not any(p.startswith(b".") for p in n.split(b"/"))
            ]
        return names

    @property
    def documents(self) -> int:
        """Documents a successful build must hold (text files + corpus records)."""
        return sum(self.counts.get(n, 1) for n in self.inputs())


@st.composite
def corpora(draw: st.DrawFn, scale: Scale) -> Corpus:
    """A folder of hostile files (and how many documents it holds)."""
    corpus = Corpus(spec=draw(st.sampled_from(["folder", "folder", "glob", "list"])))
    for _ in range(draw(st.integers(1, scale.max_files))):
        stems = [draw(_stem())]
        if draw(st.booleans()):
            stems = list(dict.fromkeys(_variants(stems[0])))
        folder = draw(st.sampled_from([b"", b"a/", b"b/", b"a/deep/"]))
        is_corpus = draw(st.integers(0, 9)) == 0
        for stem in stems:
            suffix = (
                ".jsonl" if is_corpus else draw(st.sampled_from([".txt"] * 9 + [".md"]))
            )
            name = folder + stem.encode("utf-8") + suffix.encode()
            if draw(st.integers(0, 1999)) == 1234:
                name = folder + b"caf\xe9" + suffix.encode()  # not UTF-8
            if len(os.path.basename(name)) > 250 or name in corpus.files:
                continue
            if is_corpus:
                content, corpus.counts[name] = draw(_corpus_file(scale))
            else:
                content = draw(_content(scale))
            corpus.files[name] = content
    return corpus
