"""Resolvers: the registry, the public entry point, and the sieve driver.

A resolver is a callable ``(doc, mentions) -> tuple[Entity, ...]`` made by a
factory registered under a versioned name; other packages plug in through the
``kg_resolvers`` entry-point group. The default, ``kg.sieves.v1``, applies the
sieves of :data:`kg.coref.sieves.SIEVE_ORDER` over a
:class:`~kg.coref.state.Discourse` (``kg.rules.v2`` names the same resolver,
its earlier, single-class form); ``kg.rules.v1`` groups names only.

Examples
--------
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Ada Byrne met Tom Vale. She wrote to him.")
>>> ents = resolve_entities(doc, extract_mentions(doc))
>>> {e.name: [(m.text, m.link) for m in e.mentions] for e in ents}
{'Ada Byrne': [('Ada Byrne', ''), ('She', 'kg.coref.pronoun_salience.v1')],
 'Tom Vale': [('Tom Vale', ''), ('him', 'kg.coref.pronoun_salience.v1')]}
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import catalogue
from spacy.attrs import POS
from spacy.symbols import NOUN
from spacy.tokens import Token

from kg.coref.entities import build_entities, with_containers, with_possessives
from kg.coref.grammar import ARG_DEPS, quantity_of_plural
from kg.coref.merge import alias_match
from kg.coref.names import name_key
from kg.coref.naming import new_name_cluster
from kg.coref.sieves import (
    DESCRIPTION_RANKER_ORDER,
    RANKER_ORDER,
    SIEVE_ORDER,
    Sieve,
    sieves,
)
from kg.coref.sieves.descriptions import new_nominal_cluster
from kg.coref.sieves.pronouns import new_pronoun_cluster
from kg.coref.state import Discourse, build_discourse
from kg.coref.words import FIRST, FIRST_PLURAL, SECOND
from kg.errors import ConfigError
from kg.mentions import owned_title_pronoun, token_indices
from kg.ontology import load_ontology
from kg.types import DocLike, Entity, Mention

__all__ = [
    "DEFAULT_RESOLVER",
    "Resolver",
    "get_resolver",
    "make_sieve_resolver",
    "mention_class",
    "register_resolver",
    "resolve_entities",
    "resolvers",
    "run_sieves",
]

Resolver = Callable[[DocLike, Sequence[Mention]], tuple[Entity, ...]]
resolvers = catalogue.create("kg", "resolvers", entry_points=True)
ResolverFactory = Callable[[], Resolver]

DEFAULT_RESOLVER = "kg.sieves.v1"


def register_resolver(name: str) -> Callable[[ResolverFactory], ResolverFactory]:
    """Register a resolver factory under a versioned name, e.g. ``my.neural.v1``.

    A typed front to ``resolvers.register``; other packages may also use the
    ``kg_resolvers`` entry-point group.

    Examples
    --------
    >>> @register_resolver("doc.example.v1")
    ... def make_nothing() -> Resolver:
    ...     return lambda doclike, mentions: ()
    >>> get_resolver("doc.example.v1")(None, ())
    ()
    """
    decorator: Callable[[ResolverFactory], ResolverFactory] = resolvers.register(name)
    return decorator


def get_resolver(name: str = DEFAULT_RESOLVER) -> Resolver:
    """Return the registered resolver called ``name``.

    Raises
    ------
    ConfigError
        No resolver of that name is registered.

    Examples
    --------
    >>> callable(get_resolver())
    True
    """
    return _resolver(name)


@functools.cache
def _resolver(name: str) -> Resolver:
    # looked up once per process: catalogue reads the entry points on each get
    try:
        factory = resolvers.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(resolvers.get_all()))
        raise ConfigError(f"unknown resolver {name!r}; registered: {known}") from exc
    resolver: Resolver = factory()
    return resolver


def resolve_entities(
    doclike: DocLike,
    mentions: Iterable[Mention],
    *,
    resolver: str = DEFAULT_RESOLVER,
) -> tuple[Entity, ...]:
    """Group mentions into entities with the named resolver.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Byrne met Tom Vale. Byrne wrote to Vale.")
    >>> sorted(e.name for e in resolve_entities(doc, extract_mentions(doc)))
    ['Ada Byrne', 'Tom Vale']
    """
    return get_resolver(resolver)(doclike, tuple(mentions))


# -- kg.rules.v1: names only (kept for comparison) ---------------------------


def _decide_label(mentions: Sequence[Mention]) -> str:
    """Pick the ontology class by a vote over every name mention's NER label."""
    onto = load_ontology()
    votes = Counter(
        cls
        for m in mentions
        if m.kind == "name" and (cls := onto.class_for_ner_label(m.label)) is not None
    )
    return votes.most_common(1)[0][0] if votes else "Thing"


def _entity_from(mentions: Sequence[Mention]) -> Entity:
    names = [m for m in mentions if m.kind == "name"]
    best = max(
        names, key=lambda m: (len(name_key(m.text).split()), len(m.text), -m.start_char)
    )
    aliases = sorted({m.text for m in names if m.text != best.text})
    return Entity(
        key=name_key(best.text) or best.text,
        label=_decide_label(mentions),
        name=best.text,
        mentions=tuple(sorted(mentions, key=lambda m: m.start_char)),
        aliases=tuple(aliases),
    )


@register_resolver("kg.rules.v1")
def make_rule_resolver() -> Resolver:
    """Make the first rule-based resolver: names grouped by alias rules only.

    Two name mentions corefer when their normalised forms are equal or one is
    the final word(s) of the other (a surname). Other mentions are dropped.
    """

    def resolve(doclike: DocLike, mentions: Sequence[Mention]) -> tuple[Entity, ...]:
        clusters: list[list[Mention]] = []
        keys: list[set[str]] = []
        names = sorted(
            (m for m in mentions if m.kind == "name" and name_key(m.text)),
            key=lambda m: -len(name_key(m.text).split()),
        )
        for mention in names:
            key = name_key(mention.text)
            for cluster_keys, cluster in zip(keys, clusters, strict=True):
                if any(alias_match(key, k) for k in cluster_keys):
                    cluster.append(replace(mention, link="kg.rules.v1"))
                    cluster_keys.add(key)
                    break
            else:
                clusters.append([mention])
                keys.append({key})
        return tuple(_entity_from(c) for c in clusters)

    return resolve


# -- kg.sieves.v1: the sieves over a discourse state -------------------------


def mention_class(state: Discourse, index: int) -> str:
    """Return the class of a mention that decides which sieves read it.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("We met Ada. I liked her.")
    >>> state = build_discourse(doc, list(extract_mentions(doc)))
    >>> [mention_class(state, i) for i in range(len(state.mentions))]
    ['we', 'name', 'speech', 'pronoun']
    """
    mention = state.mentions[index]
    if mention.kind in {"name", "nominal"}:
        return mention.kind
    span = state.spans[index]
    word = span.root if span is not None else None
    if word is not None and owned_title_pronoun(word):
        return "title"
    lower = word.lower_ if word is not None else mention.text.lower()
    if lower in FIRST | SECOND:
        return "speech"
    if lower in FIRST_PLURAL:
        return "we"
    return "pronoun"


#: What becomes of a mention no sieve decided for, by its class.
_DEFAULTS: dict[str, Callable[[Discourse, int], None]] = {
    "name": new_name_cluster,
    "nominal": new_nominal_cluster,
    "pronoun": new_pronoun_cluster,
}


def _resolve(
    state: Discourse,
    chain: Sequence[Sieve],
    index: int,
    *,
    skip: frozenset[str] = frozenset(),
    klass: str | None = None,
) -> None:
    """Offer one mention to the sieves of its class in order; else a new cluster."""
    cls = klass or mention_class(state, index)
    for sieve in chain:
        if cls in sieve.classes and sieve.id not in skip and sieve.run(state, index):
            state.decided[index] = sieve.id
            return
    default = _DEFAULTS.get(cls)
    if default is not None:
        default(state, index)


def _rival_nouns(state: Discourse) -> list[int]:
    """Heads of common-noun phrases that are no mention: rivals for "it"/"they"."""
    doc = state.doc
    return [
        i
        for i in token_indices(doc, POS, [NOUN])
        if doc[i].pos_ == "NOUN"
        and doc[i].dep_ in ARG_DEPS | {"pobj"}
        and i not in state.token_mentions
    ]


def _add_rival(state: Discourse, token: Token) -> None:
    """Give a rival noun a cluster of its own (no mention) with salience."""
    sent = state.starts[token.sent.start]
    cluster = state.new_cluster("np")
    cluster.plural = token.tag_ in {"NNS", "NNPS"} or quantity_of_plural(token)
    cluster.person = False
    state.add(cluster, None, sent, token, token.i in state.quote_of)


def run_sieves(state: Discourse, chain: Sequence[Sieve]) -> None:
    """Read the mentions from left to right and let the sieves link each one.

    Common nouns that are no mention enter the discourse where they stand, as
    rivals for "it" and "they". Speech pronouns whose speaker is named only
    later are tried again once every mention has been read.
    """
    state.resolve = functools.partial(_resolve, state, chain)
    events = [(m.start_char, 0, i) for i, m in enumerate(state.mentions)]
    events += [(state.doc[t].idx, 1, t) for t in _rival_nouns(state)]
    events.sort()
    for _pos, is_rival, index in events:
        if is_rival:
            _add_rival(state, state.doc[index])
        elif state.spans[index] is not None and index not in state.cluster_of:
            _resolve(state, chain, index)
    state.final = True
    for index in state.deferred:
        _resolve(state, chain, index)


def make_sieve_resolver(order: Sequence[str] = SIEVE_ORDER) -> Resolver:
    """Make a resolver that applies the registered sieves named in ``order``.

    Raises
    ------
    ConfigError
        A name in ``order`` is no registered sieve.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> names_only = make_sieve_resolver(["kg.coref.exact_name.v1"])
    >>> doc = nlp("Ada Byrne spoke. Ada Byrne left. She smiled.")
    >>> ents = names_only(doc, list(extract_mentions(doc)))
    >>> [[m.text for m in e.mentions] for e in ents]
    [['Ada Byrne', 'Ada Byrne']]
    """
    try:
        chain = tuple(sieves.get(name) for name in order)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(sieves.get_all()))
        raise ConfigError(
            f"unknown sieve in {list(order)}; registered: {known}"
        ) from exc

    def resolve(doclike: DocLike, mentions: Sequence[Mention]) -> tuple[Entity, ...]:
        state = build_discourse(doclike, mentions)
        run_sieves(state, chain)
        entities = build_entities(state)
        return with_possessives(doclike, with_containers(doclike, entities))

    return resolve


@register_resolver("kg.sieves.v1")
def make_default_resolver() -> Resolver:
    """Make the default resolver: every built-in sieve, most precise first.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Byrne met Tom Vale. She wrote to him.")
    >>> ents = make_default_resolver()(doc, tuple(extract_mentions(doc)))
    >>> {e.name: [m.text for m in e.mentions] for e in ents}
    {'Ada Byrne': ['Ada Byrne', 'She'],
     'Tom Vale': ['Tom Vale', 'him']}
    """
    return make_sieve_resolver(SIEVE_ORDER)


@register_resolver("kg.sieves.ranker.v1")
def make_ranker_resolver() -> Resolver:
    """Make the default resolver with the learned pronoun ranker before salience.

    Pronouns the ranker (:mod:`kg.coref.ranker`) is sure of are linked by it
    (``kg.coref.pronoun_ranker.v1``), the others by the salience sieve.
    """
    return make_sieve_resolver(RANKER_ORDER)


@register_resolver("kg.sieves.descriptions.v1")
def make_description_ranker_resolver() -> Resolver:
    """Make the default resolver with the learned description ranker.

    Definite descriptions the ranker (:mod:`kg.coref.description_ranker`) is
    sure of are linked by it (``kg.coref.description_ranker.v1``), the others
    by the rule description sieves.
    """
    return make_sieve_resolver(DESCRIPTION_RANKER_ORDER)


# the resolver's id before it was split into sieves: the same resolver
register_resolver("kg.rules.v2")(make_default_resolver)
