"""The coreference sieves and the one order they are applied in.

After the Stanford deterministic coreference system (Lee et al. 2013): sieves
from most to least precise, each a registered, versioned function over the
shared discourse state (:mod:`kg.coref.state`) that sees the clusters built so
far and adds links. Mentions are read once from left to right; each mention
is offered to the sieves of :data:`SIEVE_ORDER` that read its class, in that
order, and the first that decides for it links it (the link records the
sieve's id, kept in the RDF as ``kgo:linkedBy``). A mention no sieve links
starts a cluster of its own (names, descriptions, third-person pronouns).

Families, one module each: speakers and dialogue (:mod:`.speakers`), names
given as aliases (:mod:`.aliases`), acronyms (:mod:`.acronyms`), exact and
partial names (:mod:`.names`), appositives and predicate nominals
(:mod:`.appositives`), descriptions in one phrase with a name
(:mod:`.close`), kin (:mod:`.kin`), definite descriptions
(:mod:`.descriptions`), a headline's short name and lead
(:mod:`.headline`), pronouns (:mod:`.pronouns`) and the learned pronoun
and description rankers (:mod:`.ranked`, in :data:`RANKER_ORDER` and
:data:`DESCRIPTION_RANKER_ORDER` only).

Examples
--------
>>> SIEVE_ORDER[:2]
('kg.coref.title_pronoun.v1', 'kg.coref.unreported_quote.v1')
>>> sorted(sieves.get("kg.coref.exact_name.v1").classes)
['name']
"""

from __future__ import annotations

from kg.coref.sieves import (  # noqa: F401  (each module registers its sieves)
    acronyms,
    aliases,
    appositives,
    classed,
    close,
    descriptions,
    groups,
    headline,
    kin,
    ledes,
    names,
    pronouns,
    quotes,
    ranked,
    speakers,
    voices,
)
from kg.coref.sieves.registry import MENTION_CLASSES, Sieve, SieveFn, sieve, sieves

__all__ = [
    "MENTION_CLASSES",
    "DESCRIPTION_RANKER_ORDER",
    "RANKER_ORDER",
    "SIEVE_ORDER",
    "Sieve",
    "SieveFn",
    "sieve",
    "sieves",
]

#: Every built-in sieve, from most to least precise.
SIEVE_ORDER: tuple[str, ...] = (
    # speakers and dialogue
    "kg.coref.title_pronoun.v1",
    "kg.coref.unreported_quote.v1",
    "kg.coref.quote_speaker.v1",
    "kg.coref.reported_speech.v1",
    "kg.coref.speaker_label.v1",
    "kg.coref.vocative_you.v1",
    "kg.coref.text_voice.v1",
    "kg.coref.interlocutor.v1",
    "kg.coref.we_affiliation.v1",
    "kg.coref.we_group.v1",
    # names the text gives as other names of a referent
    "kg.coref.acronym_definition.v1",
    "kg.coref.birth_name.v1",
    "kg.coref.resumed_name.v1",
    "kg.coref.classed_place_name.v1",
    "kg.coref.short_name_inside.v1",
    "kg.coref.naming_verb.v1",
    "kg.coref.alias_cue.v1",
    "kg.coref.translated_name.v1",
    "kg.coref.state_abbreviation.v1",
    "kg.coref.role_apposition.v1",
    "kg.coref.bracketed_alias.v1",
    "kg.coref.body_part_name.v1",
    # the same name, whole or in part
    "kg.coref.exact_name.v1",
    "kg.coref.classed_short_name.v1",
    "kg.coref.spelling_variant.v1",
    "kg.coref.acronym.v1",
    "kg.coref.plural_short_name.v1",
    "kg.coref.lone_name_word.v1",
    "kg.coref.family_name.v1",
    "kg.coref.body_name_variant.v1",
    "kg.coref.personal_name.v1",
    "kg.coref.company_short_name.v1",
    "kg.coref.company_full_name.v1",
    "kg.coref.headline_short_name.v1",
    "kg.coref.capitalised_head_noun.v1",
    "kg.coref.role_as_name.v1",
    # descriptions said of a mention: appositives, predicates, close apposition
    "kg.coref.former_latter.v1",
    "kg.coref.repeated_name.v1",
    "kg.coref.appositive.v1",
    "kg.coref.predicate_nominal.v1",
    "kg.coref.name_with_clause.v1",
    "kg.coref.close_apposition.v1",
    "kg.coref.bracketed_description.v1",
    "kg.coref.noun_before_name.v1",
    "kg.coref.name_in_phrase.v1",
    "kg.coref.place_of_name.v1",
    # kin and definite descriptions
    "kg.coref.headline_lede.v1",
    "kg.coref.lede_cataphora.v1",
    "kg.coref.kin.v1",
    "kg.coref.agent_noun.v1",
    "kg.coref.contrastive_description.v1",
    "kg.coref.proxy_description.v1",
    "kg.coref.definite_description.v1",
    "kg.coref.head_noun_of_name.v1",
    "kg.coref.facility_description.v1",
    "kg.coref.bare_institution.v1",
    # pronouns
    "kg.coref.locative_there.v1",
    "kg.coref.relative_pronoun.v1",
    "kg.coref.reflexive.v1",
    "kg.coref.pleonastic.v1",
    "kg.coref.cataphora.v1",
    "kg.coref.reporting_subject.v1",
    "kg.coref.pronoun_salience.v1",
)

#: The default order with the learned pronoun ranker (:mod:`kg.coref.ranker`)
#: before the salience sieve, which takes the pronouns it is unsure of. An
#: option (resolver ``kg.sieves.ranker.v1``): on the measure-only sets it
#: scored a little below the default (benchmarks/results/pronoun-ranker.md).
RANKER_ORDER: tuple[str, ...] = (
    *SIEVE_ORDER[:-1],
    "kg.coref.pronoun_ranker.v1",
    SIEVE_ORDER[-1],
)

#: The default order with the learned description ranker
#: (:mod:`kg.coref.description_ranker`) before the definite-description sieve:
#: it links the definite descriptions it is sure of (and, with a ``veto`` in
#: its weights file, keeps the rule sieves from links it doubts); the rules
#: take the rest. An option (resolver ``kg.sieves.descriptions.v1``): on GUM
#: dev, gum-check and GAP validation it scored the same as the default
#: (benchmarks/results/description-ranker.md).
DESCRIPTION_RANKER_ORDER: tuple[str, ...] = (
    *SIEVE_ORDER[: SIEVE_ORDER.index("kg.coref.definite_description.v1")],
    "kg.coref.description_ranker.v1",
    *SIEVE_ORDER[SIEVE_ORDER.index("kg.coref.definite_description.v1") :],
)
