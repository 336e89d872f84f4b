"""Coreference on GUM (or any CorefUD corpus) over the mentions of named entities.

Gold comes as GUM's flattened JSON (``gum-dev.json``, ``gum-check.json``), a
CorefUD ``.conllu`` file or a folder of them. The documents of a run are
built as one corpus with the real build and the graph is scored: a gold
mention is found when one of the graph's mentions in its document overlaps
it, and mentions are clustered by the graph's entity nodes. Figures: B³,
MUC, CEAF-e, CoNLL F1, mentions found, and the share of named entities
wholly in one node.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.eval.classes import (
    GUM_FAMILIES,
    ClassScores,
    ClassTally,
    GoldEntity,
    tally_classes,
)
from kg.eval.clusters import ClusterScores, fmt, ratio
from kg.eval.matching import ClusterTally, tally_clusters
from kg.eval.result import (
    ProgressFn,
    RunInfo,
    check_file,
    limit_items,
    load_json,
    model_name,
)
from kg.eval.systems import NAIVE, document_json, run_system, write_jsonl
from kg.types import Document

__all__ = [
    "CorefDocument",
    "CorefEntity",
    "CorefScores",
    "evaluate_coref",
    "read_conllu_coref",
    "read_coref_gold",
    "score_coref",
]


@dataclass(frozen=True, slots=True)
class CorefEntity:
    """One gold entity: type, Wikipedia link (empty unless named), mention spans."""

    id: str
    type: str
    link: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class CorefDocument:
    """A gold coreference document: its text and entities."""

    id: str
    text: str
    entities: tuple[CorefEntity, ...]


def read_coref_gold(path: Path) -> list[CorefDocument]:
    """Read GUM's flattened JSON, a CorefUD ``.conllu`` file, or a folder of them.

    Raises
    ------
    ConfigError
        The path is missing or holds neither format.
    """
    if path.is_dir():
        files = sorted(path.glob("*.conllu"))
        if not files:
            raise ConfigError(f"folder {str(path)!r} holds no .conllu files")
        return [d for f in files for d in read_conllu_coref(f)]
    check_file(path, "coreference gold file")
    if path.suffix == ".conllu":
        return read_conllu_coref(path)
    data = load_json(path, "coreference gold file")
    try:
        docs = [
            CorefDocument(
                id=str(d["id"]),
                text=d["text"],
                entities=tuple(
                    CorefEntity(
                        str(e["id"]),
                        e.get("type", ""),
                        e.get("link", "") or "",
                        tuple((int(m[0]), int(m[1])) for m in e["mentions"]),
                    )
                    for e in d["entities"]
                ),
            )
            for d in data
        ]
    except (TypeError, KeyError, IndexError, ValueError):
        raise ConfigError(
            f"{str(path)!r} is not a coreference JSON file: expected a list of "
            "documents with 'id', 'text' and 'entities' (each with 'mentions' "
            "as [start, end, surface])"
        ) from None
    if not docs:
        raise ConfigError(f"{str(path)!r} holds no documents")
    return docs


_ENTITY_ATTR = re.compile(r"(?:^|\|)Entity=([^|]*)")


def _parse_entity_field(value: str) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(kind, content, closes_here)`` for a CorefUD ``Entity=`` value.

    ``kind`` is ``open`` (content: the dash-separated attributes) or ``close``
    (content: the entity id).
    """
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            single = j < len(value) and value[j] == ")"
            yield "open", value[i + 1 : j], single
            i = j + 1 if single else j
        else:
            j = value.find(")", i)
            if j < 0:
                return
            yield "close", value[i:j], True
            i = j + 1


@dataclass
class _ConlluReader:
    """The state of reading one CoNLL-U file: the document being built, the sentence."""

    path: Path
    fields: list[str] = field(default_factory=lambda: ["eid", "etype"])
    docs: list[CorefDocument] = field(default_factory=list)
    doc_id: str | None = None
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    new_par: bool = False
    ents: dict[str, dict[str, Any]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    stack: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    sent_text: str = ""
    cursor: int = 0
    #: the multi-word token being read: first and last word id, its span
    mwt: tuple[int, int, int, int] | None = None
    sub: int = 0

    def finish(self) -> None:
        """Close the current document (if any) and start afresh."""
        if self.doc_id is not None:
            entities = tuple(
                CorefEntity(
                    eid,
                    self.ents[eid]["type"],
                    self.ents[eid]["link"],
                    tuple(sorted(self.ents[eid]["mentions"])),
                )
                for eid in self.order
            )
            self.docs.append(CorefDocument(self.doc_id, "".join(self.parts), entities))
        self.parts, self.pos, self.ents, self.order = [], 0, {}, []
        self.stack.clear()

    def comment(self, line: str) -> None:
        """Read a ``#`` line: new document, entity attributes, paragraph, text."""
        key, _, val = line[1:].partition("=")
        key, val = key.strip(), val.strip()
        if key == "newdoc id" or key.startswith("newdoc") and "id" in key:
            self.finish()
            self.doc_id = val
            self.new_par = False
        elif key == "global.Entity":
            self.fields = val.split("-")
        elif key.startswith("newpar"):
            self.new_par = True
        elif key == "text":
            if self.doc_id is None:
                self.doc_id = self.path.stem
            if self.parts:
                sep = "\n\n" if self.new_par else " "
                self.parts.append(sep)
                self.pos += len(sep)
            self.new_par = False
            self.sent_text, self.cursor = val, 0
            self.parts.append(val)
            self.mwt = None
            self.pos += len(val)

    def _locate(self, form: str) -> tuple[int, int]:
        text = self.sent_text
        while self.cursor < len(text) and text[self.cursor].isspace():
            self.cursor += 1
        at = text.find(form, self.cursor)
        if at < 0 or at - self.cursor > 2:
            at = self.cursor
        self.cursor = at + len(form)
        return at, at + len(form)

    def _word_span(self, wid: int, form: str) -> tuple[int, int]:
        """Return a word's span in its sentence (or in its multi-word token)."""
        mwt = self.mwt
        if mwt is None or not mwt[0] <= wid <= mwt[1]:
            return self._locate(form)
        surface = self.sent_text[mwt[2] : mwt[3]]
        off = surface.find(form, self.sub - mwt[2]) if form else -1
        if off >= 0:
            s, e = mwt[2] + off, mwt[2] + off + len(form)
            self.sub = e
        else:
            s, e = mwt[2], mwt[3]
        if wid == mwt[1]:
            self.mwt = None
        return s, e

    def token(self, cols: list[str]) -> None:
        """Read a word line: its span, and the entity mentions it opens or closes."""
        if "." in cols[0]:
            return  # empty node
        if "-" in cols[0]:
            first, last = (int(x) for x in cols[0].split("-"))
            s, e = self._locate(cols[1])
            self.mwt = (first, last, s, e)
            self.sub = s
            return
        s, e = self._word_span(int(cols[0]), cols[1])
        base = self.pos - len(self.sent_text)
        match = _ENTITY_ATTR.search(cols[9])
        if match:
            for kind, content, closes in _parse_entity_field(match.group(1)):
                self._entity(kind, content, closes, base + s, base + e)

    def _entity(self, kind: str, content: str, closes: bool, s: int, e: int) -> None:
        if kind != "open":
            eid = re.sub(r"\[.*\]$", "", content)
            if self.stack[eid]:
                self.ents[eid]["mentions"].append((self.stack[eid].pop(), e))
            return
        values = content.split("-")
        attrs = dict(zip(self.fields, values, strict=False))
        if len(values) > len(self.fields):  # hyphens inside the last value
            attrs[self.fields[-1]] = "-".join(values[len(self.fields) - 1 :])
        eid = re.sub(r"\[.*\]$", "", attrs.get("eid", values[0]))
        if eid not in self.ents:
            self.ents[eid] = {
                "type": attrs.get("etype", ""),
                "link": attrs.get("identity") or "",
                "mentions": [],
            }
            self.order.append(eid)
        if closes:
            self.ents[eid]["mentions"].append((s, e))
        else:
            self.stack[eid].append(s)


def read_conllu_coref(path: Path) -> list[CorefDocument]:
    """Read coreference from a CorefUD CoNLL-U file.

    The text of a document is its sentences (``# text =``) joined by a space,
    paragraphs (``# newpar``) by a blank line, as in ``gum-dev.json``. Entity
    attributes follow ``# global.Entity``; its ``identity`` attribute is the
    Wikipedia link that marks a named entity (GUM's ``link`` attribute is the
    kind of coreference link, not a Wikipedia page). Empty nodes carry no text
    and are skipped; discontinuous mentions keep their outer span.

    Raises
    ------
    ConfigError
        The file is missing, not UTF-8, or not CoNLL-U.
    """
    check_file(path, "CoNLL-U file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{str(path)!r} is not UTF-8 text") from exc
    reader = _ConlluReader(path)
    for n, line in enumerate(lines, start=1):
        if line.startswith("#"):
            reader.comment(line)
            continue
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConfigError(
                f"{str(path)}:{n}: not a CoNLL-U line (10 tab-separated columns)"
            )
        reader.token(cols)
    reader.finish()
    if not reader.docs:
        raise ConfigError(f"{str(path)!r} holds no CoNLL-U sentences")
    return reader.docs


@dataclass(frozen=True, slots=True)
class CorefScores:
    """Coreference over the mentions of named entities (GUM-style gold).

    ``mentions_found`` is the share of gold mentions some predicted mention
    overlaps; ``clusters`` counts a gold mention never found as a singleton;
    ``whole_share`` is the share of named entities with more than one mention
    whose mentions were all found and all landed on one node.
    """

    documents: int
    entities: int
    mentions: int
    mentions_found: float
    clusters: ClusterScores
    multi_mention_entities: int
    whole_share: float
    run: RunInfo | None = None
    task: str = "coref"
    #: classes of the named nodes against the gold types (GUM's types)
    classes: ClassScores | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Table rows."""
        return [
            ("documents", str(self.documents)),
            ("named entities / mentions", f"{self.entities} / {self.mentions}"),
            ("mentions found", fmt(self.mentions_found)),
            *self.clusters.rows(),
            ("named entities (>1 mention) wholly in one node", fmt(self.whole_share)),
            *(self.classes.rows() if self.classes is not None else ()),
        ]

    def to_dict(self) -> dict[str, Any]:
        """Figures; ``precision``/``recall``/``f1`` are B³."""
        d: dict[str, Any] = {
            "task": self.task,
            **self.clusters.b3.to_dict(),
            "documents": self.documents,
            "entities": self.entities,
            "mentions": self.mentions,
            "mentions_found": self.mentions_found,
            "clusters": self.clusters.to_dict(),
            "multi_mention_entities": self.multi_mention_entities,
            "whole_share": self.whole_share,
        }
        if self.classes is not None:
            d["classes"] = self.classes.to_dict()
        if self.run is not None:
            d["run"] = self.run.to_dict()
        return d


def score_coref(
    gold_docs: Sequence[CorefDocument],
    documents: Sequence[Document],
    *,
    named_only: bool = True,
    run: RunInfo | None = None,
) -> CorefScores:
    """Score kg's Documents against gold coreference, over named entities' mentions."""
    tally = ClusterTally()
    classes = ClassTally()
    entities = 0
    for gold, document in zip(gold_docs, documents, strict=True):
        chosen = [e.mentions for e in gold.entities if e.link or not named_only]
        entities += len(chosen)
        tally.add(tally_clusters(gold.id, document, chosen))
        typed = [
            GoldEntity(e.id, GUM_FAMILIES[e.type], e.mentions)
            for e in gold.entities
            if e.link and e.type in GUM_FAMILIES
        ]
        classes.add(tally_classes(document, typed))
    return CorefScores(
        documents=len(gold_docs),
        entities=entities,
        mentions=tally.mentions,
        mentions_found=ratio(tally.found, tally.mentions),
        clusters=ClusterScores.of(tally.key, tally.response),
        multi_mention_entities=tally.multi,
        whole_share=ratio(tally.whole, tally.multi),
        run=run,
        classes=classes.scores() if classes.named else None,
    )


def evaluate_coref(
    gold_path: Path,
    *,
    limit: int | None = None,
    model: str | None = None,
    system: str = "kg",
    system_out: Path | None = None,
    progress: ProgressFn | None = None,
) -> CorefScores:
    """Build the gold documents' texts as one corpus; score named-entity coreference."""
    started = time.perf_counter()
    gold_docs = list(limit_items(read_coref_gold(gold_path), limit))
    built = run_system(
        [(g.id, g.text) for g in gold_docs],
        system=system,
        model=model,
        progress=progress,
    )
    if system_out is not None:
        write_jsonl(system_out, (document_json(b) for b in built))
    run = RunInfo(
        str(gold_path),
        model_name(model),
        len(gold_docs),
        time.perf_counter() - started,
        "naive floor" if system == NAIVE else "built graph",
    )
    return score_coref(gold_docs, [b.document for b in built], run=run)
