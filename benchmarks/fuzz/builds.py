"""Runs 2 and 3: whole builds of drawn folders, through the API and the CLI."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from benchmarks.fuzz.harness import (
    HANG_LOAD,
    HANG_SECONDS,
    ROOT,
    Findings,
    HangError,
    StageClock,
    alarm,
    bound,
    cpu_now,
    rounded,
    snapshot,
    write_files,
)
from benchmarks.fuzz.strategies import Corpus, Scale, corpora

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


def _build_api(
    specs: list[str], out: Path, outcome: Outcome, limit: float
) -> tuple[Any, list[str], list[tuple[int, float, dict[str, float]]]]:
    from kg.build import BuildConfig, run_build
    from kg.errors import KGError

    warnings: list[str] = []
    times: list[tuple[int, float, dict[str, float]]] = []
    clock = StageClock()
    last = [cpu_now()]

    def on_document(document: Any) -> None:
        now = cpu_now()
        chars = sum(len(s.text) for s in document.sentences)
        cpu, _wall = clock.take()
        times.append((chars, now - last[0], rounded(cpu)))
        last[0] = now

    config = BuildConfig(out=out, workers=0, batch_size=1)
    report = None
    try:
        with clock.installed(), alarm(limit):
            report = run_build(
                specs,
                config=config,
                on_document=on_document,
                on_warning=warnings.append,
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
    started, cpu = time.perf_counter(), cpu_now()
    times: list[tuple[int, float, dict[str, float]]] = []
    if via == "cli":
        built, warnings = _build_cli(specs, out, outcome, limit)
    else:
        report, warnings, times = _build_api(specs, out, outcome, limit)
        built = report.documents if report is not None else None
        unchanged = report.unchanged if report is not None else 0
    outcome.seconds = time.perf_counter() - started
    outcome.cpu = cpu_now() - cpu
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
    if findings is not None and (
        outcome.result in {"traceback", "hang"} or outcome.problems
    ):
        kind = outcome.result if outcome.result != "ok" else "build-problem"
        if outcome.result == "error":
            kind = "build-problem"
        outcome.finding = findings.keep(
            kind, dataclasses.asdict(outcome), corpus=corpus
        )
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
        via = "cli" if cli_every and (count[0] + seed_value) % cli_every == 0 else "api"
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
