"""A fast slice of the build's fuzz suite (``benchmarks/fuzz_build.py``).

Hypothesis draws hostile texts, small corpora of hostile files and names, and
``kg build`` command lines with bad paths and bad configuration, and runs
each through the real pipeline and CLI (a few hundred inputs): no traceback,
no hang; a document extracts and is stored; a build succeeds keeping every
input as a document of its own (or skipping it with a warning), or fails
with one ``kg: error:`` line leaving the output folder as it was. The
benchmark runs the same properties over 10,000 inputs and more.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import builds, documents, invocations, strategies
from benchmarks.fuzz.harness import Findings, StageClock, bound

_FAST = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def base(nlp, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    return builds.make_base(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def store_of_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-docs") / "out"


_IDS = itertools.count()


@settings(_FAST, max_examples=80)
@given(drawn=strategies.drawn_texts(strategies.CI))
def test_a_hostile_document_extracts_and_stores_within_its_bound(
    nlp: object,
    store_of_documents: Path,
    drawn: strategies.Drawn,
) -> None:
    config = documents.build_config(store_of_documents)
    clock = StageClock()
    with clock.installed():
        outcome, extracted = documents.run_document(
            drawn, f"fuzz/{next(_IDS)}", clock, config, Findings(None)
        )
    assert outcome.result == "ok", outcome.message
    assert outcome.cpu <= 4 * bound(outcome.chars)  # generous: CI machines are shared
    stored = documents.store_batch(store_of_documents, [extracted], outcome.chars)
    assert stored.result == "ok", stored.message
    assert not [p for p in stored.problems if "stored" in p]


@settings(_FAST, max_examples=12)
@given(corpus=strategies.corpora(strategies.CI), into_existing=st.booleans())
def test_a_build_of_hostile_inputs_succeeds_or_fails_cleanly(
    base: Path,
    corpus: strategies.Corpus,
    into_existing: bool,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        outcome = builds.run_example(corpus, Path(tmp), base if into_existing else None)
    assert outcome.result in {"ok", "error"}, outcome.message
    assert outcome.problems == []


@settings(_FAST, max_examples=120)
@given(drawn=invocations.invocations())
def test_a_bad_command_line_is_one_error_line_and_loses_nothing(
    base: Path, drawn: invocations.Invocation
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        outcome = invocations.run_invocation(drawn, Path(tmp), base)
    assert outcome.result in {"ok", "error"}, (outcome.argv, outcome.message)
    assert outcome.problems == [], outcome.argv


def test_a_huge_worker_count_is_refused_before_any_process_starts(
    base: Path, tmp_path: Path
) -> None:
    # found by the fuzz: --workers 10**26 forked processes until the machine gave out
    drawn = invocations.Invocation(
        ("good",), "base", (("--workers", "99999999999999999999999999"),), None
    )
    outcome = invocations.run_invocation(drawn, tmp_path, base)
    assert outcome.result == "error"
    assert outcome.message.startswith("workers must be at most "), outcome.message
    assert outcome.problems == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        # found by the fuzz: the store was switched, then writing graph.ttl or
        # graph.html failed, and the error said the folder was as it was
        ("ttl-dir", "will not write over "),
        ("html-dir", "will not write over "),
        # found by the fuzz: an output name too long for the system (a traceback)
        ("too-long", "cannot use "),
    ],
)
def test_a_build_refused_for_its_output_leaves_it_as_it_was(
    base: Path, tmp_path: Path, out: str, message: str
) -> None:
    drawn = invocations.Invocation(("good",), out, (), None)
    outcome = invocations.run_invocation(drawn, tmp_path, base)
    assert outcome.result == "error"
    assert outcome.message.startswith(message), outcome.message
    assert outcome.problems == []


def test_the_fuzz_notices_a_broken_property(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the harness itself: a build that loses a document is reported
    import kg.build

    real = kg.build._iter_jobs

    def lose_one(*args, **kwargs):  # type: ignore[no-untyped-def]
        jobs = real(*args, **kwargs)
        next(jobs, None)
        yield from jobs

    corpus = strategies.Corpus(
        files={b"a.txt": b"Ada Lovelace met Bo.", b"b.txt": b"Grace Hopper met Al."}
    )
    monkeypatch.setattr(kg.build, "_iter_jobs", lose_one)
    outcome = builds.run_example(corpus, tmp_path, None)
    assert outcome.result == "ok"
    assert any("2 documents in, 1 built" in p for p in outcome.problems)


@pytest.mark.parametrize(
    ("stderr", "result", "problem"),
    [
        ("kg: warning: x\nkg: error: bad\n", "error", False),
        ("kg: error: bad\nmore\n", "error", True),
        (
            "Traceback (most recent call last):\n  File x\nValueError: y\n",
            "traceback",
            False,
        ),
        ("oops\n", "error", True),
    ],
)
def test_the_fuzz_judges_what_a_failed_command_printed(
    stderr: str, result: str, problem: bool
) -> None:
    outcome = invocations.InvocationOutcome(argv=["build"], exit=1)
    invocations._judge(outcome, stderr)
    assert outcome.result == result
    assert bool(outcome.problems) == problem
