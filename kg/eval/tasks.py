"""Dispatch: run one ``kg eval`` task on a gold file or folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from kg.errors import ConfigError
from kg.eval.carb import evaluate_carb
from kg.eval.coref import evaluate_coref
from kg.eval.gap import evaluate_gap
from kg.eval.news import evaluate_news
from kg.eval.redocred import evaluate_redocred
from kg.eval.result import EvalResult, ProgressFn
from kg.eval.systems import check_system
from kg.eval.xdoc import evaluate_xdoc

__all__ = ["TASKS", "Task", "evaluate"]

Task = Literal["gap", "carb", "redocred", "coref", "news", "xdoc"]
TASKS: tuple[Task, ...] = ("gap", "carb", "redocred", "coref", "news", "xdoc")


def evaluate(
    task: str,
    gold: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system_out: Path | None = None,
    system: str = "kg",
    progress: ProgressFn | None = None,
) -> EvalResult:
    """Run one evaluation task on a gold file; see :mod:`kg.eval`.

    Parameters
    ----------
    task
        One of :data:`TASKS`.
    gold
        The gold file (or folder, for ``carb``, ``coref`` and ``news``).
    limit
        Score only the first ``limit`` items (rows, sentences, documents;
        topics for ``xdoc``).
    model
        spaCy pipeline to run (default as ``kg build``).
    system_out
        Where to write the system output: the official format for GAP and
        CaRB, a folder keeping each topic's build for ``xdoc``, JSON lines
        of the built graph's documents for the other tasks.
    system
        ``kg`` (the default: the built graph), ``naive`` (the README's naive
        floor; not for CaRB), or the name of a registered relation extractor
        (a build with that extractor, e.g. ``kg.clauses.v1+context``).
    progress
        ``progress(done, total)`` after each item.

    Raises
    ------
    ConfigError
        Unknown task or system, or a bad gold path or format.

    Examples
    --------
    >>> evaluate("squad", Path("seeds/gold"))
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: unknown eval task 'squad'; choose one of ...
    """
    if task not in TASKS:
        raise ConfigError(
            f"unknown eval task {task!r}; choose one of {', '.join(TASKS)}"
        )
    if not gold.exists():
        raise ConfigError(f"gold path {str(gold)!r} does not exist")
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be a positive number, got {limit}")
    if task == "carb":
        if system != "kg":
            raise ConfigError(
                "kg eval carb scores kg's clause extractor sentence by sentence "
                "only (no --naive, no --extractor)"
            )
        return evaluate_carb(
            gold, limit=limit, model=model, system_out=system_out, progress=progress
        )
    check_system(system)
    runners: dict[str, Callable[..., EvalResult]] = {
        "gap": evaluate_gap,
        "redocred": evaluate_redocred,
        "coref": evaluate_coref,
        "news": evaluate_news,
        "xdoc": evaluate_xdoc,
    }
    result: EvalResult = runners[task](
        gold,
        limit=limit,
        model=model,
        system=system,
        system_out=system_out,
        progress=progress,
    )
    return result
