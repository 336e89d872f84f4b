"""The word lists coreference reads, loaded from ``ontology/lexicons``.

Every list is data (``ontology/lexicons/coref-*.txt|tsv``, one file per list with
a comment saying what it holds), read once through :mod:`kg.lexicon`. Lists
shared with mention detection (person, gendered, event and work nouns, ...) are
imported from :mod:`kg.mentions`, which owns them.

Examples
--------
>>> "senator" in HONORIFICS, HYPOCORISMS["bob"]
(True, 'robert')
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.lexicon import load_list, load_mapping, load_words

__all__ = [
    "ACRONYM_SKIP",
    "ADDRESS_VERBS",
    "ALIAS_CUES",
    "BIRTH_NAME_MARKERS",
    "CHANGE_VERBS",
    "CHILD_NOUNS",
    "CLOSING_WORDS",
    "COMPASS_POINTS",
    "COPULAS",
    "CORPORATE",
    "COUNTRY_KEYS",
    "COUNTRY_NOUNS",
    "COUNTRY_VARIANT_WORDS",
    "DEFINITE",
    "FEM",
    "FEMALE_TITLES",
    "FIRST",
    "FIRST_PLURAL",
    "GENERATIONS",
    "HONORIFICS",
    "HYPOCORISMS",
    "LOCATIVE_PREPS",
    "MALE_TITLES",
    "MARRY_VERBS",
    "MASC",
    "MEMBER_NOUNS",
    "MOTION_VERBS",
    "NAME_NOUNS",
    "NAMING_VERBS",
    "NEUT",
    "OFFICE_TITLES",
    "OFFSPRING_NOUNS",
    "OF_NAMED_NOUNS",
    "PARENT_NOUNS",
    "PARTICLES",
    "PERSONAL_DETS",
    "PLACE_PREPS",
    "PLAYED_NOUNS",
    "PLUR",
    "POSSESSIVE_FORMS",
    "QUANTITY_NOUNS",
    "REFLEXIVE",
    "REGION_NOUNS",
    "RELATIVE",
    "RELATIVE_THINGS",
    "RESULT_VERBS",
    "SALUTATIONS",
    "SECOND",
    "SETTLEMENT_NOUNS",
    "SPEECH_NOUNS",
    "SPEECH_VERBS",
    "SPOUSE_NOUNS",
    "TRADE_NOUNS",
    "UNDER_NAME_VERBS",
    "VOCATIVE_WORDS",
]


def _kin(relation: str) -> Mapping[str, str | None]:
    """Return the kin nouns of one relation with the gender each says, if any."""
    out: dict[str, str | None] = {}
    for noun, value in load_mapping("coref-kin-nouns").items():
        rel, _, gender = value.partition(" ")
        if rel == relation:
            out[noun] = gender or None
    return out


def _country_keys() -> dict[str, str]:
    """Map each everyday name of a country to the key all its names share."""
    return {
        name: f"country: {formal}"
        for name, formal in load_mapping("coref-country-names").items()
    }


# titles and names
HONORIFICS = load_words("coref-honorifics")
FEMALE_TITLES = load_words("coref-titles-female")
MALE_TITLES = load_words("coref-titles-male")
OFFICE_TITLES = load_words("coref-titles-office")
VOCATIVE_WORDS = HONORIFICS | load_words("coref-vocative-words")
HYPOCORISMS = load_mapping("coref-hypocorisms")
GENERATIONS = load_words("coref-generations")
PARTICLES = load_words("coref-name-particles")
ACRONYM_SKIP = load_words("coref-acronym-skip-words")
CORPORATE = load_words("coref-corporate-suffixes")
TRADE_NOUNS = load_words("coref-trade-nouns")
COUNTRY_KEYS = _country_keys()
ALIAS_CUES = tuple(tuple(cue.split()) for cue in load_list("coref-alias-cues"))
BIRTH_NAME_MARKERS = load_words("coref-birth-name-markers")

# pronouns and determiners
MASC = load_words("pronouns-masculine")
FEM = load_words("pronouns-feminine")
NEUT = load_words("coref-pronouns-neuter")
PLUR = load_words("coref-pronouns-plural")
REFLEXIVE = load_words("coref-pronouns-reflexive")
POSSESSIVE_FORMS = load_words("coref-pronouns-possessive")
RELATIVE = load_words("coref-pronouns-relative")
RELATIVE_THINGS = load_words("coref-relatives-things")
FIRST = load_words("coref-pronouns-first-singular")
SECOND = load_words("coref-pronouns-second")
FIRST_PLURAL = load_words("coref-pronouns-first-plural")
PERSONAL_DETS = load_words("coref-personal-determiners")
DEFINITE = load_words("coref-definite-determiners")

# verbs (lemmas)
COPULAS = load_words("coref-copular-verbs")
CHANGE_VERBS = load_words("coref-change-verbs")
RESULT_VERBS = load_words("coref-result-verbs")
SPEECH_VERBS = load_words("coref-speech-verbs")
ADDRESS_VERBS = load_words("coref-address-verbs")
NAMING_VERBS = load_words("coref-naming-verbs")
UNDER_NAME_VERBS = load_words("coref-under-name-verbs")
MARRY_VERBS = load_words("coref-marry-verbs")
MOTION_VERBS = load_words("coref-motion-verbs")

# nouns and prepositions
PLAYED_NOUNS = load_words("coref-played-nouns")
SETTLEMENT_NOUNS = load_words("coref-settlement-nouns")
NAME_NOUNS = load_words("coref-name-nouns")
MEMBER_NOUNS = load_words("coref-member-nouns")
OF_NAMED_NOUNS = load_words("coref-of-named-place-nouns")
COUNTRY_NOUNS = load_words("coref-country-nouns")
COUNTRY_VARIANT_WORDS = load_words("coref-country-variant-words")
COMPASS_POINTS = load_words("coref-compass-points")
REGION_NOUNS = load_words("coref-region-nouns")
OFFSPRING_NOUNS = load_words("coref-offspring-nouns")
QUANTITY_NOUNS = load_words("coref-quantity-nouns")
PARENT_NOUNS = _kin("parent")
CHILD_NOUNS = _kin("child")
SPOUSE_NOUNS = _kin("spouse")
LOCATIVE_PREPS = load_words("coref-locative-prepositions")
PLACE_PREPS = load_words("coref-place-prepositions")

# the voices of a text: letters, speeches, self-introductions
SALUTATIONS = load_words("letter-salutations")
CLOSING_WORDS = load_words("letter-closings")
SPEECH_NOUNS = load_words("speech-nouns")
