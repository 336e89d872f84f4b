"""The mention stage: the registered passes, applied in an explicit order.

Names first (the tagger's names, mended, then the names it missed, then
names nested in names), then descriptions (predicatives, common-noun
phrases, ...), then pronouns. Each pass sees what the passes before it
found; :func:`extract_mentions` turns the last list into
:class:`~kg.types.Mention` objects in text order, each with the id of the
pass that found it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import catalogue

from kg.errors import ConfigError
from kg.mentions import (
    base,
    layout,
    names,
    nested,
    numbered,
    predicates,
    recovered,
    titles,
    voices,
)
from kg.mentions import descriptions as description_passes
from kg.mentions import nominals as nominal_passes
from kg.mentions import pronouns as pronoun_passes
from kg.mentions.base import Candidate, Context, MentionPass
from kg.mentions.spans import ENTITY_LABELS, mention_of_span
from kg.types import DocLike, Mention

__all__ = [
    "DEFAULT_PASSES",
    "FILTER_PASSES",
    "NAME_PASSES",
    "NOMINAL_PASSES",
    "PRONOUN_PASSES",
    "extract_mentions",
    "get_pass",
    "run_passes",
]

#: Name passes, in order: the tagger's names, mended; the names it missed;
#: names nested in names; headings, the voices a title names; titles.
NAME_PASSES: tuple[str, ...] = (
    names.NER,
    titles.VERB_CUT,
    names.BRACKETED,
    names.DANGLING,
    names.NATIONALITIES,
    names.GROWN,
    names.CONSISTENT,
    names.PLACED,
    recovered.ABBREVIATIONS,
    recovered.ALIASES,
    recovered.UNTAGGED,
    recovered.BRANDS,
    recovered.HEADINGS,
    recovered.STATE_CODES,
    recovered.UNTAGGED_ALIASES,
    names.COORDINATED,
    numbered.NUMBERED,
    nested.NESTED,
    nested.OPENINGS,
    nested.CONCEPTS,
    titles.HEADLINES_V2,
    titles.HEADLINE_TRIM,
    voices.TITLED_VOICES,
    voices.LETTER_NAMES,
    voices.TITLED_PERSON,
    titles.TITLES,
)
#: Description passes, in order (each skips what an earlier one found).
NOMINAL_PASSES: tuple[str, ...] = (
    predicates.PREDICATIVES,
    nominal_passes.NOMINALS,
    predicates.ONE_OF,
    predicates.RANKED,
    nominal_passes.FORMER_LATTER,
    nominal_passes.APPOSITIVES,
    nominal_passes.CLAUSES,
    nominal_passes.REPEATS,
    description_passes.AGES,
    description_passes.FACILITIES,
    description_passes.COMPANIES,
)
#: Pronoun passes, in order.
PRONOUN_PASSES: tuple[str, ...] = (
    pronoun_passes.PLACE_ADVERBS,
    pronoun_passes.PERSONAL,
)
#: Filters run after every other pass.
FILTER_PASSES: tuple[str, ...] = (layout.LAYOUT,)
#: Every pass of the default stage, in order.
DEFAULT_PASSES = NAME_PASSES + NOMINAL_PASSES + PRONOUN_PASSES + FILTER_PASSES


@functools.cache
def get_pass(name: str) -> MentionPass:
    """Return the registered mention pass ``name``.

    Raises
    ------
    ConfigError
        No pass of that name is registered.

    Examples
    --------
    >>> get_pass("kg.mentions.pronouns.v1").__name__
    'pronouns'
    """
    try:
        found: MentionPass = base.passes.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(base.passes.get_all()))
        raise ConfigError(
            f"unknown mention pass {name!r}; registered: {known}"
        ) from exc
    return found


def run_passes(ctx: Context, order: Sequence[str]) -> tuple[Candidate, ...]:
    """Apply the passes named in ``order`` to a document, each to what came before.

    Examples
    --------
    >>> doc = nlp("Ada Byrne left. She smiled.")
    >>> found = run_passes(Context(doc), DEFAULT_PASSES)
    >>> [(c.span.text, c.source) for c in found]
    [('Ada Byrne', 'kg.mentions.names.v1'), ('She', 'kg.mentions.pronouns.v1')]
    """
    found: tuple[Candidate, ...] = ()
    for name in order:
        found = get_pass(name)(ctx, found)
    return found


def extract_mentions(
    doclike: DocLike,
    *,
    labels: frozenset[str] = ENTITY_LABELS,
    pronouns: bool = True,
    nominals: bool = True,
    passes: Sequence[str] | None = None,
) -> Iterator[Mention]:
    """Yield the name, nominal and pronoun mentions of a document, in text order.

    Parameters
    ----------
    doclike
        A parsed ``Doc`` or ``Span``.
    labels
        NER labels to keep as names.
    pronouns
        Whether to yield pronoun mentions.
    nominals
        Whether to yield nominal descriptions (common-noun phrases denoting a
        person, organisation or place, and appositives/predicate nominals of
        names).
    passes
        The ids of the passes to run, in order (default: the name, nominal,
        pronoun and filter passes of :data:`DEFAULT_PASSES`, less those that
        ``pronouns`` and ``nominals`` turn off).

    Yields
    ------
    Mention
        Names carry their NER label; nominals the coarse class of their head
        (``PERSON``, ``ORG``, ``GPE`` or ``""``); pronouns ``""``. Each
        mention's ``source`` is the id of the pass that found it.

    Raises
    ------
    ConfigError
        ``passes`` names a pass that is not registered.

    Examples
    --------
    >>> doc = nlp("Ada Byrne met Tom Hale in Tarnby. She liked him.")
    >>> [m.text for m in extract_mentions(doc)]
    ['Ada Byrne', 'Tom Hale', 'Tarnby', 'She', 'him']
    >>> doc = nlp("The old lawyer met Ada Byrne.")
    >>> [(m.text, m.kind, m.source) for m in extract_mentions(doc)]
    [('The old lawyer', 'nominal', 'kg.mentions.nominals.v1'),
     ('Ada Byrne', 'name', 'kg.mentions.names.v1')]
    """
    if passes is None:
        order = NAME_PASSES
        if nominals:
            order += NOMINAL_PASSES
        if pronouns:
            order += PRONOUN_PASSES
        order += FILTER_PASSES
    else:
        order = tuple(passes)
    for name in order:
        get_pass(name)  # an unknown id fails before any work
    ctx = Context(doclike, labels)
    starts = ctx.sentence_starts
    bounds = ctx.sentence_bounds
    found = [
        mention_of_span(
            c.span,
            c.label,
            sent_index=starts[bounds[c.span.start]],
            kind=c.kind,
            source=c.source,
        )
        for c in run_passes(ctx, order)
    ]
    yield from sorted(found, key=lambda m: (m.start_char, -m.end_char))
