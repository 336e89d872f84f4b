"""Nodes worth drawing: a real name, or a description that carries a fact.

Run after typing, before the RDF: each registered, versioned rule looks at
one entity and says why it is *no* node (or nothing). An entity is kept
when no rule objects:

* a named entity needs a proper name: not a bare common noun ("support"),
  not a lone company suffix ("Co"), not a capitalised common word that only
  a headline or a sentence start capitalised ("Arson" over a story that
  speaks of "arson"), not a fragment of a longer name the text writes
  ("Shadow Home" of "Shadow Home Secretary");
* a described thing needs a referring phrase (a determiner, a possessive or a
  number: "the site", "her lawyer", never a bare mass noun) and an asserted
  fact linking it to a named entity;
* nothing read only from page furniture (captions, credits, bylines,
  datelines, category and "see also" lines: :func:`kg.nlp.non_prose_spans`).

The triples of a dropped entity go with it, and so does every triple read
from page furniture.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import catalogue
from spacy.tokens import Doc, Span, Token

from kg.classes.evidence import common_words
from kg.errors import ConfigError
from kg.lexicon import load_words
from kg.mentions import covered_span
from kg.nlp import is_heading, non_prose_spans
from kg.ontology import Ontology, load_ontology
from kg.types import Entity, Mention, Triple

__all__ = [
    "DEFAULT_NODE_RULES",
    "NodeContext",
    "NodeRule",
    "get_node_rule",
    "make_node_context",
    "node_rules",
    "select_nodes",
]

#: Registry of node rules (``kg_node_rules`` entry points plug in).
node_rules = catalogue.create("kg", "node_rules", entry_points=True)

NodeRule = Callable[["NodeContext", Entity], str]

COMMON_NOUN = "kg.nodes.common-noun.v1"
SUFFIX = "kg.nodes.lone-suffix.v1"
CAPITALISED = "kg.nodes.capitalised-word.v1"
FRAGMENT = "kg.nodes.fragment.v1"
FURNITURE = "kg.nodes.furniture.v1"
DESCRIPTION = "kg.nodes.description.v1"

#: The node rules, in order. The capitalised-word and fragment rules are
#: registered but opt-in: on the measure-only ECB+ dev topics they cost
#: named mentions (a surname opening a sentence, a place inside a longer
#: name) and lowered CoNLL F1 (58.7 without them, 58.5 with).
DEFAULT_NODE_RULES: tuple[str, ...] = (
    FURNITURE,
    COMMON_NOUN,
    SUFFIX,
    DESCRIPTION,
)

_REFERRING_DEPS = frozenset({"det", "poss", "nummod", "predet"})
_ASSERTED = "asserted"
_QUOTES = frozenset({'"', "'", "\u201c", "\u2018", "``", "(", "-", "\u2014"})


@dataclass(frozen=True, slots=True)
class NodeContext:
    """What the node rules read: the parse, the facts, the furniture, headlines."""

    doc: Doc
    onto: Ontology
    triples: tuple[Triple, ...]
    entities: Mapping[str, Entity]
    furniture: frozenset[int]
    headline: frozenset[int]
    mentioned: frozenset[int]
    lower_words: frozenset[str]


def make_node_context(
    doc: Doc, entities: Iterable[Entity], triples: Iterable[Triple]
) -> NodeContext:
    r"""Make the context of one document's node rules.

    Examples
    --------
    >>> ctx = make_node_context(nlp("Photo: Ada Byrne\n\nThe jury met."), (), ())
    >>> sorted(ctx.furniture)[:2], "jury" in ctx.lower_words
    ([0, 1], True)
    """
    ents = {e.key: e for e in entities}
    mentioned: set[int] = set()
    for e in ents.values():
        for m in e.mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                mentioned.update(range(span.start, span.end))
    headline = {i for s in doc.sents if is_heading(s) for i in range(s.start, s.end)}
    return NodeContext(
        doc=doc,
        onto=load_ontology(),
        triples=tuple(triples),
        entities=ents,
        furniture=frozenset(
            i for a, b, _kind in non_prose_spans(doc) for i in range(a, b)
        ),
        headline=frozenset(headline),
        mentioned=frozenset(mentioned),
        lower_words=frozenset(
            t.lower_ for t in doc if t.is_lower and t.is_alpha and t.i not in headline
        ),
    )


def register_node_rule(name: str) -> Callable[[NodeRule], NodeRule]:
    """Register a node rule under a versioned id.

    Examples
    --------
    >>> FRAGMENT in node_rules.get_all()
    True
    """

    def deco(fn: NodeRule) -> NodeRule:
        node_rules.register(name, func=fn)
        return fn

    return deco


@functools.cache
def get_node_rule(name: str) -> NodeRule:
    """Return the node rule registered as ``name``.

    Raises
    ------
    ConfigError
        No rule has that id.
    """
    try:
        rule: NodeRule = node_rules.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(node_rules.get_all()))
        raise ConfigError(f"unknown node rule {name!r}; known: {known}") from exc
    return rule


@functools.cache
def _company_suffixes() -> frozenset[str]:
    return load_words("company-suffixes")


@functools.cache
def _honorifics() -> frozenset[str]:
    return load_words("honorifics")


def _spans(ctx: NodeContext, entity: Entity, kind: str | None = "name") -> list[Span]:
    out = []
    for m in entity.mentions:
        if kind is not None and m.kind != kind:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


@register_node_rule(FURNITURE)
def furniture_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop what is only named or described in captions, credits or bylines."""
    spans = _spans(ctx, entity, None)
    if spans and all(
        any(i in ctx.furniture for i in range(s.start, s.end)) for s in spans
    ):
        return "only in page furniture"
    return ""


@register_node_rule(COMMON_NOUN)
def common_noun_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop a named node whose every name is written in lower case ("support")."""
    if not entity.named:
        return ""
    names = [m.text for m in entity.mentions if m.kind == "name"] or [entity.name]
    if not any(any(c.isupper() or c.isdigit() for c in n) for n in names):
        return f"'{entity.name}' is a common noun"
    if not any(c.isalpha() for c in entity.name):
        return f"'{entity.name}' has no letter"
    return ""


@register_node_rule(SUFFIX)
def suffix_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop a node named only by a company suffix ("Co", "Inc.")."""
    if not entity.named:
        return ""
    names = {m.text for m in entity.mentions if m.kind == "name"} | {entity.name}
    if all(n.lower().strip(".&, ") in _company_suffixes() for n in names):
        return f"'{entity.name}' is a company suffix"
    return ""


def _informative_capital(ctx: NodeContext, token: Token) -> bool:
    """Tell whether a capital letter says "name": not a headline, not a start."""
    if token.i in ctx.headline or token.is_sent_start:
        return False
    prev = ctx.doc[token.i - 1] if token.i > 0 else None
    return not (
        prev is not None
        and prev.text in _QUOTES
        and (prev.is_sent_start or prev.i == 0)
    )


def _common_word(ctx: NodeContext, word: str) -> bool:
    lower = word.lower()
    return lower in ctx.lower_words or lower in common_words()


@register_node_rule(CAPITALISED)
def capitalised_word_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop a common word only a headline or a sentence start capitalised."""
    if not entity.named or entity.label != "Thing":
        return ""
    spans = _spans(ctx, entity)
    if not spans or any(len(s) != 1 for s in spans):
        return ""
    if any(_informative_capital(ctx, s[0]) for s in spans):
        return ""
    word = spans[0].text
    if word.isupper() or not _common_word(ctx, word):
        return ""
    return f"'{word}' is a common word capitalised by its place"


def _orphan_capital(ctx: NodeContext, token: Token) -> bool:
    """Tell a capitalised word of running text no mention took in, and no title."""
    return (
        token.is_title
        and token.is_alpha
        and token.i not in ctx.mentioned
        and token.i not in ctx.headline
        and not token.is_sent_start
        and token.lower_ not in _honorifics()
        and not ctx.onto.classes_for_noun(token.lemma_.lower())
    )


@register_node_rule(FRAGMENT)
def fragment_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop an untyped piece of a longer name ("Shadow Home" of "... Secretary").

    Every name of it outside headlines runs on into a capitalised word no
    mention took in; an entity whose evidence gave it a class is kept (a
    place nested in a name: "Tarnby" of "Tarnby County Sheriff").
    """
    if not entity.named or entity.label != "Thing":
        return ""
    spans = [s for s in _spans(ctx, entity) if s.start not in ctx.headline]
    if not spans:
        return ""
    doc = ctx.doc
    for span in spans:
        after = doc[span.end] if span.end < len(doc) else None
        before = doc[span.start - 1] if span.start > 0 else None
        if not any(t is not None and _orphan_capital(ctx, t) for t in (before, after)):
            return ""
    return f"'{entity.name}' is a piece of a longer name"


def _referring(ctx: NodeContext, mention: Mention) -> bool:
    """Tell a description that refers: a determiner, possessive or number on it."""
    span = covered_span(ctx.doc, mention)
    if span is None:
        return False
    head = span.root
    return any(c.dep_ in _REFERRING_DEPS for c in head.children) or any(
        t.dep_ in _REFERRING_DEPS for t in span
    )


@register_node_rule(DESCRIPTION)
def description_rule(ctx: NodeContext, entity: Entity) -> str:
    """Drop a described thing without a referring phrase or an asserted fact."""
    if entity.named:
        return ""
    if not any(_referring(ctx, m) for m in entity.mentions if m.kind == "nominal"):
        return f"'{entity.name}' is a bare noun, no description"
    for t in ctx.triples:
        if t.modality != _ASSERTED:
            continue
        other = t.object if t.subject == entity.key else t.subject
        if entity.key not in (t.subject, t.object) or other == entity.key:
            continue
        partner = ctx.entities.get(other)
        if partner is not None and partner.named:
            return ""
    return f"'{entity.name}' carries no asserted fact to a named entity"


def select_nodes(
    ctx: NodeContext, *, rules: Sequence[str] = DEFAULT_NODE_RULES
) -> dict[str, str]:
    """Return the entities that are no node, by key, each with the rule and why.

    Examples
    --------
    >>> from kg.types import Mention
    >>> doc = nlp("Ada Byrne founded the company with Co.")
    >>> co = Entity("co", "Organization", "Co", (Mention("Co", "ORG", 35, 37, 0),))
    >>> select_nodes(make_node_context(doc, [co], []))
    {'co': "kg.nodes.lone-suffix.v1: 'Co' is a company suffix"}
    """
    dropped: dict[str, str] = {}
    for key, entity in ctx.entities.items():
        for name in rules:
            why = get_node_rule(name)(ctx, entity)
            if why:
                dropped[key] = f"{name}: {why}"
                break
    return dropped
