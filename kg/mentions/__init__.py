"""Mention detection: the stretches of text that refer to entities.

Three kinds of mention are found over the spaCy parse, each by registered,
versioned passes applied in an explicit order (:mod:`kg.mentions.extract`):

- proper names (:mod:`~kg.mentions.names`, :mod:`~kg.mentions.recovered`,
  :mod:`~kg.mentions.nested`, :mod:`~kg.mentions.titles`): the NER layer's
  spans, trimmed and mended, and the names it missed;
- nominal descriptions (:mod:`~kg.mentions.predicates`,
  :mod:`~kg.mentions.nominals`): noun phrases headed by a common noun that
  can refer to an entity ("the former zoo owner"), appositives and
  predicate nominals ("X, owner of Y"; "X is a lawyer");
- pronouns (:mod:`~kg.mentions.pronouns`): personal, possessive, reflexive,
  relative ``who``/``whose``, and a place's "there".

Captions, credits, bylines and other page furniture yield no mention
(:mod:`~kg.mentions.layout`).

Every mention records the pass that found it (``Mention.source``).
Coreference (:mod:`kg.coref`) later groups them into entities. The span
helpers (:mod:`~kg.mentions.spans`) and word lists
(:mod:`~kg.mentions.lexicons`) the later stages share are re-exported here.
"""

from __future__ import annotations

from kg.mentions.base import Candidate, Context, passes
from kg.mentions.extract import (
    DEFAULT_PASSES,
    FILTER_PASSES,
    NAME_PASSES,
    NOMINAL_PASSES,
    PRONOUN_PASSES,
    extract_mentions,
    get_pass,
)
from kg.mentions.lexicons import (
    EVENT_NOUNS,
    FACILITY_WORDS,
    FEMALE_NOUNS,
    KIN_GROUP_NOUNS,
    MALE_NOUNS,
    ORDINAL_PICKS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PLACE_NOUNS,
    PRONOUNS,
    STATE_ABBREVIATIONS,
    WORK_NOUNS,
    given_name_gender,
    nominal_class,
)
from kg.mentions.nominals import named_predicate
from kg.mentions.phrases import fronted_predicate_subject
from kg.mentions.pronouns import owned_title_pronoun
from kg.mentions.spans import (
    ENTITY_LABELS,
    covered_span,
    mention_of_span,
    mention_tokens,
    name_words,
    sentence_starts,
    token_indices,
)

__all__ = [
    "DEFAULT_PASSES",
    "ENTITY_LABELS",
    "EVENT_NOUNS",
    "FACILITY_WORDS",
    "FEMALE_NOUNS",
    "FILTER_PASSES",
    "KIN_GROUP_NOUNS",
    "MALE_NOUNS",
    "NAME_PASSES",
    "NOMINAL_PASSES",
    "ORDINAL_PICKS",
    "ORG_NOUNS",
    "PERSON_NOUNS",
    "PLACE_NOUNS",
    "PRONOUNS",
    "PRONOUN_PASSES",
    "STATE_ABBREVIATIONS",
    "WORK_NOUNS",
    "Candidate",
    "Context",
    "covered_span",
    "extract_mentions",
    "fronted_predicate_subject",
    "get_pass",
    "given_name_gender",
    "mention_of_span",
    "mention_tokens",
    "name_words",
    "named_predicate",
    "nominal_class",
    "owned_title_pronoun",
    "passes",
    "sentence_starts",
    "token_indices",
]
