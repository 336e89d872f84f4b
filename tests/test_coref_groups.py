"""First person of a group's voice and of quotations no reporting verb attributes."""

from __future__ import annotations

import re

from kg.types import Entity

from .fixtures import owner_of as _owner
from .fixtures import resolved_entities as _entities


def _link(ents: tuple[Entity, ...], text: str, word: str, nth: int = 0) -> str | None:
    """The rule that linked the ``nth`` occurrence of ``word`` to its entity."""
    start = [m.start() for m in re.finditer(rf"\b{word}\b", text)][nth]
    for e in ents:
        for m in e.mentions:
            if m.start_char == start and m.text == word:
                return m.link
    return None


# --- kg.coref.we_affiliation.v1 --------------------------------------------------


def test_we_of_a_spokeswoman_is_her_company(nlp) -> None:
    text = '"We will appeal the ruling," said Ada Byrne, a spokeswoman for Varnex Corp.'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Varnex Corp."
    assert _link(ents, text, "We") == "kg.coref.we_affiliation.v1"


def test_we_of_a_company_statement_is_the_company(nlp) -> None:
    text = (
        'Varnex Corp. said in a statement: "We regret the delay and our '
        'engineers are working on it."'
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Varnex Corp."
    assert _owner(ents, text, "our") == "Varnex Corp."


def test_we_of_a_team_member_is_the_team(nlp) -> None:
    text = (
        "Tova Quell, a former member of the Larkin Rovers, spoke to reporters. "
        '"We lost our nerve in the final," Quell said.'
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Larkin Rovers"


def test_we_of_an_interviewee_founder_is_the_founded_group(nlp) -> None:
    text = (
        "Reporters interviewed Ada Byrne, the founder of Varnex Corp., on Monday.\n\n"
        "Why did you move?\n\n"
        "We wanted a quiet town. Our staff liked the harbour."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Varnex Corp."
    assert _owner(ents, text, "Our") == "Varnex Corp."


def test_we_of_a_person_from_a_town_is_no_town(nlp) -> None:
    text = '"We will stay," said Ada Byrne of Tarnby.'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") is None


# --- kg.coref.unreported_quote.v1 ------------------------------------------------


def test_according_to_names_the_speaker_of_a_quotation(nlp) -> None:
    text = '"I never left the town," according to Ada Byrne.'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Ada Byrne"
    assert _link(ents, text, "I") == "kg.coref.unreported_quote.v1"


def test_a_quotation_after_a_sentence_about_a_person_is_hers(nlp) -> None:
    text = 'Ada Byrne was elated on Sunday. "I cannot believe it."'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Ada Byrne"


def test_a_quotation_after_a_sentence_about_a_thing_has_no_speaker(nlp) -> None:
    text = 'Ada Byrne saw the bridge. The bridge was old. "I cannot believe it."'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") is None
