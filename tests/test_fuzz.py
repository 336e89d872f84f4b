"""A fast slice of the build's fuzz suite (``benchmarks/fuzz_build.py``).

Hypothesis draws small corpora of hostile texts and file names and builds
each with the real pipeline: every build succeeds keeping every input as a
document of its own (or skipping it with a warning), or fails with a
one-line error leaving the output folder as it was; no traceback, no hang.
The benchmark runs the same properties over 10,000 inputs and more.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fuzz_build", ROOT / "benchmarks" / "fuzz_build.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_build"] = module
    spec.loader.exec_module(module)
    return module


fuzz_build = _load()


@pytest.fixture(scope="module")
def base(nlp, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    return fuzz_build.make_base(tmp_path_factory.mktemp("fuzz"))


@settings(
    max_examples=16,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(corpus=fuzz_build.corpora(fuzz_build.CI), into_existing=st.booleans())
def test_a_build_of_hostile_inputs_succeeds_or_fails_cleanly(
    base: Path,
    corpus,
    into_existing: bool,  # type: ignore[no-untyped-def]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        outcome = fuzz_build.run_example(
            corpus, Path(tmp), base if into_existing else None
        )
    assert outcome.result in {"ok", "error"}, outcome.message
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

    corpus = fuzz_build.Corpus(
        files={b"a.txt": b"Ada Lovelace met Bo.", b"b.txt": b"Grace Hopper met Al."}
    )
    monkeypatch.setattr(kg.build, "_iter_jobs", lose_one)
    outcome = fuzz_build.run_example(corpus, tmp_path, None)
    assert outcome.result == "ok"
    assert any("2 documents in, 1 built" in p for p in outcome.problems)
