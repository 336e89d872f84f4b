"""Mention detection: the stretches of text that refer to entities.

Three kinds of mention are found over the spaCy parse:

- proper names: the NER layer's spans, trimmed of determiners, quotes and
  possessive markers; a name with a quoted nickname inside
  (``Ada "Countess" Lovelace``) is one name; and a string the small model
  left untagged is recovered when it is a known alias (full name, surname,
  nickname) of a name tagged elsewhere in the same document;
- pronouns: personal, possessive, reflexive, and relative ``who``/``whose``;
- nominal descriptions: noun phrases headed by a common noun that can
  refer to a person, organisation or place ("the former zoo owner"), plus
  appositives and predicate nominals of a name ("X, owner of Y"; "X is a
  lawyer").

Coreference (:mod:`kg.coref`) later groups them into entities.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any, Protocol, TypeVar

import numpy as np
from spacy.attrs import IS_QUOTE, IS_TITLE, IS_UPPER, LOWER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_mapping
from kg.nlp import is_heading
from kg.types import DocLike, Mention, MentionKind

__all__ = [
    "ENTITY_LABELS",
    "covered_span",
    "FEMALE_NOUNS",
    "MALE_NOUNS",
    "ORDINAL_PICKS",
    "ORG_NOUNS",
    "PERSON_NOUNS",
    "PLACE_NOUNS",
    "STATE_ABBREVIATIONS",
    "WORK_NOUNS",
    "EVENT_NOUNS",
    "FACILITY_WORDS",
    "KIN_GROUP_NOUNS",
    "PRONOUNS",
    "extract_mentions",
    "given_name_gender",
    "mention_of_span",
    "name_words",
    "named_predicate",
    "fronted_predicate_subject",
    "nominal_class",
    "owned_title_pronoun",
    "sentence_starts",
    "mention_tokens",
    "token_indices",
]

#: US states with their postal codes and customary abbreviations ("Calif.").
#: Abbreviations that are common words ("Wash.", "Miss.", "Ill.") are left out.
_US_STATES = (
    ("alabama", "AL", "Ala"), ("alaska", "AK"), ("arizona", "AZ", "Ariz"),
    ("arkansas", "AR", "Ark"), ("california", "CA", "Cal", "Calif"),
    ("colorado", "CO", "Colo"), ("connecticut", "CT", "Conn"),
    ("delaware", "DE", "Del"), ("florida", "FL", "Fla"), ("georgia", "GA", "Ga"),
    ("hawaii", "HI"), ("idaho", "ID"),
    ("illinois", "IL"), ("indiana", "IN"), ("iowa", "IA"),
    ("kansas", "KS", "Kan", "Kans"), ("kentucky", "KY", "Ky"), ("louisiana", "LA"),
    ("maine", "ME"), ("maryland", "MD", "Md"), ("massachusetts", "MA"),
    ("michigan", "MI", "Mich"), ("minnesota", "MN", "Minn"), ("mississippi", "MS"),
    ("missouri", "MO"), ("montana", "MT", "Mont"), ("nebraska", "NE", "Neb", "Nebr"),
    ("nevada", "NV", "Nev"), ("new hampshire", "NH"), ("new jersey", "NJ"),
    ("new mexico", "NM"), ("new york", "NY"), ("north carolina", "NC"),
    ("north dakota", "ND"), ("ohio", "OH"), ("oklahoma", "OK", "Okla"),
    ("oregon", "OR", "Ore", "Oreg"), ("pennsylvania", "PA", "Pa", "Penn"),
    ("rhode island", "RI"), ("south carolina", "SC"), ("south dakota", "SD"),
    ("tennessee", "TN", "Tenn"), ("texas", "TX", "Tex"), ("utah", "UT"),
    ("vermont", "VT", "Vt"), ("virginia", "VA", "Va"), ("washington", "WA"),
    ("west virginia", "WV"), ("wisconsin", "WI", "Wis", "Wisc"),
    ("wyoming", "WY", "Wyo"),
)  # fmt: skip
#: surface form (postal code in capitals, abbreviation capitalised) -> state key
STATE_ABBREVIATIONS = {form: names[0] for names in _US_STATES for form in names[1:]}


#: NER labels that name entities kg makes nodes for (dates and numbers do not).
ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "FAC",
        "NORP",
        "WORK_OF_ART",
        "EVENT",
        "PRODUCT",
        "LAW",
        "LANGUAGE",
    }
)
#: Third-person and first/second-person pronouns that can refer to entities.
PRONOUNS = frozenset(
    {
        "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "they", "them", "their", "theirs", "themselves",
        "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
        "you", "your", "yours", "yourself", "yourselves", "who", "whom", "whose",
    }
)  # fmt: skip


def _lexicon(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps lexicons readable)."""
    return text.split()


_RELATIVE = frozenset({"who", "whom", "whose"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$"})

#: Nouns whose referent is female (a general English lexicon).
FEMALE_NOUNS = frozenset(
    _lexicon(
        """woman women girl lady mother mom mum mommy mama wife daughter sister
        aunt grandmother grandma granddaughter niece actress queen princess
        duchess empress girlfriend bride widow businesswoman chairwoman
        spokeswoman congresswoman policewoman sportswoman stepmother
        stepdaughter stepsister housewife fiancee heiress waitress hostess
        stewardess nun abbess countess baroness madam matriarch diva ballerina
        mistress landlady schoolgirl sportswoman"""
    )
)
#: Nouns whose referent is male.
MALE_NOUNS = frozenset(
    _lexicon(
        """man men boy gentleman father dad daddy papa husband son brother uncle
        grandfather grandpa grandson nephew king prince duke emperor boyfriend
        groom bridegroom widower businessman chairman spokesman congressman
        policeman sportsman stepfather stepson stepbrother fiance monk abbot
        count baron patriarch landlord schoolboy lord sir"""
    )
)
#: Common nouns that denote people (roles, jobs, relations, ages).
PERSON_NOUNS = (
    frozenset(
        _lexicon(
            """reviewer commentator interviewer interviewee organiser organizer speaker
            narrator protagonist character
            person people individual adult child kid teenager teen baby infant
            toddler youngster minor parent sibling spouse partner relative
            cousin twin grandparent grandchild friend enemy rival colleague
            neighbour neighbor owner founder cofounder co-founder leader chief
            head boss manager director executive president vice-president ceo
            chair chairperson official officer spokesperson representative
            minister secretary senator governor mayor lawmaker legislator
            politician candidate nominee diplomat ambassador envoy king queen
            monarch ruler regent viceroy dictator judge justice lawyer attorney
            prosecutor
            defendant plaintiff suspect victim witness inmate prisoner convict
            detainee criminal killer murderer thief gunman attacker police
            detective agent soldier general colonel captain commander sergeant
            lieutenant officer veteran doctor physician surgeon nurse dentist
            patient scientist researcher professor teacher student pupil scholar
            author writer novelist poet journalist reporter editor columnist
            critic producer director filmmaker actor star celebrity singer
            songwriter musician rapper drummer guitarist pianist composer artist
            painter sculptor photographer designer model dancer comedian host
            presenter anchor player athlete coach manager footballer boxer
            wrestler runner swimmer champion winner loser fan supporter member
            founder employee employer worker staffer farmer engineer architect
            programmer developer entrepreneur investor banker trader economist
            analyst accountant consultant adviser advisor expert activist
            campaigner protester volunteer resident citizen native immigrant
            migrant refugee tourist visitor traveller traveler guest customer
            client user buyer seller dealer driver pilot passenger sailor priest
            pastor bishop pope rabbi imam monk preacher pilgrim billionaire
            millionaire heir successor predecessor administrator commissioner
            inspector investigator spokesperson businessperson entrepreneur
            socialite influencer youtuber blogger mogul tycoon magnate zookeeper
            keeper ranger breeder trainer lecturer historian philosopher
            linguist mathematician physicist chemist biologist psychologist
            sociologist anthropologist archaeologist astronaut inventor explorer
            chef cook baker waiter clerk cashier mother-of-two mother-of-three
            mom-of-two mom-of-three mom-of-four father-of-two father-of-three
            dad-of-two"""
        )
    )
    | FEMALE_NOUNS
    | MALE_NOUNS
)
#: Nouns for a group of kin a family name names ("the Tudor dynasty").
KIN_GROUP_NOUNS = frozenset({"family", "dynasty", "clan"})
#: Common nouns that denote organisations.
ORG_NOUNS = frozenset(
    _lexicon(
        """company firm business corporation conglomerate enterprise startup group
        organisation organization agency authority department ministry
        government administration council committee commission board parliament
        congress senate court party union league association federation society
        club team band orchestra choir university college school academy
        institute institution foundation charity bank network channel studio
        label publisher newspaper paper magazine journal periodical gazette
        newsletter broadcaster station airline
        army navy force police service hospital museum library church sanctuary
        zoo rescue campaign coalition alliance movement conservatory theatre theater
        conservatoire"""
    )
)
#: Common nouns that denote places.
PLACE_NOUNS = frozenset(
    _lexicon(
        """city town village country nation state province region county district
        capital island continent area neighbourhood neighborhood suburb kingdom
        republic territory peninsula valley river lake mountain coast
        municipality borough metropolis"""
    )
)
#: Common nouns that denote creative works.
WORK_NOUNS = frozenset(
    _lexicon(
        """film movie series miniseries docuseries documentary show sitcom drama
        comedy thriller novel book memoir biography album single song play opera
        musical painting poem episode franchise sequel prequel videogame"""
    )
)
#: Common nouns that denote named events.
EVENT_NOUNS = frozenset(
    _lexicon(
        """war battle election revolution storm cyclone hurricane typhoon
        earthquake festival tournament championship olympics games cup race
        summit conference pandemic epidemic"""
    )
)
#: Person suffixes productive enough to trust on a common noun.
_PERSON_SUFFIXES = ("ist", "ician", "eer", "person", "woman", "man")
_NON_PERSON_SUFFIX_WORDS = frozenset(
    _lexicon(
        """list mist fist twist wrist gist exist assist resist insist persist
        consist man- made human woman-made german roman career reindeer veneer
        checklist playlist shortlist wishlist waitlist blacklist whitelist"""
    )
)

_TRIM_LEFT_POS = frozenset({"DET", "PUNCT", "ADP"})
_TRIM_RIGHT_TAGS = frozenset({"POS", "''", "``", ",", ".", ":", "HYPH"})
#: Labels of names that never contain a verb form; a verb inside is a tagging error.
_VERBLESS_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_EDITION_LABELS = frozenset({"EVENT", "ORG", "WORK_OF_ART", "LAW", "PRODUCT"})
#: common nouns that head the names of places, buildings and prizes
FACILITY_WORDS = frozenset(
    _lexicon(
        """street road avenue lane boulevard square station bridge hall park house
        tower center centre building airport stadium arena school college church
        cathedral hospital hotel theatre theater museum gallery library island river
        lake mountain bay beach valley county city prize award trophy medal cup
        foundation institute fund line mosque temple palace castle fort
        monastery abbey chapel shrine synagogue market plaza garden gardens port
        harbour harbor pier tunnel dam canal"""
    )
)
_NESTED_LABELS = frozenset(
    {"GPE", "LOC", "ORG", "PERSON", "NORP", "LANGUAGE", "PRODUCT", ""}
)
_NESTING_LABELS = frozenset(
    {"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "NORP"}
)
_NESTING_PREPS = frozenset({"of", "in", "at", "de"})
_PLACE_NER = frozenset({"GPE", "LOC"})
_EVENT_LABELS = frozenset({"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_QUOTES = frozenset({'"', "“", "”", "«", "»", "''", "``"})
_APPOS_DEPS = frozenset({"appos"})
_COPULAS = frozenset({"be", "become", "remain"})
_NOMINAL_HEAD_POS = frozenset({"NOUN"})
_MAX_ALIAS_TOKENS = 6
#: Words that join two names the NER layer may tag as one ("Kiruna and Malmberget",
#: "VFL / AFL"); "&" is left out: it joins the parts of one firm's or band's name.
_NAME_JOINERS = frozenset({"and", "/", "or"})
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NUMBER_WORDS = frozenset(load_mapping("number-words")) - {"zero"}
_DANGLING_POS = frozenset({"ADP", "CCONJ", "DET", "SCONJ"})
#: Linking words that join a person to a place, not to more of the name.
_PLACE_LINKS = frozenset({"of", "for"})
#: Lower-case words that link a name to the name after it ("Court of Ashford").
_NAME_LINKS = frozenset(
    {"of", "for", "de", "del", "della", "di", "da", "du", "des", "von", "van", "der"}
)


def _end_of(doclike: DocLike) -> int:
    """Return the index after the last token of a Doc or Span."""
    return doclike.end if isinstance(doclike, Span) else len(doclike)


def token_indices(doclike: DocLike, attr: int, values: Iterable[int]) -> list[int]:
    """Return the ``Doc`` indices of tokens whose attribute is one of ``values``.

    One vectorised pass over the parse, so that rules only build ``Token``
    objects for the few tokens they look at.

    Examples
    --------
    >>> from spacy.symbols import PROPN
    >>> from spacy.attrs import POS
    >>> token_indices(nlp("Ada met Bob."), POS, [PROPN])
    [0, 2]
    """
    doc = doclike.doc
    start = doclike.start if isinstance(doclike, Span) else 0
    column = doc.to_array([attr])[start : start + len(doclike)]
    hits = np.flatnonzero(np.isin(column, np.fromiter(values, dtype=column.dtype)))
    return [int(i) + start for i in hits]


class _HasMentions(Protocol):
    @property
    def mentions(self) -> tuple[Mention, ...]: ...


_M = TypeVar("_M", bound=_HasMentions)


def mention_tokens(doc: Doc, items: Iterable[_M]) -> dict[int, _M]:
    """Map each token a mention covers to the entity (or value) of the mention.

    The first item to cover a token keeps it; a description covers only its
    head and what comes before it (:func:`covered_span`).

    Examples
    --------
    >>> from kg.types import Entity
    >>> ada = Entity("ada", "Person", "Ada", (Mention("Ada", "PERSON", 0, 3, 0),))
    >>> {i: e.key for i, e in mention_tokens(nlp("Ada met Bob."), [ada]).items()}
    {0: 'ada'}
    """
    by_token: dict[int, _M] = {}
    for item in items:
        for m in item.mentions:
            span = covered_span(doc, m)
            if span is None:
                continue
            for token in span:
                by_token.setdefault(token.i, item)
    return by_token


def covered_span(doc: Doc, mention: Mention) -> Span | None:
    """Return the tokens a mention stands for: a description's ends at its head.

    A name or pronoun covers its whole span; a description its head noun and
    what comes before it, not the phrase after the head ("the owner of the
    zoo": "zoo" is not the owner).

    Examples
    --------
    >>> doc = nlp("Ada, the owner of the zoo, left.")
    >>> owner = Mention("the owner of the zoo", "PERSON", 5, 25, 0, "nominal")
    >>> covered_span(doc, owner)
    the owner
    """
    span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
    if span is None or mention.kind != "nominal":
        return span
    return span[: span.root.i - span.start + 1]


def sentence_starts(doclike: DocLike) -> dict[int, int]:
    """Map the first token index of each sentence of the ``Doc`` to its index.

    Examples
    --------
    >>> sentence_starts(nlp("One. Two."))
    {0: 0, 2: 1}
    """
    return {sent.start: i for i, sent in enumerate(doclike.doc.sents)}


def mention_of_span(
    span: Span, label: str, *, sent_index: int, kind: MentionKind = "name"
) -> Mention:
    """Turn a spaCy span into a :class:`Mention` with document offsets.

    Examples
    --------
    >>> doc = nlp("Ada Lovelace wrote notes.")
    >>> mention_of_span(doc[0:2], "PERSON", sent_index=0)
    Mention(text='Ada Lovelace', label='PERSON', start_char=0, end_char=12,
            sent_index=0, kind='name')
    """
    return Mention(
        text=span.text,
        label=label,
        start_char=span.start_char,
        end_char=span.end_char,
        sent_index=sent_index,
        kind=kind,
    )


def name_words(text: str) -> list[str]:
    """Split a name into lower-cased, accent-free words (hyphenated ones kept).

    Quotes, possessive markers and punctuation other than hyphens and
    word-internal apostrophes go.

    Examples
    --------
    >>> name_words('Joe "Ace" Müller-Smith’s')
    ['joe', 'ace', 'muller-smith']
    >>> name_words("Pierre L’Enfant")
    ['pierre', "l'enfant"]
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\s*-\s*", "-", text)
    words = (w.strip("-'") for w in re.split(r"[^\w'-]+", text))
    return [w for w in words if w]


def nominal_class(lemma: str) -> str:
    """Return the coarse class a common-noun head denotes, or ``""``.

    One of ``PERSON``, ``ORG``, ``GPE`` (places), ``WORK_OF_ART``,
    ``EVENT`` or ``""``.

    Examples
    --------
    >>> nominal_class("lawyer"), nominal_class("company"), nominal_class("table")
    ('PERSON', 'ORG', '')
    >>> nominal_class("pianist")
    'PERSON'
    """
    word = lemma.lower()
    if word in PERSON_NOUNS:
        return "PERSON"
    if word in ORG_NOUNS:
        return "ORG"
    if word in PLACE_NOUNS:
        return "GPE"
    if word in WORK_NOUNS:
        return "WORK_OF_ART"
    if word in EVENT_NOUNS:
        return "EVENT"
    if (
        word not in _NON_PERSON_SUFFIX_WORDS
        and len(word) > 5
        and word.endswith(_PERSON_SUFFIXES)
    ):
        return "PERSON"
    return ""


def _trim(span: Span) -> Span | None:
    """Drop leading determiners/quotes and trailing possessives/quotes/currency signs.

    A currency sign closing a span ("US $" of "US $ 8") is the amount's, not
    the name's. A span running over a line break (a heading glued to a name)
    is cut there.
    """
    start, end = span.start, span.end
    doc = span.doc
    for i in range(start, end):
        if doc[i].is_space or "\n" in doc[i].whitespace_:
            end = i if doc[i].is_space else i + 1
            break
        if (doc[i].text == "(" or doc[i].is_sent_start) and i > start:
            end = i
            break
    while start < end and (
        doc[start].pos_ in _TRIM_LEFT_POS
        or doc[start].is_quote
        # "a united Germany", "ancient Rome": a lower-case adjective before a
        # name describes the place, it is no word of its name
        or (
            doc[start].pos_ == "ADJ"
            and doc[start].is_lower
            and doc[start].is_alpha
            and doc[start].whitespace_ != ""
            and start < end - 1
            and doc[start + 1].is_title
        )
    ):
        start += 1
    # "Later the Supreme Court": an adverb opening the sentence, then the article
    for j in range(start + 1, min(end - 1, start + 3)):
        if doc[j].lower_ in {"the", "a", "an"} and all(
            t.pos_ in {"ADV", "CCONJ", "SCONJ", "INTJ"} for t in doc[start:j]
        ):
            start = j + 1
            break
    while start < end and (
        doc[end - 1].tag_ in _TRIM_RIGHT_TAGS
        or doc[end - 1].is_quote
        or doc[end - 1].is_punct
        or doc[end - 1].is_currency
        or doc[end - 1].lower_ == "'s"
    ):
        end -= 1
    return doc[start:end] if start < end else None


def _is_quote(token: Token) -> bool:
    return token.text in _QUOTES or (
        token.is_quote and token.text not in {"'", "’", "‘"}
    )


def _is_name_token(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.tag_ in {"NNP", "NNPS"}


def _extend_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` over adjacent name tokens and hyphenated parts."""
    while (
        start > 0 and _is_name_token(doc[start - 1]) and not doc[start - 1].is_sent_end
    ):
        start -= 1
    while end < len(doc) and (
        _is_name_token(doc[end])
        or (
            doc[end].tag_ == "HYPH"
            and end + 1 < len(doc)
            and _is_name_token(doc[end + 1])
            and not doc[end].whitespace_
        )
    ):
        end += 2 if doc[end].tag_ == "HYPH" else 1
    return start, min(end, len(doc))


def _kin_group(span: Span) -> Span | None:
    """Return "Tudor dynasty" of "the Tudor dynasty": a kin group named by a name.

    A family name before "family", "dynasty" or "clan" after the article
    names the group, not one of its members: the noun is a word of the name.
    """
    doc = span.doc
    end = span.end
    if (
        end < len(doc)
        and doc[end].lower_ in KIN_GROUP_NOUNS
        and span.root.head.i == end
        and span.root.dep_ == "compound"
        and span.start > 0
        and doc[span.start - 1].lower_ == "the"
    ):
        return doc[span.start : end + 1]
    return None


def _hyphen_glued(span: Span) -> Span:
    """Grow a name over the hyphen-glued words it is only part of.

    "Bourg-la-Reine", "Stratford-upon-Avon": capitalised words hyphened to a
    lower-case particle between them are one word, so a name the tagger ends
    (or starts) inside such a compound is the whole compound, up to its last
    capitalised word. Two capitalised words hyphened with nothing between
    ("OSU-Tulsa campus", "Spanish-English") are often two names side by side.
    """
    doc = span.doc

    def glued(h: int) -> bool:  # doc[h] a hyphen between two words, no spaces
        return (
            0 < h < len(doc) - 1
            and doc[h].tag_ == "HYPH"
            and not doc[h - 1].whitespace_
            and not doc[h].whitespace_
            and doc[h - 1].is_alpha
            and doc[h + 1].is_alpha
        )

    start, end = span.start, span.end
    right = end
    while glued(right):
        right += 2
        if doc[right - 1].is_title:
            end = right
    left = start
    while glued(left - 1):
        left -= 2
        if doc[left].is_title:
            start = left
    if (start, end) == (span.start, span.end) or not any(
        t.is_lower for t in doc[start:end]
    ):
        return span
    return doc[start:end]


def _nickname_spans(doclike: DocLike) -> list[tuple[int, int]]:
    """Token spans of ``First "Nick" Last`` names (one to three quoted words)."""
    doc = doclike.doc
    spans: list[tuple[int, int]] = []
    for i in token_indices(doclike, IS_QUOTE, [1]):
        token = doc[i]
        if not _is_quote(token) or i < 1 or not _is_name_token(doc[i - 1]):
            continue
        j = i + 1
        while j < len(doc) and j - i <= 3 and _is_name_token(doc[j]):
            j += 1
        if j == i + 1 or j + 1 >= len(doc) or not _is_quote(doc[j]):
            continue
        if (
            not _is_name_token(doc[j + 1])
            or doc[j + 1].sent.start != doc[i - 1].sent.start
        ):
            continue
        start, _ = _extend_name(doc, i - 1, i)
        _, end = _extend_name(doc, j + 1, j + 2)
        spans.append((start, end))
    return spans


def _alias_surfaces(span: Span, label: str) -> list[tuple[str, ...]]:
    """Token-text sequences a later untagged mention of this name may take."""
    words = [t.text for t in span if not _is_quote(t)]
    out = [tuple(words)]
    if label != "PERSON" and len(span) >= 2:
        initials = "".join(
            t.text[0] for t in span if t.is_alpha and t.text[0].isupper()
        )
        if len(initials) >= 2:
            out.append((initials,))
    if label == "PERSON" and len(span) >= 2:
        # the surname: the last word, with a hyphenated compound kept whole
        last = len(span) - 1
        first_of_last = last
        while first_of_last >= 2 and span[first_of_last - 1].tag_ == "HYPH":
            first_of_last -= 2
        surname = tuple(t.text for t in span[first_of_last:])
        if surname != tuple(words):
            out.append(surname)
        if span[0].pos_ == "PROPN" and not _is_quote(span[1]):
            out.append((span[0].text,))
        # the nickname inside quotes
        quoted = [i for i, t in enumerate(span) if _is_quote(t)]
        if len(quoted) == 2 and quoted[1] - quoted[0] >= 2:
            nick = tuple(t.text for t in span[quoted[0] + 1 : quoted[1]])
            out.append(nick)
            out.append((span[0].text, *nick))
            out.append((span[0].text, *surname))
    return out


def _names(doclike: DocLike, labels: frozenset[str]) -> list[tuple[Span, str]]:
    doc = doclike.doc
    nicknames = _nickname_spans(doclike)
    found: list[tuple[Span, str]] = []
    used: set[tuple[int, int]] = set()
    # a name the text also tags in another place is a name of its own, not a
    # subtitle ("Rover Photo: ACME" credits ACME, named again later)
    tagged = Counter(ent.text for ent in doclike.ents)
    for ent in doclike.ents:
        if ent.label_ not in labels:
            continue
        span = _trim(ent)
        if span is None:
            continue
        label = ent.label_
        if label != "NORP":  # "Irish-American": two peoples, cut apart below
            span = _hyphen_glued(span)
        kin = _kin_group(span)
        if kin is not None:
            span, label = kin, "ORG"
        if _gerund_title(span):
            label = "WORK_OF_ART"
        elif _junk_name(span, label):
            continue
        # "the 2002 Winter Olympics": a year that names the edition is kept
        # (not before a lone word tagged ORG: "from 1892 to 1895 Hanley")
        before = span.start - 1
        if (
            (label in _EVENT_LABELS or len(span) > 1)
            and label in _EDITION_LABELS
            and before >= 0
            and doc[before].like_num
            and len(doc[before].text) == 4
            and span.start <= doc[before].head.i < span.end
        ):
            span = doc[before : span.end]
        for nick in nicknames:
            if nick[0] < span.end and span.start < nick[1]:
                if nick in used:
                    span = None
                    break
                used.add(nick)
                span, label = doc[nick[0] : nick[1]], "PERSON"
                break
        if span is None:
            continue
        # "Jaws: The Revenge": a title and its subtitle are one name
        if (
            found
            and found[-1][0].end < len(doc)
            and doc[found[-1][0].end].text == ":"
            and all(t.pos_ == "DET" for t in doc[found[-1][0].end + 1 : span.start])
            and found[-1][0].end < span.start <= found[-1][0].end + 2
            and found[-1][0].sent.start == span.sent.start
            and tagged[span.text] < 2
        ):
            span, label = doc[found[-1][0].start : span.end], "WORK_OF_ART"
            found.pop()
        found.append((span, label))
    for nick in nicknames:
        if nick not in used:
            found.append((doc[nick[0] : nick[1]], "PERSON"))
    return found


def _drop_headline_only(names: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Drop names found only in a headline that no name of the body echoes.

    In a title-case headline ("Former Banker Sentenced to Eight Years for
    Fraud") every word looks like a name to the NER layer; a real entity of
    the headline is named again in the body ("Ada Byrne" ... "Byrne"), so a
    name of the text's first line, when that line is a heading, or of a
    one-word heading ("Background"), that shares no word with a name of the
    body is dropped.
    """
    heading = [
        (span, label)
        for span, label in names
        if _headline(span.sent)
        and (span.sent.start == 0 or len([t for t in span.sent if t.is_alpha]) == 1)
    ]
    if not heading:
        return names
    body_words = {
        t.lower_
        for span, _ in names
        if (span, _) not in heading
        for t in span
        if t.is_alpha and not t.is_stop
    }
    dropped = {
        (span.start, span.end)
        for span, _ in heading
        if not any(t.lower_ in body_words for t in span if t.is_alpha and not t.is_stop)
    }
    return [(s, lab) for s, lab in names if (s.start, s.end) not in dropped]


def _work_titles(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Read a capitalised title before a performer noun as a work's name.

    "The Keeping Up With the Joneses star", "the Breaking Bad actor":
    between a determiner and a lower-case noun that names someone by a work
    (star, host, actor, author...) a run of capitalised words, with the
    small words of titles between them, is the work's title (the small
    model tags a piece of it, or nothing). Names inside the run give way.
    """
    doc = doclike.doc
    first = doclike.start if isinstance(doclike, Span) else 0
    found: list[tuple[int, int]] = []
    for noun in doclike:
        if noun.lower_ not in _WORK_ROLE_NOUNS or not noun.is_lower:
            continue
        start = noun.i
        while start > first and (
            doc[start - 1].is_title
            or (doc[start - 1].lower_ in _TITLE_SMALL_WORDS and start - 1 < noun.i - 1)
        ):
            start -= 1
        while start < noun.i and doc[start].lower_ in _TITLE_SMALL_WORDS:
            start += 1  # a title starts and ends with a capitalised word
        run = doc[start : noun.i]
        if (
            len(run) < 2
            or start == 0
            or doc[start - 1].pos_ != "DET"
            or not doc[noun.i - 1].is_title
            or any(t.ent_type_ == "PERSON" and t.ent_iob_ == "B" for t in run[:1])
        ):
            continue
        found.append((run.start, run.end))
    found += _genre_titles(doclike)
    if not found:
        return names
    kept = [
        (span, label)
        for span, label in names
        if not any(a < span.end and span.start < b for a, b in found)
    ]
    return kept + [(doc[a:b], "WORK_OF_ART") for a, b in found]


def _genre_titles(doclike: DocLike) -> list[tuple[int, int]]:
    """Token spans of titles of several words after a genre noun.

    "the thriller Flight of the Phoenix", "his comedy Cheaper by the Dozen":
    a determined lower-case genre noun (film, novel, thriller...) followed
    at once by capitalised words joined by "of the" or "by the" names the
    work in close apposition; the small model tags the capitalised pieces
    as separate names. A preposition without an article may as well start
    a phrase of the clause ("the film Jaws by Spielberg", "in Boston").
    """
    doc = doclike.doc
    stop = _end_of(doclike)
    found: list[tuple[int, int]] = []
    for noun in doclike:
        before = doc[noun.i - 1] if noun.i > 0 else None
        if (
            noun.lower_ not in _GENRE_NOUNS
            or not noun.is_lower
            or before is None
            or not (before.pos_ == "DET" or before.tag_ in {"POS", "PRP$"})
            or noun.i + 1 >= stop
            or not doc[noun.i + 1].is_title
        ):
            continue
        last = noun.i + 1
        while True:
            if (
                last + 3 < stop
                and doc[last + 1].lower_ in {"of", "by"}
                and doc[last + 2].lower_ == "the"
                and doc[last + 3].is_title
            ):
                last += 3
            elif last + 1 < stop and doc[last + 1].is_title:
                last += 1
            else:
                break
        if last > noun.i + 1 and any(
            t.lower_ in {"of", "by"} for t in doc[noun.i + 1 : last]
        ):
            found.append((noun.i + 1, last + 1))
    return found


#: Lower-case nouns naming the genre of a work ("the thriller X").
_GENRE_NOUNS = frozenset(
    {"film", "movie", "thriller", "comedy", "drama", "novel", "musical",
     "sitcom", "documentary", "opera", "play", "poem"}
)  # fmt: skip


#: Nouns naming a person by a work they appear in or wrote ("the X star").
_WORK_ROLE_NOUNS = frozenset(
    {"star", "co-star", "costar", "host", "actor", "actress", "showrunner",
     "contestant", "narrator", "author", "novelist", "alum", "alumna", "alumnus"}
)  # fmt: skip
#: Small words inside titles ("Keeping Up With the Joneses").
_TITLE_SMALL_WORDS = frozenset(
    {"the", "a", "an", "of", "with", "and", "in", "on", "up", "to", "for", "at",
     "&", "from", "by", "or"}
)  # fmt: skip


def _headline(sent: Span) -> bool:
    return sent.text.strip()[-1:] not in _HEADLINE_END and is_heading(sent)


_HEADLINE_END = frozenset(".!?")


def _bracketed_names(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Join a name an editor split with square brackets ("Ada [Lovelace]").

    Quotations add missing words in brackets; the name runs over them. A name
    tagged inside the stretch is replaced by the whole.
    """
    doc = doclike.doc
    out = list(names)
    for token in doclike:
        if token.text != "[":
            continue
        close = next(
            (t.i for t in doc[token.i + 1 : token.i + 5] if t.text == "]"), None
        )
        if close is None or close == token.i + 1:
            continue
        inner = doc[token.i + 1 : close]
        if not all(t.is_alpha and t.text[:1].isupper() for t in inner):
            continue
        start, end = token.i, close + 1
        while start > 0 and _is_name_token(doc[start - 1]) and doc[start - 1].is_title:
            start -= 1
        while end < len(doc) and _is_name_token(doc[end]) and doc[end].is_title:
            end += 1
        if start == token.i and end == close + 1:
            continue
        span = doc[start:end]
        overlapping = [n for n in out if n[0].start < end and start < n[0].end]
        first = next(t.text for t in span if t.is_alpha)
        label = "PERSON" if _is_given_name(first) else ""
        label = label or next((lab for _, lab in overlapping if lab), "")
        out = [n for n in out if n not in overlapping]
        out.append((span, label))
    return out


_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")


def _bracketed_abbreviations(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Read a capitals-only word in brackets as the name it abbreviates.

    "second language (L2) research", "ocean salinity (SMOS)": a writer
    defines a short form in brackets after what it stands for, however
    common the words spelt out; the tagger leaves such a form untagged. A
    Roman numeral ("(II)") or a bare number is no short form.
    """
    doc = doclike.doc
    covered = {i for span, _ in names for i in range(span.start, span.end)}
    stop = _end_of(doclike)
    first = doclike.start if isinstance(doclike, Span) else 0
    found: list[tuple[Span, str]] = []
    for i in range(first + 1, stop - 1):
        token = doc[i]
        text = token.text
        if (
            doc[i - 1].text != "("
            or doc[i + 1].text != ")"
            or i in covered
            or not 2 <= len(text) <= 6
            or not text[:1].isupper()
            or not text.isalnum()
            or any(c.islower() for c in text)
            or _ROMAN_NUMERAL.fullmatch(text)
        ):
            continue
        found.append((doc[i : i + 1], ""))
    return found


def _dangling(token: Token) -> bool:
    """Tell a lower-case linking or joining word that cannot end a name."""
    return (
        token.is_lower
        and token.is_alpha
        and (token.pos_ in _DANGLING_POS or token.lower_ in _NAME_LINKS)
        and not (token.i > 0 and token.doc[token.i - 1].tag_ == "HYPH")
    )


def _dangling_names(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Mend a tagged name that ends on a lower-case linking or joining word.

    The tagger cuts "the Circuit Court of Ashford County" into "Circuit Court
    of" and "Ashford County": a name ending on a linking word ("of", "for",
    "von") runs over the name after it (an article between them allowed),
    tagged or not, and keeps its own label (the tagged name stays a mention
    of its own, nested in the whole). A person's name runs over
    a particle ("Ada von Byrne") but not over "of" a place ("Ada Byrne of
    Ashford"). Any other dangling function word ("Ashford and", "the Ashford
    Players in") is cut off.
    """
    doc = doclike.doc
    stop = _end_of(doclike)
    starts = {span.start: span for span, _ in names}
    out: list[tuple[Span, str]] = []
    for span, label in sorted(names, key=lambda n: (n[0].start, -n[0].end)):
        last = span[-1]
        if len(span) < 2 or not _dangling(last):
            out.append((span, label))
            continue
        if len(span) == 2 and last.lower_ in _PLACE_LINKS:
            # "City of" + "Ashford": a lone word before "of" is more often a
            # title or a kind of place than the first part of one name
            out.append((span, label))
            continue
        end = None
        if last.lower_ in _NAME_LINKS and not (
            label == "PERSON" and last.lower_ in _PLACE_LINKS
        ):
            nxt = span.end
            if nxt < stop and doc[nxt].lower_ == "the":
                nxt += 1
            if nxt in starts:
                end = starts[nxt].end
            elif nxt < stop and _is_name_token(doc[nxt]) and doc[nxt].is_title:
                end = nxt
                while end < stop and _is_name_token(doc[end]) and doc[end].is_title:
                    end += 1
            if end is not None and any(t.is_sent_start for t in doc[span.end : end]):
                end = None
        if end is not None:
            out.append((doc[span.start : end], label))
            continue
        cut = span.end
        while cut > span.start + 1 and _dangling(doc[cut - 1]):
            cut -= 1
        out.append((doc[span.start : cut], label))
    return out


def _grown_names(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Grow a name over the words the tagger left after it.

    - A capitalised number word ("Sky Two"): the tagger reads the number of a
      channel, station or series as a count. A person's name does not grow.
    - "'s" and a capitalised place word ("St Mary's Church", "Byrne's
      Bridge"): the tagger stops at the possessive; the whole names a place.
    """
    doc = doclike.doc
    stop = _end_of(doclike)

    def starts_word(i: int) -> bool:
        return i < stop and doc[i].is_title and not doc[i].is_sent_start

    out: list[tuple[Span, str]] = []
    for span, label in names:
        end = span.end
        if (
            label != "PERSON"
            and span[-1].whitespace_
            and starts_word(end)
            and doc[end].lower_ in _NUMBER_WORDS
        ):
            span = doc[span.start : end + 1]
        elif (
            end < stop
            and doc[end].lower_ in {"'s", "’s"}
            and starts_word(end + 1)
            and doc[end + 1].lower_ in FACILITY_WORDS
        ):
            span, label = doc[span.start : end + 2], "FAC"
        out.append((span, label))
    return out


def _split_nationalities(names: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Cut a hyphened pair of nationalities into one name each.

    "African-American", "Cuban-American": the tagger takes the compound as
    one nationality; each part names a people (or country) of its own. A
    combining form ("Anglo-Irish", "Austro-Hungarian") is one word.
    """
    out: list[tuple[Span, str]] = []
    for span, label in names:
        words = list(span)[::2]
        if (
            label != "NORP"
            or len(span) < 3
            or len(span) % 2 == 0
            or not all(t.tag_ == "HYPH" for t in list(span)[1::2])
            or not all(
                t.is_alpha and t.is_title and len(t) > 3 and not t.lower_.endswith("o")
                for t in words
            )
        ):
            out.append((span, label))
            continue
        out.extend((span[i : i + 1], label) for i in range(0, len(span), 2))
    return out


def _is_acronym_word(token: Token) -> bool:
    """Tell an all-capital word of letters ("UC", "NYU"), an acronym."""
    return token.is_alpha and token.is_upper and len(token) > 1


def _lower_case_words(doclike: DocLike) -> frozenset[str]:
    """Return the words ``doclike`` writes in lower case ("research", "diary")."""
    return frozenset(t.lower_ for t in doclike if t.is_lower)


def _nested_names(
    names: list[tuple[Span, str]], common: frozenset[str]
) -> list[tuple[Span, str]]:
    """Find names the text uses alone that also sit inside a longer name.

    "the University of Ashford", "the Ashford Gazette", "the Ashford Bridge",
    "American Vidtube": when the text names Ashford or Vidtube (a place, body
    or person, a language, a product, or a name the tagger left unlabelled,
    "ACME") on its own too, the nested name is a mention of it. Any tagged
    name holds the name after "of" ("King of Ashford"). A place closes a name
    too ("Vrije Universiteit Ashford"), and any name does after punctuation
    the tagger took in ("non-Ashford") or after a system's acronym ("UC
    Ashford": a campus is named for its town). A nested name is searched in
    turn ("Paseo de Ashford Museum" > "Paseo de Ashford" > "Ashford"). A
    person's or place's name is not cut otherwise ("Ada Byrne" keeps "Ada").
    Between the first and last words of a body's or work's name, proper
    words the text names alone, a title too, are that name ("the Gaelic
    Bible Society" holds "Bible"; "the Tarnby Ashford Mission" holds
    "Ashford"): English names a body after what it serves or works on.
    """
    places = {
        tuple(t.text for t in span): label
        for span, label in names
        if label in _NESTED_LABELS
    }
    # a work's title ("Bible") is sought only between the words of a name
    titles = {
        tuple(t.text for t in span): label
        for span, label in names
        if label == "WORK_OF_ART"
    }
    if not places and not titles:
        return []
    taken = {(span.start, span.end) for span, _ in names}
    out: list[tuple[Span, str]] = []
    # a nested name nests again ("the Paseo de Ashford Museum" holds "Paseo
    # de Ashford", which holds "Ashford"), so each one found is searched too
    queue = deque(names)
    while queue:
        span, label = queue.popleft()
        # a place's or building's name the tagger called a person or place
        # ("Ashford Bridge", "Ashford Bay") holds names as a body's does
        built = span[-1].lower_ in FACILITY_WORDS or (
            # a nickname headed by a role ("the Ashford Poet") is named for
            # what the person serves, as a body's name is
            label == "PERSON"
            and len(span) > 1
            and nominal_class(span[-1].lower_) == "PERSON"
            and not _is_given_name(span[0].text)
        )
        if len(span) < 2:
            continue
        parts: list[Span] = []
        inner: list[Span] = []
        for k in range(1, len(span) - 1):
            if span[k].lower_ in _NESTING_PREPS:
                # "University of Ashford", "King of Ashford" (any label)
                parts.append(span[k + 1 :])
                break
        if label in _NESTING_LABELS or built:
            for n in range(len(span) - 1, 0, -1):
                parts.append(span[:n])  # "Ashford Gazette"
            for n in range(1, len(span)):
                # a place closing the name ("Vrije Universiteit Ashford",
                # "University of Wessex, Ashford"), never a class noun ("Shah Mosque")
                tail = span[n:]
                tail_label = places.get(tuple(t.text for t in tail), "")
                if (
                    tail[0].is_title
                    and (
                        tail_label in _PLACE_NER
                        or (tail_label and span[n - 1].is_punct)
                        # a campus or branch after its system's acronym
                        # ("UW Ashford", "NYU Wessex")
                        or (tail_label and n == 1 and _is_acronym_word(span[0]))
                    )
                    and not (len(tail) == 1 and nominal_class(tail[0].lower_))
                    and tail[0].lower_ not in FACILITY_WORDS
                ):
                    parts.append(tail)
            for n in range(1, len(span)):
                word = span[n - 1]  # capitalised adjectives and nationalities
                if not word.is_title or not (
                    word.pos_ == "ADJ" or word.ent_type_ == "NORP"
                ):
                    break
                parts.append(span[n:])  # "American Vidtube", "Greater Ashford"
            # a name between the words of a body's name ("the Gaelic Bible
            # Society" holds "Bible", a title the text names alone)
            inner = [
                span[i:j]
                for i in range(1, len(span) - 1)
                for j in range(len(span) - 1, i, -1)
                if span[i - 1].is_title
                and span[j].is_title
                and _inner_name(span[i:j], common)
            ]
        for part in [*parts, *inner]:
            key = tuple(t.text for t in part)
            found = places.get(key)
            if found is None and part in inner:
                found = titles.get(key)
            if found is not None and (part.start, part.end) not in taken:
                taken.add((part.start, part.end))
                out.append((part, found))
                queue.append((part, found))
                break
    return out


def _inner_name(part: Span, common: frozenset[str]) -> bool:
    """Tell words inside a longer name that may be a name of their own.

    Inside "the Gaelic Bible Society" only a proper word can be a name: not
    a word the text writes in lower case ("Diary", "diary"), a class noun
    ("College", "Lodge"), or an adjective ("High", "Paralympic").
    """
    return all(
        t.is_title
        and t.is_alpha
        and t.lower_ not in common
        and t.lower_ not in FACILITY_WORDS
        and not nominal_class(t.lower_)
        and t.pos_ == "PROPN"
        and t.ent_type_ != "NORP"
        for t in part
    )


#: Words that open many unrelated place and body names ("New Jersey", "New
#: Mexico"; "San Diego"): two names sharing one say nothing of a name of its own.
_NAME_OPENERS = frozenset(
    _lexicon(
        """new san santa sao los las la le el al st saint fort port mount lake
        north south east west northern southern eastern western central upper
        lower great greater old little big royal national international
        general united first second"""
    )
)


#: Endings of adjectives ("National", "Economic", "Contemporary"): a shared
#: opening ending in one is the start of a longer name, not a name.
_ADJECTIVE_ENDINGS = (
    "al",
    "ic",
    "ian",
    "ean",
    "ese",
    "ish",
    "ary",
    "ive",
    "ous",
    "ful",
)


def _shared_openings(
    names: list[tuple[Span, str]], common: frozenset[str]
) -> list[tuple[Span, str]]:
    """Find a name that opens several longer names the text uses.

    "the Vidtube Rewind show ... the Vidtube Music awards", "Scarne on Card
    Tricks ... Scarne on Magic Tricks": words that open two different longer
    names are a name of their own, nested in each, even when the text never
    writes them alone. The opening ends with a capitalised word that is no
    class noun ("University of ..."), role, title or adjective ("Democratic
    National Committee ... Convention"). One word alone is an
    acronym or followed by a small word ("Scarne on ..."), lest any common
    word open it ("World Cup", "World Bank"); it is no given name ("John
    Byrne", "John Hale"), no nationality, no common opener ("New") and no
    word the text writes in lower case.
    """
    by_opening: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for span, _label in names:
        words = tuple(t.text for t in span)
        for n in range(1, min(len(span), _MAX_ALIAS_TOKENS)):
            # one name in two cases ("Varn Theory", "Varn theory") is one name
            by_opening.setdefault(words[:n], set()).add(tuple(map(str.lower, words)))
    if not names:
        return []
    taken = {(span.start, span.end) for span, _ in names}
    alone = {tuple(t.text for t in span) for span, _ in names}
    out: list[tuple[Span, str]] = []
    for span, label in names:
        if label == "PERSON":
            continue  # "Ada Byrne", "Ada Hale": no name opens a person's
        for n in range(min(len(span), _MAX_ALIAS_TOKENS) - 1, 0, -1):
            part = span[:n]
            last = part[-1]
            if (
                len(by_opening.get(tuple(t.text for t in part), ())) < 2
                or tuple(t.text for t in part) in alone
                or not (last.is_title or last.is_upper)
                or not last.is_alpha
                or nominal_class(last.lower_)
                or last.lower_ in FACILITY_WORDS
                or last.pos_ == "ADJ"
                or last.lower_.endswith(_ADJECTIVE_ENDINGS)
                or (
                    n == 1
                    and (
                        last.lower_ in _NAME_OPENERS
                        or last.lower_ in common
                        or last.ent_type_ == "NORP"
                        or len(last) < 3
                        or _is_given_name(last.text)
                        or not (last.is_upper or span[1].is_lower)
                    )
                )
            ):
                continue
            if (part.start, part.end) not in taken:
                taken.add((part.start, part.end))
                out.append((part, ""))
            break
    return out


def _nested_concepts(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Find concept words inside longer names that the text also uses in lower case.

    "the Institute of Geology ... she studied geology", "the Hale Peace Prize
    ... a lasting peace": a field, activity or idea that names a body or an
    award is the same concept the text writes in lower case elsewhere, so
    the capitalised word is a mention of it (coreference corpora mark such
    nested mentions) and the lower-case noun repeats it (see
    :func:`_name_repeats`). Only a word that modifies the name's head or
    follows its "of" is taken, never the head itself ("University"), and only
    when the lower-case noun stands alone as a whole singular noun phrase
    ("studied geology", not "a geology teacher" or "the geology of Mars").
    """
    doc = doclike.doc
    name_tokens = {i for span, _ in names for i in range(span.start, span.end)}
    bare: set[str] = set()
    for token in doclike:
        if (
            token.i in name_tokens
            or not token.is_lower
            # "-ics" nouns are singular mass nouns the tagger reads as plurals
            or not (token.tag_ == "NN" or token.lower_.endswith("ics"))
            or token.dep_ == "compound"
        ):
            continue
        if all(c.dep_ in {"punct", "cc", "conj"} for c in token.children):
            bare.add(token.lower_)
    if not bare:
        return []
    taken = {(span.start, span.end) for span, _ in names}
    out: list[tuple[Span, str]] = []
    for span, label in names:
        if label == "PERSON" or len(span) < 2:
            continue
        for k in range(1, len(span)):
            word = span[k]
            after_of = span[k - 1].lower_ == "of" and k == len(span) - 1
            if not (after_of or k < len(span) - 1):
                continue  # the head names the body, not a concept
            if (
                word.is_title
                and word.is_alpha
                and len(word) > 3
                and word.lower_ in bare
                and not nominal_class(word.lower_)  # "Emperor of Y": a role
                and (word.i, word.i + 1) not in taken
            ):
                taken.add((word.i, word.i + 1))
                out.append((doc[word.i : word.i + 1], ""))
    return out


def _coordinated_names(names: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Cut a tagged span that joins several names the text also uses alone.

    The NER layer tags "Kiruna and Malmberget" or "VFL / AFL" as one name. The
    span is cut at each joining word when one of the parts is a name of its
    own elsewhere in the text; "Skull and Bones", never split by the text,
    stays whole. A person's name is cut at each comma too ("Ada, Tom Hale"),
    save before a generation ("Ada Hale, Jr.").
    """
    alone = {tuple(t.text for t in span) for span, _ in names}
    out: list[tuple[Span, str]] = []
    for span, label in names:
        # a person's name holds no comma: "Ada, Tom Hale" lists two people
        listed = label == "PERSON" and any(t.text == "," for t in span[1:-1])
        joiners = _NAME_JOINERS | {","} if listed else _NAME_JOINERS
        cuts = [t.i for t in span[1:-1] if t.lower_ in joiners]
        if not cuts:
            out.append((span, label))
            continue
        doc, start = span.doc, span.start
        parts: list[Span] = []
        for cut in [*cuts, span.end]:
            part = _trim(doc[start:cut])
            start = cut + 1
            if part is None or not any(_is_name_token(t) for t in part):
                parts = []
                break
            parts.append(part)
        if listed and any(p[-1].lower_.rstrip(".") in _GENERATIONS for p in parts[1:]):
            parts = []  # "Ada Hale, Jr."
        if parts and (listed or any(tuple(t.text for t in p) in alone for p in parts)):
            out.extend((part, label) for part in parts)
        else:
            out.append((span, label))
    return out


def _is_camel(text: str) -> bool:
    """Tell a brand-style name with an inner capital ("eBay", "wikiHow")."""
    return (
        len(text) > 3
        and text[:1].islower()
        and text.isalpha()
        and any(c.isupper() for c in text[1:])
    )


def _gerund_title(span: Span) -> bool:
    """Tell a title opened by a capitalised gerund after its class noun.

    "the period drama Finding Varnholt": a capitalised -ing form inside a
    sentence, opening a run of proper nouns placed right after a common
    noun, is the first word of the title that noun classifies, not a verb.
    """
    first, doc = span[0], span.doc
    return (
        first.tag_ == "VBG"
        and first.is_title
        and not first.is_sent_start
        and len(span) > 1
        and all(t.pos_ == "PROPN" for t in span[1:])
        and span.start > 0
        and doc[span.start - 1].pos_ == "NOUN"
        and doc[span.start - 1].is_lower
    )


def _junk_name(span: Span, label: str) -> bool:
    """Tell a tagged span that cannot be a name: no capital, or a verb inside.

    A capitalised participle that modifies the next word of the span
    ("Broken Arrow Expressway", "Painted Desert") is an adjective of the name,
    not a verb: it makes no clause of the span.
    """
    if all(not t.text[:1].isupper() and not _is_camel(t.text) for t in span):
        return True
    return label in _VERBLESS_LABELS and any(
        t.tag_ in _VERB_TAGS
        and t.pos_ in {"VERB", "AUX"}
        and not _name_participle(t, span)
        for t in span
    )


def _name_participle(token: Token, span: Span) -> bool:
    """Tell a capitalised participle modifying a later capitalised word of ``span``."""
    return (
        token.tag_ in {"VBN", "VBG"}
        and token.is_title
        and token.i + 1 < span.end
        and token.dep_ in {"amod", "compound"}
        and token.i < token.head.i < span.end
        and all(t.is_title for t in token.doc[token.i : token.head.i + 1])
    )


#: Prepositions that place a person ("Ada at Tarnby", "Ada in Tarnby").
_PERSON_PLACE_PREPS = frozenset({"at", "in"})


def _placed_persons(names: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Cut a person's name out of a tagged span that places the person.

    "a stay with Byrne at Tarnby": the tagger may read a name, a locative
    preposition and a place as one title or body. When the words before the
    preposition, which the parse attaches to them, are a person's name or
    surname the text tags elsewhere, the span is the person followed by
    where they were: the person's name and the place are names of their own,
    the place read as a place unless tagged as a body or building.
    """
    persons = {
        key
        for span, label in names
        if label == "PERSON"
        for key in (span.text, span[-1].text)
    }
    if not persons:
        return names
    out: list[tuple[Span, str]] = []
    for span, label in names:
        cut = None
        if label != "PERSON" and len(span) > 2 and not _is_quote(span[0]):
            for k in range(1, len(span) - 1):
                prep, left = span[k], span[:k]
                if (
                    prep.lower_ in _PERSON_PLACE_PREPS
                    and prep.head.i in range(left.start, left.end)
                    and left.text in persons
                    and span[k + 1].is_title
                ):
                    cut = k
                    break
        if cut is None:
            out.append((span, label))
        else:
            place = label if label in _PLACE_NER | {"FAC", "ORG"} else "GPE"
            out += [(span[:cut], "PERSON"), (span[cut + 1 :], place)]
    return out


def _consistent_names(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Tag a name the same way each time the text writes it.

    The tagger may take "Osaka Bay" whole once and "Osaka" + "Bay" the next
    time: a name that starts a longer name the text tagged elsewhere, word for
    word, grows to it, and the pieces inside it go. The words after the first
    may differ in case ("Game theory" of "Game Theory").
    """
    doc = doclike.doc
    known: dict[tuple[str, ...], str] = {}
    for span, label in names:
        if 1 < len(span) <= _MAX_ALIAS_TOKENS:
            known.setdefault(tuple(t.text for t in span), label)
    if not known:
        return names
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(known, key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
    stop = _end_of(doclike)
    grown: list[tuple[Span, str]] = []
    for span, _label in names:
        for words in by_first.get(span[0].text, ()):
            end = span.start + len(words)
            if len(words) <= len(span) or end > stop:
                continue
            # later words may be written in lower case ("Frame semantics" of
            # "Frame Semantics"): writers vary the case of a name's inner words
            if tuple(t.lower_ for t in doc[span.start : end]) != tuple(
                w.lower() for w in words
            ) or (doc[span.start].text != words[0]):
                continue
            if any(doc[i].is_sent_start for i in range(span.start + 1, end)):
                continue
            grown.append((doc[span.start : end], known[words]))
            break
    if not grown:
        return names
    covered = {i for span, _ in grown for i in range(span.start, span.end)}
    kept = [
        (span, label)
        for span, label in names
        if not covered.issuperset(range(span.start, span.end))
        or any(g.start == span.start and g.end == span.end for g, _ in grown)
    ]
    taken = {(span.start, span.end) for span, _ in kept}
    kept += [(g, label) for g, label in grown if (g.start, g.end) not in taken]
    return sorted(kept, key=lambda x: (x[0].start, -x[0].end))


def _recover_aliases(
    doclike: DocLike,
    names: list[tuple[Span, str]],
    *,
    sources: list[tuple[Span, str]] | None = None,
) -> list[tuple[Span, str]]:
    """Find untagged occurrences of the aliases of tagged names.

    ``sources`` are the names whose aliases are sought (default: all; given
    sources, only their own words are sought, and a person's short names).
    A proper noun found in an argument slot ("by Elsevier") is sought too:
    the tagger reads the same word elsewhere as a noun or an adverb ("and
    Elsevier", "intact DNA").
    """
    surfaces: dict[tuple[str, ...], str] = {}
    for span, label in names if sources is None else sources:
        forms = (
            _alias_surfaces(span, label)
            if sources is None or label == "PERSON"
            else [tuple(t.text for t in span)]
        )
        for surface in forms:
            if surface and surface[0][:1].isupper():
                surfaces.setdefault(surface, label)
    if not surfaces:
        return []
    longest = min(_MAX_ALIAS_TOKENS, max(len(s) for s in surfaces))
    covered = {i for span, _ in names for i in range(span.start, span.end)}
    doc = doclike.doc
    found: list[tuple[Span, str]] = []
    stop = _end_of(doclike)
    starts = sorted(
        set(token_indices(doclike, IS_TITLE, [1]))
        | set(token_indices(doclike, IS_UPPER, [1]))
        | set(token_indices(doclike, POS, [PROPN]))
    )
    for i in starts:
        token = doc[i]
        if (
            i in covered
            or not token.text[:1].isupper()
            or token.pos_ in {"PRON", "DET", "ADP"}
        ):
            continue
        for n in range(min(longest, stop - i), 0, -1):
            words = tuple(t.text for t in doc[i : i + n])
            found_label = surfaces.get(words)
            if found_label is None or covered.intersection(range(i, i + n)):
                continue
            # a whole word sequence, not part of a longer proper name, but
            # for a place, which opens the names of what lies in it ("the
            # Tarnby Harbour ferry", "the Leeds - Tarnby Bay Bridge")
            if (
                i + n < stop
                and _is_name_token(doc[i + n])
                and doc[i + n].text[:1].isupper()
                and found_label not in _PLACE_NER
            ):
                continue
            if doc[i + n - 1].tag_ == "HYPH":
                continue
            found.append((doc[i : i + n], found_label))
            covered.update(range(i, i + n))
            break
    return found


def _name_like(
    doclike: DocLike, names: list[tuple[Span, str]], common: frozenset[str]
) -> list[tuple[Span, str]]:
    """Keep the untagged names that are sure to be names wherever they recur.

    Not a word the text also writes in lower case ("Research", "research"),
    nor one or two letters ("F", "OK"), nor a label before a number
    ("Figure 2", "Terminal 4").
    """
    stop = _end_of(doclike)
    doc = doclike.doc
    return [
        (span, label)
        for span, label in names
        if span[-1].lower_ not in common
        and len(span.text) > 2
        and not (span.end < stop and doc[span.end].like_num)
    ]


_UNTAGGED_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "poss", "dative", "appos", "conj", "attr"}
)


def _state_codes(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Find US state codes closing an address the tagger left untagged.

    "from Tarnby, OK, or ...", "near Elko, Nev.": after a town's name and a
    comma, a state's postal code or customary abbreviation (see
    ``STATE_ABBREVIATIONS``) before punctuation or the end names the state,
    though the tagger reads "OK" as a word.
    """
    doc = doclike.doc
    covered = {i for span, _ in names for i in range(span.start, span.end)}
    found: list[tuple[Span, str]] = []
    for token in doclike:
        if (
            token.i < 2
            or token.i in covered
            or token.text.rstrip(".") not in STATE_ABBREVIATIONS
            or doc[token.i - 1].text != ","
            or not (doc[token.i - 2].pos_ == "PROPN" or token.i - 2 in covered)
            or (token.i + 1 < len(doc) and not doc[token.i + 1].is_punct)
        ):
            continue
        found.append((doc[token.i : token.i + 1], "GPE"))
    return found


def _named_by_appositive(token: Token) -> bool:
    """Tell a capitalised word read as a common noun that an appositive classes.

    "two languages: Varn, a Kwa language": inside a sentence, a capitalised
    word followed by an indefinite appositive saying what it is, is a name.
    """
    return (
        token.pos_ == "NOUN"
        and token.is_title
        and not token.is_sent_start
        and any(
            child.dep_ == "appos"
            and child.i > token.i
            and any(d.lower_ in {"a", "an"} for d in child.children)
            for child in token.children
        )
    )


def _untagged_names(
    doclike: DocLike, names: list[tuple[Span, str]]
) -> list[tuple[Span, str]]:
    """Proper nouns in argument positions that the NER layer left untagged.

    The small model misses many surnames ("Nyro sang"); such a proper noun
    heading a subject, object or possessor is kept as a name of unknown class
    (``""``), or ``PERSON`` when it starts with a known given name. So is a
    capitalised word read as a common noun that an indefinite appositive
    classes ("Varn, a hill language"), wherever the parse hangs it.
    """
    doc = doclike.doc
    covered = {i for span, _ in names for i in range(span.start, span.end)}
    covered.update(i for ent in doc.ents for i in range(ent.start, ent.end))
    found: list[tuple[Span, str]] = []
    for i in token_indices(doclike, POS, [PROPN, NOUN]):
        token = doc[i]
        if (
            not (token.pos_ == "PROPN" or _named_by_appositive(token))
            or token.i in covered
            or not (
                token.dep_ in _UNTAGGED_DEPS
                or _named_by_appositive(token)
                or token.dep_ == "compound"
                and token.head.pos_ == "NOUN"
                and token.head.i > token.i
            )
            or not token.text[:1].isupper()
            or not token.is_alpha
            and "'" not in token.text
            or token.is_quote
            or token.is_stop
        ):
            continue
        start = token.i
        while (
            start > 0
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].dep_ == "compound"
            and doc[start - 1].head.i == token.i
            and doc[start - 1].text[:1].isupper()
            and start - 1 not in covered
        ):
            start -= 1
        span = doc[start : token.i + 1]
        if token.dep_ == "compound" and len(span.text) < 3:
            continue  # "En route", "La cathédrale": no short word as a name
        label = ""
        if len(span) > 1 and _is_given_name(span[0].text):
            label = "PERSON"
        # a quoted proper noun is a title, unless it is a personal name
        if any(_is_quote(t) for t in span) or (
            not label
            and span.start > 0
            and _is_quote(doc[span.start - 1])
            and span.end < len(doc)
            and _is_quote(doc[span.end])
        ):
            continue
        found.append((span, label))
        covered.update(range(span.start, span.end))
    # brand-style names ("wikiHow") the tagger reads as any part of speech
    for token in doclike:
        if token.i not in covered and _is_camel(token.text):
            found.append((doc[token.i : token.i + 1], ""))
            covered.add(token.i)
    found += _heading_names(doclike, [*names, *found], covered)
    return found


def _heading_names(
    doclike: DocLike, names: list[tuple[Span, str]], covered: set[int]
) -> list[tuple[Span, str]]:
    """Find headings and list entries that open with a name the text uses.

    Guides and biographies head a section with the name of its subject
    ("Tarnby" over the paragraph on Tarnby) and open list entries with it
    ("Tarnby: a quiet port"); the tagger, seeing no sentence, tags it as
    anything. The words, spelt as a name found elsewhere, are that name.
    """
    doc = doclike.doc
    known = {span.text: label for span, label in names}
    found: list[tuple[Span, str]] = []
    first, stop = doclike[0].i if len(doclike) else 0, _end_of(doclike)
    for sent in doc.sents:
        if not first <= sent.start < stop:
            continue
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        before = doc[words[0].i - 1] if words and words[0].i > 0 else None
        if not words or (
            before is not None and "\n" not in before.text + before.whitespace_
        ):
            continue  # a heading or list entry opens a line
        spans = []
        if len(words) <= _MAX_ALIAS_TOKENS and _headline(sent):
            spans.append(doc[words[0].i : words[-1].i + 1])
        colon = next((t.i for t in sent if t.text == ":"), None)
        if (
            colon is not None
            and colon > words[0].i
            and colon + 1 < len(doc)
            and doc[colon + 1].is_lower
        ):
            # a list entry "Tarnby: a quiet port" opens with its subject's name
            # (not a title with its subtitle, "Tarnby: The Return")
            spans.append(doc[words[0].i : colon])
        for span in spans:
            if (
                span.text in known
                and not covered.intersection(range(span.start, span.end))
                and span.text[:1].isupper()
            ):
                found.append((span, known[span.text]))
                covered.update(range(span.start, span.end))
                break
    return found


def _is_given_name(word: str) -> bool:
    return given_name_gender(word)[0] is not None


@functools.cache
def _gender_detector() -> Any:
    try:
        import gender_guesser.detector as detector
    except ImportError:  # pragma: no cover - optional lexicon
        return None
    return detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=8192)
def given_name_gender(word: str) -> tuple[str | None, int]:
    """Return the gender a first-name lexicon gives a name, and how sure (0-2).

    ``("m", 2)`` for a name the lexicon calls male, ``("f", 1)`` for mostly
    female, ``(None, 0)`` for an unknown or unisex word. The lexicon is the
    ``gender-guesser`` package's (about 40,000 names from many countries).

    Examples
    --------
    >>> given_name_gender("Margaret"), given_name_gender("Table")
    (('f', 2), (None, 0))
    """
    det = _gender_detector()
    if det is None or not word.isalpha():
        return None, 0
    guess = det.get_gender(word.capitalize())
    return _GUESSES.get(guess, (None, 0))


_GUESSES: dict[str, tuple[str | None, int]] = {
    "male": ("m", 2),
    "mostly_male": ("m", 1),
    "female": ("f", 2),
    "mostly_female": ("f", 1),
}


def _pronouns(doclike: DocLike) -> Iterator[Token]:
    doc = doclike.doc
    hashes = [doc.vocab.strings.add(p) for p in PRONOUNS]
    for i in token_indices(doclike, LOWER, hashes):
        token = doc[i]
        lower = token.lower_
        if lower not in PRONOUNS or token.tag_ not in _PRONOUN_TAGS:
            continue
        if lower in _RELATIVE and not any(
            a.dep_ == "relcl" for a in (token.head, *token.head.ancestors)
        ):
            continue
        yield token


_THERE_PREPS = frozenset({"from", "near", "around"})  # "from there" is a place
_REDUCED_CLAUSE_MARKS = frozenset({"while", "whilst", "once", "when"})  # "While there,"


_FIRST_POSSESSIVES = frozenset({"my", "our"})


def owned_title_pronoun(token: Token) -> bool:
    """Tell the "My" opening a title after "his" or "her" ("his My Life").

    A memoir's title speaks in its author's voice: in "her My Story" the
    title's "My" is the person the possessive stands for. A named possessor
    may be a maker or broadcaster instead ("the BBC's My Family"): no owner.

    Examples
    --------
    >>> doc = nlp("In his My Linguistic Autobiography, he wrote of it.")
    >>> owned_title_pronoun(doc[2]), owned_title_pronoun(doc[1])
    (True, False)
    """
    doc = token.doc
    if token.lower_ not in _FIRST_POSSESSIVES or not token.is_title or token.i == 0:
        return False
    before = doc[token.i - 1]
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        after is not None
        and after.is_title
        and after.pos_ == "PROPN"
        and before.lower_ in {"his", "her"}
        and before.tag_ == "PRP$"
    )


def _place_adverbs(doclike: DocLike) -> Iterator[Token]:
    """Yield "there" standing for a place ("she moved to Rome and died there").

    Existential "there" ("there is") and "there" before a place phrase
    ("there in the valley") name nothing of their own. A place "there" is
    also the object of a preposition of place ("from there", "near there")
    and the whole of a reduced clause ("While there, she ..."), which the
    tagger may read as existential.
    """
    doc = doclike.doc
    for i in token_indices(doclike, LOWER, [doc.vocab.strings.add("there")]):
        token = doc[i]
        if any(c.dep_ == "prep" for c in token.children):
            continue
        adverb = token.tag_ == "RB" and token.dep_ == "advmod"
        if (
            (adverb and token.head.pos_ in {"VERB", "AUX"})
            or (token.dep_ in {"pcomp", "pobj"} and token.head.lower_ in _THERE_PREPS)
            or (
                0 < i < len(doc) - 1
                and doc[i - 1].lower_ in _REDUCED_CLAUSE_MARKS
                and doc[i + 1].text == ","
            )
        ):
            yield token


def _hyphen_group(token: Token) -> tuple[int, int]:
    """Token span of the hyphenated word ``token`` belongs to ("mom-of-four")."""
    doc = token.doc
    start = end = token.i

    def joined(i: int) -> bool:  # doc[i] is a hyphen glued to both neighbours
        return (
            doc[i].tag_ == "HYPH"
            and not doc[i - 1].whitespace_
            and not doc[i].whitespace_
        )

    while start >= 2 and joined(start - 1):
        start -= 2
    while end + 2 < len(doc) and joined(end + 1):
        end += 2
    return start, end + 1


def _group_head(doc: Doc, start: int, end: int) -> Token:
    for token in doc[start:end]:
        if not start <= token.head.i < end or token.head.i == token.i:
            return token
    return doc[end - 1]


_NOMINAL_LEFT_DEPS = frozenset(
    {"det", "amod", "compound", "nummod", "poss", "nmod", "npadvmod", "quantmod"}
)


_NOMINAL_RIGHT_DEPS = frozenset({"prep", "acl", "relcl", "amod", "nummod"})
_NOMINAL_PREPS = frozenset({"of", "for", "to", "with"})


def _nominal_span(
    doc: Doc, start: int, end: int, head: Token, name_tokens: set[int]
) -> Span:
    """Return the phrase of a common-noun head: its modifiers and itself.

    Left modifiers, and on the right the modifiers that only name other
    entities ("the capital of Isfahan Province", "a fellow of the Royal
    Society"), so the phrase covers the whole noun phrase as coreference
    corpora mark it; a modifier with a common noun of its own ("the owner of
    the zoo") is left out, as the noun may be an entity of its own.
    """
    for child in head.lefts:
        if child.dep_ in _NOMINAL_LEFT_DEPS and child.i < start:
            start = min(start, child.left_edge.i)
    for child in head.rights:
        if child.dep_ not in _NOMINAL_RIGHT_DEPS or child.i < end:
            continue
        if child.dep_ == "prep" and child.lower_ not in _NOMINAL_PREPS:
            break  # "a nurse in Leeds": a place or time may belong to the verb
        right = child.right_edge.i + 1
        # "the head of X, Ann Lee,": an appositive after a comma is its own mention
        right = next(
            (
                t.left_edge.i
                for t in doc[end:right]
                if t.dep_ == "appos" and doc[t.left_edge.i - 1].text == ","
            ),
            right,
        )
        while right > end and doc[right - 1].is_punct:
            right -= 1
        if any(
            t.pos_ in {"NOUN", "PRON", "NUM"}
            or (t.pos_ == "PROPN" and t.i not in name_tokens)
            or t.is_space
            or ("\n" in t.whitespace_ and t.i < right - 1)
            for t in doc[end:right]
        ):
            break
        end = right
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    span = doc[start:end]
    while len(span) > 1 and (
        span[0].is_punct or span[0].is_quote or span[0].pos_ == "ADV"
    ):
        span = span[1:]
    return span


def _group_class(doc: Doc, start: int, end: int) -> str:
    """Class of a (possibly hyphenated) noun: the whole, its first or last word."""
    whole = "".join(t.lower_ for t in doc[start:end])
    cls = nominal_class(whole)
    if cls or end - start == 1:
        return cls or nominal_class(doc[start].lemma_)
    if any(t.lower_ == "of" for t in doc[start:end]):
        return nominal_class(doc[start].lemma_)
    return nominal_class(doc[end - 1].lemma_)


#: words that end a predicate phrase: a new clause or a line of its own
_PREDICATE_STOP_DEPS = frozenset({"cc", "conj", "punct"})


#: nouns of a predicate that places its subject in a whole ("part of Y")
_PARTITIVES = frozenset({"part", "portion", "section", "piece", "component", "segment"})


def fronted_predicate_subject(head: Token) -> Token | None:
    """Return the subject a sentence-opening indefinite noun phrase describes.

    "A native of Leeds, she moved ...", "An able student and a keen rower,
    he ...": a bare indefinite phrase set before its clause and closed by a
    comma is a predicate of the clause's subject (a free predicative
    adjunct), whatever the parse hung it on; only when that subject, a name
    or a pronoun, follows the comma at once.

    Examples
    --------
    >>> doc = nlp("A keen sailor, she crossed the bay.")
    >>> fronted_predicate_subject(doc[2]).text
    'she'
    """
    doc = head.doc
    if head.dep_ == "conj":
        head = head.head
    verb = head.head
    if (
        head.tag_ != "NN"
        or head.dep_ in _FRONTED_NOT_DEPS
        or verb.pos_ not in {"VERB", "AUX"}
        or verb.i < head.i
    ):
        return None
    dets = [c for c in head.lefts if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in _INDEFINITES:
        return None
    if any(t.is_alpha for t in doc[head.sent.start : dets[0].i]):
        return None  # the phrase opens its sentence
    comma = max(t.right_edge.i for t in (head, *head.conjuncts)) + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    subject = doc[comma + 1]
    if subject.pos_ == "PROPN" and subject.dep_ == "compound":
        subject = subject.head  # "Ann Lee": the name's head
    if (
        subject.dep_ not in {"nsubj", "nsubjpass"}
        or subject.head.i != verb.i
        or subject.pos_ not in {"PRON", "PROPN"}
    ):
        return None
    return subject


#: relations of a noun that is an argument or predicate, not a fronted adjunct
_FRONTED_NOT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "oprd"}
)


def _predicate_head(token: Token) -> bool:
    """Whether a noun heads a phrase saying what another mention is.

    A predicate nominal ("X is a lawyer", "X became the first head of Y"),
    an object predicate ("proclaimed himself Emperor of Y"), an appositive
    ("X, a lawyer from Y,") or a predicative "as" phrase ("X served as
    President of Y"), or a conjunct of one of them.
    """
    if token.dep_ == "conj" and token.head.pos_ in {"NOUN", "PROPN"}:
        token = token.head
    if token.dep_ in {"attr", "oprd"}:
        return token.head.pos_ in {"AUX", "VERB"}
    if token.dep_ == "appos":
        # "X: An Interview with Y" is a title and its subtitle, no apposition
        before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
        if before is not None and before.text in {":", "-", "–", "—"}:
            return False
        return token.head.pos_ in {"PROPN", "PRON", "NOUN"}
    if fronted_predicate_subject(token) is not None:
        return True  # "A keen rower, she ..."
    prep = token.head
    return (
        token.dep_ == "pobj"
        and prep.lower_ == "as"
        and prep.dep_ == "prep"
        # "X worked as a nurse", "his career as a lawyer"
        and prep.head.pos_ in {"VERB", "AUX", "NOUN"}
        and token.tag_ not in {"NNS", "NNPS"}
    )


def _ranked(head: Token) -> bool:
    """Tell a noun ranked by an ordinal or superlative ("the first woman")."""
    return any(
        c.dep_ == "amod" and (c.lower_ in _RANK_WORDS or c.tag_ == "JJS")
        for c in head.lefts
    )


def _infinitival(verb: Token) -> bool:
    """Tell a clause opened by "to" and a bare verb ("to win the cup")."""
    return verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" and c.i == verb.left_edge.i
        for c in verb.lefts
    )


def _closed_within(doc: Doc, start: int, end: int) -> bool:
    """Tell a bracket at ``start`` closed again before ``end``.

    A bracket the phrase's own subtree closes ("a son of Y (one of the
    founders of Z)") is an aside inside the noun phrase, and coreference
    corpora keep it in the phrase's extent.
    """
    closing = {"(": ")", "[": "]"}[doc[start].text]
    return any(doc[j].text == closing for j in range(start + 1, end))


def _predicate_span(doc: Doc, head: Token) -> Span | None:
    """Return the whole noun phrase of a predicate head, as coreference corpora mark it.

    The phrase runs over the head's subtree, less a conjoined phrase with a
    determiner or a name of its own ("a linguist and Professor of Y" is two
    phrases; "a singer, actress and director" one), and is cut at a line break.
    """
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        # a clause says more of it, and may name others; an infinitival one
        # after a ranking word ("the first woman to win X") is a restrictive
        # part of the phrase
        clause = child.dep_ in {"relcl", "acl"} and not (
            _infinitival(child) and _ranked(head)
        )
        if clause or (
            child.dep_ == "conj"
            and (
                child.pos_ == "PROPN"
                or any(c.dep_ in {"det", "poss"} for c in child.lefts)
            )
        ):
            cut = child.left_edge.i
            while cut > head.i + 1 and (
                doc[cut - 1].is_punct
                if clause
                else doc[cut - 1].dep_ in _PREDICATE_STOP_DEPS
            ):
                cut -= 1
            end = min(end, cut)
            break
    for i in range(head.i, end):
        if doc[i].text in {"(", "["} and i > head.i and not _closed_within(doc, i, end):
            end = i  # an open bracket runs past the phrase: cut before it
            break
        if doc[i].is_space or ("\n" in doc[i].whitespace_ and i < end - 1):
            end = i if doc[i].is_space else i + 1
            break
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_space or "\n" in doc[i].whitespace_:
            start = i + 1
            break
    if doc[start].text in {"(", "["}:
        # "[6] A keen rower": a citation mark closed before the phrase opens
        close = next(
            (j for j in range(start + 1, head.i) if doc[j].text in {")", "]"}), None
        )
        if close is not None:
            start = close + 1
    while start < head.i and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if doc[end - 1].is_punct and end - 1 > start:
        return None
    end = _shared_pp_end(doc, head, _verb_pp_end(doc, head, end))
    return doc[start : _bracket_end(doc, end)]


def _shared_pp_end(doc: Doc, head: Token, end: int) -> int:
    """Return the end of a last conjunct, taking in a phrase the parse gave the first.

    "a linguist and Professor of Y at the University of Z": the parse hangs
    "at the University" on "linguist", but a phrase after the last conjunct
    is read with it, and coreference corpora mark "Professor of Y at ...".
    """
    if head.dep_ != "conj" or end >= len(doc):
        return end
    prep = doc[end]
    if (
        prep.dep_ != "prep"
        or prep.head.i != head.head.i
        or prep.lower_ not in _PREDICATE_PREPS
        or any(t.is_space or "\n" in t.whitespace_ for t in prep.subtree)
        or not any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in prep.children)
    ):
        return end
    return prep.right_edge.i + 1


#: prepositions whose phrase, hung on a copula, still places its predicate noun
_PREDICATE_PREPS = frozenset({"at", "of", "for"})
_TIME_ENTS = frozenset({"DATE", "TIME", "CARDINAL"})


def _verb_pp_end(doc: Doc, head: Token, end: int) -> int:
    """Return the end of a predicate nominal with a place phrase hung on its verb.

    "She was head of the jury at the festival": the parse hangs "at the
    festival" on "was", but it says whose head she was, and coreference
    corpora mark "head of the jury at the festival". Only a phrase right
    after the noun phrase of a copula's attribute, naming its place or body
    ("a Christian at a young age" is when, not what), and no time.
    """
    if head.dep_ != "attr" or head.head.lemma_ not in _COPULAS or end >= len(doc):
        return end
    prep = doc[end]
    if (
        prep.head.i != head.head.i
        or prep.dep_ != "prep"
        or prep.lower_ not in _PREDICATE_PREPS
        or any(t.ent_type_ in _TIME_ENTS for t in prep.subtree)
        or not any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in prep.children)
        or any(t.is_space or "\n" in t.whitespace_ for t in prep.subtree)
    ):
        return end
    return prep.right_edge.i + 1


#: longest bracketed aside taken into a predicate phrase, in tokens
_MAX_ASIDE = 30


def _bracket_end(doc: Doc, end: int) -> int:
    """Return the end of a phrase, taking in a bracketed aside right after it.

    "X was a son of Y (one of the founders of Z)": the parse often hangs the
    bracket on the verb, but coreference corpora keep an aside that follows
    the phrase inside its extent. The bracket must close in the same
    sentence and line; a square bracket holds a citation, not an aside.
    """
    if end >= len(doc) or doc[end].text != "(":
        return end  # "[2]" is a citation, no part of the phrase
    closing = ")"
    sent_end = doc[end].sent.end
    for j in range(end + 1, min(sent_end, end + _MAX_ASIDE)):
        if doc[j].text in {"(", "["} or "\n" in doc[j].whitespace_ or doc[j].is_space:
            return end
        if doc[j].text == closing:
            return j + 1
    return end


#: indefinite articles: "a Y" of a group name is one member of the group
_INDEFINITES = frozenset({"a", "an"})


def _member_of_group(span: Span, head: Token, name_labels: dict[int, str]) -> bool:
    """Tell "a Christian", "an Anglican": one member of a group, said of a person.

    A group name (NORP) after an indefinite article as a copula's attribute
    ("He became a Christian") or in an "as" phrase ("confirmed as a
    Catholic") says what its subject is, as "a linguist" does;
    the group's name alone is another referent, the group.
    """
    return (
        (
            (head.dep_ == "attr" and head.head.lemma_ in _COPULAS)
            or (head.dep_ == "pobj" and head.head.lower_ == "as")
        )
        and span[0].lower_ in _INDEFINITES
        and all(name_labels.get(t.i) == "NORP" for t in span[1:])
    )


def _class_of_name(span: Span, head: Token, name_labels: dict[int, str]) -> bool:
    """Tell "County of Tarnby", a place's or body's name of the form "Class of Name".

    A capitalised class noun of places or bodies ("County", "City",
    "University") before "of" and a name is the first word of a name, though
    the tagger left it unlabelled: the phrase names, it does not describe.
    """
    doc = span.doc
    return (
        span[0].i == head.i
        and head.i in name_labels
        and head.is_title
        and nominal_class(head.lemma_.lower()) in {"GPE", "ORG"}
        and head.i + 2 < span.end
        and doc[head.i + 1].lower_ == "of"
        and all(t.i in name_labels for t in span[2:] if not t.is_punct)
    )


def _predicatives(
    doclike: DocLike, name_spans: set[tuple[int, int]], name_labels: dict[int, str]
) -> Iterator[tuple[Span, str]]:
    """Yield the whole phrases that say what another mention is.

    "X is a self-described member of Y", "X, the capital of Y,", "X served as
    President of Y": the phrase, with its modifiers and any names inside, is
    a mention of X (coreference corpora mark predicate nominals and
    appositives as mentions of their subject). A phrase that is just a name
    is that name's mention; a capitalised role the tagger left unlabelled
    ("President of Y") is not a name.
    """
    doc = doclike.doc
    name_tokens = set(name_labels)
    for i in token_indices(doclike, POS, [NOUN, PROPN]):
        head = doc[i]
        if not _predicate_head(head) or head.lemma_.lower() in _PARTITIVES:
            continue  # "X is part of Y" says where X belongs, not what it is
        span: Span | None
        if head.dep_ == "pobj":
            # "worked as a nurse in Leeds": a place or time may be the verb's,
            # but an "of" phrase is the noun's ("as professor of music")
            span = _nominal_span(doc, head.i, head.i + 1, head, name_tokens)
            of = next((c for c in head.rights if c.dep_ == "prep"), None)
            # "as a captain in the X Corps", "as a lecturer at Y College": the
            # body a role is held in is the role's, as a place may not be
            if (
                of is not None
                and (
                    of.lower_ == "of"
                    or (
                        of.lower_ in {"in", "at"}
                        and any(
                            c.dep_ == "pobj" and name_labels.get(c.i) == "ORG"
                            for c in of.children
                        )
                    )
                )
                and of.i == span.end
            ):
                end = of.right_edge.i + 1
                if not any(
                    t.is_punct or t.is_space or "\n" in t.whitespace_
                    for t in doc[span.end : end - 1]
                ):
                    span = doc[span.start : end]
        else:
            span = _predicate_span(doc, head)
        if span is None or len(span) < 2:
            continue
        first = span[1] if span[0].dep_ == "det" and len(span) > 1 else span[0]
        if _member_of_group(span, head, name_labels):
            yield span, "PERSON"
            continue
        if name_labels.get(first.i) and name_labels.get(head.i):
            continue  # "known as Y in Z", "the Y of Z": the name is the mention
        if _class_of_name(span, head, name_labels):
            continue
        inner = span[1:] if span[0].dep_ in {"det", "poss"} else span
        if (inner.start, inner.end) in name_spans or (
            span.start,
            span.end,
        ) in name_spans:
            continue
        yield span, nominal_class(head.lemma_)


def _nominals(
    doclike: DocLike,
    name_tokens: set[int],
    skip: frozenset[int] = frozenset(),
    name_heads: frozenset[str] = frozenset(),
) -> Iterator[tuple[Span, str]]:
    doc = doclike.doc
    done: set[int] = set(skip)
    for i in token_indices(doclike, POS, [NOUN]):
        token = doc[i]
        if (
            token.pos_ not in _NOMINAL_HEAD_POS
            or token.i in name_tokens
            or token.i in done
        ):
            continue
        start, end = _hyphen_group(token)
        done.update(range(start, end))
        head = _group_head(doc, start, end)
        if head.dep_ in {"compound", "npadvmod", "amod"} and head.head.pos_ in {
            "NOUN",
            "PROPN",
        }:
            label = _label_before_name(doc, start, end, head, name_tokens)
            if label is not None:
                yield label, _group_class(doc, start, end)
            continue
        span = _nominal_span(doc, start, end, head, name_tokens)
        cls = _group_class(doc, start, end)
        evidence = head.lemma_.lower() not in _PARTITIVES and (
            (head.dep_ in _APPOS_DEPS and head.head.i in name_tokens)
            or any(c.dep_ == "appos" and c.i in name_tokens for c in head.rights)
            or (
                head.dep_ in {"attr", "oprd"}
                and head.head.lemma_ in _COPULAS
                and any(
                    c.dep_ in {"nsubj", "nsubjpass"} and c.i in name_tokens
                    for c in head.head.children
                )
            )
        )
        if (
            cls
            or evidence
            or _names_head(head, name_heads)
            or _named_next(head, end, name_tokens)
        ):
            yield span, cls
        elif named_predicate(head, name_tokens) is not None:
            # "The project is called X ... the project": the noun names X again
            name_heads |= {head.lemma_.lower()}
            yield span, cls


#: entity types of a name that a class noun before it does not label
_UNLABELLED_TYPES = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL"})


def _labels_a_name(head: Token, end: int) -> bool:
    """Tell a lower-case singular noun right before a name that is no date."""
    return (
        head.is_lower
        and head.is_alpha
        and head.tag_ == "NN"
        and head.doc[end].ent_type_ not in _UNLABELLED_TYPES
    )


def _named_next(head: Token, end: int, name_tokens: set[int]) -> bool:
    """Tell "the fungus X": an article and noun the parse sets before its name."""
    if end not in name_tokens or not _labels_a_name(head, end):
        return False
    return any(c.dep_ == "det" for c in head.lefts) and any(
        c.dep_ in {"appos", "compound"} and c.left_edge.i == end and c.i in name_tokens
        for c in head.rights
    )


def _label_before_name(
    doc: Doc, start: int, end: int, head: Token, name_tokens: set[int]
) -> Span | None:
    """Return "the thriller" of "the thriller X": a class noun set before a name.

    "the thriller Flight of the Phoenix", "the fungus Beauveria bassiana":
    with an article of its own, the noun is an appositive that says what the
    named thing is, a mention of its own beside the name (a title without one,
    "Senator X", is part of the name). The parse makes the noun a modifier of
    the name, so it is read from the words: an article, perhaps adjectives,
    the noun, then the name at once.
    """
    if end >= len(doc) or end not in name_tokens or head.head.i not in name_tokens:
        return None
    if not _labels_a_name(head, end):
        return None
    first = start
    while first > 0 and doc[first - 1].pos_ == "ADJ" and doc[first - 1].is_lower:
        first -= 1
    if first == 0 or doc[first - 1].lower_ not in {"the", "a", "an"}:
        return None
    return doc[first - 1 : end]


#: verbs that give a thing its name in the passive ("is called X")
_NAMING_VERBS = frozenset({"call", "name", "title", "dub", "nickname", "rename"})


def named_predicate(head: Token, name_tokens: Iterable[int]) -> Token | None:
    """Return the name a definite subject is equated with ("His chief work is X").

    "The first inhabitants were the Moriori", "His chief work is X": a
    definite or possessed subject of "be" whose predicate is a name is that
    name under a description. An indefinite subject ("a man is X") is left
    alone.

    Examples
    --------
    >>> doc = nlp("Her chief work is Grey Harbour.")
    >>> named_predicate(doc[2], range(4, 6)).text
    'Harbour'
    """
    verb = head.head
    if head.dep_ == "nsubjpass" and verb.lemma_ in _NAMING_VERBS:
        deps = {"oprd", "attr", "xcomp"}  # "The project is called X"
    elif head.dep_ == "nsubj" and verb.lemma_ == "be":
        deps = {"attr"}
    else:
        return None
    if not any(
        (c.dep_ == "det" and c.lower_ in {"the", "this"}) or c.dep_ == "poss"
        for c in head.lefts
    ):
        return None
    if head.lemma_.lower() in {"name", "surname", "nickname"}:
        return None  # "My name is X": the name itself, not its bearer
    names = set(name_tokens)
    for c in verb.children:
        if (
            c.dep_ in deps
            and c.pos_ == "PROPN"
            and c.i in names
            and c.i > head.i
            and c.ent_type_ not in {"NORP", "LANGUAGE"}  # "Her mother was English"
            and not any(t.dep_ == "conj" for t in c.children)  # a list
            # "The entry points are X ...": a plural subject wants a plural name
            and (head.tag_ != "NNS" or c.tag_ == "NNPS" or c.lower_.endswith("s"))
        ):
            return c
    return None


#: class nouns that open a name ("Cyclone X", "Lake X", "Fort X")
_LEADING_CLASS_WORDS = frozenset(
    {"cyclone", "hurricane", "typhoon", "storm", "lake", "river", "fort", "mount",
     "cape", "port", "bay", "island", "operation", "project"}
)  # fmt: skip
#: determiners of a description that points back ("the square", "this mosque")
_ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those"})


def _name_heads(names: Iterable[tuple[Span, str]]) -> frozenset[str]:
    """Return the common nouns that end the document's names ("square", "airport").

    "Jahan Square", "the Tulsa International Airport", "the Chatham Islands":
    a capitalised last word that is also a common noun heads the name, so "the
    square", "the airport" and "the islands" can refer back to it.
    """
    out: set[str] = set()
    for span, label in names:
        last = span[-1]
        # a person's last word is a surname ("Tom Baker" is no baker), unless
        # the tagger took a place for a person ("Varda Square")
        placelike = nominal_class(last.lemma_) not in {"", "PERSON"}
        if (
            len(span) > 1
            and (last.is_title or last.lower_ in KIN_GROUP_NOUNS)  # "X family"
            and last.is_alpha
            and (label != "PERSON" or placelike)
        ):
            out.add(last.lower_)
        first = span[0]
        if len(span) > 1 and first.lower_ in _LEADING_CLASS_WORDS:
            out.add(first.lower_)  # "Cyclone Tarla ... the cyclone", "Lake X"
    return frozenset(out)


def _names_head(head: Token, name_heads: frozenset[str]) -> bool:
    """Whether a definite common noun repeats the head of a name ("the square").

    A possessive determiner makes it definite too ("X, a wiki site ... his
    site").
    """
    known = head.lower_ in name_heads or head.lemma_.lower() in name_heads
    return known and any(
        (c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS)
        or (c.dep_ == "poss" and c.tag_ == "PRP$")
        for c in head.lefts
    )


#: adjectives that rank their subject among others ("the first to land")
_RANK_WORDS = frozenset({"first", "last", "only", "next"})


def _ranked_predicates(doclike: DocLike) -> Iterator[tuple[Span, str]]:
    """Yield headless predicates that rank their subject: "the first to V".

    "She was the first to cross the strait", "He was the youngest to win":
    an ordinal or superlative after "the", with an infinitive saying in what,
    is a predicate nominal whose noun is understood (the first person to
    ...), and coreference corpora mark it as a mention of the subject.
    """
    doc = doclike.doc
    for token in doclike:
        if (
            token.pos_ != "ADJ"
            or not (token.lower_ in _RANK_WORDS or token.tag_ == "JJS")
            or token.dep_ != "attr"
            or token.head.lemma_ not in _COPULAS
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.lefts)
        ):
            continue
        verb = next(
            (c for c in token.rights if c.dep_ in {"relcl", "acl", "xcomp"}), None
        )
        if verb is None or not any(
            c.dep_ == "aux" and c.lower_ == "to" and c.i == verb.i - 1
            for c in verb.children
        ):
            continue
        start, end = token.left_edge.i, verb.right_edge.i + 1
        while end > verb.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if not any(t.is_space or "\n" in t.whitespace_ for t in doc[start : end - 1]):
            yield doc[start:end], ""


def _one_of(doclike: DocLike, name_tokens: set[int]) -> Iterator[tuple[Span, str]]:
    """Yield "one of the ..." phrases: one member of a class of entities.

    "York is one of the oldest cities in England": the phrase refers to one
    city, and takes the class of the plural noun after "of".
    """
    doc = doclike.doc
    hashes = [doc.vocab.strings.add("one")]
    for i in token_indices(doclike, LOWER, hashes):
        one = doc[i]
        if one.i in name_tokens or one.pos_ not in {"NUM", "PRON", "NOUN"}:
            continue
        of = next(
            (c for c in one.rights if c.dep_ == "prep" and c.lower_ == "of"), None
        )
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if pobj is None:
            continue
        named = pobj.i in name_tokens
        # the tagger often takes a plural name's last word for singular
        if pobj.tag_ not in {"NNS", "NNPS"} and not (named and pobj.lower_[-1:] == "s"):
            continue
        if named:
            # "X, one of the Great Lakes": a member of a group with a name, when
            # the phrase is said of another mention
            if one.dep_ not in {"appos", "attr"}:
                continue
            yield doc[one.i : pobj.right_edge.i + 1], ""
            continue
        lemma = pobj.lemma_.lower()
        # "one of the oldest mosques": a class of buildings and sites too
        cls = nominal_class(lemma) or ("FAC" if lemma in FACILITY_WORDS else "")
        if not cls:
            # "He was one of the first opponents of Y": said of its subject,
            # the phrase is a mention of it whatever its class
            predicate = _predicate_head(one) and one.dep_ in {"attr", "appos"}
            span = _predicate_span(doc, one) if predicate else None
            if span is not None and span.end > pobj.i:
                yield span, ""
            continue
        end = _nominal_span(doc, pobj.i, pobj.i + 1, pobj, name_tokens).end
        if _predicate_head(one) and one.dep_ in {"attr", "appos", "pobj"}:
            # "He was one of the founders of X linguistics": said of its
            # subject, the phrase runs over the whole predicate
            whole = _predicate_span(doc, one)
            if whole is not None and whole.end > end:
                end = whole.end
        yield doc[one.i : end], cls


#: adjectives that pick one of two things named before ("the latter")
ORDINAL_PICKS = frozenset({"former", "latter"})


def _former_latter(doclike: DocLike) -> Iterator[tuple[Span, str]]:
    """Yield "the former" and "the latter" used on their own, as noun phrases.

    "A and B (2011), the latter earning him a prize": the phrase points back
    to the first or the second of the two things just named. "The former
    mayor" is a modifier, no mention of its own.
    """
    doc = doclike.doc
    hashes = [doc.vocab.strings.add(w) for w in sorted(ORDINAL_PICKS)]
    for i in token_indices(doclike, LOWER, hashes):
        token = doc[i]
        if token.dep_ in {"amod", "compound"} or i == 0:
            continue
        det = doc[i - 1]
        if det.lower_ == "the" and det.head.i == i:
            yield doc[i - 1 : i + 1], ""


#: determiners a repeated concept name may take ("the Internet ... the internet")
_REPEAT_DETS = frozenset({"the"})


def _name_repeats(
    doclike: DocLike, names: Iterable[tuple[Span, str]], name_tokens: set[int]
) -> Iterator[tuple[Span, str]]:
    """Yield common-noun phrases that repeat a name of the text in another case.

    "Professor of Music ... his interests turned to music", "Hell ... the
    terrors of hell", "Geographic Information Systems ... geographic
    information systems": a concept the text once writes capitalised (a
    heading, a title, a field of study) is the same concept when written in
    lower case, so the bare noun phrase, or one with "the", is a mention of
    it. The phrase must be the whole noun phrase: a modifier or complement
    ("classical music", "the music of Bach") or a use as a modifier ("a music
    teacher") makes it another, narrower thing. Person names are left out: a
    surname that is also a common noun ("Baker", "baker") is no repeat.
    """
    doc = doclike.doc
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for span, label in names:
        inner = span[1:] if len(span) > 1 and span[0].dep_ == "det" else span
        words = tuple(t.lower_ for t in inner)
        if label == "PERSON" or not all(t.is_alpha for t in inner):
            continue
        if len("".join(words)) < 3:
            continue
        by_first.setdefault(words[0], set()).add(words)
    if not by_first:
        return
    start, end = doclike.start if isinstance(doclike, Span) else 0, _end_of(doclike)
    for i in range(start, end):
        token = doc[i]
        if token.i in name_tokens or token.lower_ not in by_first:
            continue
        for words in by_first[token.lower_]:
            stop = i + len(words)
            if stop > end or tuple(t.lower_ for t in doc[i:stop]) != words:
                continue
            if any(t.i in name_tokens for t in doc[i:stop]):
                continue
            span = doc[i:stop]
            root = span.root
            if root.pos_ not in {"NOUN", "PROPN"} or root.dep_ == "compound":
                continue
            outside = [c for t in span for c in t.children if not i <= c.i < stop]
            if any(
                not (c.dep_ == "det" and c.lower_ in _REPEAT_DETS and c.i == i - 1)
                and not c.is_punct
                and c.dep_ not in {"cc", "conj", "case"}  # "music and art", "'s"
                for c in outside
            ):
                continue
            if any(c.dep_ == "det" for c in outside):
                span = doc[i - 1 : stop]
            yield span, nominal_class(root.lemma_)


#: nouns of time, which date rather than describe the name after them
_TIME_NOUNS = frozenset({"century", "decade", "year", "month", "week", "day", "era"})
#: left dependents of a name that may open a description standing before it
_CLOSE_LEFT_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod", "nummod"})


def _close_appositives(
    doclike: DocLike, names: Iterable[tuple[Span, str]], name_tokens: set[int]
) -> Iterator[tuple[Span, str]]:
    """Yield the descriptions a name follows directly ("the novelist Ann Lee").

    In close apposition a common noun phrase and a name side by side, with no
    comma, are two mentions of one entity ("his co-star Ann Lee", "the
    thriller Dark Water"); the parse makes the noun a modifier of the name.
    The description runs from the phrase's determiner or possessor to the
    noun right before the name; a bare noun ("novelist Ann Lee") works as a
    title and stays part of the name, as coreference corpora mark it.
    """
    doc = doclike.doc
    for name, label in names:
        if name.start == 0 or label == "NORP":
            continue  # "a centuries-old Maya city": a people's name is a modifier
        end = name.start
        start = end - 1
        # a hyphenated noun ("co-star") the tagger may split into odd parts
        while (
            start >= 2
            and doc[start - 1].text in {"-", "–"}
            and not doc[start - 2].whitespace_
            and not doc[start - 1].whitespace_
        ):
            start -= 2
        last = doc[end - 1]
        if (
            any(i in name_tokens for i in range(start, end))
            or not any(t.pos_ == "NOUN" for t in doc[start:end])
            or last.tag_ in {"NNS", "NNPS"}
            or last.lemma_.lower() in _TIME_NOUNS  # "the 7th century BC": a date
            or "\n" in last.whitespace_
            or not last.whitespace_
        ):
            continue
        if last.pos_ == "ADJ" and (start == end - 1 or doc[start].tag_ != "NN"):
            continue  # "a centuries-old X", "well-known": an adjective, no noun
        root = name.root
        if not (
            name.start <= last.head.i < name.end or root.head.i in range(start, end)
        ):
            continue
        if not any(t.pos_ in {"VERB", "AUX"} for t in root.sent):
            continue  # "the A1 link York with Y": a verb taken for a noun
        owner = root if name.start <= last.head.i < name.end else last
        for child in owner.lefts:
            if child.dep_ in _CLOSE_LEFT_DEPS and child.i < start:
                start = min(start, child.left_edge.i)
        for token in doc[start:end]:
            start = min(start, token.left_edge.i)
        if any(
            doc[i].is_punct and doc[i].text not in {"-", "–"} for i in range(start, end)
        ):
            continue
        if doc[start].dep_ not in {"det", "poss"}:
            continue  # "novelist Ann Lee": a bare noun is part of the name
        yield doc[start:end], _group_class(doc, start, end)


def _clause_extended_names(
    doclike: DocLike, names: Iterable[tuple[Span, str]]
) -> Iterator[tuple[Span, str]]:
    """Yield a name with the non-restrictive clause after it ("X, which ...").

    "Scotland, which had become Calvinist": coreference corpora mark the
    whole noun phrase, clause and all, as one mention of the name's entity;
    the name alone stays a mention too, for matching names.
    """
    doc = doclike.doc
    for name, _label in names:
        root = name.root
        if not name.start <= root.i < name.end:
            continue
        clause = next(
            (
                c
                for c in root.rights
                if c.dep_ in {"relcl", "acl"}
                and c.left_edge.i == name.end + 1
                and doc[name.end].text == ","
            ),
            None,
        )
        if clause is None:
            continue
        end = clause.right_edge.i + 1
        for i in range(name.end, end):
            if doc[i].is_space or "\n" in doc[i].whitespace_:
                end = i if doc[i].is_space else i + 1
                break
        while end > name.end and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if end > name.end + 2:
            yield doc[name.start : end], ""


def extract_mentions(
    doclike: DocLike,
    *,
    labels: frozenset[str] = ENTITY_LABELS,
    pronouns: bool = True,
    nominals: bool = True,
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

    Yields
    ------
    Mention
        Names carry their NER label; nominals the coarse class of their head
        (``PERSON``, ``ORG``, ``GPE`` or ``""``); pronouns ``""``.

    Examples
    --------
    >>> doc = nlp("Ada Lovelace met Charles Babbage in London. She liked him.")
    >>> [m.text for m in extract_mentions(doc)]
    ['Ada Lovelace', 'Charles Babbage', 'London', 'She', 'him']
    >>> doc = nlp("The old lawyer met Ada Lovelace.")
    >>> [(m.text, m.kind) for m in extract_mentions(doc)]
    [('The old lawyer', 'nominal'), ('Ada Lovelace', 'name')]
    """
    starts = sentence_starts(doclike)
    names = _bracketed_names(doclike, _names(doclike, labels))
    names = _split_nationalities(_dangling_names(doclike, names))
    names = _grown_names(doclike, names)
    names = _placed_persons(_consistent_names(doclike, names))
    names += _bracketed_abbreviations(doclike, names)
    names += _recover_aliases(doclike, names)
    untagged = _untagged_names(doclike, names)
    names += untagged
    names += _state_codes(doclike, names)
    # the words the text writes in lower case: no sure names when capitalised
    written_lower = _lower_case_words(doclike)
    in_doc = (
        written_lower if isinstance(doclike, Doc) else _lower_case_words(doclike.doc)
    )
    sources = _name_like(doclike, untagged, written_lower)
    names += _recover_aliases(doclike, names, sources=sources)
    names = _coordinated_names(names)
    names += _nested_names(names, in_doc)
    names += _shared_openings(names, in_doc)
    names += _nested_concepts(doclike, names)
    names = _drop_headline_only(names)
    names = _work_titles(doclike, names)
    found: list[Mention] = []
    name_tokens: set[int] = set()
    for span, label in names:
        name_tokens.update(range(span.start, span.end))
        found.append(mention_of_span(span, label, sent_index=starts[span.sent.start]))
    if nominals:
        spans = {(span.start, span.end) for span, _label in names}
        name_labels = {t.i: label for span, label in names for t in span}
        predicates = list(_predicatives(doclike, spans, name_labels))
        heads = frozenset(span.root.i for span, _cls in predicates)
        # "X is a wiki site ... the site": a noun said of a name names it again
        said = frozenset(span.root.lemma_.lower() for span, _cls in predicates)
        phrases = [
            *predicates,
            *_nominals(doclike, name_tokens, heads, _name_heads(names) | said),
            *_one_of(doclike, name_tokens),
            *_ranked_predicates(doclike),
            *_former_latter(doclike),
        ]
        known = {(span.start, span.end) for span, _cls in phrases}
        phrases += (
            (span, cls)
            for span, cls in chain(
                _close_appositives(doclike, names, name_tokens),
                _clause_extended_names(doclike, names),
            )
            if (span.start, span.end) not in known
        )
        roots = {span.root.i for span, _cls in phrases}
        phrases += (
            (span, cls)
            for span, cls in _name_repeats(doclike, names, name_tokens)
            if span.root.i not in roots
        )
        for span, cls in phrases:
            found.append(
                mention_of_span(
                    span, cls, sent_index=starts[span.sent.start], kind="nominal"
                )
            )
    if pronouns:
        # "My Linguistic Autobiography": a title's word is no pronoun, unless
        # an owner's possessive before the title says whose "My" it is
        pronoun_tokens = (
            t
            for t in _pronouns(doclike)
            if t.i not in name_tokens or owned_title_pronoun(t)
        )
        for token in chain(_place_adverbs(doclike), pronoun_tokens):
            span = token.doc[token.i : token.i + 1]
            index = starts[token.sent.start]
            found.append(mention_of_span(span, "", sent_index=index, kind="pronoun"))
    yield from sorted(found, key=lambda m: (m.start_char, -m.end_char))
