"""Fuzz the build with hostile texts and file names (hypothesis), stage by stage.

Three kinds of run, one benchmark:

1. **Documents** (most inputs). Hypothesis draws a hostile or ordinary text
   (deep nesting of brackets and quotation marks, long lists of names,
   comma-joined clauses, lines without punctuation, control characters, huge
   numbers, mixed scripts, long coordinations, pronoun chains, repeated
   sentences, floods of whitespace, random Unicode, ...). Each is built
   in this process through the build's own code (:func:`kg.build._iter_extracted`
   with the pipeline loaded once, no worker: the code a build runs), with the
   CPU and wall seconds of each stage (parse, mentions, coref, relations,
   values, rdf = the document's quads serialised, other) kept; every
   ``--batch`` documents are written into a store (the store stage, timed
   too), one store for many batches, so merging into a growing store is
   exercised. A document must extract without an exception (a traceback),
   within the hang alarm, and within the **time bound** ``BOUND_SECONDS +
   BOUND_PER_CHAR * chars`` CPU seconds; a batch must be stored, every
   document in it, within the same bound of the batch's characters.
2. **Builds.** Hypothesis draws a folder of 1 to N files with random, hostile
   names (control characters, mixed scripts, names that fold to one slug:
   case, NFC/NFD, space/hyphen, the same name in two folders; now and then a
   name that is not UTF-8) holding hostile texts (now and then empty, binary
   or Latin-1 bytes) or JSON Lines corpora, named as a folder, a glob or an
   ``@LIST``; each is built with :func:`kg.build.run_build` (page included),
   into a fresh output or into a copy of an existing one. The build must
   succeed keeping every input as a document of its own (or skipping it with
   a one-line warning), or fail with a one-line :class:`kg.errors.KGError`,
   leaving the output folder byte for byte as it was.
3. **Builds through the CLI** (a share of 2.): ``python -m kg build`` in a
   child process; a failure must be one ``kg: error: ...`` line on stderr
   (besides ``kg: warning:`` lines) and a non-zero exit, the output untouched.

Every failing or slow input is kept, with its stage timings, under
``--findings`` (default ``output/fuzz-findings/``): ``<kind>-<n>/input.txt``
(a document) or ``<kind>-<n>/in/`` (a build's files, names as drawn) and
``finding.json``. The input being run is written to ``current/`` first, so
a crash of the whole process leaves it too. Replay one with
``python benchmarks/fuzz_build.py --replay output/fuzz-findings/slow-0001``.

Usage::

    nice -n 5 python benchmarks/fuzz_build.py [--inputs 10000] [--minutes M]

Writes ``benchmarks/results/fuzz_build.{json,md}`` (rewritten after every
round, so a stopped run keeps its figures). ``tests/test_fuzz.py`` runs a
fast, derandomized slice (:data:`CI`). The hostile inputs at full size are
``benchmarks/hostile_inputs.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
FINDINGS = ROOT / "output" / "fuzz-findings"

#: a document (or a batch written to the store) may take this many CPU
#: seconds plus BOUND_PER_CHAR a character
BOUND_SECONDS = 2.0
BOUND_PER_CHAR = 0.0005
#: wall seconds past which a document (plus its bound x HANG_LOAD) is a hang
HANG_SECONDS = 120.0
#: the machine is shared: wall time may run this many times the CPU bound
HANG_LOAD = 8.0
#: keep at most this many findings of one kind (the rest are counted)
KEEP_PER_KIND = 60


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
#: the benchmark run
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
    return joiner.join(f"{_LAST[i % 7]}{i} met {_FIRST[i % 9]}{i}" for i in range(count))


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
        body = people[0] + ", " + ", ".join(f"the {n} of {p}" for n, p in
                                             zip(_NOUNS * count, people[1:]))
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
    alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
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
    }
    return st.one_of(*(s.map(lambda t, k=k: (k, t)) for k, s in kinds.items()))


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
    alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
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


# --- stage timing -----------------------------------------------------------------

#: stages in data-flow order; "other" is a document's time outside them
STAGES = ("parse", "mentions", "coref", "relations", "values", "rdf", "other")
#: kg.build's module functions timed, and the stage each belongs to
_TIMED = {
    "extract_mentions": "mentions",
    "resolve_entities": "coref",
    "extract_relations": "relations",
    "extract_values": "values",
    "extract_value_facts": "values",
    "prepare_document": "rdf",
    "write_documents": "store",
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class StageClock:
    """CPU and wall seconds per stage, and the stage running now.

    :meth:`installed` wraps the stage functions :mod:`kg.build` calls (and
    its parse stream), so the build's own code runs, timed.
    """

    def __init__(self) -> None:
        self.stage = "idle"
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    def take(self) -> tuple[dict[str, float], dict[str, float]]:
        """The times since the last take (and start afresh)."""
        cpu, wall = self.cpu, self.wall
        self.cpu, self.wall = {}, {}
        return cpu, wall

    @contextlib.contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        outer, self.stage = self.stage, stage
        cpu, wall = _cpu(), time.perf_counter()
        try:
            yield
        finally:
            self.cpu[stage] = self.cpu.get(stage, 0.0) + _cpu() - cpu
            self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - wall
            if outer != "idle":  # a stage inside another: not counted twice
                self.cpu[outer] = self.cpu.get(outer, 0.0) - (_cpu() - cpu)
                self.wall[outer] = self.wall.get(outer, 0.0) - (
                    time.perf_counter() - wall
                )
            self.stage = outer

    def _wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.timing(stage):
                result = fn(*args, **kwargs)
                if stage == "mentions":  # a generator: run it here, timed
                    result = tuple(result)
                return result

        return timed

    def _wrap_parse(self, fn: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            stream = fn(*args, **kwargs)
            while True:
                with self.timing("parse"):
                    item = next(stream, None)
                if item is None:
                    return
                yield item

        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[StageClock]:
        import kg.build

        saved = {name: getattr(kg.build, name) for name in (*_TIMED, "_parse_jobs")}
        try:
            for name, stage in _TIMED.items():
                setattr(kg.build, name, self._wrap(stage, saved[name]))
            kg.build._parse_jobs = self._wrap_parse(saved["_parse_jobs"])  # type: ignore[assignment]
            yield self
        finally:
            for name, fn in saved.items():
                setattr(kg.build, name, fn)


def _rounded(times: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in times.items() if abs(v) >= 0.0005}


def bound(chars: int) -> float:
    """CPU seconds an input of ``chars`` characters may take."""
    return BOUND_SECONDS + BOUND_PER_CHAR * chars


# --- findings: every failing or slow input, kept ------------------------------------


class HangError(Exception):
    """The alarm rang: an input ran past its time."""


def _on_alarm(_signum: int, _frame: object) -> None:
    raise HangError()


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`HangError` in this thread after ``seconds`` (wall)."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Findings:
    """A folder of the inputs that failed or ran slow, each with what happened."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.counts: dict[str, int] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def current(self, text: str | None = None, corpus: Corpus | None = None) -> None:
        """Write the input about to run (a crash of the process leaves it)."""
        if self.folder is not None:
            self._write(self.folder / "current", text, corpus, {"kind": "current"})

    def keep(
        self,
        kind: str,
        meta: dict[str, Any],
        *,
        text: str | None = None,
        corpus: Corpus | None = None,
    ) -> str | None:
        """Keep one finding; return its folder name (None past the cap)."""
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.folder is None or n > KEEP_PER_KIND:
            return None
        name = f"{kind}-{n:04d}"
        self._write(self.folder / name, text, corpus, {"kind": kind, **meta})
        return name

    @staticmethod
    def _write(
        where: Path, text: str | None, corpus: Corpus | None, meta: dict[str, Any]
    ) -> None:
        if where.exists():
            shutil.rmtree(where)
        where.mkdir(parents=True)
        if text is not None:
            (where / "input.txt").write_text(text, encoding="utf-8")
        if corpus is not None:
            write_files(where, corpus)
            meta = {**meta, "spec": corpus.spec, "counts": _counts_meta(corpus)}
        (where / "finding.json").write_text(
            json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def _counts_meta(corpus: Corpus) -> dict[str, int]:
    return {os.fsdecode(k): v for k, v in corpus.counts.items()}


# --- 1. documents, in this process -------------------------------------------------


@dataclass
class DocOutcome:
    """What extracting one drawn document did."""

    chars: int
    kinds: tuple[str, ...]
    result: str = "ok"  # ok | traceback | hang
    message: str = ""
    cpu: float = 0.0
    wall: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    wall_stages: dict[str, float] = field(default_factory=dict)
    slow: bool = False
    finding: str | None = None


def _build_config(out: Path) -> Any:
    from kg.build import BuildConfig

    return BuildConfig(out=out, workers=0, batch_size=1, page=False)


def extract_one(text: str, doc_id: str, clock: StageClock, config: Any) -> Any:
    """Parse and extract one text as the build does (no worker); the Extracted."""
    from kg.build import DocumentJob, _iter_extracted
    from kg.nlp import load_pipeline

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    job = DocumentJob(0, doc_id, doc_id, text, sha)
    nlp = load_pipeline(config.model)
    [extracted] = list(_iter_extracted([job], nlp, config=config, total=1))
    # what a worker does after extracting: its quads serialised
    from kg.build import prepare_document

    return dataclasses.replace(extracted, prepared=prepare_document(extracted.document))


def run_document(
    drawn: Drawn, doc_id: str, clock: StageClock, config: Any, findings: Findings
) -> tuple[DocOutcome, Any]:
    """Extract one drawn text, timed per stage; keep it when it fails or is slow."""
    text = drawn.text
    outcome = DocOutcome(chars=len(text), kinds=drawn.kinds)
    findings.current(text=text)
    clock.take()
    cpu, wall = _cpu(), time.perf_counter()
    extracted = None
    try:
        with alarm(HANG_SECONDS + HANG_LOAD * bound(len(text))):
            extracted = extract_one(text, doc_id, clock, config)
    except HangError:
        outcome.result = "hang"
        outcome.message = f"alarm in stage {clock.stage}"
    except Exception as exc:  # noqa: BLE001 - the fuzz's finding
        outcome.result = "traceback"
        outcome.message = "".join(traceback.format_exception(exc)[-4:])[-2000:]
    outcome.cpu = _cpu() - cpu
    outcome.wall = time.perf_counter() - wall
    stages, wall_stages = clock.take()
    clock.stage = "idle"
    stages["other"] = outcome.cpu - sum(stages.values())
    wall_stages["other"] = outcome.wall - sum(wall_stages.values())
    outcome.stages, outcome.wall_stages = _rounded(stages), _rounded(wall_stages)
    outcome.slow = outcome.cpu > bound(len(text))
    if outcome.result != "ok" or outcome.slow:
        kind = "slow" if outcome.result == "ok" else outcome.result
        meta = dataclasses.asdict(outcome)
        outcome.finding = findings.keep(kind, meta, text=text)
    return outcome, extracted


@dataclass
class StoreOutcome:
    """What writing one batch of documents to the store did."""

    documents: int
    chars: int
    stored_before: int
    result: str = "ok"
    message: str = ""
    cpu: float = 0.0
    wall: float = 0.0
    problems: list[str] = field(default_factory=list)


def store_batch(out: Path, batch: list[Any], chars: int) -> StoreOutcome:
    """Write a batch of extracted documents into the store of ``out``, timed."""
    from kg.store import has_store, list_documents, write_documents

    before = len(list_documents(out)) if has_store(out) else 0
    outcome = StoreOutcome(len(batch), chars, before)
    cpu, wall = _cpu(), time.perf_counter()
    try:
        with alarm(HANG_SECONDS + HANG_LOAD * bound(chars)):
            write_documents(
                out,
                [e.document for e in batch],
                prepared={e.document.doc_id: e.prepared for e in batch},
                parallel=False,
            )
    except HangError:
        outcome.result = "hang"
    except Exception as exc:  # noqa: BLE001 - the fuzz's finding
        outcome.result = "traceback"
        outcome.message = "".join(traceback.format_exception(exc)[-4:])[-2000:]
    outcome.cpu = _cpu() - cpu
    outcome.wall = time.perf_counter() - wall
    if outcome.result == "ok":
        stored = len(list_documents(out)) - before
        if stored != len(batch):
            outcome.problems.append(f"{len(batch)} written but {stored} stored")
    if outcome.cpu > bound(chars):
        outcome.problems.append(
            f"store write of {chars:,} chars took {outcome.cpu:.1f} CPU s"
        )
    return outcome


def fuzz_documents(
    scale: Scale,
    examples: int,
    work: Path,
    findings: Findings,
    record: Callable[[DocOutcome], None],
    record_store: Callable[[StoreOutcome], None],
    *,
    seed_value: int = 0,
    batch: int = 50,
) -> None:
    """Run ``examples`` drawn documents; store every ``batch`` of them."""
    from kg.nlp import load_pipeline

    out = work / f"docs-{seed_value}"
    config = _build_config(out)
    load_pipeline(config.model)
    pending: list[Any] = []
    pending_chars = [0]
    clock = StageClock()

    def flush() -> None:
        if pending:
            record_store(store_batch(out, pending, pending_chars[0]))
            pending.clear()
            pending_chars[0] = 0

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=drawn_texts(scale))
    def one(drawn: Drawn) -> None:
        doc_id = f"fuzz/{seed_value}/{one.calls}"
        one.calls += 1  # type: ignore[attr-defined]
        outcome, extracted = run_document(drawn, doc_id, clock, config, findings)
        record(outcome)
        if extracted is not None:
            pending.append(extracted)
            pending_chars[0] += outcome.chars
        if len(pending) >= batch:
            flush()

    one.calls = 0  # type: ignore[attr-defined]
    with clock.installed():
        one()
        flush()


# --- 2. and 3. whole builds -----------------------------------------------------------


@dataclass
class Outcome:
    """What one build of a drawn corpus did."""

    inputs: int
    chars: int
    via: str = "api"  # api | cli
    seconds: float = 0.0
    cpu: float = 0.0
    result: str = "ok"  # ok | error | traceback | hang
    message: str = ""
    problems: list[str] = field(default_factory=list)
    built: int = 0  # documents a successful build extracted
    #: (chars, CPU seconds, stage CPU seconds) of the slowest document
    slowest: tuple[int, float, dict[str, float]] = (0, 0.0, {})
    finding: str | None = None


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's hash, a link's target."""
    state: dict[str, str] = {}
    if not folder.exists():
        return state
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            state[key] = "-> " + os.readlink(path)
        elif path.is_file():
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[key] = "dir"
    return state


def write_files(root: Path, corpus: Corpus) -> list[str]:
    """Write the corpus under ``root/in``; return the input specs naming it."""
    raw_root = os.fsencode(root)
    for name, content in corpus.files.items():
        path = os.path.join(raw_root, b"in", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content)
    folder = root / "in"
    if corpus.spec == "glob":
        return [f"{folder}/**/*.txt", f"{folder}/**/*.jsonl"]
    if corpus.spec == "list":
        listing = root / "list.txt"
        lines = [os.path.join(raw_root, b"in", n) for n in corpus.inputs()]
        listing.write_bytes(b"\n".join(lines) + b"\n")
        return [f"@{listing}"]
    return [str(folder)]


def _build_api(
    specs: list[str], out: Path, outcome: Outcome, limit: float
) -> tuple[Any, list[str], list[tuple[int, float, dict[str, float]]]]:
    from kg.build import BuildConfig, run_build
    from kg.errors import KGError

    warnings: list[str] = []
    times: list[tuple[int, float, dict[str, float]]] = []
    clock = StageClock()
    last = [_cpu()]

    def on_document(document: Any) -> None:
        now = _cpu()
        chars = sum(len(s.text) for s in document.sentences)
        cpu, _wall = clock.take()
        times.append((chars, now - last[0], _rounded(cpu)))
        last[0] = now

    config = BuildConfig(out=out, workers=0, batch_size=1)
    report = None
    try:
        with clock.installed(), alarm(limit):
            report = run_build(
                specs, config=config, on_document=on_document, on_warning=warnings.append
            )
    except HangError:
        outcome.result = "hang"
        outcome.message = f"over {limit:.0f} s in stage {clock.stage}"
    except KGError as exc:
        outcome.result = "error"
        outcome.message = f"{type(exc).__name__}: {exc}"
        if "\n" in str(exc):
            outcome.problems.append("error message of more than one line")
    except Exception as exc:  # noqa: BLE001 - the fuzz's finding
        outcome.result = "traceback"
        outcome.message = "".join(traceback.format_exception(exc)[-4:])[-2000:]
    return report, warnings, times


def _build_cli(
    specs: list[str], out: Path, outcome: Outcome, limit: float
) -> tuple[int | None, list[str]]:
    """Run ``python -m kg build`` on the specs; return the documents it built."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "kg", "build", *specs, "--out", str(out)]
    try:
        proc = subprocess.run(  # noqa: S603 - our own CLI
            cmd, capture_output=True, timeout=limit, env=env, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        outcome.result = "hang"
        outcome.message = f"over {limit:.0f} s"
        return None, []
    stderr = proc.stderr.decode("utf-8", "replace").splitlines()
    warnings = [line for line in stderr if line.startswith("kg: warning: ")]
    rest = [line for line in stderr if not line.startswith("kg: warning: ") and line]
    if proc.returncode == 0:
        if rest:
            outcome.problems.append(f"stderr besides warnings: {rest[:3]}")
        stdout = proc.stdout.decode("utf-8", "replace")
        built = 0
        for word in stdout.split("·")[0].split():
            if word.isdigit():
                built = int(word)
        return built, warnings
    if len(rest) == 1 and rest[0].startswith("kg: error: "):
        outcome.result = "error"
        outcome.message = rest[0][len("kg: error: ") :]
    elif any("Traceback" in line for line in rest):
        outcome.result = "traceback"
        outcome.message = "\n".join(rest[-4:])[-2000:]
    else:
        outcome.result = "error"
        outcome.message = "\n".join(rest)[-2000:]
        outcome.problems.append(f"exit {proc.returncode} without one error line")
    return None, warnings


def run_example(
    corpus: Corpus,
    work: Path,
    base: Path | None,
    *,
    via: str = "api",
    findings: Findings | None = None,
) -> Outcome:
    """Build ``corpus`` (into a copy of ``base`` when given) and judge the result."""
    from kg.store import has_store, list_documents

    outcome = Outcome(inputs=max(corpus.documents, 1), chars=corpus.chars, via=via)
    if findings is not None:
        findings.current(corpus=corpus)
    specs = write_files(work, corpus)
    out = work / "out"
    if base is not None:
        shutil.copytree(base, out, symlinks=True)
    before = snapshot(out)
    stored_before = len(list_documents(out)) if has_store(out) else 0
    limit = HANG_SECONDS + HANG_LOAD * bound(corpus.chars) * max(1, corpus.documents)
    started, cpu = time.perf_counter(), _cpu()
    times: list[tuple[int, float, dict[str, float]]] = []
    if via == "cli":
        built, warnings = _build_cli(specs, out, outcome, limit)
    else:
        report, warnings, times = _build_api(specs, out, outcome, limit)
        built = report.documents if report is not None else None
        unchanged = report.unchanged if report is not None else 0
    outcome.seconds = time.perf_counter() - started
    outcome.cpu = _cpu() - cpu
    if times:
        outcome.slowest = max(times, key=lambda t: t[1] / bound(t[0]))
        chars, seconds, _stages = outcome.slowest
        if seconds > bound(chars):
            outcome.problems.append(
                f"a document of {chars} chars took {seconds:.1f} CPU s"
            )
    if any("\n" in w for w in warnings):
        outcome.problems.append("a warning of more than one line")
    if outcome.result != "ok":
        if outcome.result != "hang" and snapshot(out) != before:
            outcome.problems.append("a failed build changed the output folder")
    elif built is not None:
        _check_built(outcome, corpus, out, built, warnings, stored_before, via)
        if via == "api":
            skipped = sum("skipped" in w for w in warnings)
            if built + skipped + unchanged != corpus.documents:
                outcome.problems.append(
                    f"{corpus.documents} documents in, {built} built, "
                    f"{skipped} skipped, {unchanged} unchanged"
                )
    if findings is not None and (outcome.result in {"traceback", "hang"} or outcome.problems):
        kind = outcome.result if outcome.result != "ok" else "build-problem"
        if outcome.result == "error":
            kind = "build-problem"
        outcome.finding = findings.keep(kind, dataclasses.asdict(outcome), corpus=corpus)
    return outcome


def _check_built(
    outcome: Outcome,
    corpus: Corpus,
    out: Path,
    built: int,
    warnings: list[str],
    stored_before: int,
    via: str,
) -> None:
    from kg.store import list_documents

    outcome.built = built
    stored = len(list_documents(out)) - stored_before
    if via == "api" and stored != built:
        outcome.problems.append(f"{built} built but {stored} stored")
    skipped = sum("skipped" in w for w in warnings)
    if via == "cli" and stored + skipped < corpus.documents and built:
        outcome.problems.append(
            f"{corpus.documents} documents in, {stored} stored, {skipped} skipped"
        )


def make_base(work: Path) -> Path:
    """An existing output (two documents) that failed builds must leave as it is."""
    from kg.build import BuildConfig, run_build

    source = work / "base-in"
    source.mkdir(parents=True)
    (source / "one.txt").write_text("Ada Lovelace wrote to Charles Babbage.\n")
    (source / "two.txt").write_text("Grace Hopper met Howard Aiken in Boston.\n")
    out = work / "base"
    run_build([source], config=BuildConfig(out=out, workers=0))
    return out


def fuzz_builds(
    scale: Scale,
    examples: int,
    base: Path,
    findings: Findings,
    record: Callable[[Outcome], None],
    *,
    seed_value: int = 0,
    cli_every: int = 0,
) -> None:
    """Build ``examples`` drawn corpora; every ``cli_every``-th through the CLI."""
    count = [0]

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(corpus=corpora(scale), into_existing=st.booleans())
    def one(corpus: Corpus, into_existing: bool) -> None:
        count[0] += 1
        via = "cli" if cli_every and count[0] % cli_every == 0 else "api"
        with tempfile.TemporaryDirectory() as tmp:
            record(
                run_example(
                    corpus,
                    Path(tmp),
                    base if into_existing else None,
                    via=via,
                    findings=findings,
                )
            )

    one()


# --- replay -------------------------------------------------------------------------


def replay(where: Path) -> dict[str, Any]:
    """Run a kept finding again; return what happened (timings per stage)."""
    meta = json.loads((where / "finding.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        if (where / "input.txt").exists():
            text = (where / "input.txt").read_text(encoding="utf-8")
            clock = StageClock()
            config = _build_config(Path(tmp) / "out")
            with clock.installed():
                outcome, extracted = run_document(
                    Drawn(text, tuple(meta.get("kinds", ()))),
                    "replay",
                    clock,
                    config,
                    Findings(None),
                )
            result = dataclasses.asdict(outcome)
            if extracted is not None:
                result["store"] = dataclasses.asdict(
                    store_batch(Path(tmp) / "out", [extracted], len(text))
                )
            return result
        corpus = Corpus(spec=meta.get("spec", "folder"))
        folder = where / "in"
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                rel = os.fsencode(path.relative_to(folder))
                corpus.files[rel] = path.read_bytes()
        corpus.counts = {os.fsencode(k): v for k, v in meta.get("counts", {}).items()}
        return dataclasses.asdict(run_example(corpus, Path(tmp), None))


# --- the benchmark -------------------------------------------------------------------


@dataclass
class Tally:
    """Everything the run recorded."""

    docs: list[DocOutcome] = field(default_factory=list)
    stores: list[StoreOutcome] = field(default_factory=list)
    builds: list[Outcome] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return len(self.docs) + sum(b.inputs for b in self.builds)


def _count(items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _by_kind(docs: list[DocOutcome]) -> dict[str, dict[str, Any]]:
    """Per segment kind: documents, and the worst CPU s/char ratio to the bound."""
    kinds: dict[str, dict[str, Any]] = {}
    for d in docs:
        for kind in set(d.kinds):
            row = kinds.setdefault(kind, {"documents": 0, "chars": 0, "cpu": 0.0,
                                          "worst": 0.0})
            row["documents"] += 1
            row["chars"] += d.chars
            row["cpu"] += d.cpu
            row["worst"] = max(row["worst"], d.cpu / bound(d.chars))
    for row in kinds.values():
        row["cpu"] = round(row["cpu"], 1)
        row["ms_per_kchar"] = round(1e6 * row["cpu"] / max(row["chars"], 1) / 1000, 2)
        row["worst"] = round(row["worst"], 3)
    return dict(sorted(kinds.items()))


def summary(tally: Tally) -> dict[str, Any]:
    """The run's figures (JSON-ready)."""
    docs, stores, builds = tally.docs, tally.stores, tally.builds
    worst_doc = max(docs, key=lambda d: d.cpu / bound(d.chars), default=None)
    stage_cpu: dict[str, float] = {}
    for d in docs:
        for k, v in d.stages.items():
            stage_cpu[k] = stage_cpu.get(k, 0.0) + v
    stage_cpu["store"] = sum(s.cpu for s in stores)
    worst_store = max(stores, key=lambda s: s.cpu / bound(s.chars), default=None)
    return {
        "inputs": tally.inputs,
        "documents": {
            "count": len(docs),
            "chars": sum(d.chars for d in docs),
            "cpu": round(sum(d.cpu for d in docs), 1),
            "wall": round(sum(d.wall for d in docs), 1),
            "results": _count([d.result for d in docs]),
            "slow": sum(d.slow for d in docs),
            "stage_cpu": {k: round(v, 1) for k, v in stage_cpu.items()},
            "worst": dataclasses.asdict(worst_doc) if worst_doc else None,
            "worst_ratio": round(worst_doc.cpu / bound(worst_doc.chars), 3)
            if worst_doc
            else None,
            "by_kind": _by_kind(docs),
            "tracebacks": [d.message for d in docs if d.result == "traceback"][:10],
            "hangs": [dataclasses.asdict(d) for d in docs if d.result == "hang"][:10],
            "slowest": [
                dataclasses.asdict(d)
                for d in sorted(docs, key=lambda d: -d.cpu / bound(d.chars))[:10]
            ],
        },
        "stores": {
            "batches": len(stores),
            "documents": sum(s.documents for s in stores),
            "results": _count([s.result for s in stores]),
            "problems": [p for s in stores for p in s.problems][:10],
            "cpu": round(sum(s.cpu for s in stores), 1),
            "worst_ratio": round(worst_store.cpu / bound(worst_store.chars), 3)
            if worst_store
            else None,
            "largest_store": max((s.stored_before + s.documents for s in stores),
                                 default=0),
        },
        "builds": {
            "count": len(builds),
            "via_cli": sum(b.via == "cli" for b in builds),
            "inputs": sum(b.inputs for b in builds),
            "documents_built": sum(b.built for b in builds),
            "chars": sum(b.chars for b in builds),
            "results": _count([b.result for b in builds]),
            "errors_by_kind": _count(
                [b.message.split(":")[0] for b in builds if b.result == "error"
                 and b.via == "api"]
            ),
            "tracebacks": [b.message for b in builds if b.result == "traceback"][:10],
            "hangs": [dataclasses.asdict(b) for b in builds if b.result == "hang"][:10],
            "problems": [
                {"problems": b.problems, "finding": b.finding, "message": b.message}
                for b in builds
                if b.problems
            ][:20],
            "problem_count": sum(bool(b.problems) for b in builds),
            "worst_ratio": round(
                max((b.slowest[1] / bound(b.slowest[0]) for b in builds), default=0), 3
            ),
            "seconds": round(sum(b.seconds for b in builds), 1),
        },
    }


def markdown(result: dict[str, Any]) -> str:
    """The results page."""
    s = result["summary"]
    d, st_, b = s["documents"], s["stores"], s["builds"]
    tracebacks = d["results"].get("traceback", 0) + b["results"].get("traceback", 0)
    tracebacks += st_["results"].get("traceback", 0)
    hangs = d["results"].get("hang", 0) + b["results"].get("hang", 0)
    hangs += st_["results"].get("hang", 0)
    lines = [
        f"# Fuzzing the build ({result['date']})\n",
        f"**{s['inputs']:,} inputs**: {d['count']:,} documents extracted one by one "
        f"in this process ({d['chars']:,} characters) and written to the store in "
        f"{st_['batches']:,} batches, and {b['inputs']:,} inputs in {b['count']:,} "
        f"whole builds ({b['via_cli']} through `python -m kg build`). "
        f"{result['minutes']:.0f} min at a load average of {result['load_avg']} "
        f"on {os.cpu_count()} shared cores.\n",
        f"- **tracebacks: {tracebacks}, hangs: {hangs}**, documents over the time "
        f"bound: {d['slow']}, builds with a broken property: {b['problem_count']}, "
        f"store batches with a problem: {len(st_['problems'])}",
        f"- time bound: {BOUND_SECONDS:g} s + {BOUND_PER_CHAR * 1e3:g} ms a character "
        f"of CPU per document (and per stored batch); worst document "
        f"{d['worst_ratio']} of its bound, worst stored batch {st_['worst_ratio']}, "
        f"worst document in a whole build {b['worst_ratio']}",
        f"- builds: {b['results']}; one-line errors by kind: {b['errors_by_kind']}",
        f"- CPU seconds by stage (documents): {d['stage_cpu']}",
        f"- largest store written: {st_['largest_store']:,} documents\n",
        "Per kind of segment (a document has one to four):\n",
        "| kind | documents | chars | CPU s | ms / 1,000 chars | worst / bound |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in d["by_kind"].items():
        lines.append(
            f"| {kind} | {row['documents']:,} | {row['chars']:,} | {row['cpu']} "
            f"| {row['ms_per_kchar']} | {row['worst']} |"
        )
    lines += [
        "\nSlowest documents against the bound:\n",
        "| chars | kinds | CPU s | stages (CPU s) | kept as |",
        "|---:|---|---:|---|---|",
    ]
    for row in d["slowest"]:
        stages = sorted(row["stages"].items(), key=lambda kv: -kv[1])[:3]
        lines.append(
            f"| {row['chars']:,} | {', '.join(row['kinds'])} | {row['cpu']:.2f} "
            f"| {', '.join(f'{k} {v}' for k, v in stages)} | {row['finding'] or ''} |"
        )
    return "\n".join(lines) + "\n"


def _save(tally: Tally, started: float, load: float) -> None:
    result = {
        "date": dt.date.today().isoformat(),
        "load_avg": round(load, 2),
        "minutes": (time.time() - started) / 60,
        "bound": {"seconds": BOUND_SECONDS, "per_char": BOUND_PER_CHAR},
        "summary": summary(tally),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fuzz_build.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (RESULTS / "fuzz_build.md").write_text(markdown(result), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=None, help="stop after")
    parser.add_argument("--round", type=int, default=200, help="documents a round")
    parser.add_argument("--batch", type=int, default=50, help="documents a store write")
    parser.add_argument("--builds", type=int, default=10, help="builds a round")
    parser.add_argument("--cli-every", type=int, default=5)
    parser.add_argument("--findings", type=Path, default=FINDINGS)
    parser.add_argument("--replay", type=Path, default=None)
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    if args.replay is not None:
        print(json.dumps(replay(args.replay), indent=1, ensure_ascii=False)[:20000])
        return
    load = os.getloadavg()[0]
    started = time.time()
    deadline = time.monotonic() + 60 * (args.minutes or 1e9)
    findings = Findings(args.findings)
    tally = Tally()
    log = (args.findings / "progress.jsonl").open("a")
    with tempfile.TemporaryDirectory() as tmp:
        base = make_base(Path(tmp))
        round_no = args.first_seed
        while tally.inputs < args.inputs and time.monotonic() < deadline:
            work = Path(tmp) / f"round-{round_no}"
            work.mkdir()
            fuzz_documents(
                BENCH, args.round, work, findings, tally.docs.append,
                tally.stores.append, seed_value=round_no, batch=args.batch,
            )  # fmt: skip
            if args.builds:
                fuzz_builds(
                    BENCH, args.builds, base, findings, tally.builds.append,
                    seed_value=round_no, cli_every=args.cli_every,
                )  # fmt: skip
            shutil.rmtree(work, ignore_errors=True)
            _save(tally, started, load)
            brief = summary(tally)
            log.write(json.dumps({"round": round_no, "inputs": tally.inputs,
                                  "findings": findings.counts,
                                  "docs": brief["documents"]["results"],
                                  "builds": brief["builds"]["results"]}) + "\n")
            log.flush()
            print(f"round {round_no}: {tally.inputs} inputs, findings "
                  f"{findings.counts}", file=sys.stderr, flush=True)  # fmt: skip
            round_no += 1
    _save(tally, started, load)
    print((RESULTS / "fuzz_build.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
