"""GAP: is the pronoun on the node of name A, of name B.

The official system TSV is written by :func:`write_gap_system`; the scorer
is a port of the official ``gap_scorer.py`` (same counts, same scorecard).
Every snippet of a run is built as one corpus with the real build, and a
pronoun refers to a name when the built graph puts the mention of the
pronoun and the mention of the name on one entity node.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.eval.clusters import PRF
from kg.eval.matching import mention_index
from kg.eval.result import (
    ProgressFn,
    RunInfo,
    check_file,
    limit_items,
    model_name,
)
from kg.eval.systems import NAIVE, run_system

__all__ = [
    "GAP_GENDERS",
    "GapCounts",
    "GapExample",
    "GapScores",
    "evaluate_gap",
    "predict_gap",
    "read_gap",
    "read_gap_system",
    "score_gap",
    "write_gap_system",
]


_GAP_GOLD_FIELDS = [
    "ID",
    "Text",
    "Pronoun",
    "Pronoun-offset",
    "A",
    "A-offset",
    "A-coref",
    "B",
    "B-offset",
    "B-coref",
    "URL",
]
_GAP_SYSTEM_FIELDS = ["ID", "A-coref", "B-coref"]
#: The official scorer's pronoun → gender map (reflexives are not in GAP).
GAP_GENDERS: Mapping[str, str] = {
    "she": "feminine",
    "her": "feminine",
    "hers": "feminine",
    "he": "masculine",
    "his": "masculine",
    "him": "masculine",
}


@dataclass(frozen=True, slots=True)
class GapExample:
    """One GAP row: a text, a pronoun and two candidate names with gold labels."""

    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a: str
    a_offset: int
    a_coref: bool | None
    b: str
    b_offset: int
    b_coref: bool | None

    @property
    def gender(self) -> str:
        """``masculine`` or ``feminine``, from the pronoun."""
        return GAP_GENDERS[self.pronoun.lower()]


def _gap_bool(value: str | None) -> bool | None:
    """Parse a label as the official ``is_true``: TRUE/FALSE any case, else None."""
    if value is None:
        return None
    low = value.lower()
    return True if low == "true" else False if low == "false" else None


def read_gap(path: Path) -> list[GapExample]:
    """Read a GAP gold TSV (header line first), as the official scorer does.

    Raises
    ------
    ConfigError
        The file is missing, lacks the GAP header, or a row is malformed.
    """
    check_file(path, "GAP gold file")
    examples: list[GapExample] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header[: len(_GAP_GOLD_FIELDS) - 1] != _GAP_GOLD_FIELDS[:-1]:
            raise ConfigError(
                f"{str(path)!r} is not a GAP TSV: expected a tab-separated header "
                f"{', '.join(_GAP_GOLD_FIELDS)}"
            )
        reader = csv.DictReader(f, fieldnames=_GAP_GOLD_FIELDS, delimiter="\t")
        for n, row in enumerate(reader, start=2):
            if row["ID"] in seen:
                continue  # the official scorer keeps the first annotation
            try:
                ex = GapExample(
                    id=row["ID"],
                    text=row["Text"],
                    pronoun=row["Pronoun"],
                    pronoun_offset=int(row["Pronoun-offset"]),
                    a=row["A"],
                    a_offset=int(row["A-offset"]),
                    a_coref=_gap_bool(row["A-coref"]),
                    b=row["B"],
                    b_offset=int(row["B-offset"]),
                    b_coref=_gap_bool(row["B-coref"]),
                )
                ex.gender  # noqa: B018 - validates the pronoun
            except (TypeError, ValueError, KeyError, AttributeError):
                raise ConfigError(
                    f"{str(path)}:{n}: malformed GAP row (bad offset, missing column "
                    "or a pronoun outside he/him/his/she/her/hers)"
                ) from None
            seen.add(ex.id)
            examples.append(ex)
    if not examples:
        raise ConfigError(f"{str(path)!r} holds no GAP examples")
    return examples


def read_gap_system(path: Path) -> dict[str, tuple[bool | None, bool | None]]:
    """Read a system TSV (``ID TAB A-coref TAB B-coref``); first line per ID wins."""
    check_file(path, "GAP system file")
    out: dict[str, tuple[bool | None, bool | None]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, fieldnames=_GAP_SYSTEM_FIELDS, delimiter="\t"):
            if row["ID"] not in out:
                out[row["ID"]] = (_gap_bool(row["A-coref"]), _gap_bool(row["B-coref"]))
    return out


def write_gap_system(path: Path, predictions: Mapping[str, tuple[bool, bool]]) -> None:
    """Write the official system TSV: ``ID TAB TRUE|FALSE TAB TRUE|FALSE``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for ex_id, (a, b) in predictions.items():
            out.write(f"{ex_id}\t{str(a).upper()}\t{str(b).upper()}\n")


@dataclass(frozen=True, slots=True)
class GapCounts:
    """True/false positives/negatives over the (pronoun, name) pairs."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    @property
    def prf(self) -> PRF:
        """Precision, recall, F1 as fractions."""
        return PRF.of(self.tp, self.tp + self.fp, self.tp, self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class GapScores:
    """GAP scores overall and per gender, as the official scorer counts them.

    Examples
    --------
    >>> ex = GapExample("d-1", "t", "she", 0, "A", 0, True, "B", 0, False)
    >>> s = score_gap([ex], {"d-1": (True, True)})
    >>> s.overall, round(s.overall.prf.f1, 3)
    (GapCounts(tp=1, fp=1, tn=0, fn=0), 0.667)
    """

    overall: GapCounts
    masculine: GapCounts
    feminine: GapCounts
    examples: int
    run: RunInfo | None = None
    task: str = "gap"

    @property
    def bias(self) -> float | None:
        """F1(feminine) / F1(masculine), None when either is zero."""
        m, f = self.masculine.prf.f1, self.feminine.prf.f1
        return f / m if m and f else None

    def scorecard(self) -> str:
        """Return the official scorer's printed scorecard, character for character."""
        lines = []
        for name, c in (
            ("Overall", self.overall),
            ("Masculine", self.masculine),
            ("Feminine", self.feminine),
        ):
            prf = c.prf
            lines.append(
                f"{name} recall: {100 * prf.recall:.1f} "
                f"precision: {100 * prf.precision:.1f} "
                f"f1: {100 * prf.f1:.1f}"
            )
            lines.append(f"\t\ttp {c.tp:d}\tfp {c.fp:d}")
            lines.append(f"\t\tfn {c.fn:d}\ttn {c.tn:d}")
        bias = "-" if self.bias is None else f"{self.bias:.2f}"
        lines.append(f"Bias (F/M): {bias}\n")
        return "\n".join(lines)

    def rows(self) -> list[tuple[str, str]]:
        """Table rows, in percent as the official scorecard."""
        out = [("examples", str(self.examples))]
        for name, c in (
            ("overall", self.overall),
            ("masculine", self.masculine),
            ("feminine", self.feminine),
        ):
            prf = c.prf
            out.append(
                (
                    f"{name} P / R / F1 (%)",
                    f"{100 * prf.precision:.1f} / {100 * prf.recall:.1f} / "
                    f"{100 * prf.f1:.1f}",
                )
            )
        # three decimals: a target such as 0.95 is not met by 0.9466
        out.append(("bias F/M", "-" if self.bias is None else f"{self.bias:.3f}"))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Figures as fractions; counts per gender."""
        d: dict[str, Any] = {"task": self.task, **self.overall.prf.to_dict()}
        for name, c in (
            ("overall", self.overall),
            ("masculine", self.masculine),
            ("feminine", self.feminine),
        ):
            d[name] = {
                **c.prf.to_dict(),
                "tp": c.tp,
                "fp": c.fp,
                "tn": c.tn,
                "fn": c.fn,
            }
        d["bias"] = self.bias
        d["examples"] = self.examples
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def score_gap(
    gold: Sequence[GapExample],
    system: Mapping[str, tuple[bool | None, bool | None]],
    *,
    run: RunInfo | None = None,
) -> GapScores:
    """Score system answers against GAP gold, exactly as ``gap_scorer.py``.

    A gold example with no system answer counts a false negative for both
    names (the official "Missing output").
    """
    counts: dict[str, list[int]] = {
        k: [0, 0, 0, 0] for k in ("overall", "masculine", "feminine")
    }
    for ex in gold:
        sys_a, sys_b = system.get(ex.id, (None, None))
        for bucket in ("overall", ex.gender):
            c = counts[bucket]
            for g, s in ((ex.a_coref, sys_a), (ex.b_coref, sys_b)):
                if s is None or (g and not s):
                    c[3] += 1
                elif g and s:
                    c[0] += 1
                elif not g and s:
                    c[1] += 1
                else:
                    c[2] += 1
    made = {k: GapCounts(*v) for k, v in counts.items()}
    return GapScores(
        made["overall"], made["masculine"], made["feminine"], len(gold), run
    )


def predict_gap(
    examples: Sequence[GapExample],
    *,
    model: str | None = None,
    system: str = "kg",
    progress: ProgressFn | None = None,
) -> dict[str, tuple[bool, bool]]:
    """Build the snippets as one corpus: is the pronoun on the node of A, of B.

    The pronoun and each name are mapped to the node of the built mention
    that overlaps them best; an answer is TRUE when the pronoun's node is
    the name's node.
    """
    out: dict[str, tuple[bool, bool]] = {}
    built = run_system(
        [(e.id, e.text) for e in examples],
        system=system,
        model=model,
        progress=progress,
    )
    for ex, doc in zip(examples, built, strict=True):
        index = mention_index(doc.document)
        pron = index.best(ex.pronoun_offset, ex.pronoun_offset + len(ex.pronoun))
        a = index.best(ex.a_offset, ex.a_offset + len(ex.a))
        b = index.best(ex.b_offset, ex.b_offset + len(ex.b))
        out[ex.id] = (pron is not None and pron == a, pron is not None and pron == b)
    return out


def evaluate_gap(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> GapScores:
    """Run and score GAP; write the official system TSV to ``system_out``."""
    started = time.perf_counter()
    examples = list(limit_items(read_gap(gold_path), limit))
    predictions = predict_gap(examples, model=model, system=system, progress=progress)
    if system_out is not None:
        write_gap_system(system_out, predictions)
    run = RunInfo(
        str(gold_path),
        model_name(model),
        len(examples),
        time.perf_counter() - started,
        "naive floor" if system == NAIVE else "built graph",
    )
    return score_gap(examples, predictions, run=run)
