"""What every run shares: the time bound, the stage clock, the alarm, kept findings."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.fuzz.strategies import Corpus

ROOT = Path(__file__).resolve().parents[2]
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
}


def cpu_now() -> float:
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
        cpu, wall = cpu_now(), time.perf_counter()
        try:
            yield
        finally:
            self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu_now() - cpu
            self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - wall
            if outer != "idle":  # a stage inside another: not counted twice
                self.cpu[outer] = self.cpu.get(outer, 0.0) - (cpu_now() - cpu)
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
            kg.build._parse_jobs = self._wrap_parse(saved["_parse_jobs"])
            yield self
        finally:
            for name, fn in saved.items():
                setattr(kg.build, name, fn)


def rounded(times: dict[str, float]) -> dict[str, float]:
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
