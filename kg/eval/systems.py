"""The systems ``kg eval`` scores: the built graph, and the naive floor.

``kg`` (or the name of a registered relation extractor) means the product:
:func:`kg.eval.product.build_corpus` runs the real build over every input
of a task as one corpus and reads the written store back. ``naive`` is the
floor of ``shared/eval/README.md``: spaCy NER spans, one node per distinct
lower-cased string in a document, no relations; it is not a build.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.eval.product import BuiltDocument, build_corpus, file_names
from kg.eval.result import ProgressFn
from kg.types import Document, Entity, Mention

__all__ = [
    "NAIVE",
    "check_system",
    "document_json",
    "kg_system",
    "naive_system",
    "run_system",
    "write_jsonl",
]

#: The name of the naive floor among the systems.
NAIVE = "naive"


def kg_system(doc: Doc, doc_id: str, *, extractor: str | None = None) -> Document:
    """Return kg's per-document extraction of a parsed document.

    This is an intermediate of the build (before the cross-document merge
    and the store); ``kg eval`` scores the built graph instead
    (:func:`run_system`). ``extractor`` names a registered relation
    extractor (default: kg's).

    Examples
    --------
    >>> d = kg_system(nlp("Ada Lovelace wrote to Charles Babbage."), "a")
    >>> [t.predicate for t in d.triples]
    ['wroteTo']
    """
    from kg.build import extract_document
    from kg.relations import DEFAULT_EXTRACTOR

    return extract_document(
        doc, doc_id=doc_id, extractor=extractor or DEFAULT_EXTRACTOR
    )


def naive_system(doc: Doc, doc_id: str) -> Document:
    """Extract the naive floor of ``shared/eval/README.md``: NER spans, one node each.

    Every spaCy entity span is a mention; spans with the same lower-cased text
    form one entity. No pronouns, no relations.

    Examples
    --------
    >>> d = naive_system(nlp("Ada met Bob. ADA left."), "x")
    >>> sorted(len(e.mentions) for e in d.entities)
    [1, 2]
    """
    groups: dict[str, list[Mention]] = defaultdict(list)
    for i, sent in enumerate(doc.sents):
        for ent in sent.ents:
            groups[ent.text.lower()].append(
                Mention(ent.text, ent.label_, ent.start_char, ent.end_char, i)
            )
    entities = tuple(
        Entity(key=key, label=ms[0].label, name=ms[0].text, mentions=tuple(ms))
        for key, ms in groups.items()
    )
    return Document(
        doc_id, doc_id, hashlib.sha256(doc.text.encode()).hexdigest(), (), entities
    )


def check_system(name: str) -> str:
    """Check a system name before any work: ``kg``, ``naive`` or an extractor.

    Returns the relation extractor to build with ("" for the naive floor).

    Raises
    ------
    ConfigError
        No such system; the message lists the choices.

    Examples
    --------
    >>> check_system("naive"), check_system("kg.svo.v1")
    ('', 'kg.svo.v1')
    """
    from kg.relations import DEFAULT_EXTRACTOR, extractors

    if name == NAIVE:
        return ""
    if name == "kg":
        return DEFAULT_EXTRACTOR
    if name in extractors.get_all():
        return name
    raise ConfigError(
        f"unknown system {name!r}; choose one of kg, {NAIVE} "
        f"or a relation extractor ({', '.join(sorted(extractors.get_all()))})"
    )


def run_system(
    items: Sequence[tuple[str, str]],
    *,
    system: str = "kg",
    model: str | None = None,
    progress: ProgressFn | None = None,
    out: Path | None = None,
) -> list[BuiltDocument]:
    """Run a system over ``(id, text)`` items; return what it made of each, in order.

    For kg (or an extractor), every text goes into one build
    (:func:`kg.eval.product.build_corpus`; ``out`` keeps it); for the naive
    floor each text is parsed and read alone.

    Examples
    --------
    >>> [b.document.doc_id for b in run_system([("x", "Ada met Bob.")], system="naive")]
    ['x']
    """
    extractor = check_system(system)
    if extractor:
        names = file_names([item_id for item_id, _ in items])
        texts = [(name, text) for name, (_, text) in zip(names, items, strict=True)]
        return build_corpus(
            texts, model=model, extractor=extractor, out=out, progress=progress
        )
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    out_docs: list[BuiltDocument] = []
    if progress is not None:
        progress(0, len(items))
    for i, doc in enumerate(nlp.pipe(text for _, text in items)):
        document = naive_system(doc, items[i][0])
        out_docs.append(BuiltDocument(document.doc_id, document, ()))
        if progress is not None:
            progress(i + 1, len(items))
    return out_docs


def document_json(built: BuiltDocument) -> dict[str, Any]:
    """Return a compact JSON view of one built document, for ``--system-out``.

    Examples
    --------
    >>> b = BuiltDocument("a.txt", Document("a.txt", "a.txt", "0" * 64, ()), ())
    >>> document_json(b)["doc_id"]
    'a.txt'
    """
    document = built.document
    return {
        "doc_id": document.doc_id,
        "entities": [
            {
                "key": e.key,
                "label": e.label,
                "name": e.name,
                "mentions": [
                    [m.start_char, m.end_char, m.text, m.kind] for m in e.mentions
                ],
            }
            for e in document.entities
        ],
        "triples": [
            {
                "subject": t.subject,
                "predicate": t.predicate,
                "object": t.object,
                "confidence": t.confidence,
                "modality": t.modality,
                "sentence": t.provenance.sent_index,
                "rule": t.rule,
                "lemma": t.lemma,
                "plain": plain,
            }
            for t, plain in zip(document.triples, built.plain, strict=True)
        ],
        "values": [
            {
                "key": v.key,
                "datatype": v.datatype,
                "lexical": v.lexical,
                "mentions": [[m.start_char, m.end_char, m.text] for m in v.mentions],
            }
            for v in document.values
        ],
    }


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    r"""Write one JSON object per line to ``path`` (folders made as needed).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x" / "out.jsonl"
    >>> write_jsonl(p, [{"a": 1}]); p.read_text()
    '{"a": 1}\n'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
