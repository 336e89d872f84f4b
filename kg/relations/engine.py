"""The pattern engine: relation patterns read from ``ontology/patterns/*.json``.

A pattern file holds one family of dependency shapes that state a fact::

    {
      "family": "modifiers",
      "description": "what the family reads",
      "patterns": [
        {
          "id": "kg.pattern.modifier.nation-before-name.v1",
          "pattern": [ ...spaCy DependencyMatcher nodes... ],
          "subject": "name",
          "object": "nation",
          "trigger": {"kind": "modifier", "words": "{nation.ent_type}"},
          "confidence": 0.6
        }
      ]
    }

``pattern`` is a spaCy ``DependencyMatcher`` pattern whose nodes are
joined by ``>`` (a direct dependent) or ``<`` (the direct head) and test
ORTH, TEXT, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE or ENT_IOB (a value, or
``IN``/``NOT_IN`` a list); the engine matches it in time linear in the
text (:func:`match_tree`). ``subject`` and ``object`` name two of its
nodes (``RIGHT_ID``). The fact's property is
either fixed (``"property": "employer"``) or chosen among the ontology
properties listing a trigger (``"trigger": {"kind": KIND, "words": TEXT}``,
KIND one of verb, noun, prep, modifier, structure) whose domain and range
fit the two entities. ``words`` and the optional ``lemma`` (the relation
words stored with the fact; default the trigger words or the property's
label) may quote a node's attribute: ``{verb.lemma}``, ``{prep.lower}``,
``{noun.text}``, ``{name.ent_type}``. Optional keys: ``"named"`` (``"both"``,
the default, or ``"either"``: may the other end be a described thing),
``"clause"`` (the node whose clause gives the fact's modality; default the
subject's head), ``"inverse": true`` (the fact runs object to subject).

Each fact's ``rule`` is its pattern's id. Patterns are validated when
loaded: an unknown property, trigger kind or node name raises
:class:`~kg.errors.OntologyError` naming the file and the pattern.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

import kg.ontology as _ontology
from kg.errors import OntologyError
from kg.ontology import Ontology, PropertyInfo, TriggerKind
from kg.relations.nodes import _choose, _Context, _emit, _fits, _Node, _node
from kg.relations.polarity import clause_modality, phrase_modality
from kg.types import Entity, Triple

__all__ = [
    "RelationPattern",
    "load_patterns",
    "match_tree",
    "pattern_dir",
    "run_patterns",
]

_KINDS = frozenset({"verb", "noun", "prep", "modifier", "structure"})
_ATTRS = frozenset({"lemma", "lower", "text", "ent_type"})
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([a-z_]+)\}")
_NAMED = frozenset({"both", "either"})


@dataclass(frozen=True, slots=True)
class RelationPattern:
    """One relation pattern of ``ontology/patterns/``.

    Examples
    --------
    >>> p = RelationPattern("x.v1", "[]", "a", "b", 0.5, property="owns")
    >>> p.id, p.property
    ('x.v1', 'owns')
    """

    id: str
    #: the DependencyMatcher pattern, as JSON text (so a pattern hashes)
    pattern: str
    subject: str
    object: str
    confidence: float
    property: str | None = None
    kind: TriggerKind | None = None
    words: str = ""
    lemma: str = ""
    named: str = "both"
    clause: str | None = None
    inverse: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"pattern {self.id}: confidence not in [0, 1]")


def pattern_dir() -> Path:
    """Return the folder of relation pattern files (``ontology/patterns``).

    Examples
    --------
    >>> pattern_dir().name
    'patterns'
    """
    return _ontology.ontology_dir() / "patterns"


def _fail(path: Path, pid: object, msg: str) -> OntologyError:
    return OntologyError(
        f"relation pattern {pid!r} in {str(path)!r}: {msg}; "
        "see the notes of kg.relations.engine for the format"
    )


def _check_slots(path: Path, pid: str, text: str, nodes: set[str]) -> None:
    for node, attr in _SLOT.findall(text):
        if node not in nodes or attr not in _ATTRS:
            raise _fail(
                path,
                pid,
                f"{{{node}.{attr}}} names no pattern node or attribute "
                f"(nodes {sorted(nodes)}, attributes {sorted(_ATTRS)})",
            )


def _check_shape(path: Path, pid: str, raw: list[object]) -> None:
    """Check a pattern is a DependencyMatcher pattern the engine can run."""
    try:
        DependencyMatcher(Vocab()).add(pid, [cast("list[dict[str, Any]]", raw)])
    except (ValueError, TypeError, KeyError) as exc:
        raise _fail(path, pid, f"not a DependencyMatcher pattern ({exc})") from exc
    for node in raw:
        assert isinstance(node, dict)  # noqa: S101 (DependencyMatcher checked it)
        op = node.get("REL_OP")
        if op is not None and op not in _OPS:
            raise _fail(path, pid, f"REL_OP {op!r}: the engine runs {sorted(_OPS)}")
        for key, spec in dict(node.get("RIGHT_ATTRS", {})).items():
            bad = isinstance(spec, dict) and set(spec) - {"IN", "NOT_IN"}
            if key not in _GETTERS or bad:
                raise _fail(
                    path,
                    pid,
                    f"attribute {key}: {spec!r}; the engine tests "
                    f"{sorted(_GETTERS)} with a value, IN or NOT_IN",
                )


def _read_entry(
    path: Path, entry: Mapping[str, object], onto: Ontology
) -> RelationPattern:
    """Read and check one pattern entry of a file."""
    pid = str(entry.get("id", ""))
    if not pid:
        raise _fail(path, pid, "no 'id'")
    raw = entry.get("pattern")
    if not isinstance(raw, list) or not raw:
        raise _fail(path, pid, "'pattern' is no DependencyMatcher node list")
    _check_shape(path, pid, raw)
    nodes = {str(n.get("RIGHT_ID")) for n in raw if isinstance(n, dict)}
    subject, obj = str(entry.get("subject")), str(entry.get("object"))
    clause = entry.get("clause")
    for name in (subject, obj, *([str(clause)] if clause else [])):
        if name not in nodes:
            raise _fail(path, pid, f"{name!r} is no node of the pattern")
    prop = entry.get("property")
    trigger = entry.get("trigger")
    kind: str | None = None
    words = ""
    if prop is not None:
        if str(prop) not in onto.properties:
            raise _fail(path, pid, f"property {prop!r} is not in the ontology")
    elif isinstance(trigger, dict) and trigger.get("kind") in _KINDS:
        kind, words = str(trigger["kind"]), str(trigger.get("words", ""))
        _check_slots(path, pid, words, nodes)
    else:
        raise _fail(
            path, pid, f"needs 'property' or 'trigger' (kind one of {sorted(_KINDS)})"
        )
    lemma = str(entry.get("lemma", ""))
    _check_slots(path, pid, lemma, nodes)
    named = str(entry.get("named", "both"))
    if named not in _NAMED:
        raise _fail(path, pid, f"'named' is {named!r}, not one of {sorted(_NAMED)}")
    try:
        return RelationPattern(
            id=pid,
            pattern=json.dumps(raw, sort_keys=True),
            subject=subject,
            object=obj,
            confidence=float(cast("float", entry.get("confidence", 0.5))),
            property=str(prop) if prop is not None else None,
            kind=cast("TriggerKind", kind),
            words=words,
            lemma=lemma,
            named=named,
            clause=str(clause) if clause else None,
            inverse=bool(entry.get("inverse", False)),
        )
    except (TypeError, ValueError) as exc:
        raise _fail(path, pid, str(exc)) from exc


@functools.cache
def load_patterns(folder: Path | None = None) -> tuple[RelationPattern, ...]:
    """Read and check every relation pattern of ``ontology/patterns/*.json``.

    Raises
    ------
    OntologyError
        A file does not parse, or a pattern names an unknown property,
        trigger kind or node.

    Examples
    --------
    >>> any(p.id.startswith("kg.pattern.") for p in load_patterns())
    True
    """
    folder = folder or pattern_dir()
    onto = _ontology.load_ontology()
    found: list[RelationPattern] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OntologyError(f"cannot read pattern file {path}: {exc}") from exc
        entries = data.get("patterns") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise OntologyError(f"pattern file {path} has no 'patterns' list")
        for entry in entries:
            if not isinstance(entry, dict):
                raise _fail(path, "?", "an entry is not an object")
            pattern = _read_entry(path, entry, onto)
            if pattern.id in seen:
                raise _fail(path, pattern.id, "the id is used twice")
            seen.add(pattern.id)
            found.append(pattern)
    return tuple(found)


#: Token attributes a pattern node may test, and how to read them.
_GETTERS: Mapping[str, Callable[[Token], str]] = {
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "ENT_TYPE": lambda t: t.ent_type_,
    "ENT_IOB": lambda t: t.ent_iob_,
}
#: Relations between pattern nodes the engine runs in linear time: a
#: direct dependent (">") or a direct head ("<").
_OPS = frozenset({">", "<"})


@dataclass(frozen=True, slots=True)
class _TreeNode:
    name: str
    attrs: tuple[tuple[str, object], ...]
    left: str | None
    op: str | None


def _tree(pattern: RelationPattern) -> tuple[_TreeNode, ...]:
    return tuple(
        _TreeNode(
            str(n["RIGHT_ID"]),
            tuple(dict(n.get("RIGHT_ATTRS", {})).items()),
            n.get("LEFT_ID"),
            n.get("REL_OP"),
        )
        for n in json.loads(pattern.pattern)
    )


def _value_fits(value: str, spec: object) -> bool:
    if isinstance(spec, dict):
        if "IN" in spec and value not in spec["IN"]:
            return False
        return not ("NOT_IN" in spec and value in spec["NOT_IN"])
    return value == spec


def _fits_node(token: Token, node: _TreeNode) -> bool:
    return all(_value_fits(_GETTERS[k](token), v) for k, v in node.attrs)


def match_tree(doc: Doc, nodes: Sequence[_TreeNode]) -> Iterator[dict[str, Token]]:
    """Yield each binding of pattern nodes to tokens (DependencyMatcher's meaning).

    Runs in time linear in the text for patterns of ``>`` and ``<``
    relations (spaCy's DependencyMatcher tries every combination of
    candidate tokens, quadratic and worse on a long sentence).
    """
    root, rest = nodes[0], nodes[1:]
    for token in doc:
        if not _fits_node(token, root):
            continue
        partial: list[dict[str, Token]] = [{root.name: token}]
        for node in rest:
            grown: list[dict[str, Token]] = []
            for bound in partial:
                left = bound[str(node.left)]
                if node.op == ">":
                    candidates = list(left.children)
                else:
                    candidates = [left.head] if left.head.i != left.i else []
                used = {t.i for t in bound.values()}
                grown.extend(
                    {**bound, node.name: c}
                    for c in candidates
                    if c.i not in used and _fits_node(c, node)
                )
            partial = grown
        yield from partial


def _attr(token: Token, attr: str) -> str:
    if attr == "lemma":
        return token.lemma_.lower()
    if attr == "lower":
        return token.lower_
    if attr == "ent_type":
        return token.ent_type_
    return token.text


def _fill(text: str, anchors: Mapping[str, Token]) -> str:
    return " ".join(
        _SLOT.sub(lambda m: _attr(anchors[m.group(1)], m.group(2)), text).split()
    )


def _property(
    ctx: _Context,
    pattern: RelationPattern,
    s: _Node,
    o: _Node,
    anchors: Mapping[str, Token],
) -> PropertyInfo | None:
    lenient = pattern.named == "either"
    if pattern.property is not None:
        info = ctx.onto.properties[pattern.property]
        return info if _fits(ctx.onto, info, s, o, lenient=lenient) else None
    assert pattern.kind is not None  # noqa: S101 (checked when loaded)
    return _choose(
        ctx.onto, pattern.kind, _fill(pattern.words, anchors), s, o, lenient=lenient
    )


def _facts(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> Iterator[Triple | Entity]:
    s, o = _node(ctx, anchors[pattern.subject]), _node(ctx, anchors[pattern.object])
    if s is None or o is None:
        return
    if pattern.named == "both" and not (s.named and o.named):
        return
    if pattern.inverse:
        s, o = o, s
    info = _property(ctx, pattern, s, o, anchors)
    if info is None:
        return
    head = anchors[pattern.clause] if pattern.clause else anchors[pattern.subject].head
    modality = (
        clause_modality(head)
        if pattern.clause and not ctx.legacy
        else phrase_modality(head)
    )
    lemma = _fill(pattern.lemma or pattern.words, anchors) or info.label
    yield from _emit(
        ctx,
        s,
        o,
        info,
        lemma=lemma,
        confidence=pattern.confidence,
        rule=pattern.id,
        sent=anchors[pattern.subject].sent,
        modality=modality,
        rule_id=True,
    )


def run_patterns(
    ctx: _Context, doclike: Doc | Span, patterns: Sequence[RelationPattern] = ()
) -> Iterator[Triple | Entity]:
    """Yield the facts the relation patterns find in a text.

    ``patterns`` default to :func:`load_patterns`.
    """
    chosen = tuple(patterns) or load_patterns()
    doc = doclike if isinstance(doclike, Doc) else doclike.doc
    start, end = (
        (0, len(doc)) if isinstance(doclike, Doc) else (doclike.start, doclike.end)
    )
    for pattern in chosen:
        for anchors in match_tree(doc, _tree(pattern)):
            if all(start <= t.i < end for t in anchors.values()):
                yield from _facts(ctx, pattern, anchors)
