"""What every task returns, how a run is described, and reading gold files safely."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kg.errors import ConfigError

__all__ = [
    "EvalResult",
    "ProgressFn",
    "RunInfo",
    "check_file",
    "limit_items",
    "load_json",
    "model_name",
]

#: ``progress(done, total)``, called after each item of a run.
ProgressFn = Callable[[int, int], None]
_T = TypeVar("_T")


class EvalResult(Protocol):
    """What every task's score object offers the CLI and the benchmark script."""

    @property
    def task(self) -> str:
        """The task name: gap, carb, redocred, coref, news or xdoc."""
        ...

    def rows(self) -> list[tuple[str, str]]:
        """Rows ``(metric, value)`` for a printed table."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """Figures for ``--json``: ``task``, ``precision``, ``recall``, ``f1``, more."""
        ...


@dataclass(frozen=True, slots=True)
class RunInfo:
    """How a run was made: gold file, model, items scored, seconds.

    ``scored`` says what was scored: ``built graph`` (the store a real
    build wrote), ``per-sentence extraction`` (CaRB) or ``naive floor``.

    Examples
    --------
    >>> RunInfo("g.json", "m", 3, 1.234).to_dict()["seconds"]
    1.23
    """

    gold: str
    model: str
    items: int
    seconds: float
    scored: str = "built graph"

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a dict."""
        return {
            "gold": self.gold,
            "model": self.model,
            "items": self.items,
            "seconds": round(self.seconds, 2),
            "scored": self.scored,
        }


def check_file(path: Path, what: str) -> None:
    """Raise a one-line :class:`ConfigError` unless ``path`` is a file.

    Examples
    --------
    >>> check_file(Path("nope.json"), "gold file")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: gold file 'nope.json' does not exist
    """
    if not path.exists():
        raise ConfigError(f"{what} {str(path)!r} does not exist")
    if not path.is_file():
        raise ConfigError(f"{what} {str(path)!r} is not a file")


def load_json(path: Path, what: str) -> Any:
    """Read a JSON file, turning every failure into a one-line :class:`ConfigError`.

    Examples
    --------
    >>> load_json(Path("pyproject.toml"), "gold file")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: gold file 'pyproject.toml' is not valid JSON ...
    """
    check_file(path, what)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {str(path)!r} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{what} {str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from exc


def limit_items(items: Sequence[_T], limit: int | None) -> Sequence[_T]:
    """Return the first ``limit`` items (all when ``limit`` is None).

    Examples
    --------
    >>> limit_items([1, 2, 3], 2)
    [1, 2]
    """
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be a positive number, got {limit}")
    return items if limit is None else items[:limit]


def model_name(model: str | None) -> str:
    """Return the name of the spaCy pipeline a run uses.

    Examples
    --------
    >>> model_name("en_core_web_sm")
    'en_core_web_sm'
    """
    from kg.nlp import resolve_model_name

    return resolve_model_name(model)
