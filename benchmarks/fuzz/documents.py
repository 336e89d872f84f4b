"""Run 1: drawn documents extracted in this process, stage by stage, stored."""

from __future__ import annotations

import dataclasses
import hashlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from benchmarks.fuzz.harness import (
    HANG_LOAD,
    HANG_SECONDS,
    Findings,
    HangError,
    StageClock,
    alarm,
    bound,
    cpu_now,
    rounded,
)
from benchmarks.fuzz.strategies import Drawn, Scale, drawn_texts

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


def build_config(out: Path) -> Any:
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
    # (looked up on kg.build, where the stage clock times it)
    import kg.build

    prepare = kg.build.prepare_document  # type: ignore[attr-defined]
    return dataclasses.replace(extracted, prepared=prepare(extracted.document))


def run_document(
    drawn: Drawn, doc_id: str, clock: StageClock, config: Any, findings: Findings
) -> tuple[DocOutcome, Any]:
    """Extract one drawn text, timed per stage; keep it when it fails or is slow."""
    text = drawn.text
    outcome = DocOutcome(chars=len(text), kinds=drawn.kinds)
    findings.current(text=text)
    clock.take()
    cpu, wall = cpu_now(), time.perf_counter()
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
    outcome.cpu = cpu_now() - cpu
    outcome.wall = time.perf_counter() - wall
    stages, wall_stages = clock.take()
    clock.stage = "idle"
    stages["other"] = outcome.cpu - sum(stages.values())
    wall_stages["other"] = outcome.wall - sum(wall_stages.values())
    outcome.stages, outcome.wall_stages = rounded(stages), rounded(wall_stages)
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
    cpu, wall = cpu_now(), time.perf_counter()
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
    outcome.cpu = cpu_now() - cpu
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
    config = build_config(out)
    load_pipeline(config.model)
    pending: list[Any] = []
    calls = [0]
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
        doc_id = f"fuzz/{seed_value}/{calls[0]}"
        calls[0] += 1
        outcome, extracted = run_document(drawn, doc_id, clock, config, findings)
        record(outcome)
        if extracted is not None:
            pending.append(extracted)
            pending_chars[0] += outcome.chars
        if len(pending) >= batch:
            flush()

    with clock.installed():
        one()
        flush()
