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
joined by ``>`` (a direct dependent), ``>--`` / ``>++`` (a dependent
before / after its head) or ``<`` (the direct head) and test ORTH, TEXT,
LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE or ENT_IOB (a value, or
``IN``/``NOT_IN`` a list; ``IN_LEXICON``/``NOT_IN_LEXICON`` name a word
list of ``ontology/lexicons/``, read when the pattern is loaded); the
engine matches it in time linear in the text (:func:`match_tree`).
``subject`` and ``object`` name two of its nodes (``RIGHT_ID``). The
fact's property is either fixed (``"property": "employer"``) or chosen
among the ontology properties listing a trigger (``"trigger": {"kind":
KIND, "words": TEXT}``, KIND one of verb, noun, prep, modifier, structure)
whose domain and range fit the two entities. ``words`` and the optional
``lemma`` (the relation words stored with the fact; default the trigger
words or the property's label) may quote a node's attribute:
``{verb.lemma}``, ``{prep.lower}``, ``{noun.text}``, ``{name.ent_type}``.
Optional keys: ``"named"`` (``"both"``, the default; ``"either"``: may one
end be a described thing; ``"described"``: a described thing only with
``kg.clauses.v3+described``), ``"clause"`` (the node whose clause gives
the fact's modality; default the subject's head), ``"phrase"`` (the node
whose noun phrase gives it: its head's hedges and reports, none at the
root), ``"inverse": true`` (the fact runs object to subject), ``"unless"``
(a list of node lists, each growing the pattern: a match that one of them
extends states no fact), ``"classes"`` (``{"NODE": {"IN": [CLASS, ...]}}``
or ``NOT_IN``: the class of the subject's or object's entity, or a
subclass), ``"noun_class"`` (``{"NODE": CLASS}``: the node's noun has
one class of ``ontology/nouns.ttl`` ("factory": Facility), that class or a
subclass; a described thing there takes it) and ``"relational"``
(``{"NODE": false}``: the node's lemma is no noun trigger of the ontology,
"owner"; ``"none"``: neither bare nor with its modifier, "parent company";
``true``: it is one; a list of properties: it is one of theirs).
``noun_class`` may also be ``{"NODE": {"ANY": [CLASS, ...]}}``: one of the
classes of the node's noun is one of these or a subclass (nothing typed).
``"named": "subject"``: the subject is named, the object may be a described
thing. ``"lenient"`` (true/false; default true only for ``"named":
"either"``): whether an untyped described end passes the domain and range
check. ``"fallback": NODE``: the pattern reads a match only where no earlier
pattern of its file took the token at that node (found a property for a
match binding it, even where no fact could be drawn): "his home" is a
residence, so the owning pattern after it does not read it.

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
from kg.lexicon import load_words
from kg.ontology import Ontology, PropertyInfo, TriggerKind
from kg.relations.nodes import (
    _choose,
    _Context,
    _emit,
    _fits,
    _Node,
    _node,
    _noun_class,
    _role_lemma,
    _typed,
)
from kg.relations.places import _life_place, _naming_of, _person_of
from kg.relations.polarity import clause_modality, phrase_modality
from kg.types import Entity, Modality, Triple

__all__ = [
    "RelationPattern",
    "load_patterns",
    "match_pattern",
    "match_tree",
    "pattern_dir",
    "run_patterns",
]

_KINDS = frozenset({"verb", "noun", "prep", "modifier", "structure"})
_ATTRS = frozenset({"lemma", "lower", "text", "ent_type"})
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([a-z_]+)\}")
_NAMED = frozenset({"both", "either", "described", "subject"})


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
    phrase: str | None = None
    #: node lists (JSON) whose match drops the pattern's
    unless: str = "[]"
    #: (node, "IN" or "NOT_IN", classes) tests on the ends' entity classes
    classes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    #: (node, class) tests on a node's noun class
    noun_class: tuple[tuple[str, str], ...] = ()
    #: (node, properties): the node's lemma is a noun trigger of one of the
    #: properties (any property where empty), or (None) of none
    relational: tuple[tuple[str, tuple[str, ...] | None], ...] = ()
    #: (node, classes) tests: a class of the node's noun is one of these
    noun_any: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: nodes whose lemma, bare or with its modifier, is no noun trigger
    unmodified: tuple[str, ...] = ()
    #: whether an untyped described end passes the domain and range check
    #: (None: where ``named`` is ``either``)
    lenient: bool | None = None
    #: the file's family, and the node a fallback pattern reads only where
    #: no earlier pattern of its family took the token
    family: str = ""
    fallback: str | None = None

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


def _with_lexicons(path: Path, pid: str, raw: list[object]) -> list[object]:
    """Replace ``IN_LEXICON``/``NOT_IN_LEXICON`` by the word list's entries."""
    out: list[object] = []
    for node in raw:
        if not isinstance(node, dict):
            out.append(node)
            continue
        attrs: dict[str, object] = {}
        for key, spec in dict(node.get("RIGHT_ATTRS", {})).items():
            if isinstance(spec, dict):
                spec = dict(spec)
                for op in ("IN_LEXICON", "NOT_IN_LEXICON"):
                    if op in spec:
                        try:
                            words = load_words(str(spec.pop(op)))
                        except OntologyError as exc:
                            raise _fail(path, pid, str(exc)) from exc
                        plain = op.removesuffix("_LEXICON")
                        spec[plain] = sorted(set(spec.get(plain, [])) | words)
            attrs[key] = spec
        out.append({**node, "RIGHT_ATTRS": attrs} if "RIGHT_ATTRS" in node else node)
    return out


def _read_classes(
    path: Path, pid: str, entry: Mapping[str, object], onto: Ontology, ends: set[str]
) -> tuple[tuple[tuple[str, str, tuple[str, ...]], ...], tuple[tuple[str, str], ...]]:
    """Read a pattern's ``classes`` and ``noun_class`` tests."""
    tests: list[tuple[str, str, tuple[str, ...]]] = []
    for node, spec in dict(cast("dict[str, object]", entry.get("classes", {}))).items():
        if node not in ends or not isinstance(spec, dict) or len(spec) != 1:
            raise _fail(path, pid, f"classes of {node!r}: one of IN/NOT_IN on an end")
        ((op, names),) = spec.items()
        if op not in {"IN", "NOT_IN"} or not set(names) <= onto.classes:
            raise _fail(path, pid, f"classes of {node!r}: {spec!r}, no such class")
        tests.append((node, str(op), tuple(names)))
    nouns: list[tuple[str, str]] = []
    raw = dict(cast("dict[str, object]", entry.get("noun_class", {})))
    for node, cls in raw.items():
        if isinstance(cls, dict):
            continue  # {"ANY": [...]}: read by _read_noun_any
        if str(cls) not in onto.classes:
            raise _fail(path, pid, f"noun_class of {node!r}: no class {cls!r}")
        nouns.append((node, str(cls)))
    return tuple(tests), tuple(nouns)


def _read_noun_any(
    path: Path, pid: str, entry: Mapping[str, object], onto: Ontology
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Read ``noun_class`` tests of the form ``{NODE: {"ANY": [CLASS, ...]}}``."""
    found: list[tuple[str, tuple[str, ...]]] = []
    raw = dict(cast("dict[str, object]", entry.get("noun_class", {})))
    for node, spec in raw.items():
        if not isinstance(spec, dict):
            continue
        names = spec.get("ANY")
        if set(spec) != {"ANY"} or not isinstance(names, list):
            raise _fail(path, pid, f"noun_class of {node!r}: {spec!r}, not ANY")
        if not set(map(str, names)) <= onto.classes:
            raise _fail(path, pid, f"noun_class of {node!r}: {spec!r}, no such class")
        found.append((node, tuple(map(str, names))))
    return tuple(found)


def _read_relational(
    path: Path, pid: str, entry: Mapping[str, object], onto: Ontology
) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Read ``relational``: ``{NODE: false}``, ``true`` or a list of properties."""
    found: list[tuple[str, tuple[str, ...] | None]] = []
    raw = dict(cast("dict[str, object]", entry.get("relational", {})))
    for node, spec in raw.items():
        if spec == "none":
            continue  # read by _read_entry: no trigger, bare or modified
        if spec is False:
            found.append((node, None))
        elif spec is True:
            found.append((node, ()))
        elif isinstance(spec, list) and set(map(str, spec)) <= set(onto.properties):
            found.append((node, tuple(map(str, spec))))
        else:
            raise _fail(path, pid, f"relational {node!r}: {spec!r}, no such property")
    return tuple(found)


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


def _read_shape(
    path: Path, pid: str, entry: Mapping[str, object]
) -> tuple[list[object], list[list[object]]]:
    """Read and check a pattern's nodes and its ``unless`` node lists."""
    raw = entry.get("pattern")
    if not isinstance(raw, list) or not raw:
        raise _fail(path, pid, "'pattern' is no DependencyMatcher node list")
    raw = _with_lexicons(path, pid, raw)
    _check_shape(path, pid, raw)
    unless = entry.get("unless", [])
    if not isinstance(unless, list) or not all(isinstance(u, list) for u in unless):
        raise _fail(path, pid, "'unless' is no list of node lists")
    extras = [_with_lexicons(path, pid, u) for u in unless]
    for extra in extras:
        _check_shape(path, pid, [*raw, *extra])
    return raw, extras


def _read_options(
    path: Path, pid: str, entry: Mapping[str, object], onto: Ontology, nodes: set[str]
) -> dict[str, Any]:
    """Read the keys ``lenient``, ``fallback``, ``noun_class`` ANY and ``"none"``."""
    lenient = entry.get("lenient")
    if lenient is not None and not isinstance(lenient, bool):
        raise _fail(path, pid, f"'lenient' is {lenient!r}, not true or false")
    fallback = entry.get("fallback")
    if fallback is not None and str(fallback) not in nodes:
        raise _fail(path, pid, f"fallback {fallback!r} is no node of the pattern")
    raw = dict(cast("dict[str, object]", entry.get("relational", {})))
    unmodified = tuple(n for n, spec in raw.items() if spec == "none")
    noun_any = _read_noun_any(path, pid, entry, onto)
    for name in (*unmodified, *(n for n, _ in noun_any)):
        if name not in nodes:
            raise _fail(path, pid, f"{name!r} is no node of the pattern")
    return {
        "lenient": lenient,
        "fallback": str(fallback) if fallback is not None else None,
        "unmodified": unmodified,
        "noun_any": noun_any,
    }


def _read_entry(
    path: Path, entry: Mapping[str, object], onto: Ontology, family: str = ""
) -> RelationPattern:
    """Read and check one pattern entry of a file."""
    pid = str(entry.get("id", ""))
    if not pid:
        raise _fail(path, pid, "no 'id'")
    raw, unless = _read_shape(path, pid, entry)
    nodes = {str(n.get("RIGHT_ID")) for n in raw if isinstance(n, dict)}
    subject, obj = str(entry.get("subject")), str(entry.get("object"))
    clause, phrase = entry.get("clause"), entry.get("phrase")
    for name in (subject, obj, *(str(n) for n in (clause, phrase) if n)):
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
    classes, noun_class = _read_classes(path, pid, entry, onto, {subject, obj})
    relational = _read_relational(path, pid, entry, onto)
    for name in (n for n, _ in (*noun_class, *relational)):
        if name not in nodes:
            raise _fail(path, pid, f"{name!r} is no node of the pattern")
    options = _read_options(path, pid, entry, onto, nodes)
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
            phrase=str(phrase) if phrase else None,
            unless=json.dumps(unless, sort_keys=True),
            classes=classes,
            noun_class=noun_class,
            relational=relational,
            family=family,
            **options,
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
        family = str(data.get("family", path.stem))
        earlier: set[str] = set()  # the nodes of the file's earlier patterns
        for entry in entries:
            if not isinstance(entry, dict):
                raise _fail(path, "?", "an entry is not an object")
            pattern = _read_entry(path, entry, onto, family)
            if pattern.id in seen:
                raise _fail(path, pattern.id, "the id is used twice")
            if pattern.fallback is not None and pattern.fallback not in earlier:
                raise _fail(
                    path,
                    pattern.id,
                    f"fallback {pattern.fallback!r}: no earlier pattern of the "
                    "file has that node",
                )
            earlier.update(n.name for n in _tree(pattern))
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
#: direct dependent (">"; before its head ">--", after it ">++") or a
#: direct head ("<").
_OPS = frozenset({">", ">--", ">++", "<"})


@dataclass(frozen=True, slots=True)
class _TreeNode:
    name: str
    attrs: tuple[tuple[str, object], ...]
    left: str | None
    op: str | None


def _nodes(raw: Sequence[Mapping[str, Any]]) -> tuple[_TreeNode, ...]:
    return tuple(
        _TreeNode(
            str(n["RIGHT_ID"]),
            tuple(dict(n.get("RIGHT_ATTRS", {})).items()),
            n.get("LEFT_ID"),
            n.get("REL_OP"),
        )
        for n in raw
    )


def _tree(pattern: RelationPattern) -> tuple[_TreeNode, ...]:
    return _nodes(json.loads(pattern.pattern))


@functools.cache
def _unless(pattern: RelationPattern) -> tuple[tuple[_TreeNode, ...], ...]:
    return tuple(_nodes(extra) for extra in json.loads(pattern.unless))


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
        if _fits_node(token, root):
            yield from _grow([{root.name: token}], rest)


def _candidates(left: Token, op: str | None) -> list[Token]:
    if op == ">":
        return list(left.children)
    if op == ">--":
        return list(left.lefts)
    if op == ">++":
        return list(left.rights)
    return [left.head] if left.head.i != left.i else []


def _grow(
    partial: list[dict[str, Token]], nodes: Sequence[_TreeNode]
) -> list[dict[str, Token]]:
    """Extend each binding by the nodes, in order (none where a node fails)."""
    for node in nodes:
        grown: list[dict[str, Token]] = []
        for bound in partial:
            used = {t.i for t in bound.values()}
            grown.extend(
                {**bound, node.name: c}
                for c in _candidates(bound[str(node.left)], node.op)
                if c.i not in used and _fits_node(c, node)
            )
        partial = grown
    return partial


def match_pattern(doc: Doc, pattern: RelationPattern) -> Iterator[dict[str, Token]]:
    """Yield each binding of a pattern's nodes that no ``unless`` list extends.

    Examples
    --------
    >>> p = next(p for p in load_patterns() if p.id.endswith("name-in-name.v1"))
    >>> doc = nlp("Police closed Elm Street, Oakfield, after the storm.")
    >>> [(m["outer"].text, m["inner"].text) for m in match_pattern(doc, p)]
    [('Street', 'Oakfield')]
    """
    unless = _unless(pattern)
    for anchors in match_tree(doc, _tree(pattern)):
        if not any(_grow([anchors], extra) for extra in unless):
            yield anchors


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
    if pattern.lenient is not None:
        lenient = pattern.lenient
    if pattern.property is not None:
        info = ctx.onto.properties[pattern.property]
        return info if _fits(ctx.onto, info, s, o, lenient=lenient) else None
    assert pattern.kind is not None  # noqa: S101 (checked when loaded)
    return _choose(
        ctx.onto, pattern.kind, _fill(pattern.words, anchors), s, o, lenient=lenient
    )


def _noun_classes(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> dict[str, str] | None:
    """Each ``noun_class`` node's noun class, or None where one test fails."""
    found: dict[str, str] = {}
    for name, wanted in pattern.noun_class:
        cls = _noun_class(ctx, anchors[name])
        if cls is None or not ctx.onto.is_a(cls, wanted):
            return None
        found[name] = cls
    return found


def _relational_fits(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> bool:
    for name in pattern.unmodified:
        token = anchors[name]
        if ctx.onto.properties_for("noun", _role_lemma(token)) or (
            ctx.onto.properties_for("noun", token.lemma_.lower())
        ):
            return False
    for name, classes in pattern.noun_any:
        nouns = ctx.onto.classes_for_noun(anchors[name].lemma_)
        if not any(ctx.onto.is_a(c, w) for c in nouns for w in classes):
            return False
    for name, wanted in pattern.relational:
        lemma = anchors[name].lemma_.lower()
        found = {p.name for p in ctx.onto.properties_for("noun", lemma)}
        if wanted is None and found:
            return False
        if wanted is not None and not (found & set(wanted) if wanted else found):
            return False
    return True


def _classes_fit(
    ctx: _Context, pattern: RelationPattern, ends: Mapping[str, _Node]
) -> bool:
    for name, op, wanted in pattern.classes:
        inside = any(ctx.onto.is_a(ends[name].cls, c) for c in wanted)
        if inside != (op == "IN"):
            return False
    return True


def _modality(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> Modality:
    if pattern.clause:
        head = anchors[pattern.clause]
        return phrase_modality(head) if ctx.legacy else clause_modality(head)
    if pattern.phrase:
        token = anchors[pattern.phrase]
        return "asserted" if token.dep_ == "ROOT" else phrase_modality(token.head)
    return phrase_modality(anchors[pattern.subject].head)


def _ends(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> tuple[_Node, _Node] | None:
    """Return the subject and object nodes, typed and checked (None if unfit)."""
    if not _relational_fits(ctx, pattern, anchors):
        return None
    nouns = _noun_classes(ctx, pattern, anchors)
    s, o = _node(ctx, anchors[pattern.subject]), _node(ctx, anchors[pattern.object])
    if nouns is None or s is None or o is None:
        return None
    named = pattern.named
    if named == "described":
        named = "either" if ctx.described else "both"
    if named == "both" and not (s.named and o.named):
        return None
    if named == "subject" and not s.named:
        return None
    s = _typed(ctx, s, nouns[pattern.subject]) if pattern.subject in nouns else s
    o = _typed(ctx, o, nouns[pattern.object]) if pattern.object in nouns else o
    if not _classes_fit(ctx, pattern, {pattern.subject: s, pattern.object: o}):
        return None
    return (o, s) if pattern.inverse else (s, o)


def _reading(
    ctx: _Context,
    pattern: RelationPattern,
    s: _Node,
    o: _Node,
    anchors: Mapping[str, Token],
) -> tuple[PropertyInfo | None, str]:
    """Return the fact's property, and a suffix to its rule where it is read apart.

    A trigger word alone does not tell (``kg.relations.places``): a place in
    the brackets after a person's name is a birth or death place (rule
    ``+life-place``), by a preposition ("(1874 in Y)", node ``prep``) or
    apposed ("(born 1874, Y)"); an "of" inside the subject's own name states
    nothing ("the Bay of Y"); a person's "of" is a residence, a nation or
    nothing ("X, 61, of Y", "Otto III of Y", "X of the Blue Foxes").
    """
    info = _property(ctx, pattern, s, o, anchors)
    prep = anchors.get("prep") if pattern.kind == "prep" else None
    apposed = pattern.kind == "structure" and pattern.words == "apposition"
    anchor = prep if prep is not None else anchors[pattern.object] if apposed else None
    if info is None or anchor is None:
        return info, ""
    life = _life_place(ctx, s, anchor, o)
    if life is not None:
        return life, "+life-place"
    if prep is None:
        return info, ""
    if _naming_of(ctx, s, prep):
        return None, ""
    return _person_of(ctx, s, o, prep, info), ""


def _facts(
    ctx: _Context, pattern: RelationPattern, anchors: Mapping[str, Token]
) -> list[Triple | Entity] | None:
    """Return the facts of a match; None where the pattern took no property.

    An empty list means a property took the match but no fact could be
    drawn (a self-loop): a fallback pattern does not read it either.
    """
    ends = _ends(ctx, pattern, anchors)
    if ends is None:
        return None
    s, o = ends
    info, reading = _reading(ctx, pattern, s, o, anchors)
    if info is None:
        return None
    modality = _modality(ctx, pattern, anchors)
    lemma = _fill(pattern.lemma or pattern.words, anchors) or info.label
    return list(
        _emit(
            ctx,
            s,
            o,
            info,
            lemma=lemma,
            confidence=pattern.confidence,
            rule=pattern.id + reading,
            sent=anchors[pattern.subject].sent,
            modality=modality,
            rule_id=True,
        )
    )


def run_patterns(
    ctx: _Context, doclike: Doc | Span, patterns: Sequence[RelationPattern] = ()
) -> Iterator[Triple | Entity]:
    """Yield the facts the relation patterns find in a text.

    ``patterns`` default to :func:`load_patterns`, run in their order. A
    pattern with a ``fallback`` node reads a match only where no earlier
    pattern of its family took the token at that node (found a property
    for a match binding it to a node of that name).
    """
    chosen = tuple(patterns) or load_patterns()
    doc = doclike if isinstance(doclike, Doc) else doclike.doc
    start, end = (
        (0, len(doc)) if isinstance(doclike, Doc) else (doclike.start, doclike.end)
    )
    taken: set[tuple[str, str, int]] = set()  # (family, node, token)
    for pattern in chosen:
        for anchors in match_pattern(doc, pattern):
            if not all(start <= t.i < end for t in anchors.values()):
                continue
            node = pattern.fallback
            if node is not None and (pattern.family, node, anchors[node].i) in taken:
                continue
            found = _facts(ctx, pattern, anchors)
            if found is not None:
                taken.update((pattern.family, n, t.i) for n, t in anchors.items())
                yield from found
