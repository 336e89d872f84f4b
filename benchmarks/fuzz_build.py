"""Fuzz the whole build with hostile texts and file names (hypothesis).

Two parts, one run:

1. **Property fuzz.** Hypothesis draws small corpora, a folder of 1 to N files
   with random, hostile names (control characters, mixed scripts, names that
   fold to one slug: case, NFC/NFD, space/hyphen, the same name in two
   folders; now and then a name that is not UTF-8) holding random, hostile
   texts (deep nesting of brackets and quotation marks, long lists of names,
   comma-joined clauses, lines without punctuation, control characters, huge
   numbers, mixed scripts, random Unicode; now and then empty, binary or
   Latin-1 bytes) or JSON Lines corpora, and builds each with
   :func:`kg.build.run_build`, into a fresh output or into a copy of an
   existing one. Each build must either succeed, keeping every input as a
   document of its own (or skipping it with a warning), or fail with a
   one-line :class:`kg.errors.KGError`, leaving the output folder byte for
   byte as it was; never another exception (a traceback), never a hang
   (an alarm), and each document within ``BOUND_SECONDS +
   BOUND_PER_CHAR * chars``.
2. **Hostile set at full size.** Nesting 5,000 deep, lists of 2,000 names,
   2,000 comma-joined clauses, 100 KB and 1 MB lines without punctuation,
   numbers of 10,000 digits: each built alone and timed against as much
   ordinary prose (Re-DocRED dev text; target under 3 ×), with the time
   spent in each stage (parse, mentions, coreference, relations, values,
   store and page).

Usage::

    nice -n 5 python benchmarks/fuzz_build.py [--inputs 10000] [--skip-hostile]

Writes ``benchmarks/results/fuzz_build.{json,md}`` and, as they happen, the
builds that broke a property to ``fuzz_build.findings.jsonl``.
``tests/test_fuzz.py`` runs a fast slice of part 1 (:data:`CI`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
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
REDOCRED = ROOT.parent / "shared" / "eval" / "redocred" / "dev_revised.json"
RESULTS = ROOT / "benchmarks" / "results"

#: a document may take this long plus BOUND_PER_CHAR a character
BOUND_SECONDS = 5.0
BOUND_PER_CHAR = 0.002
#: a build that runs past this (plus the bound of its text) counts as a hang
HANG_SECONDS = 120.0


@dataclass(frozen=True)
class Scale:
    """How big the drawn inputs may get."""

    max_files: int
    max_depth: int
    max_names: int
    max_line_words: int
    max_digits: int
    max_unicode: int


#: the fast slice CI runs (tests/test_fuzz.py)
CI = Scale(
    max_files=3,
    max_depth=300,
    max_names=40,
    max_line_words=300,
    max_digits=5000,
    max_unicode=200,
)
#: the benchmark run
BENCH = Scale(
    max_files=20,
    max_depth=5000,
    max_names=150,
    max_line_words=600,
    max_digits=12000,
    max_unicode=1000,
)

_FIRST = ["Ada", "Mary", "Grace", "Alan", "Emmy", "Lise", "Niels", "Otto", "Marie"]
_LAST = ["Lovelace", "Somerville", "Hopper", "Turing", "Noether", "Meitner", "Bohr"]
_PLACES = ["London", "Paris", "Boston", "Vienna", "Berlin", "Kyoto", "Lagos", "Lima"]
_VERBS = ["met", "wrote to", "visited", "hired", "sued", "praised", "married"]
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


# --- strategies ----------------------------------------------------------------


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
    opens = "".join(kinds[i % len(kinds)] for i in range(depth))
    inner = draw(_prose())
    balanced = draw(st.booleans())
    closes = "".join(_CLOSE[c] for c in reversed(opens)) if balanced else ""
    spaced = draw(st.booleans())
    sep = " " if spaced else ""
    return f"{draw(_person())} said {sep.join(opens)}{inner}{sep.join(closes)}."


@st.composite
def _names(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(2, scale.max_names))
    joiner = draw(st.sampled_from([" and ", ", ", " or ", "; "]))
    people = [draw(_person()) for _ in range(min(count, 30))]
    listed = joiner.join(people[i % len(people)] + str(i) for i in range(count))
    return f"{listed} met in {draw(st.sampled_from(_PLACES))}."


@st.composite
def _clauses(draw: st.DrawFn, scale: Scale) -> str:
    count = draw(st.integers(2, scale.max_names))
    return ", ".join(f"{_LAST[i % 7]}{i} met {_FIRST[i % 9]}{i}" for i in range(count))


@st.composite
def _line(draw: st.DrawFn, scale: Scale) -> str:
    words = draw(st.integers(10, scale.max_line_words))
    vocabulary = draw(st.lists(st.sampled_from(_FIRST + _LAST + _PLACES), min_size=1))
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


@st.composite
def _number(draw: st.DrawFn, scale: Scale) -> str:
    digits = draw(st.integers(1, scale.max_digits))
    form = draw(st.sampled_from(["int", "float", "exp", "money", "grouped", "neg"]))
    n = "9" * digits
    text = {
        "int": n,
        "float": f"{n}.{n[:50]}",
        "exp": f"1e{n[:7]}",
        "money": f"${n} million",
        "grouped": ",".join(["999"] * max(1, digits // 3)),
        "neg": f"-0.{'0' * digits}1",
    }[form]
    return f"{draw(_person())} paid {text} dollars to {draw(_person())} in 1999."


def _unicode(scale: Scale) -> st.SearchStrategy[str]:
    # no NUL: a NUL byte makes kg refuse the file as binary (drawn apart)
    alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    return st.text(alphabet, max_size=scale.max_unicode)


_CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\u2028\u2029\ufeff\u200b"


def _control() -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(list(_CONTROL) + list("Ada met Bo.")), max_size=200)


def _scripts() -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(_SCRIPTS + _FIRST + _PLACES), min_size=1)
    return words.map(lambda w: " ".join(w) + ".")


def _segment(scale: Scale) -> st.SearchStrategy[str]:
    return st.one_of(
        _prose(),
        _nested(scale),
        _names(scale),
        _clauses(scale),
        _line(scale),
        _number(scale),
        _unicode(scale),
        _control(),
        _scripts(),
    )


@st.composite
def texts(draw: st.DrawFn, scale: Scale) -> str:
    """A text of one to four hostile or ordinary segments."""
    # one ordinary sentence at least: a text of blanks is refused as empty
    parts = [draw(_prose()), *draw(st.lists(_segment(scale), max_size=3))]
    parts = draw(st.permutations(parts))
    seps = draw(st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=False))


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
    base = draw(
        st.one_of(
            st.text(alphabet, min_size=1, max_size=24),
            st.sampled_from(["A B", "a-b", "News", "café", "新闻", "报道", "x"]),
        )
    )
    return base


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


# --- running one example --------------------------------------------------------


class HangError(Exception):
    """The alarm rang: a build ran past its time."""


@dataclass
class Outcome:
    """What one build of a drawn corpus did."""

    inputs: int
    chars: int
    seconds: float = 0.0
    result: str = "ok"  # ok | error | traceback | hang
    message: str = ""
    problems: list[str] = field(default_factory=list)
    built: int = 0  # documents a successful build extracted
    slowest: tuple[int, float] = (0, 0.0)  # (chars, seconds) of the slowest document


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


def _write(root: Path, corpus: Corpus) -> list[str]:
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


def _on_alarm(_signum: int, _frame: object) -> None:
    raise HangError()


def run_example(corpus: Corpus, work: Path, base: Path | None) -> Outcome:
    """Build ``corpus`` (into a copy of ``base`` when given) and judge the result."""
    from kg.build import BuildConfig, run_build
    from kg.errors import KGError
    from kg.store import has_store, list_documents

    outcome = Outcome(inputs=max(corpus.documents, 1), chars=corpus.chars)
    specs = _write(work, corpus)
    out = work / "out"
    if base is not None:
        shutil.copytree(base, out, symlinks=True)
    before = snapshot(out)
    stored_before = len(list_documents(out)) if has_store(out) else 0
    times: list[tuple[int, float]] = []
    last = [time.perf_counter()]

    def on_document(document: Any) -> None:
        now = time.perf_counter()
        chars = sum(len(s.text) for s in document.sentences)
        times.append((chars, now - last[0]))
        last[0] = now

    warnings: list[str] = []
    config = BuildConfig(out=out, workers=0, batch_size=1)
    limit = HANG_SECONDS + BOUND_PER_CHAR * corpus.chars
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    report = None
    try:
        report = run_build(
            specs, config=config, on_document=on_document, on_warning=warnings.append
        )
    except HangError:
        outcome.result = "hang"
        outcome.message = f"over {limit:.0f} s"
    except KGError as exc:
        outcome.result = "error"
        outcome.message = f"{type(exc).__name__}: {exc}"
        if "\n" in str(exc):
            outcome.problems.append("error message of more than one line")
    except Exception as exc:  # noqa: BLE001 - the fuzz's finding
        outcome.result = "traceback"
        outcome.message = "".join(traceback.format_exception(exc)[-3:])[-1500:]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    outcome.seconds = time.perf_counter() - started
    if times:
        outcome.slowest = max(times, key=lambda t: t[1] - BOUND_PER_CHAR * t[0])
        chars, seconds = outcome.slowest
        if seconds > BOUND_SECONDS + BOUND_PER_CHAR * chars:
            outcome.problems.append(f"a document of {chars} chars took {seconds:.1f} s")
    if any("\n" in w for w in warnings):
        outcome.problems.append("a warning of more than one line")
    if outcome.result != "ok":
        if outcome.result != "hang" and snapshot(out) != before:
            outcome.problems.append("a failed build changed the output folder")
        return outcome
    assert report is not None
    outcome.built = report.documents
    skipped = sum("skipped" in w for w in warnings)
    if report.documents + skipped + report.unchanged != corpus.documents:
        outcome.problems.append(
            f"{corpus.documents} documents in, {report.documents} built, "
            f"{skipped} skipped, {report.unchanged} unchanged"
        )
    stored = len(list_documents(out)) - stored_before
    if stored != report.documents:
        outcome.problems.append(f"{report.documents} built but {stored} stored")
    return outcome


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


def fuzz(
    scale: Scale,
    examples: int,
    base: Path,
    record: Callable[[Outcome], None],
    *,
    seed_value: int = 0,
) -> None:
    """Run ``examples`` drawn corpora through :func:`run_example`; record each."""

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
        with tempfile.TemporaryDirectory() as tmp:
            record(run_example(corpus, Path(tmp), base if into_existing else None))

    one()


# --- the hostile set at full size -------------------------------------------------


def _prose_text(chars: int) -> str:
    docs = json.loads(REDOCRED.read_text(encoding="utf-8"))
    out: list[str] = []
    size = 0
    for doc in _cycle(docs):
        text = " ".join(" ".join(sent) for sent in doc["sents"])
        out.append(text)
        size += len(text) + 2
        if size >= chars:
            break
    return "\n\n".join(out)[:chars]


def _cycle(items: list[Any]) -> Iterator[Any]:
    while True:
        yield from items


def hostile_set() -> dict[str, str]:
    """The inputs of issue 22, at full size."""

    def names(n: int) -> list[str]:
        return [f"{_FIRST[i % 9]} {_LAST[i % 7]}{i}" for i in range(n)]

    return {
        "quotes nested 5,000 deep": "He said "
        + "\u201cshe said " * 5000
        + "yes"
        + "\u201d" * 5000
        + ".",
        "brackets nested 5,000 deep": "Ada Lovelace wrote "
        + "(" * 5000
        + "Otto Hahn"
        + ")" * 5000
        + ".",
        "2,000 names joined by 'and'": " and ".join(names(2000)) + " met in Paris.",
        "2,000 names in a comma list": ", ".join(names(2000)) + " met in Paris.",
        "2,000 comma-joined clauses": ", ".join(
            f"{a} met {b}" for a, b in zip(names(2000), names(2001)[1:], strict=False)
        )
        + ".",
        "100 KB line without punctuation": " ".join(
            f"{_PLACES[i % 8]} {_FIRST[i % 9]}" for i in range(7000)
        ),
        "1 MB line without punctuation": " ".join(
            f"{_PLACES[i % 8]} {_FIRST[i % 9]}" for i in range(70000)
        ),
        "number of 10,000 digits": "Acme paid " + "9" * 10000 + " dollars in 1999.",
        "control characters": "".join(
            f"Ada{chr(i % 32)}Lovelace met Bo{chr(0x2028)} in Paris. "
            for i in range(500)
        ),
    }


def _stage_times(text: str) -> dict[str, float]:
    """Seconds in each stage of one document's extraction (here, in order)."""
    from kg.build import BuildConfig, DocumentJob, _parse_jobs
    from kg.coref import resolve_entities
    from kg.mentions import extract_mentions
    from kg.nlp import load_pipeline
    from kg.relations import extract_relations, extract_value_facts
    from kg.values import extract_values

    times: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        times[name] = round(now - started, 2)
        started = now

    job = DocumentJob(0, "d", "d", text, "0" * 64)
    config = BuildConfig()
    [(_job, doc, _notes)] = list(
        _parse_jobs([job], load_pipeline(), limits=config.limits, batch_size=1)
    )
    lap("parse")
    mentions = list(extract_mentions(doc))
    lap("mentions")
    entities = resolve_entities(doc, mentions)
    lap("coref")
    extract_relations(doc, entities, doc_id="d")
    lap("relations")
    values = extract_values(doc)
    extract_value_facts(doc, entities, values, doc_id="d")
    lap("values")
    return times


def _build_alone(text: str, work: Path) -> tuple[float, dict[str, Any]]:
    from kg.build import BuildConfig, run_build

    folder = work / "in"
    folder.mkdir(parents=True)
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    warnings: list[str] = []
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 1800)
    started = time.perf_counter()
    try:
        report = run_build(
            [folder],
            config=BuildConfig(out=work / "out", workers=0),
            on_warning=warnings.append,
        )
        info: dict[str, Any] = {"words": report.words, "warnings": warnings}
    except HangError:
        info = {"error": "over 1800 s"}
    except Exception as exc:  # noqa: BLE001 - reported
        info = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - started, info


def run_hostile(only: list[str] | None = None) -> list[dict[str, Any]]:
    """Build each hostile input alone, and as much prose; time both."""
    rows = []
    prose_seconds: dict[int, float] = {}
    for name, text in hostile_set().items():
        if only and not any(o in name for o in only):
            continue
        size = len(text)
        bucket = min(size, 1_100_000)
        with tempfile.TemporaryDirectory() as tmp:
            seconds, info = _build_alone(text, Path(tmp))
        if bucket not in prose_seconds:
            with tempfile.TemporaryDirectory() as tmp:
                prose_seconds[bucket], _ = _build_alone(_prose_text(bucket), Path(tmp))
        stages = _stage_times(text) if "error" not in info else {}
        row = {
            "input": name,
            "chars": size,
            "seconds": round(seconds, 2),
            "prose_seconds": round(prose_seconds[bucket], 2),
            "ratio": round(seconds / prose_seconds[bucket], 2),
            "stages": stages,
            **info,
        }
        print(json.dumps(row, ensure_ascii=False)[:600], file=sys.stderr, flush=True)
        rows.append(row)
    return rows


# --- the benchmark ------------------------------------------------------------------


def _summary(outcomes: list[Outcome]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.result] = counts.get(o.result, 0) + 1
    problems = [dataclasses.asdict(o) for o in outcomes if o.problems]
    worst = max(
        (o for o in outcomes if o.slowest[1] > 0),
        key=lambda o: o.slowest[1] / (BOUND_SECONDS + BOUND_PER_CHAR * o.slowest[0]),
        default=None,
    )
    errors: dict[str, int] = {}
    for o in outcomes:
        if o.result == "error":
            kind = o.message.split(":")[0]
            errors[kind] = errors.get(kind, 0) + 1
    return {
        "builds": len(outcomes),
        "inputs": sum(o.inputs for o in outcomes),
        "documents_built": sum(o.built for o in outcomes),
        "chars": sum(o.chars for o in outcomes),
        "results": counts,
        "errors_by_kind": errors,
        "tracebacks": [o.message for o in outcomes if o.result == "traceback"][:20],
        "hangs": [dataclasses.asdict(o) for o in outcomes if o.result == "hang"][:20],
        "problems": problems[:20],
        "problem_count": len(problems),
        "worst_document": worst.slowest if worst else None,
        "seconds": round(sum(o.seconds for o in outcomes), 1),
    }


def _markdown(result: dict[str, Any]) -> str:
    fz = result["fuzz"]
    lines = [
        f"Fuzzing the build, {result['date']}: "
        f"{fz['inputs']:,} inputs (documents) in {fz['builds']:,} builds, "
        f"{fz['documents_built']:,} of them extracted by the builds that succeeded "
        f"({fz['chars']:,} characters, {fz['seconds']:,.0f} s).\n",
        f"- results: {fz['results']}; one-line errors by kind: {fz['errors_by_kind']}",
        f"- tracebacks: {len(fz['tracebacks'])}, hangs: {len(fz['hangs'])}, "
        f"builds with a broken property: {fz['problem_count']} "
        "(output changed by a failed build, a document lost, a multi-line "
        "message, a document over the time bound)",
        f"- time bound per document: {BOUND_SECONDS} s + {BOUND_PER_CHAR * 1000:g} ms "
        f"a character; slowest document against it: {fz['worst_document']} "
        "(characters, seconds)\n",
    ]
    if result["hostile"]:
        lines += [
            "Hostile inputs at full size, each built alone (`kg build`, one "
            "process) against as much ordinary prose (Re-DocRED dev text):\n",
            "| input | chars | seconds | prose s | ratio | slowest stages |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for row in result["hostile"]:
            stages = sorted(row.get("stages", {}).items(), key=lambda kv: -kv[1])[:3]
            shown = ", ".join(f"{k} {v}" for k, v in stages) or row.get("error", "")
            lines.append(
                f"| {row['input']} | {row['chars']:,} | {row['seconds']} "
                f"| {row['prose_seconds']} | {row['ratio']} | {shown} |"
            )
    lines.append(
        f"\nOne-minute load average at the start: {result['load_avg']} "
        f"({os.cpu_count()} cores, shared).\n"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--examples-per-round", type=int, default=50)
    parser.add_argument("--skip-hostile", action="store_true")
    parser.add_argument("--only-hostile", nargs="*", default=None)
    parser.add_argument("--skip-fuzz", action="store_true")
    parser.add_argument(
        "--max-minutes", type=float, default=None, help="stop the fuzz rounds after"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]
    outcomes: list[Outcome] = []
    progress = RESULTS / "fuzz_build.findings.jsonl"
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, progress.open("w") as log:

        def record(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if outcome.result != "ok" or outcome.problems:
                log.write(json.dumps(dataclasses.asdict(outcome))[:3000] + "\n")
                log.flush()

        if not args.skip_fuzz:
            base = make_base(Path(tmp))
            round_no = 0
            deadline = time.monotonic() + 60 * (args.max_minutes or 1e9)
            while (
                sum(o.inputs for o in outcomes) < args.inputs
                and time.monotonic() < deadline
            ):
                fuzz(BENCH, args.examples_per_round, base, record, seed_value=round_no)
                round_no += 1
                print(json.dumps(_summary(outcomes))[:400], file=sys.stderr, flush=True)
    hostile = [] if args.skip_hostile else run_hostile(args.only_hostile)
    result = {
        "date": dt.date.today().isoformat(),
        "load_avg": round(load, 2),
        "bound": {"seconds": BOUND_SECONDS, "per_char": BOUND_PER_CHAR},
        "fuzz": _summary(outcomes),
        "hostile": hostile,
    }
    (RESULTS / "fuzz_build.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    text = _markdown(result)
    (RESULTS / "fuzz_build.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
