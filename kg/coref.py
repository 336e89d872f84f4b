"""Coreference and entity resolution: group mentions into entities.

Resolvers come from a registry so a neural resolver can replace the built-in
rule-based one::

    @register_resolver("my.neural.v1")
    def make_resolver() -> Resolver: ...

Other packages plug in through the ``kg_resolvers`` entry-point group.
A resolver is a callable ``(doc, mentions) -> tuple[Entity, ...]``.

The default, ``kg.rules.v2``, reads the text once from left to right and
keeps a discourse model of the referents seen so far, each with its names,
gender, number, class and salience:

- a name joins the referent it is an alias of (full name, surname, given
  name, quoted nickname, hypocorism "Joe"/"Joseph", acronym "NASA" or
  "Name (ABBR)", an organisation's short form; titles, roles, post-nominal
  letters and possessives dropped); a bare surname two people share goes to
  the one in focus, and "Jr."/"Sr." keep a father and son apart;
- a third-person pronoun goes to the most salient referent that agrees with
  it in number and gender and is not excluded by binding (a non-reflexive
  pronoun is not a co-argument of its own verb, nor the phrase it sits in);
  salience weighs subjects over objects, recency, parallel roles and the
  subject of the pronoun's own clause (after Lappin and Leass, 1994); a
  pronoun in a fronted phrase points forward to the main subject ("During
  his career, X ..."); relative "who" goes to the noun it modifies and a
  reflexive to its subject; gender comes from titles, gendered nouns,
  earlier pronouns and a first-name lexicon (``gender-guesser``);
- a name given by a naming verb ("X, also known as Y", "self-identified as
  Y") or after a cue ("(now Y)", "or Y"), or a bracketed short form of a
  name's words ("X Telecommunications (X Telecom)") is another name of X; a
  title before "of" is a role, not a name ("King of Athens" is no Athens);
- a definite description ("the former zoo owner") goes to the compatible
  named referent last mentioned, preferring one it was already called
  (a title, appositive or predicate nominal: "X is a wiki site ... the
  site"), or whose name it heads ("X Airport ... the airport"); a place or
  body description with several fitting names near by is left alone;
  appositives and predicate nominals (whole noun phrases, "X is a
  self-described member of Y") join the name they describe and vote its
  class ("X is a city");
- locative "there" goes to the place just named;
- "I"/"me" and "you" inside a quotation go to its speaker and addressee,
  also when the speaker is named in the sentence before ('X wrote to Y.
  "I ..."') or in the previous quotation; in an interview, "I" in answers
  and "you" in questions are the interviewee (named by an "interview" verb,
  or before the first question of a Q&A layout), and "we" in answers the
  group the text says the interviewee leads or is in; any other "we/us/our"
  is the group of its voice, no entity and no antecedent;
- the class of an entity is a vote over its mentions' NER labels, pronouns
  (he/she), person nouns, titles, given names and title cues (a quoted name,
  a subtitle), so a surname tagged ORG once still makes one Person node; a
  name headed by a building noun ("X Hotel") or called a thing by its own
  phrase ("the magazine X", "Y's X") is no person.

Only referents with a proper name become entities: every mention linked to
them (names, descriptions, pronouns) is kept, and no pronoun or bare
description ever names a node. Referents only described or pronominalised
are used while resolving (they compete for pronouns) but are not returned.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import catalogue
from spacy.attrs import IS_QUOTE, LEMMA, POS
from spacy.symbols import NOUN
from spacy.tokens import Doc, Span, Token

from kg.errors import ConfigError
from kg.lexicon import load_words
from kg.mentions import (
    EVENT_NOUNS,
    FACILITY_WORDS,
    FEMALE_NOUNS,
    KIN_GROUP_NOUNS,
    MALE_NOUNS,
    ORDINAL_PICKS,
    PERSON_NOUNS,
    STATE_ABBREVIATIONS,
    WORK_NOUNS,
    fronted_predicate_subject,
    given_name_gender,
    name_words,
    named_predicate,
    nominal_class,
    owned_title_pronoun,
    sentence_starts,
    token_indices,
)
from kg.ontology import load_ontology
from kg.types import DocLike, Document, Entity, Mention

__all__ = [
    "DEFAULT_RESOLVER",
    "Resolver",
    "get_resolver",
    "merge_entities",
    "name_key",
    "register_resolver",
    "resolve_entities",
    "resolvers",
]


def _lexicon(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps lexicons readable)."""
    return text.split()


Resolver = Callable[[DocLike, Sequence[Mention]], tuple[Entity, ...]]
resolvers = catalogue.create("kg", "resolvers", entry_points=True)
ResolverFactory = Callable[[], Resolver]


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


DEFAULT_RESOLVER = "kg.rules.v2"

_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady",
     "president", "senator", "governor", "mayor", "judge", "rev", "st", "gen",
     "sen", "rep", "gov", "col", "capt", "lt", "sgt", "king", "queen", "prince",
     "princess", "pope", "saint", "father", "sister", "brother", "uncle", "aunt",
     "chancellor", "premier", "minister", "secretary", "justice", "officer",
     "detective", "coach", "professor", "doctor", "general", "colonel", "captain",
     "representative", "congressman", "congresswoman", "ambassador", "sheriff",
     "tsar", "czar", "tsarina", "emperor", "empress", "sultan", "shah", "pharaoh",
     "archbishop", "bishop", "cardinal", "major", "admiral", "marshal", "marquis",
     "marquess", "earl", "duke", "duchess", "baron", "baroness", "viscount", "count",
     "countess", "sergeant", "lieutenant", "commander", "chief", "dean", "rabbi",
     "imam", "pastor", "reverend", "mrs.", "mr.", "ms.", "dr."}
)  # fmt: skip
_FEMALE_TITLES = frozenset(
    {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "aunt",
     "madam", "madame", "congresswoman", "duchess", "countess"}
)  # fmt: skip
_MALE_TITLES = frozenset(
    {"mr", "sir", "lord", "king", "prince", "father", "brother", "uncle",
     "congressman", "duke", "count"}
)  # fmt: skip
#: Common English hypocorisms mapped to one canonical given name.
_HYPOCORISMS = {
    "joe": "joseph", "joey": "joseph", "jo": "josephine", "bob": "robert",
    "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
    "bill": "william", "billy": "william", "will": "william", "willie": "william",
    "liam": "william", "dick": "richard", "rick": "richard", "ricky": "richard",
    "rich": "richard", "jim": "james", "jimmy": "james", "jamie": "james",
    "mike": "michael", "mick": "michael", "mikey": "michael", "tom": "thomas",
    "tommy": "thomas", "tony": "anthony", "jack": "john", "johnny": "john",
    "chuck": "charles", "charlie": "charles", "ted": "edward", "ed": "edward",
    "eddie": "edward", "ned": "edward", "dave": "david", "davy": "david",
    "steve": "stephen", "stevie": "stephen", "andy": "andrew", "drew": "andrew",
    "matt": "matthew", "chris": "christopher", "nick": "nicholas", "pat": "patrick",
    "pete": "peter", "sam": "samuel", "ben": "benjamin", "dan": "daniel",
    "danny": "daniel", "don": "donald", "greg": "gregory", "jeff": "jeffrey",
    "jerry": "gerald", "larry": "lawrence", "len": "leonard", "ron": "ronald",
    "ronnie": "ronald", "fred": "frederick", "freddie": "frederick",
    "harry": "henry", "hank": "henry", "alex": "alexander", "al": "albert",
    "ken": "kenneth", "kenny": "kenneth", "phil": "philip", "ray": "raymond",
    "tim": "timothy", "vince": "vincent", "walt": "walter", "zach": "zachary",
    "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
    "lizzie": "elizabeth", "eliza": "elizabeth", "kate": "katherine",
    "katie": "katherine", "kathy": "katherine", "cathy": "katherine",
    "catherine": "katherine", "peggy": "margaret", "maggie": "margaret",
    "meg": "margaret", "sue": "susan", "susie": "susan", "jenny": "jennifer",
    "jen": "jennifer", "becky": "rebecca", "debbie": "deborah", "deb": "deborah",
    "patty": "patricia", "trish": "patricia", "sandy": "sandra", "vicky": "victoria",
    "abby": "abigail", "mandy": "amanda", "annie": "ann", "anne": "ann",
    "nancy": "ann", "molly": "mary", "polly": "mary", "judy": "judith",
    "kim": "kimberly", "cindy": "cynthia", "chrissy": "christine",
}  # fmt: skip
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_NOMINAL_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJ_DEPS = frozenset({"dobj", "attr", "oprd"})
_ARG_DEPS = _SUBJ_DEPS | _OBJ_DEPS | frozenset({"dative"})
_COPULAS = frozenset({"be", "become", "remain", "seem"})
# verbs of becoming whose "into"-phrase says what the subject came to be
_CHANGE_VERBS = frozenset({"evolve", "develop", "grow", "turn", "transform", "morph"})
#: nouns of a part played: its "as"-phrase names a character, not the player
_PLAYED_NOUNS = frozenset({"role", "part", "character", "portrayal", "cameo"})
#: verbs of a participle that tells a result ("..., enabling him to ...")
_RESULT_VERBS = frozenset(
    {"enable", "allow", "permit", "earn", "win", "cost", "gain", "prompt", "force"}
)
_SPEECH_VERBS = frozenset(
    _lexicon(
        """say tell write add continue ask reply answer explain state claim note insist
        declare announce tweet post argue admit recall remark respond warn urge shout
        whisper cry plead request beg add conclude comment testify confirm deny suggest
        joke quip recount describe"""
    )
)
_ADDRESS_VERBS = frozenset(
    {"tell", "write", "ask", "answer", "urge", "beg", "warn", "email", "text"}
)
_FIRST = frozenset({"i", "me", "my", "mine", "myself"})
_SECOND = frozenset({"you", "your", "yours", "yourself"})
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_GROUP_DEPS = frozenset({"compound", "poss", "amod", "nmod"})
#: Roles held in a group: an interviewee holding one speaks for it with "we".
_GROUP_ROLES = frozenset(
    {"founder", "cofounder", "co-founder", "member", "captain", "ceo", "chairman",
     "chairwoman", "chairperson", "director", "president", "spokesman",
     "spokeswoman", "spokesperson", "owner", "leader", "head", "manager",
     "coach", "editor", "executive", "chief", "player", "partner"}
)  # fmt: skip
_MASC = load_words("pronouns-masculine")
_FEM = load_words("pronouns-feminine")
_NEUT = frozenset({"it", "its", "itself"})
_PLUR = frozenset({"they", "them", "their", "theirs", "themselves"})
_REFLEXIVE = frozenset({"himself", "herself", "itself", "themselves"})
# forms that are only possessive: never an argument, whatever the parser says
_POSSESSIVE_FORMS = frozenset({"his", "its", "their", "my", "our", "your"})
_RELATIVE = frozenset({"who", "whom", "whose"})
_RELATIVE_THINGS = frozenset({"which", "that"})  # relative subjects, no mentions
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_PERSON_LABELS = frozenset({"PERSON"})
_GROUP_LABELS = frozenset({"ORG", "NORP"})
_PEOPLE_LABELS = frozenset({"NORP"})  # names of peoples: "they" without a plural form
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Sentences back that a pronoun / a description looks for an antecedent.
_PRONOUN_WINDOW = 3
#: words after a title that make it a role over a place ("King of Athens")
_PARTICLES_OF = frozenset({"of"})
_DESCRIPTION_WINDOW = 2
#: Sentences back a region noun looks for the region it stands for
_REGION_WINDOW = 4
#: Salience bonuses of a candidate antecedent (see ``best_antecedent``).
_W_PARALLEL = 35.0
_W_LOCAL = 150.0
_W_SAME_SENT = 20.0
_W_NAMED = 60.0
#: bonus of the nearest candidate in the pronoun's sentence (possessive / other)
_W_NEAREST = 300.0
_W_NEAREST_ARG = 150.0
#: penalty for a he/she antecedent not known as a person (and "it" for a person)
_W_NOT_PERSON = 60.0
#: penalty for a he/she antecedent whose gender only a lone-word guess contradicts
_W_WEAK_GENDER = 100.0
#: bonus of a people named in the plural for "they" ("the Palestinians ... they")
_W_PEOPLE = 60.0
#: bonus of a referent named in an adjunct fronted before a he/she subject
_W_FRONTED = 150.0
#: Salience kept per sentence of distance.
_DECAY = 0.5
#: Cost of reading "they" as an organisation or country (notional agreement).
_W_COLLECTIVE = 100.0
#: Salience of a subject mention over the base recency weight.
_W_SUBJECT = 130.0
#: Salience of a mention that heads its phrase (not a possessor, compound, ...).
_W_HEAD = 80.0
#: Place nouns for a settlement, never a country or a continent.
_SETTLEMENT_NOUNS = frozenset(
    _lexicon("city town village capital municipality suburb borough metropolis")
)
#: verbs that give a name: "also known as Y", "called Y", "renamed Y"
_NAMING_VERBS = frozenset(
    {"know", "call", "name", "nickname", "dub", "rename", "style", "title",
     "identify", "refer", "bill", "term", "christen", "label"}
)  # fmt: skip
#: classes of a common noun that names no person ("square", "company")
_PLACE_CLASSES = frozenset({"GPE", "ORG", "WORK_OF_ART", "EVENT"})
#: nouns for a name ("her pseudonym Y", "the stage name Y")
_NAME_NOUNS = frozenset(
    {"name", "pseudonym", "nickname", "alias", "moniker", "sobriquet", "pen-name"}
)
#: verbs done under a name ("wrote under the pen name Y")
_UNDER_NAME_VERBS = frozenset({"go", "write", "perform", "publish", "record", "work"})
_LARGE_PLACES = frozenset({"Country", "Continent"})
#: Place nouns an "of"-phrase names ("the town of X" is X); "the region of X"
#: is mostly a part of X.
_OF_NAMED_NOUNS = frozenset(
    _lexicon(
        """city town village municipality suburb borough island province county
        state"""
    )
)
#: Place nouns for a sovereign state: only a name the ontology knows as a country.
_COUNTRY_NOUNS = frozenset({"country", "nation"})
#: compass points that head the name of a region ("the Pacific Northwest")
_COMPASS_POINTS = frozenset(
    _lexicon(
        """north south east west northeast northwest southeast southwest midwest
        north-east north-west south-east south-west mid-west"""
    )
)
#: Nouns for a part of a country or of the world, no country itself
_REGION_NOUNS = frozenset({"region"})
#: dependents that leave a noun saying no more than its head ("the site's")
_BARE_NOUN_DEPS = frozenset({"det", "poss", "amod", "punct", "case"})
#: classes of nouns whose appositive name the parse may hang higher up
_LIFTED_CLASSES = frozenset({"PERSON", "WORK_OF_ART"})
#: the relations such a lifted appositive gets ("Y, Dawn, by X": npadvmod)
_LIFTED_DEPS = frozenset({"appos", "npadvmod"})
#: dependents that make a noun an argument of a verb or preposition
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
_NEE = frozenset({"née", "nee", "né"})
#: Nouns for a child in "the daughter of X and Y" (see ``_parent_phrase``).
_OFFSPRING_NOUNS = frozenset(
    _lexicon(
        """daughter son child grandson granddaughter stepson stepdaughter
        offspring heir heiress"""
    )
)
#: Nouns for a child or a parent and the gender they say: "X is a son of Y"
#: makes Y the one "his father" (X's) is, and X the one "Y's son" is.
_CHILD_NOUNS = {"son": "m", "daughter": "f", "child": None}
#: entity types of a word no child noun is apposed to ("born on 2 May, the son")
_NO_CHILD_TYPES = frozenset({"DATE", "TIME", "GPE"})
_PARENT_NOUNS = {
    "father": "m", "dad": "m", "mother": "f", "mom": "f", "mum": "f", "parent": None
}  # fmt: skip
#: Nouns for a spouse and their gender: "X married Y ... his wife" is Y.
_SPOUSE_NOUNS = {"wife": "f", "husband": "m", "spouse": None}
_MARRY_VERBS = frozenset({"marry", "wed"})
#: Words a bracket inside a full name may hold ("Ann (née Hale) Lloyd").
_BRACKET_WORDS = 3
_APPOSED_DEPS = frozenset({"appos", "compound", "flat"})
_FRONTED_DEPS = frozenset({"prep", "advcl", "advmod", "npadvmod"})
_LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "across", "throughout", "outside", "inside", "into"}
)
#: Verbs of motion: their goal or source ("went to X", "reach X") is a place.
_MOTION_VERBS = frozenset(
    _lexicon(
        "go come move travel return fly sail drive walk emigrate relocate arrive"
        " reach visit enter leave head settle"
    )
)
#: Prepositions whose object is a place, never a body ("in X"; "at X" may be either).
_PLACE_PREPS = frozenset({"in", "near", "across", "throughout", "outside", "inside"})
#: Words between "(" or "," and another name of what the text just named:
#: "Kristiania (now Oslo)", "X, also known as Y", "X (or Y)".
_ALIAS_CUES = (
    ("also", "known", "as"),
    ("better", "known", "as"),
    ("commonly", "known", "as"),
    ("otherwise", "known", "as"),
    ("popularly", "known", "as"),
    ("known", "as"),
    ("also", "called"),
    ("later", "called"),
    ("a.k.a.",),
    ("aka",),
    ("or", "simply"),
    ("or",),
    ("also",),
    ("formerly",),
    ("now",),
)
_QUOTE_CHARS = frozenset({'"', "“", "”", "``", "''"})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """Normalise a name for comparison: accents, case, punctuation, titles.

    Examples
    --------
    >>> name_key("President  Émile Zola's")
    'emile zola'
    >>> name_key('Joe "Ace" Smith-Jones')
    'joe ace smith-jones'
    >>> name_key("Jaws: The Revenge")
    'jaws'
    """
    words = name_words(text.split(":")[0] or text)
    while len(words) > 1 and words[0].rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


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
    >>> doc = nlp("Ada Lovelace met Charles Babbage. Lovelace wrote to Babbage.")
    >>> sorted(e.name for e in resolve_entities(doc, extract_mentions(doc)))
    ['Ada Lovelace', 'Charles Babbage']
    """
    return get_resolver(resolver)(doclike, tuple(mentions))


# --------------------------------------------------------------------------
# kg.rules.v1: names only (kept for comparison)
# --------------------------------------------------------------------------


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
                if any(_alias_match(key, k) for k in cluster_keys):
                    cluster.append(mention)
                    cluster_keys.add(key)
                    break
            else:
                clusters.append([mention])
                keys.append({key})
        return tuple(_entity_from(c) for c in clusters)

    return resolve


def _alias_match(short: str, long: str) -> bool:
    if short == long:
        return True
    short_words, long_words = short.split(), long.split()
    return (
        0 < len(short_words) < len(long_words)
        and long_words[-len(short_words) :] == short_words
    )


# --------------------------------------------------------------------------
# kg.rules.v2: one left-to-right pass with a discourse model
# --------------------------------------------------------------------------


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: an ordinal in Roman numerals after a name: a regnal number ("Louis XIV"),
#: a generation or a sequel ("World War II"); it tells the name's bearers apart
_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
_POST_NOMINAL = re.compile(
    r"(?<=\w)(,?\s+(?:(?!" + _ROMAN.pattern + r"\s*$)[A-Z]{2,5}|PhD))+\s*$"
)
#: Name particles that belong to the family name ("de Gaulle", "van Gogh").
_PARTICLES = frozenset(
    {"de", "da", "di", "du", "del", "della", "des", "van", "von", "der", "den",
     "ter", "la", "le", "al", "el", "bin", "ibn", "dos", "das", "y"}
)  # fmt: skip
_ACRONYM_SKIP = frozenset(
    {"of", "the", "and", "for", "de", "du", "la", "le", "in", "on", "at", "to"}
)


def _initials(words: Sequence[str]) -> str:
    """Return the initials of a name's significant words ("nasa")."""
    return "".join(w[0] for w in words if w not in _ACRONYM_SKIP and w[:1].isalpha())


def _is_acronym(text: str) -> bool:
    """Tell an all-capitals word of 2-8 letters, dots allowed ("NASA", "U.S.")."""
    letters = text.replace(".", "")
    return (
        2 <= len(letters) <= 8
        and letters.isalpha()
        and sum(c.isupper() for c in letters) >= 2
    )


_SHORT_FORM_MIN = 3  # a last word this long is a short name only after "the"
_DEFINITE_SHORT = "the "
_CORPORATE = frozenset(
    _lexicon(
        "inc corp corporation co ltd llc plc ag sa gmbh company group holdings records"
    )
)
#: Trade nouns closing a company's name that the company drops in running
#: text ("American Airlines" ... "American", "Ford Motors" ... "Ford").
_TRADE_NOUNS = frozenset(_lexicon("airlines airways motors railways"))
#: Last words a company's name may drop in running text (see _short_forms).
_COMPANY_SUFFIXES = _CORPORATE | _TRADE_NOUNS


def _short_forms(words: Sequence[str]) -> list[str]:
    """Return the short names of an organisation ("Spurs", "Johns Hopkins").

    The name without a generic head ("Johns Hopkins" of "Johns Hopkins
    University", "Apple" of "Apple Inc.") and a distinctive last word
    ("Spurs" of "San Antonio Spurs"); never for "X of Y" names. A last word
    of three letters is too short to stand alone, and is a short name only
    after "the" ("the Bee" of "The Sacramento Bee"): its form is keyed
    ``"the bee"``.

    Examples
    --------
    >>> _short_forms(["san", "antonio", "spurs"]), _short_forms(["sacramento", "bee"])
    (['spurs'], ['the bee'])
    """
    if len(words) < 2 or "of" in words:
        return []
    out = []
    last = words[-1]
    if last in _COMPANY_SUFFIXES or nominal_class(last) in {"ORG", "GPE"}:
        out.append(" ".join(words[:-1]))
    elif not nominal_class(last) and last not in FACILITY_WORDS:
        if len(last) > _SHORT_FORM_MIN:
            out.append(last)
        elif len(last) == _SHORT_FORM_MIN:
            out.append(f"{_DEFINITE_SHORT}{last}")
    return out


def _is_given(word: str) -> bool:
    return given_name_gender(word)[0] is not None


def _family_forms(words: Sequence[str]) -> list[str]:
    """Forms a personal name of three or more words may be shortened to.

    The tails after the first word that keep two or more words, and each
    inner word that is no particle: Spanish and Portuguese names carry two
    family names, Dutch and Italian ones particles.

    Examples
    --------
    >>> _family_forms(["guillermo", "david", "endara", "galimany"])
    ['david endara galimany', 'endara galimany', 'david', 'endara']
    >>> _family_forms(["ada", "de", "masi"])
    ['de masi']
    """
    tails = [" ".join(words[k:]) for k in range(1, len(words) - 1)]
    inner = [w for w in words[1:-1] if w not in _PARTICLES and len(w) > 1]
    return tails + inner


def _is_role_word(word: str) -> bool:
    """Tell a title or role noun ("minister", "maid") used as if a name."""
    return word in _HONORIFICS or word in PERSON_NOUNS


def _shortens(short: Sequence[str], full: Sequence[str]) -> bool:
    """Tell a short form made of the full name's words or their beginnings.

    >>> _shortens(["iowa", "telecom"], ["iowa", "telecommunications", "services"])
    True
    >>> _shortens(["iowa", "state"], ["iowa", "telecommunications", "services"])
    False
    """
    if len(short) >= len(full) or short[0] != full[0]:
        return False
    k = 0
    for word in full:
        if k < len(short) and word.startswith(short[k]) and len(short[k]) >= 2:
            k += 1
    return k == len(short)


def _role_headed(name: _Name) -> bool:
    """Tell a name headed by a role noun ("Mets Poet"): no given name, no surname.

    "Tom Baker" keeps its surname: its first word is a given name.
    """
    return (
        name.words[-1] in PERSON_NOUNS
        and given_name_gender(name.words[0])[1] < 2
        and not name.titles
    )


def _thing_named(span: Span) -> str:
    """Return the class a name's own phrase gives it, if no person's.

    "the journal X", "the film X" (a class noun apposed or compounded): that
    noun's class; "Anouilh's X" (a person's possessed name): a work.
    """
    head = span.root
    nouns = [head.head] if head.dep_ == "appos" else []
    nouns += [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    for noun in nouns:
        if noun.pos_ == "NOUN" and noun.i < span.start:
            cls = nominal_class(noun.lemma_)
            if cls and cls != "PERSON":
                return cls
    for child in head.lefts:
        if (
            child.dep_ == "poss"
            and child.ent_type_ == "PERSON"
            and child.i < span.start
        ):
            return "WORK_OF_ART"
    if (
        span[-1].lower_ in _COMPASS_POINTS
        and span[-1].is_title
        and span.start > 0
        and span.doc[span.start - 1].lower_ == "the"
        and not any(t.ent_type_ == "PERSON" for t in span)
    ):
        # "the American Southwest", "the Midwest": a compass point heading a
        # name with its article makes it a region, whatever the tagger said
        # (a surname takes no article: "Douglass North ... North")
        return "LOC"
    return "EVENT" if _names_an_event(span) else ""


def _names_an_event(span: Span) -> bool:
    """Tell a name an event noun heads or leads ("the Hale Games", "Cyclone Ida").

    The noun says what the name is, a storm, war or contest, however the tagger
    labelled it; a person's name that ends in such a word ("Ann Storm") starts
    with a given name, and a leading word before a place noun names a place
    ("Battle Creek").
    """
    words = [t for t in span if t.is_alpha]
    if len(words) < 2 or not all(t.is_title or t.is_upper for t in words):
        return False
    first, last = words[0], words[-1]
    if _is_given(first.text):
        return False
    if last.lower_ in EVENT_NOUNS:
        return True
    return first.lower_ in EVENT_NOUNS and not (
        nominal_class(last.lower_) or last.lower_ in FACILITY_WORDS
    )


def _names_a_place(name: _Name, titles: Sequence[str] = ()) -> bool:
    """Tell a name headed by a place or institution noun ("X Hotel", "Y Square").

    A title before the noun (read off the name, or ``titles`` the tagger left
    out of it) is still a word of the name: "Imam Mosque", "King Street" are
    no person titled "Imam" or "King".
    """
    words = len(name.words) + len(name.titles) + len(titles)
    last = name.words[-1] if words > 1 else ""
    return last in FACILITY_WORDS or nominal_class(last) in _PLACE_CLASSES


def _looks_like_person(name: _Name, label: str) -> bool:
    """Tell a mistagged personal name: a strong given name, then a surname.

    A four-word name qualifies when its second word is a given name too
    ("Given Middle Birthname Surname", common for married women).
    """
    if label in _PERSON_LABELS | {"GPE", "LOC"} or not 2 <= len(name.words) <= 4:
        return False
    last = name.words[-1]
    if last in FACILITY_WORDS or nominal_class(last):
        return False
    if len(name.words) == 4 and given_name_gender(name.words[1])[0] is None:
        return False
    gender, weight = given_name_gender(name.words[0])
    return gender is not None and weight == 2


def _surface_gender(span: Span, word: str) -> tuple[str | None, int]:
    """Return the lexicon's gender of a name word as the text spells it.

    The lexicon knows "François" but not the accent-free "francois".
    """
    for token in span:
        if name_words(token.text) == [word]:
            return given_name_gender(token.text)
    return given_name_gender(word)


def _names_role(text: str) -> bool:
    """Tell a capitalised role used as a name ("King of Y", "2nd Earl of Y")."""
    words = [w for w in _parse_name(text).words if not w[:1].isdigit()]
    return (
        bool(words)
        and _is_role_word(words[0])
        and (len(words) == 1 or words[1] == "of")
    )


def _role_led(text: str) -> bool:
    """Tell a rank or role before a surname ("Midshipman Hale"), or brackets."""
    words = _parse_name(text).words
    return "[" in text or (len(words) == 2 and nominal_class(words[0]) == "PERSON")


def _plain_name(text: str) -> str:
    """Drop an office or courtesy title before a full name ("President Ada Byrne").

    Titles that are part of how a person is called ("Queen Elizabeth", "Sir
    Ian") stay, and so does a title before a single name.

    Examples
    --------
    >>> _plain_name("Minister Ada Byrne"), _plain_name("Queen Ada")
    ('Ada Byrne', 'Queen Ada')
    >>> _plain_name("Dr. Byrne")
    'Dr. Byrne'
    """
    words = text.split()
    start = 0
    while start < len(words) - 2 and words[start].lower().rstrip(".") in _OFFICE_TITLES:
        start += 1
    return " ".join(words[start:]) if start else text


#: Titles of office and courtesy dropped from a node's label (see _plain_name).
_OFFICE_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "president", "senator",
     "governor", "mayor", "judge", "minister", "secretary", "chancellor", "premier",
     "rep", "sen", "gov", "gen", "col", "capt", "lt", "sgt", "officer", "detective",
     "coach", "professor", "doctor", "general", "colonel", "captain",
     "representative", "congressman", "congresswoman", "ambassador", "sheriff",
     "justice", "chief", "dean", "rabbi", "imam", "pastor", "reverend", "rev",
     "commander", "lieutenant", "sergeant", "major", "admiral", "marshal"}
)  # fmt: skip


#: Everyday names of a country besides its formal one ("America", "Holland",
#: "US" and "U.S.", whose key is "us": the pronoun is never a name mention).
_COUNTRY_NAMES = (
    ("united states", "usa", "us", "america"),
    ("netherlands", "holland"),
    ("soviet union", "ussr"),
    ("united arab emirates", "uae"),
)
#: name key -> the key shared by all the names of its country
_COUNTRY_KEYS = {
    key: f"country: {names[0]}" for names in _COUNTRY_NAMES for key in names
}


def _city_base(key: str) -> str | None:
    """Return the town name a "X Y City" name adds "City" to ("new york").

    A town is named with or without "City" ("New York City" ... "New York");
    a one-word base is left alone, since "Mexico City" or "Kansas City" is
    another place than the country or state it is named after.

    Examples
    --------
    >>> _city_base("new york city"), _city_base("mexico city")
    ('new york', None)
    """
    words = key.split()
    if len(words) > 2 and words[-1] == "city" and "of" not in words:
        return " ".join(words[:-1])
    return None


def _other_place_head(key: str, noun: str) -> bool:
    """Tell a name headed by a place noun other than ``noun`` ("main street").

    Examples
    --------
    >>> _other_place_head("main street", "city"), _other_place_head("dover", "city")
    (True, False)
    >>> _other_place_head("new york city", "city")
    False
    >>> _other_place_head("city of x", "town")  # the head before "of"
    False
    """
    last = key.split(" of ")[0].split()[-1]  # "city of festivals": "city"
    lemma = last[:-1] if last.endswith("s") and len(last) > 3 else last
    if noun in _SETTLEMENT_NOUNS and lemma in _SETTLEMENT_NOUNS:
        return False
    if lemma == noun:
        return False
    return lemma in FACILITY_WORDS or bool(load_ontology().classes_for_noun(lemma))


#: Shortest name key matched by its spelling skeleton alone.
_MIN_SPELLING = 6


def _spelling(key: str) -> str:
    """Reduce a name key to its spelling skeleton.

    Transliteration and loose spelling double letters ("Aalborg" for
    "Ålborg", "Vallmora" for "Valmora") and join or split compounds with a
    hyphen ("Port-Marin", "Port Marin"); the skeleton drops both.

    Examples
    --------
    >>> _spelling("vallmora"), _spelling("port-marin")
    ('valmora', 'port marin')
    """
    return " ".join(
        # a Roman numeral keeps its letters ("Frederick II" is no "Frederick I")
        word if _ROMAN.fullmatch(word.upper()) else re.sub(r"(\w)\1+", r"\1", word)
        for word in key.replace("-", " ").split()
    )


_VOWELS = frozenset("aeiouy")


def _vowel_variant(key: str, other: str) -> bool:
    """Tell two name keys that differ by one inner vowel of one long word.

    Transliterations and old spellings vary a vowel ("Vardolin" and
    "Vardelin") or write one more ("Tarlin", "Tairlin"); the consonants,
    the first and last letters and every other word stay.

    Examples
    --------
    >>> _vowel_variant("vardolin", "vardelin"), _vowel_variant("tarlin", "tairlin")
    (True, True)
    >>> _vowel_variant("tarlin", "marlin")
    False
    """
    words, others = key.split(), other.split()
    if len(words) != len(others):
        return False
    diff = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
    if len(diff) != 1:
        return False
    a, b = sorted(diff[0], key=len)
    if len(a) < _MIN_SPELLING - 1 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    if len(a) == len(b):
        changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(changed) == 1 and set(changed[0]) <= _VOWELS
    if len(b) != len(a) + 1:
        return False
    k = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return b[k] in _VOWELS and a[k:] == b[k + 1 :]


_SEASONS = frozenset({"summer", "winter", "spring", "autumn", "fall"})


def _edition_core(words: Sequence[str]) -> tuple[str, ...] | None:
    """Reduce the name of a year's edition of an event to its year and event.

    The season goes, and "-ic Games" becomes "-ics"; a name that opens
    with no year gives None.

    Examples
    --------
    >>> _edition_core(("2004", "summer", "olympic", "games"))
    ('2004', 'olympics')
    >>> _edition_core(("2004", "olympics")), _edition_core(("olympic", "games"))
    (('2004', 'olympics'), None)
    """
    if len(words) < 2 or not (len(words[0]) == 4 and words[0].isdigit()):
        return None
    rest = [w for w in words[1:] if w not in _SEASONS]
    if len(rest) > 1 and rest[-1] == "games" and rest[-2].endswith("ic"):
        rest = [*rest[:-2], rest[-2] + "s"]
    return (words[0], *rest) if rest else None


def _canon(word: str) -> str:
    return _HYPOCORISMS.get(word, word)


@dataclass(frozen=True, slots=True)
class _Name:
    """The parts of a proper name, normalised."""

    words: tuple[str, ...]
    titles: tuple[str, ...]
    nick: tuple[str, ...]
    suffix: tuple[str, ...] = ()
    #: the words before a territorial "of Y" was cut off (empty if none was):
    #: "Institute of Technology" keeps its acronym
    whole: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return " ".join(self.words + self.suffix)

    @property
    def given(self) -> str | None:
        if len(self.words) < 2 or self.words[0] in _PARTICLES:
            return None
        return _canon(self.words[0])

    @property
    def surname(self) -> str:
        if "of" in self.words[1:]:
            # "Theodorus of Tabennese", "King of Athens": the place is no surname
            return self.words[self.words.index("of", 1) - 1]
        return self.words[-1]


def _names_body(words: Sequence[str]) -> bool:
    """Tell name words headed by a body's or place's noun ("league baseball").

    A rank before such words is no title but a word of the name: "Major
    League Baseball", "General Hospital", "King Street" name no person.

    >>> _names_body(["league", "baseball"]), _names_body(["ada", "byrne"])
    (True, False)
    """
    return any(
        nominal_class(w) in {"ORG", "GPE", "EVENT"} or w in FACILITY_WORDS
        for w in words
    )


def _parse_name(text: str) -> _Name:
    if _is_acronym(text) and "." in text:
        return _Name((text.replace(".", "").casefold(),), (), ())
    nick = re.findall(r"[\"“”]([^\"“”]+)[\"“”]", text)
    nick_words = tuple(w for n in nick for w in name_words(n))
    # a subtitle ("Jaws: The Revenge") is no part of the name to match
    text = text.split(":")[0] or text
    # post-nominal letters ("Ada Byrne DBE", "PhD") and generational suffixes
    # go, but not after an acronym ("BBC HD" is no "BBC"); a Roman numeral
    # stays ("Louis XIV" is no "Louis XIII")
    bare = re.sub(_POST_NOMINAL, "", text)
    if not _is_acronym(bare.strip()):
        text = bare
    words = name_words(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]  # "The Killers" is "Killers" written with its article
    suffix: tuple[str, ...] = ()
    last = text.split()[-1] if text.split() else ""
    if len(words) >= 2 and (
        words[-1].rstrip(".") in _GENERATIONS or _ROMAN.fullmatch(last)
    ):
        suffix = (words.pop().rstrip("."),)
    titles: list[str] = []
    while (
        len(words) > 1
        and words[0].rstrip(".") in _HONORIFICS
        and words[1] not in _PARTICLES_OF
        and not _names_body(words[1:])
    ):
        # "King of Athens" is a role over Athens, not a king named Athens
        titles.append(words.pop(0).rstrip("."))
    # a role glued to a name ("Reviewer Jane Doe") when a given name follows
    while (
        len(words) > 2
        and words[0] in PERSON_NOUNS
        and given_name_gender(words[1])[1] == 2
    ):
        titles.append(words.pop(0))
    # a territorial designation ("X of Y") is no part of the family name
    whole: tuple[str, ...] = ()
    if "of" in words[2:]:
        whole = tuple(words)
        words = words[: words.index("of", 2)]
    if nick_words and len(words) > len(nick_words) + 1:
        rest = [w for w in words if w not in nick_words]
        words = rest or words
    return _Name(tuple(words), tuple(titles), nick_words, suffix, whole)


@dataclass(slots=True)
class _Ref:
    """A referent of the discourse model (mutable, internal)."""

    id: int
    kind: str  # "name", "nominal", "pronoun", "np"
    label_votes: Counter[str] = field(default_factory=Counter)
    gender_votes: Counter[str] = field(default_factory=Counter)
    # a lone word the first-name lexicon knows ("Reid"): maybe a surname
    weak_gender_votes: Counter[str] = field(default_factory=Counter)
    lexicon_words: set[str] = field(default_factory=set)  # counted for gender
    lexicon_votes: Counter[str] = field(default_factory=Counter)  # of gender_votes
    plural: bool = False
    person: bool | None = None
    keys: set[str] = field(default_factory=set)
    givens: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    nicks: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    name_words: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)
    history: list[tuple[int, int, float, str, bool]] = field(default_factory=list)
    last_sent: int = -1
    last_token: int = -1
    locative: bool = False
    suffixes: set[str] = field(default_factory=set)
    person_cues: int = 0  # given names, titles, he/she, person nouns
    initialism: bool = False  # named by capitals ("NASA"): no surname
    plural_form: bool = False  # a plural name ("the Chatham Islands", "Thais")
    neuter: int = 0  # "it"/"its" taken by a name: no person
    common: bool = False  # also written in lower case ("Marriage ... marriage")

    @property
    def named(self) -> bool:
        return bool(self.keys)

    @property
    def gender(self) -> str | None:
        """The referent's gender, from the text's own cues before the name lexicon's.

        Given names are male in one language and female in another ("Andrea"):
        once the pronouns, titles or kin nouns the text gives lean one way,
        the lexicon's guess yields to them.
        """
        said = self.gender_votes - self.lexicon_votes
        if said["m"] != said["f"] and self.lexicon_votes:
            return "m" if said["m"] > said["f"] else "f"
        votes = self.gender_votes + self.weak_gender_votes
        m, f = votes["m"], votes["f"]
        if m > f:
            return "m"
        if f > m:
            return "f"
        return None

    @property
    def weak_gender(self) -> bool:
        """Tell a gender known only from a lone word the name lexicon knows."""
        gender = self.gender
        other = "f" if gender == "m" else "m"
        said = self.gender_votes - self.lexicon_votes
        if said[gender or "m"] > said[other] and self.lexicon_votes:
            return False  # the text's own cues ("he") outweigh a name's guess
        return self.gender_votes[gender or "m"] <= self.gender_votes[other]

    @property
    def top_label(self) -> str:
        """The NER label most of the referent's mentions voted, or ""."""
        return self.label_votes.most_common(1)[0][0] if self.label_votes else ""

    @property
    def known_classes(self) -> frozenset[str]:
        """The classes the ontology lists the referent's names under ("Country")."""
        onto = load_ontology()
        return frozenset(
            cls for key in self.keys if (cls := onto.class_for_name(key)) is not None
        )

    def is_person(self) -> bool | None:
        if self.person is not None:
            return self.person
        if not self.label_votes:
            return None
        # a tie goes to PERSON: the small model tags surnames ORG or GPE
        top = self.label_votes.most_common(1)[0][1]
        return self.label_votes["PERSON"] >= top


def _parent_phrase(token: Token) -> Token | None:
    """Return the child noun (or "born") whose parent the token names, if any.

    "the daughter of X and Y", "a son of X", "born to X and his wife, Y": the
    phrase is about the child, and the parents are embedded in it (conjuncts
    and appositives too).
    """
    while token.dep_ in {"conj", "appos"} and token.head.i < token.i:
        token = token.head  # "X and his wife, Y"
    if token.dep_ != "pobj":
        return None
    prep, noun = token.head.lower_, token.head.head
    if noun.lemma_.lower() in _OFFSPRING_NOUNS and prep in {"of", "to"}:
        return noun
    if prep == "to" and noun.lower_ == "born":
        return noun
    return None


def _names_a_parent(token: Token) -> bool:
    """Tell a name given as a parent ("a son of X", "born to X"), no grandparent.

    >>> doc = nlp("Ann was a daughter of Tom Hale.")
    >>> _names_a_parent(doc[6]), _names_a_parent(doc[0])
    (True, False)
    """
    phrase = _parent_phrase(token)
    if phrase is None:
        return False
    return phrase.lower_ == "born" or phrase.lemma_.lower() in _CHILD_NOUNS


def _child_of(phrase: Token) -> Token | None:
    """Return who a child noun or "born" is said of ("X is the son of", "X, son of").

    The subject of "born" or of the copula the noun is predicated by, or the
    name the noun is apposed to.
    """
    if phrase.pos_ == "VERB":
        if phrase.dep_ == "acl" and phrase.head.i < phrase.i:
            return phrase.head
        subjects = _subjects_of(phrase)
        return subjects[0] if subjects else None
    while phrase.dep_ == "conj" and phrase.head.i < phrase.i:
        phrase = phrase.head
    if phrase.dep_ in {"attr", "oprd"} or (
        # "X was born in 1754, the son of Y": the noun phrase loosely added
        # to the clause is said of its subject
        phrase.dep_ == "npadvmod" and phrase.head.pos_ == "VERB"
    ):
        subjects = _subjects_of(phrase.head)
        return subjects[0] if subjects else None
    if phrase.dep_ == "appos":
        owner = phrase.head
        if owner.ent_type_ in _NO_CHILD_TYPES:
            # "X was born in Paris on 2 May 1754, the son of Y": the parse
            # hangs the child noun on the date or place closing the clause,
            # and no date or town is anyone's son; the clause's subject is
            while owner.dep_ not in {"ROOT", "conj"} and owner.pos_ not in {
                "VERB",
                "AUX",
            }:
                owner = owner.head
            subjects = _subjects_of(owner) if owner.pos_ in {"VERB", "AUX"} else []
            return subjects[0] if subjects else None
        return owner
    return None


def _role_weight(token: Token) -> tuple[float, str]:
    """Lappin–Leass style salience of a mention from its head's role."""
    dep = token.dep_
    weight = 100.0
    role = "other"
    if dep in _SUBJ_DEPS:
        weight += _W_SUBJECT
        role = "subj"
    elif dep in _OBJ_DEPS:
        weight += 50
        role = "obj"
    elif dep == "dative":
        weight += 40
        role = "obj"
    elif dep == "pobj":
        role = "pobj"
        weight += 20 if token.head.head.pos_ in {"VERB", "AUX"} else 0
    if dep not in {"pobj", "npadvmod", "appos"}:
        weight += 50
    if dep not in {"poss", "compound", "nmod", "pobj", "appos", "conj"}:
        weight += _W_HEAD
    return weight, role


def _in_fronted_adjunct(doc: Doc, at: int, pronoun: Token) -> bool:
    """Tell a mention inside an adjunct fronted before a he/she subject.

    A clause-initial adjunct set off by a comma ("In a ruling by Judge Ames,
    he wrote ...") introduces the topic that its clause goes on about: the
    subject pronoun right after it takes up the person it names, over one
    salient in the sentences before.
    """
    verb = pronoun.head
    if pronoun.dep_ not in _NOMINAL_SUBJ_DEPS or verb.pos_ not in {"VERB", "AUX"}:
        return False
    for child in verb.children:
        if child.i >= pronoun.i:
            break
        lo, hi = child.left_edge.i, child.right_edge.i
        if child.dep_ not in {"prep", "advcl", "npadvmod"} and not (
            child.dep_ == "ccomp" and any(t.dep_ == "prep" for t in doc[lo : lo + 3])
        ):
            continue  # (a clause led by a preposition is a misread adjunct)
        if not lo <= at <= hi or hi + 2 != pronoun.i or doc[hi + 1].text != ",":
            continue
        if lo == verb.sent.start or doc[lo - 1].dep_ in {"cc", "punct"}:
            return True
    return False


#: Nouns of quantity that agree with the plural they count ("a number of doctors are").
_QUANTITY_NOUNS = frozenset(
    {"number", "lot", "couple", "handful", "majority", "minority", "dozen",
     "plenty", "bunch", "host"}
)  # fmt: skip


def _quantity_of_plural(head: Token) -> bool:
    """Tell "a number of doctors", "a handful of firms": a plural, not an "it".

    A noun of quantity followed by "of" and a plural takes the plural's
    agreement ("a number of doctors set up X. ... it" is X).
    """
    return head.lower_ in _QUANTITY_NOUNS and any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(o.dep_ == "pobj" and o.tag_ in {"NNS", "NNPS"} for o in c.children)
        for c in head.children
    )


def _names_a_kind(head: Token) -> bool:
    """Tell a noun phrase with "such" ("such an organization", "such tools").

    It names a kind, not a thing of its own a pronoun can take up: in "X was
    set up. Such an organization is legal, but it misleads people", "it" is X.
    """
    return head.pos_ == "NOUN" and any(c.lower_ == "such" for c in head.children)


def _is_possessive(token: Token) -> bool:
    """Tell a possessive pronoun, also one the parser took for an argument.

    "X launched his own campaign" parsed with "his" as the object: the word
    is still a possessive, so binding does not keep it from X.
    """
    return token.dep_ == "poss" or token.lower_ in _POSSESSIVE_FORMS


def _emphatic_possessive(token: Token) -> bool:
    """Tell "his own", "their own": bound like a reflexive to the clause subject."""
    return (
        _is_possessive(token)
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].lower_ == "own"
    )


def _is_plural_name(span: Span, label: str) -> bool:
    """Tell a name in plural form: "the Chatham Islands", "Thais are ...".

    Its head ends in "s" and is tagged a plural proper noun or is the subject
    of a plural verb ("are", "were", "have"); a name the tagger took for a
    person's is plural only after "the" ("the Korvanis are"): a surname such
    as "Styles" is often tagged a plural noun, and a misparse gives it a
    plural verb.
    """
    head = span.root
    if not head.text.endswith("s") or head.text.isupper():
        return False
    doc = span.doc
    article = span.start > 0 and doc[span.start - 1].lower_ == "the"
    if label in _PERSON_LABELS and not article:
        return False  # one person's surname ("Styles"), whatever the verb says
    if head.tag_ == "NNPS" and label not in _PERSON_LABELS:
        return True
    if head.dep_ not in _NOMINAL_SUBJ_DEPS or head.head.i < head.i:
        return False
    verb = head.head
    finite = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}] or [verb]
    return finite[0].tag_ == "VBP" or finite[0].lower_ == "were"


def _bare_title(head: Token) -> bool:
    """Return whether a capitalised noun is a bare indefinite title ("a Dame").

    "She was made a Dame", "he was named a Knight": a title noun with only an
    indefinite article is a rank said of the subject, like "a member"; with
    an "of"-phrase ("a Fellow of the Royal Society") it may name a body.
    """
    children = list(head.children)
    return (
        head.tag_ == "NNP"
        and len(children) == 1
        and children[0].dep_ == "det"
        and children[0].lower_ in {"a", "an"}
    )


def _verb_of(token: Token) -> Token | None:
    """Return the verb whose argument ``token`` is (through a preposition too)."""
    head = token.head
    if token.dep_ in _ARG_DEPS and head.pos_ in {"VERB", "AUX"}:
        return head
    if (
        token.dep_ == "pobj"
        and head.dep_ in {"prep", "agent"}
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        return head.head
    return None


def _subjects_of(verb: Token) -> list[Token]:
    """Return the subjects of a verb, understood ones included.

    A conjoined or adverbial clause shares its head's subject; an infinitive
    complement takes its head's object if it has one ("X urged Y to leave":
    Y leaves), else its subject; a participle modifying a noun has that noun;
    a gerund after a preposition has the subject of the verb the phrase
    modifies ("X teased Y by copying her": X copies), but none for a means
    ("by") of a passive verb ("X was saved by amending it": the unsaid agent
    amends).
    """
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    hops = 0
    while not subjects and hops < 3:
        if verb.dep_ == "xcomp":
            objects = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
            if objects:
                return objects
        elif verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            return [verb.head]
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            verb = verb.head  # a gerund adjunct: the subject of the verb it modifies
            if verb.lower_ == "by" and any(
                c.dep_ == "nsubjpass" for c in verb.head.children
            ):
                # "X was saved by amending it": the means is the unsaid agent's
                # ("X was praised for helping Y": X helps)
                return []
        elif verb.dep_ not in {"conj", "advcl"}:
            break
        verb = verb.head
        hops += 1
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subjects


def _in_subordinate_clause(token: Token) -> bool:
    """Tell a token whose clause is subordinate ("..., when they left")."""
    node = token.head
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"}:
            return node.dep_ in {"advcl", "relcl", "ccomp"}
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _describes(doc: Doc, i: int) -> bool:
    """Tell a mention head that describes rather than refers (see best_antecedent)."""
    if i < 0:
        return False
    token = doc[i]
    return token.dep_ == "attr" or (
        token.dep_ in {"compound", "amod"}
        and (
            token.head.pos_ == "NOUN"
            # a name inside another's ("Rice University"), not a personal name
            or (token.head.pos_ == "PROPN" and token.head.ent_type_ != "PERSON")
        )
    )


def _result_participle(verb: Token) -> bool:
    """Tell a participle after a comma giving what a whole clause brought about.

    In "X had a gift, enabling him to work" the gift enables, not X: the
    participle's understood subject is no co-argument of its object.
    """
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "advcl"
        and verb.lemma_ in _RESULT_VERBS
        and verb.i > 0
        and verb.doc[verb.i - 1].text == ","
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
    )


def _co_arguments(verb: Token) -> list[Token]:
    out = [] if _result_participle(verb) else list(_subjects_of(verb))
    for child in verb.children:
        if child.dep_ in _OBJ_DEPS or child.dep_ == "dative":
            out.append(child)
        elif child.dep_ in {"prep", "agent"}:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _same_phrase(token: Token, other: int) -> bool:
    """Tell a head apposed to (or compounded with) the token ``other``."""
    if token.i == other:
        return True
    head = token.head
    if token.dep_ in _APPOSED_DEPS and head.i == other:
        return True
    return any(c.i == other and c.dep_ in _APPOSED_DEPS for c in token.children)


def _is_pleonastic(token: Token) -> bool:
    """Tell a non-referring ``it`` ("it is clear that ...")."""
    if token.lower_ != "it" or token.dep_ not in {"nsubj", "nsubjpass", "expl"}:
        return token.dep_ == "expl"
    verb = token.head
    return any(
        c.dep_ in {"ccomp", "xcomp", "csubj"} and c.i > token.i for c in verb.children
    ) and any(
        c.dep_ in {"acomp", "attr", "ccomp"} or c.lemma_ in {"take", "seem", "appear"}
        for c in (verb, *verb.children)
    )


@dataclass(slots=True)
class _Quote:
    start: int  # first token inside
    end: int  # one past the last token inside
    speaker: int | None = None  # token index
    addressee: int | None = None


def _closes(mark: Token) -> bool:
    """Tell a straight quote mark shaped as a closing one: ``girl," the``.

    Glued to a comma or full stop before it and followed by a space, it ends
    a quotation; with none open it is a stray mark, and opens nothing.
    """
    doc = mark.doc
    return (
        mark.text == '"'
        and mark.i > 0
        and not doc[mark.i - 1].whitespace_
        and doc[mark.i - 1].text in {",", ".", "!", "?"}
        and (bool(mark.whitespace_) or mark.i + 1 == len(doc))
    )


def _quotes(doc: Doc) -> list[_Quote]:
    """Double-quoted stretches, with the tokens of their speaker and addressee."""
    marks = [doc[i] for i in token_indices(doc, IS_QUOTE, [1])]
    marks = [t for t in marks if t.text in _QUOTE_CHARS]
    quotes: list[_Quote] = []
    open_at: int | None = None
    for mark in marks:
        if open_at is not None and any(
            "\n" in t.whitespace_ or "\n" in t.text for t in doc[open_at - 1 : mark.i]
        ):
            open_at = None  # a quotation left open does not run on past its paragraph
        opening = mark.text in {"“", "``"} or (mark.text == '"' and open_at is None)
        if mark.text in {"”", "''"} or _closes(mark):
            opening = False
        if opening and open_at is None:
            open_at = mark.i + 1
        elif not opening and open_at is not None:
            inner = doc[open_at : mark.i]
            nickname = (
                len(inner) <= 3
                and open_at >= 2
                and mark.i + 1 < len(doc)
                and doc[open_at - 2].pos_ == "PROPN"
                and doc[mark.i + 1].pos_ == "PROPN"
            )
            if not nickname:
                quotes.append(_Quote(open_at, mark.i))
            open_at = None
    previous: _Quote | None = None
    for quote in quotes:
        _attribute(doc, quote, previous)
        previous = quote
    return quotes


def _speech_verb(tokens: Iterable[Token], inside: range) -> Token | None:
    """Return the first reporting verb with a subject outside the quotation."""
    for token in tokens:
        if token.i in inside or token.pos_ not in {"VERB", "AUX"}:
            continue
        if token.lemma_.lower() in _SPEECH_VERBS and _subjects_of(token):
            return token
    return None


def _attribute(doc: Doc, quote: _Quote, previous: _Quote | None) -> None:
    inside = range(quote.start - 1, quote.end + 1)
    first_sent = doc[quote.start].sent if quote.start < len(doc) else doc[-1].sent
    last_sent = doc[max(quote.end - 1, quote.start)].sent
    # the reporting verb in the sentences the quote touches, before or after it
    region = [t for t in doc[first_sent.start : last_sent.end]]
    verb = _speech_verb(region, inside)
    if verb is None and first_sent.start > 0:
        prev_sent = doc[first_sent.start - 1].sent
        verb = _speech_verb(prev_sent, inside)
        if verb is not None and any(
            t.i in range(quote.start, quote.end) for t in prev_sent
        ):
            verb = None
    if verb is not None:
        quote.speaker = _subjects_of(verb)[0].i
        if (
            verb.lemma_.lower() in _ADDRESS_VERBS
            or verb.lemma_.lower() in _SPEECH_VERBS
        ):
            for child in verb.children:
                if (
                    child.dep_ in {"dative", "dobj"}
                    and child.pos_ in {"NOUN", "PROPN", "PRON"}
                    and child.i not in range(quote.start, quote.end)
                ):
                    quote.addressee = child.i
                    break
                if child.dep_ == "prep" and child.lower_ == "to":
                    pobj = [c for c in child.children if c.dep_ == "pobj"]
                    if pobj:
                        quote.addressee = pobj[0].i
                        break
    if quote.addressee is None:
        # "Ada, thank you": a vocative inside the quotation is its addressee
        vocatives = _vocatives(doc[quote.start : quote.end])
        if vocatives:
            quote.addressee = vocatives[0].root.i
    if previous is not None and quote.start - previous.end <= 40:
        if quote.speaker is None:
            quote.speaker, quote.addressee = previous.speaker, previous.addressee
        elif quote.addressee is None and previous.speaker is not None:
            quote.addressee = previous.addressee


#: Words a vocative may consist of besides names ("my Lords", "Your Honor").
_VOCATIVE_WORDS = _HONORIFICS | frozenset(
    {"my", "your", "lord", "lords", "lordship", "lordships", "ladyship", "honor",
     "honour", "sir", "madam", "ma'am", "counsel", "general"}
)  # fmt: skip
_PERSONAL_DETS = frozenset({"my", "your"})


def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the paragraphs (lines) of a document: its turns in a dialogue."""
    out: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            out.append((start, token.i + 1))
            start = token.i + 1
    out.append((start, len(doc)))
    return [(a, b) for a, b in out if any(not doc[i].is_space for i in range(a, b))]


def _is_title_address(span: Span) -> bool:
    """Tell a vocative made of a courtesy title and an office ("Mr. President").

    >>> _is_title_address(nlp("Mr. President")[:])
    True
    >>> _is_title_address(nlp("my Lords")[:])
    False
    """
    words = [t.lower_.rstrip(".") for t in span]
    return (
        len(words) == 2
        and words[0] in {"mr", "mrs", "ms", "madam", "madame"}
        and words[1] in _OFFICE_TITLES
    )


def _vocatives(span: Span) -> list[Span]:
    """Phrases that address someone ("Justice Ames, ...", "..., my Lord?").

    A vocative is set off by a comma from the rest of its sentence, is made
    of names and forms of address only, and is no argument of a verb.
    """
    chunks: list[tuple[list[Token], bool]] = []  # tokens, next to a comma
    current: list[Token] = []
    comma_before = False
    for token in span:
        if token.is_space:
            continue
        if token.is_punct or token.is_quote:
            if current:
                chunks.append((current, comma_before or token.text == ","))
            current = []
            comma_before = token.text == ","
        else:
            current.append(token)
    if current:
        chunks.append((current, comma_before))
    out: list[Span] = []
    for chunk, by_comma in chunks:
        if not by_comma or len(chunk) > 5:
            continue
        if not all(
            t.pos_ == "PROPN" or t.lower_.rstrip(".") in _VOCATIVE_WORDS for t in chunk
        ):
            continue
        if len(chunk) == 1 and chunk[0].lower_ in _PERSONAL_DETS:
            continue
        # "my Lords": only the phrase's own head may not be an argument
        inner = {t.i for t in chunk}
        if any(
            t.dep_ in _ARG_DEPS | {"pobj", "poss"} and t.head.i not in inner
            for t in chunk
        ):
            continue
        out.append(span.doc[chunk[0].i : chunk[-1].i + 1])
    return out


@dataclass(slots=True)
class _Model:
    """The discourse model built over one document."""

    doc: Doc
    mentions: Sequence[Mention]
    spans: list[Span | None]
    refs: list[_Ref] = field(default_factory=list)
    ref_of: dict[int, int] = field(default_factory=dict)  # mention index -> ref id
    by_key: dict[str, list[int]] = field(default_factory=dict)
    by_surname: dict[str, list[int]] = field(default_factory=dict)
    by_given: dict[str, list[int]] = field(default_factory=dict)
    by_nick: dict[str, list[int]] = field(default_factory=dict)
    active: dict[int, int] = field(default_factory=dict)  # ref id -> last sentence
    by_role: dict[str, list[int]] = field(default_factory=dict)  # roles and name words
    by_acronym: dict[str, list[int]] = field(default_factory=dict)
    by_short: dict[str, list[int]] = field(default_factory=dict)  # "the Spurs"
    # family-name forms of a long personal name: "de masi", "balboa boneke",
    # and inner words ("endara" of "Guillermo David Endara Galimany")
    by_family: dict[str, list[int]] = field(default_factory=dict)
    # names by their spelling skeleton ("vallmora" and "valmora", "port-marin"
    # and "port marin")
    by_spelling: dict[str, list[int]] = field(default_factory=dict)

    def new_ref(self, kind: str) -> _Ref:
        ref = _Ref(len(self.refs), kind)
        self.refs.append(ref)
        return ref

    def add(
        self,
        ref: _Ref,
        index: int | None,
        sent: int,
        token: Token | None,
        quoted: bool = False,
    ) -> None:
        if index is not None:
            self.ref_of[index] = ref.id
            ref.mentions.append(index)
        if token is not None:
            weight, role = _role_weight(token)
            if ref.history and _same_phrase(token, ref.history[-1][1]):
                # a name apposed to its description ("the painter, Ada Byrne")
                # is one mention event: keep the stronger role, count it once
                old = ref.history.pop()
                if old[2] > weight:
                    weight, role = old[2], old[3]
            ref.history.append((sent, token.i, weight, role, quoted))
            if len(ref.history) > 12:
                del ref.history[0]
            ref.last_token = max(ref.last_token, token.i)
        ref.last_sent = max(ref.last_sent, sent)
        self.active[ref.id] = ref.last_sent

    def salience(self, ref: _Ref, sent: int) -> float:
        return sum(h[2] * 0.5 ** (sent - h[0]) for h in ref.history if h[0] <= sent)

    def recent(self, sent: int, window: int) -> list[_Ref]:
        stale = [r for r, s in self.active.items() if s < sent - 6]
        for r in stale:
            del self.active[r]
        return [self.refs[r] for r, s in self.active.items() if s >= sent - window]

    def index_name(self, ref: _Ref, name: _Name, person: bool) -> None:
        ref.suffixes.update(name.suffix)
        if name.key and name.key not in ref.keys:
            ref.keys.add(name.key)
            self.by_key.setdefault(name.key, []).append(ref.id)
            canon = " ".join([_canon(name.words[0]), *name.words[1:], *name.suffix])
            if canon != name.key:
                self.by_key.setdefault(canon, []).append(ref.id)
            if len(name.words) == 1 and name.suffix:
                # "Carol" alone after "Carol II"
                self.by_key.setdefault(name.words[0], []).append(ref.id)
            spelling = _spelling(name.key)
            if ref.id not in self.by_spelling.get(spelling, ()):
                self.by_spelling.setdefault(spelling, []).append(ref.id)
            country = _COUNTRY_KEYS.get(name.key)
            if country is not None and not person:
                self.by_key.setdefault(country, []).append(ref.id)
            base = _city_base(name.key)
            if base is not None and not person:
                self.by_key.setdefault(base, []).append(ref.id)
        if len(name.words) > 1 and not person:
            words = name.whole or name.words
            for acronym in {_initials(words), "".join(w[0] for w in words)}:
                if len(acronym) > 1 and ref.id not in self.by_acronym.get(acronym, ()):
                    self.by_acronym.setdefault(acronym, []).append(ref.id)
        for word in name.words:
            if word not in ref.name_words:
                ref.name_words.add(word)
                self.by_role.setdefault(word, []).append(ref.id)
        if person and len(name.words) > 1 and not _role_headed(name):
            for table, value, bucket in (
                (self.by_surname, name.surname, ref.surnames),
                (self.by_given, name.given, ref.givens),
            ):
                if value is not None and value not in bucket:
                    bucket.add(value)
                    table.setdefault(value, []).append(ref.id)
        if person and len(name.words) > 2:
            for form in _family_forms(name.words):
                if ref.id not in self.by_family.get(form, ()):
                    self.by_family.setdefault(form, []).append(ref.id)
        if person:
            for word in name.nick:
                if word not in ref.nicks:
                    ref.nicks.add(word)
                    self.by_nick.setdefault(word, []).append(ref.id)
            if name.nick and len(name.words) > 1:
                form = " ".join([name.words[0], *name.nick])
                self.by_key.setdefault(form, []).append(ref.id)


def _token_spans(doc: Doc, mentions: Sequence[Mention]) -> list[Span | None]:
    return [
        doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        for m in mentions
    ]


def _content_words(span: Span) -> tuple[str, ...]:
    """Lower-case words of a phrase without its leading determiner."""
    if len(span) > 1 and span[0].dep_ == "det":
        span = span[1:]
    return tuple(t.lower_ for t in span)


def _head(span: Span) -> Token:
    return span.root


def _nominal_bounds(head: Token) -> Span:
    """Return the whole phrase a nominal head governs, for adjacency tests."""
    return head.doc[head.left_edge.i : head.i + 1]


class _RuleResolver:
    """kg.rules.v2 over one document (use :func:`make_rule_resolver_v2`)."""

    def __init__(self, doclike: DocLike, mentions: Sequence[Mention]) -> None:
        doc = doclike.doc
        order = sorted(
            range(len(mentions)),
            key=lambda i: (mentions[i].start_char, -mentions[i].end_char),
        )
        self.mentions = [mentions[i] for i in order]
        self.model = _Model(doc, self.mentions, _token_spans(doc, self.mentions))
        self.doc = doc
        self.starts = sentence_starts(doc)
        self.quotes = _quotes(doc)
        self.quote_of: dict[int, _Quote] = {}
        for quote in self.quotes:
            for i in range(quote.start, quote.end):
                self.quote_of[i] = quote
        # token -> the mentions containing it (names first)
        self.token_mentions: dict[int, list[int]] = {}
        for index, span in enumerate(self.model.spans):
            if span is None:
                continue
            if self.mentions[index].kind == "nominal" and span.root.pos_ == "PROPN":
                # "X, which they sent ...": the clause's words are not X
                span = span[: span.root.i - span.start + 1]
            for token in span:
                self.token_mentions.setdefault(token.i, []).append(index)
        # "Ada Byrne, who wrote it": a name's phrase with its relative clause,
        # whose head is the name's (a pronoun in the clause may be the name's)
        self.described = {
            index
            for index, span in enumerate(self.model.spans)
            if span is not None
            and self.mentions[index].kind == "nominal"
            and any(
                self.mentions[other].kind == "name" and other != index
                for other in self.token_mentions.get(_head(span).i, ())
            )
        }
        self.head_mention: dict[int, int] = {}
        for index, span in enumerate(self.model.spans):
            if span is not None and index not in self.described:
                self.head_mention.setdefault(_head(span).i, index)
        self.pending: dict[int, list[int]] = {}
        self.pending_of: dict[int, int] = {}  # nominal -> the later name it waits for
        self.parents: dict[int, list[int]] = {}  # child ref -> refs named its parents
        self.spouses: dict[int, list[int]] = {}  # ref -> refs it is said to marry
        self.turns = _paragraphs(doc)
        self.turn_starts = [start for start, _end in self.turns]
        self.turn_sents: list[list[Span]] = [[] for _ in self.turns]
        for sent in doc.sents:
            k = max(bisect.bisect_right(self.turn_starts, sent.start) - 1, 0)
            while k < len(self.turns) and self.turns[k][0] < sent.end:
                start, end = self.turns[k]
                piece = doc[max(start, sent.start) : min(end, sent.end)]
                if end > sent.start and piece.text.strip():
                    self.turn_sents[k].append(piece)
                k += 1
        self.turn_cache: dict[int, tuple[list[Span], bool]] = {}
        self.interviewee = self.find_interviewee() or self.find_questioned()
        self.floors = self.find_floors()
        self.pending_pronouns: dict[int, list[int]] = {}
        self.we_refs: dict[int, _Ref] = {}  # voice -> its "we"
        self.groups: dict[int, _Ref | None] = {}  # interviewee -> their group
        # refs named on their own, not only inside a longer name
        self.standalone: set[int] = set()
        # a name's words in lower case -> its first mention ("Music" -> music)
        self.name_token_set = {
            t.i
            for index, span in enumerate(self.model.spans)
            if span is not None and self.mentions[index].kind == "name"
            for t in span
        }
        self.name_words: dict[tuple[str, ...], int] = {}
        # the first and last words of longer names ("Socotra Island")
        self.name_ends: set[str] = set()
        for index, span in enumerate(self.model.spans):
            if span is not None and self.mentions[index].kind == "name":
                words = _content_words(span)
                self.name_words.setdefault(words, index)
                if len(words) > 1:
                    self.name_ends.update((words[0], words[-1]))

    # -- helpers -----------------------------------------------------------

    def mention_at(self, token_i: int) -> int | None:
        """Return the mention headed by the token, else the smallest holding it."""
        if token_i in self.head_mention:
            return self.head_mention[token_i]
        found = self.token_mentions.get(token_i)
        if not found:
            return None
        return min(
            found, key=lambda i: self.mentions[i].end_char - self.mentions[i].start_char
        )

    def used_as_place(self, span: Span, label: str) -> bool:
        """Tell a place-tagged name used as a place: "in X", "X, Ontario"."""
        if label not in _PLACE_LABELS:
            return False
        head = _head(span)
        if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE_PREPS | {"to", "from"}:
            return True
        doc = self.doc
        after = span.end
        if after + 1 < len(doc) and doc[after].text == ",":
            other = self.mention_at(after + 1)
            return other is not None and self.mentions[other].label in _PLACE_LABELS
        return False

    def person_name_at(self, token_i: int) -> bool:
        """Tell a token of a person's name (a name mention tagged PERSON)."""
        index = self.mention_at(token_i)
        return (
            index is not None
            and self.mentions[index].kind == "name"
            and self.mentions[index].label in _PERSON_LABELS
        )

    def ref_at(self, token_i: int) -> _Ref | None:
        index = self.mention_at(token_i)
        if index is None or index not in self.model.ref_of:
            return None
        return self.model.refs[self.model.ref_of[index]]

    def sent_of(self, index: int) -> int:
        return self.mentions[index].sent_index

    # -- the pass ----------------------------------------------------------

    def run(self) -> tuple[Entity, ...]:
        deferred: list[int] = []
        events: list[tuple[int, int, int]] = [
            (m.start_char, 0, i) for i, m in enumerate(self.mentions)
        ]
        events += [(self.doc[t].idx, 1, t) for t in self.competitor_nouns()]
        events.sort()
        for _pos, is_np, index in events:
            if is_np:
                self.add_competitor(self.doc[index])
                continue
            mention = self.mentions[index]
            span = self.model.spans[index]
            if span is None or index in self.model.ref_of:
                continue
            if mention.kind == "name":
                self.resolve_name(index, span)
            elif mention.kind == "nominal":
                self.resolve_nominal(index, span)
            elif owned_title_pronoun(span.root):
                self.resolve_title_pronoun(index, span.root)
            elif span.root.lower_ in _FIRST | _SECOND:
                if not self.resolve_speech_pronoun(index):
                    deferred.append(index)
            elif span.root.lower_ in _FIRST_PLURAL:
                self.resolve_we(index, span.root)
            else:
                self.resolve_pronoun(index, span)
        for index in deferred:
            self.resolve_speech_pronoun(index)
        return self.entities()

    def competitor_nouns(self) -> list[int]:
        """Heads of common-noun phrases that are no mention: rivals for "it"/"they"."""
        out: list[int] = []
        for i in token_indices(self.doc, POS, [NOUN]):
            token = self.doc[i]
            if (
                token.pos_ == "NOUN"
                and token.dep_ in _ARG_DEPS | {"pobj"}
                and token.i not in self.token_mentions
            ):
                out.append(token.i)
        return out

    def add_competitor(self, token: Token) -> None:
        sent = self.starts[token.sent.start]
        ref = self.model.new_ref("np")
        ref.plural = token.tag_ in {"NNS", "NNPS"} or _quantity_of_plural(token)
        ref.person = False
        self.model.add(ref, None, sent, token, token.i in self.quote_of)

    # names ----------------------------------------------------------------

    def resolve_name(self, index: int, span: Span) -> None:
        mention = self.mentions[index]
        name = _parse_name(mention.text)
        if not name.key:
            return
        titles = self.titles_before(span)
        mistagged = False
        # "Socotra Hotel", "Varda Square": a place or body the tagger took
        # for a person, by the common noun that heads the name
        built = _names_a_place(name, titles)
        # "the journal X", "the film X", "Y's X": a name its noun or its
        # possessor says is a thing, whatever a first-name lexicon thinks
        thing = _thing_named(span)
        state = self.abbreviated_state(span)
        if state is not None:
            thing = "GPE"  # "Cal." is no given name after "Fresno,"
        person = (
            not built
            and not thing
            and (
                mention.label in _PERSON_LABELS
                or bool(name.nick)
                or bool(titles)
                or (mistagged := _looks_like_person(name, mention.label))
            )
        )
        sent = mention.sent_index
        model = self.model
        defined = self.defined_acronym(span, mention.text)
        if defined is None and person:
            defined = self.birth_name_of(span)
        resumed = None
        if defined is None:
            # the surname closing a name a bracket interrupted, however tagged
            defined = resumed = self.resumed_name_of(span)
        if defined is None and not person:
            defined = self.classed_name(span, name)
        if defined is None:
            defined = (
                self.short_name_inside(span, mention.label)
                or self.alias_of(span)
                or self.introduced_alias(span)
                or self.translated_name(span)
                or state
                or self.role_apposed(span)
                or self.bracketed_alias(span)
            )
        candidates = (
            [defined]
            if defined is not None
            else self.name_candidates(
                name,
                person,
                mention.text,
                place=self.used_as_place(span, mention.label),
            )
        )
        child = self.child_named_with(span)
        if child is not None:
            # a parent is never the child "X, son of X Sr." is said of
            candidates = [r for r in candidates if r.id != child.id]
        if not candidates and len(name.words) == 1 and mention.label == "NORP":
            # "Irishmen", "Frenchman": people of the nationality named before
            word = name.words[0]
            stem = word[:-3] if word.endswith(("men", "man")) else ""
            if len(stem) > 3:
                candidates = [
                    model.refs[r]
                    for r in model.by_key.get(stem, ())
                    if model.refs[r].label_votes["NORP"]
                ]
        if candidates and len(name.words) == 1 and self.listed_with_bodies(span):
            # "Delta, United and American": a word listed among bodies is the
            # company it names less its suffix ("American Airlines"), not the
            # place or people the same word names elsewhere
            corporate = self.corporate_short(name.key)
            if corporate:
                candidates = corporate
        body = mention.label in {"ORG", ""}
        if not candidates and (body or len(name.words) == 1):
            # a body's short name ("the Spurs"); a lone word, however tagged, is
            # the company it names less a corporate suffix ("Taito Corporation
            # ... Taito"), and only that
            keys = [name.key]
            if span.start > 0 and self.doc[span.start - 1].lower_ == "the":
                keys.append(f"{_DEFINITE_SHORT}{name.key}")
            shorts = [model.refs[r] for k in keys for r in model.by_short.get(k, ())]
            corporate = self.corporate_short(name.key)
            candidates = (corporate if len(name.words) == 1 else []) or (
                shorts if body else []
            )
        if (
            not candidates
            and not person
            and len(name.words) > 1
            and name.words[-1] in _CORPORATE
        ):
            # "Apple ... Apple Inc.": the short name came first
            short = " ".join(name.words[:-1])
            candidates = [
                model.refs[r]
                for r in model.by_key.get(short, ())
                if not model.refs[r].is_person()
            ]
        if not candidates and len(name.words) == 1:
            candidates = self.common_noun_name(span, name.words[0])
        if not candidates and len(name.words) == 1 and _is_role_word(name.words[0]):
            # a capitalised role alone ("the Minister", "Maid") names nobody new
            ref = model.new_ref("nominal")
            ref.person = True
            self.add_role(ref, name.words[0])
            model.add(ref, index, sent, _head(span))
            return
        nested = self.inside_longer_name(span)
        if (
            not nested
            and mention.label not in _PERSON_LABELS | _PEOPLE_LABELS
            and not _is_acronym(mention.text)
            and not any(r.id in self.standalone or r.is_person() for r in candidates)
            and not self.named_as_place(span)
        ):
            # "University of Turku ... at Turku": the town read so far only
            # inside the body's name stands for the body
            named_by = self.body_named_by_part(name)
            if named_by is not None:
                candidates = [named_by]
        if len(candidates) > 1:
            ref = max(candidates, key=lambda r: (model.salience(r, sent), r.last_token))
        elif candidates:
            ref = candidates[0]
        else:
            ref = model.new_ref("name")
        if not nested:
            self.standalone.add(ref.id)
        person = person or bool(ref.is_person())
        model.index_name(ref, name, person)
        if mention.label == "ORG" and not person:
            for alias in _short_forms(name.words):
                if ref.id not in model.by_short.get(alias, ()):
                    model.by_short.setdefault(alias, []).append(ref.id)
        # full names are tagged more reliably than a lone word
        full = len(name.words) > 1 and (
            mention.label != "PERSON"
            or _surface_gender(span, name.words[0])[0] is not None
        )
        if built and mention.label in _PERSON_LABELS:
            ref.label_votes["FAC"] += 2
        elif thing:
            ref.label_votes[thing] += 3
        elif mention.label:
            ref.label_votes[mention.label] += 2 if full else 1
        if mistagged:
            ref.label_votes["PERSON"] += 3
        if self.quoted_title(span):
            ref.label_votes["WORK_OF_ART"] += 3
        if self.subtitled(span):
            ref.label_votes["WORK_OF_ART"] += 2
        if (
            len(name.words) == 1
            and not titles
            and not thing
            and not (name.words[0] in ref.surnames and ref.givens)
        ):
            # a lone word is a given name, unless it is the surname of a full
            # name already read ("Ann Allen ... Allen" says nothing of gender)
            gender, weight = _surface_gender(span, name.words[0])
            if (
                gender
                and span[0].pos_ == "PROPN"
                and mention.label not in _PLACE_LABELS
                and not mention.text.isupper()
            ):
                ref.label_votes["PERSON"] += weight
                ref.person_cues += 1
                if name.words[0] not in ref.lexicon_words:
                    # the lexicon's guess counts once per word, not per mention
                    ref.lexicon_words.add(name.words[0])
                    ref.weak_gender_votes[gender] += weight
        for title in () if built else (*name.titles, *titles):
            self.add_role(ref, title)
            ref.label_votes["PERSON"] += 2
            ref.person_cues += 1
            if title in _FEMALE_TITLES or title in FEMALE_NOUNS:
                ref.gender_votes["f"] += 3
            elif title in _MALE_TITLES or title in MALE_NOUNS:
                ref.gender_votes["m"] += 3
        if person and len(name.words) > 1:
            gender, weight = _surface_gender(span, name.words[0])
            if gender:
                ref.person_cues += 1
                if name.words[0] not in ref.lexicon_words:
                    ref.lexicon_words.add(name.words[0])
                    ref.gender_votes[gender] += weight
                    ref.lexicon_votes[gender] += weight
        head = _head(span)
        if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE_PREPS:
            ref.locative = True
        if len(span) == 1 and _is_acronym(span.text) and span.text.isupper():
            ref.initialism = True
        if _is_plural_name(span, mention.label):
            ref.plural_form = True
        # a resumed name is one mention with its start: it adds no salience
        model.add(ref, index, sent, head if resumed is None else None)
        if child is not None and child.id != ref.id and _names_a_parent(head):
            known = self.parents.setdefault(child.id, [])
            if ref.id not in known:
                known.append(ref.id)
        spouse = self.spouse_named_with(head)
        if spouse is not None and spouse.id != ref.id:
            for one, other in ((spouse, ref), (ref, spouse)):
                known = self.spouses.setdefault(one.id, [])
                if other.id not in known:
                    known.append(other.id)
        for waiting in self.pending.pop(index, []):
            self.attach_nominal(ref, waiting)
        for waiting in self.pending_pronouns.pop(index, []):
            pronoun = self.model.spans[waiting]
            if pronoun is not None and self.agrees(ref, pronoun.root.lower_):
                word = pronoun.root.lower_
                if word in _NEUT:
                    ref.neuter += 1
                else:
                    ref.gender_votes["m" if word in _MASC else "f"] += 1
                model.add(ref, waiting, self.mentions[waiting].sent_index, pronoun.root)
            elif pronoun is not None:
                self.resolve_pronoun(waiting, pronoun, cataphora=False)

    def corporate_short(self, key: str) -> list[_Ref]:
        """Return the companies ``key`` names less a corporate suffix ("Taito")."""
        model = self.model
        return [
            model.refs[r]
            for r in model.by_short.get(key, ())
            if any(k.split()[-1] in _COMPANY_SUFFIXES for k in model.refs[r].keys)
        ]

    def listed_with_bodies(self, span: Span) -> bool:
        """Tell a name coordinated with an organisation's name ("Delta, X and Y")."""
        for other in _head(span).conjuncts:
            index = self.mention_at(other.i)
            if (
                index is not None
                and self.mentions[index].kind == "name"
                and self.mentions[index].label == "ORG"
            ):
                return True
        return False

    def name_candidates(
        self, name: _Name, person: bool, text: str, *, place: bool = False
    ) -> list[_Ref]:
        model = self.model
        refs = model.refs
        found: dict[int, _Ref] = {}
        canon_key = " ".join([_canon(name.words[0]), *name.words[1:], *name.suffix])
        keys = {name.key, canon_key}
        if not person and name.key in _COUNTRY_KEYS:
            keys.add(_COUNTRY_KEYS[name.key])  # "America" of "the United States"
        base = _city_base(name.key)
        if not person and base is not None:
            keys.add(base)  # "New York City" of "New York"
        for key in keys:
            for r in model.by_key.get(key, ()):
                found[r] = refs[r]
        if not found and person and len(name.words) == 2 and not name.suffix:
            # family name first ("Higuchi Ichiyo" of "Ichiyo Higuchi")
            for r in model.by_key.get(" ".join(reversed(name.words)), ()):
                found[r] = refs[r]
        if found:
            return list(found.values())
        if len(name.key) >= _MIN_SPELLING:
            # the same name spelt with a doubled letter or a hyphen less
            for r in model.by_spelling.get(_spelling(name.key), ()):
                found[r] = refs[r]
            if found:
                return list(found.values())
            for key, ids in model.by_key.items():
                if _vowel_variant(name.key, key):
                    for r in ids:
                        found[r] = refs[r]
            if found:
                return list(found.values())
        words = name.words
        if len(words) == 1 and _is_acronym(text):
            for r in model.by_acronym.get(words[0], ()):
                found[r] = refs[r]
            if found:
                return list(found.values())
        if len(words) > 1 and all(len(w) == 1 for w in words) and text.endswith("."):
            # spaced initials ("S. F.", "U. S.") of a place's or body's name
            # read before: its acronym written letter by letter
            for r in model.by_acronym.get("".join(words), ()):
                found[r] = refs[r]
            if found:
                return list(found.values())
        if len(words) > 1:
            # a name first met as its acronym ("NASA" ... later spelled out)
            for r in model.by_key.get(_initials(name.whole or words), ()):
                ref = refs[r]
                if all(" " not in k for k in ref.keys) and not ref.givens:
                    found[r] = ref
            if found:
                return list(found.values())
        if len(words) == 1 and not person:
            shortened = self.plural_short_name(name)
            if shortened:
                return shortened
        if len(words) == 1:
            word = words[0]
            # a word used as a place ("in Brigden", "Brigden, Ontario") is no
            # surname of the person the place may be named after
            for table in () if place else (model.by_surname, model.by_nick):
                for r in table.get(word, ()):
                    if refs[r].is_person() is False and not refs[r].person_cues:
                        # no surname of a mis-tagged company ("Enix" of
                        # "Square Enix, a company"); a known given name or
                        # title still makes a person of a quoted nickname
                        continue
                    if not (
                        name.suffix
                        and refs[r].suffixes
                        and set(name.suffix) != refs[r].suffixes
                    ):
                        found[r] = refs[r]
            if not found:
                for r in model.by_given.get(_canon(word), ()):
                    # a first word names a person's given name, not the
                    # first word of a mis-tagged work or company ("X Live")
                    if refs[r].is_person() is not False:
                        found[r] = refs[r]
            if not found and not _is_given(word):
                for r in model.by_family.get(word, ()):
                    found[r] = refs[r]
            if (
                not found
                and person
                and not nominal_class(word)
                and not any(t.is_lower and t.lower_ == word for t in self.doc)
            ):
                # "Bonosus of Sardica ... Bonosus": a person named by a place,
                # whatever the tagger called the whole (no common word: the
                # "Gospel of X" is no person)
                for r in model.by_role.get(word, ()):
                    if any(
                        k.split()[:2] == [word, "of"] and len(k.split()) > 2
                        for k in refs[r].keys
                    ):
                        found[r] = refs[r]
            if not found:
                # a spelling variant with a silent final "e" (Jeannin/Jeannine)
                variant = word[:-1] if word.endswith("e") else word + "e"
                mine, theirs = given_name_gender(word)[0], given_name_gender(variant)[0]
                if len(variant) > 3 and mine is not None and mine == theirs:
                    for r in model.by_given.get(_canon(variant), ()):
                        found[r] = refs[r]
            return list(found.values())
        # the family-name part of a longer personal name ("De Masi" of
        # "Francesco De Masi", "Balboa Boneke" of "Juan Balboa Boneke")
        for r in model.by_family.get(name.key, ()):
            found[r] = refs[r]
        if found:
            return list(found.values())
        if not person:
            return (
                self.placed_body(name)
                or self.variant_of(name)
                or self.plural_short_name(name)
                or self.same_edition(name)
            )
        # a longer name: refs known by its surname whose given names agree
        # (a rank or role before a surname, "Midshipman Hale", is no given name)
        role = len(words) == 2 and nominal_class(words[0]) == "PERSON"
        for r in model.by_surname.get(name.surname, ()):
            ref = refs[r]
            if name.suffix and ref.suffixes and set(name.suffix) != ref.suffixes:
                continue
            if (
                role
                or not ref.givens
                or name.given in ref.givens
                or any(
                    g[0] == (name.given or "")[:1]
                    and (len(g) == 1 or len(name.given or "") == 1)
                    for g in ref.givens
                )
            ):
                found[r] = ref
        # refs so far known only by a bare word this name contains
        for word in (name.surname, *name.nick):
            for r in model.by_key.get(word, ()):
                ref = refs[r]
                if not ref.givens and (
                    ref.is_person() is not False or not ref.locative
                ):
                    found[r] = ref
        if name.nick:
            for r in model.by_key.get(" ".join([name.words[0], *name.nick]), ()):
                found[r] = refs[r]
        if not found and name.given:
            for r in model.by_key.get(name.words[0], ()):
                ref = refs[r]
                if not ref.surnames and ref.is_person():
                    found[r] = ref
        return list(found.values())

    def classed_name(self, span: Span, name: _Name) -> _Ref | None:
        """Return the place a class noun and a name make, in either order.

        "the island of X" and "X Island", "the county of Y" and "Y County":
        an "of"-phrase after a definite place noun names the place that noun
        heads the name of, and a name closed by such a noun is the place
        described so before ("the island of X ... X Island"). Only a referent
        the noun was said of is taken, so a bare "X" stays apart from "X
        Island" when nothing ties the two.
        """
        model = self.model
        head = _head(span)
        prep = head.head
        noun = prep.head
        if (
            head.dep_ == "pobj"
            and prep.lower_ == "of"
            and prep.dep_ == "prep"
            and noun.lemma_.lower() in _OF_NAMED_NOUNS
            and noun.tag_ == "NN"
            and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.lefts)
        ):
            key = f"{name.key} {noun.lemma_.lower()}"
            found = [model.refs[r] for r in model.by_key.get(key, ())]
            return max(found, key=lambda r: r.last_token) if found else None
        words = name.words
        if len(words) > 1 and words[-1] in _OF_NAMED_NOUNS:
            base = " ".join(words[:-1])
            found = [
                model.refs[r]
                for r in model.by_key.get(base, ())
                if words[-1] in model.refs[r].roles and not model.refs[r].is_person()
            ]
            return max(found, key=lambda r: r.last_token) if found else None
        return None

    def named_as_place(self, span: Span) -> bool:
        """Tell a name the syntax makes a place: "in X", "County of X", "P, X".

        "X, P" and "P, X" pair the name with a place name, as addresses do.
        A name tagged as a place closes an address after any name before its
        comma ("Calvary Church of Santa Ana, California"): the tagger often
        mislabels the town, but a town's state or country follows it.
        """
        head = _head(span)
        prep = head.head if head.dep_ == "pobj" else None
        if prep is not None and prep.lower_ in _PLACE_PREPS:
            return True
        if (
            prep is not None
            and prep.lower_ == "of"
            and nominal_class(prep.head.lemma_.lower()) == "GPE"
        ):
            return True
        doc = self.doc
        own = self.mention_at(span.start)
        place = own is not None and self.mentions[own].label in _PLACE_LABELS
        for comma, other in (
            (span.start - 1, span.start - 2),
            (span.end, span.end + 1),
        ):
            if 0 <= other < len(doc) and doc[comma].text == ",":
                index = self.mention_at(other)
                if doc[other].ent_type_ in _PLACE_LABELS or (
                    index is not None and self.mentions[index].label in _PLACE_LABELS
                ):
                    return True
                if (
                    place
                    and other < span.start
                    and index is not None
                    and self.mentions[index].kind == "name"
                ):
                    return True
        return False

    def body_named_by_part(self, name: _Name) -> _Ref | None:
        """Return the body a lone name so far read only inside its name names.

        "Ashford University ... at Ashford", "the University of Ashford ...
        Ashford's": the distinctive part of a body's name, used on its own
        before the text ever names the place alone, is the body's short name.
        The part opens the name, or closes it after "of" and a body noun.
        """
        model = self.model
        n = len(name.words)
        found: _Ref | None = None
        for ref in model.refs:
            if not ref.named or ref.is_person():
                continue
            if ref.top_label not in _GROUP_LABELS | {"FAC"}:
                continue
            for key in ref.keys:
                words = key.split()
                if len(words) <= n:
                    continue
                opens = (
                    tuple(words[:n]) == name.words and nominal_class(words[n]) == "ORG"
                )
                closes = (
                    len(words) > n + 1
                    and words[-n - 1 : -n] == ["of"]
                    and tuple(words[-n:]) == name.words
                    and nominal_class(words[-n - 2]) == "ORG"
                )
                if opens or closes:
                    if found is None or ref.last_token > found.last_token:
                        found = ref
                    break
        return found

    def placed_body(self, name: _Name) -> list[_Ref]:
        """Return the body named before with a place before this name.

        "the United States Supreme Court ... the Supreme Court": the place that
        opened the longer name is left out once the text is about it.
        """
        model = self.model
        found: list[_Ref] = []
        tail = " " + name.key
        for ref in model.refs:
            if not ref.named or ref.is_person():
                continue
            for key in ref.keys:
                if not key.endswith(tail):
                    continue
                prefix = key[: -len(tail)]
                if any(
                    model.refs[r].top_label in _PLACE_LABELS
                    for r in model.by_key.get(prefix, ())
                ):
                    found.append(ref)
                    break
        return found

    def plural_short_name(self, name: _Name) -> list[_Ref]:
        """Return the group of places a plural name shortens, or is shortened to.

        "the Tolo Islands ... the Tolos", "the Kessa Mountains ... the
        Kessas": a plural name made of the first word of a two-word plural
        name is that group of islands or mountains.
        """
        model = self.model
        words = name.words
        if len(words) == 1 and words[0].endswith("s") and len(words[0]) > 4:
            stem = words[0][:-1]
            keys = [
                k
                for k in model.by_key
                if (parts := k.split())
                and len(parts) == 2
                and parts[0] == stem
                and parts[1].endswith("s")
            ]
        elif len(words) == 2 and words[1].endswith("s") and not words[0].endswith("s"):
            keys = [f"{words[0]}s"]
        else:
            return []
        refs = [model.refs[r] for k in keys for r in model.by_key.get(k, ())]
        return [r for r in refs if r.named and not r.is_person()]

    def same_edition(self, name: _Name) -> list[_Ref]:
        """Return the event a year's edition name was given before in other words.

        "the 2004 Summer Olympic Games ... the 2004 Olympics": an edition
        of a recurring event is named by its year and the event's name,
        with or without its season, and "-ic Games" is also written "-ics".
        """
        core = _edition_core(name.words)
        if core is None:
            return []
        model = self.model
        return [
            model.refs[r]
            for key, ids in model.by_key.items()
            if key != name.key and _edition_core(tuple(key.split())) == core
            for r in ids
            if model.refs[r].named and not model.refs[r].is_person()
        ]

    def variant_of(self, name: _Name) -> list[_Ref]:
        """Return the thing an earlier, differently worded name of it names.

        A name of a place, body or work is often written again with an
        acronym of its first words ("the AB Tunnel" of "Anna Berg Tunnel",
        "the U.K. Parliament" of "the United Kingdom Parliament"),
        or capitalising the common noun it was first read with ("the Tolo
        hills ... the Tolo Hills": the noun is now part of the name). Names
        with "of" are left out.
        """
        model = self.model
        words = name.words
        if "of" in words or len(words) < 2:
            return []
        found: dict[int, _Ref] = {}
        # "U.S. Congress": an acronym written with dots is read letter by letter
        letters = next((n for n in range(len(words)) if len(words[n]) > 1), len(words))
        lead = 1 if letters < 2 else letters
        acronym, rest = "".join(words[:lead]), list(words[lead:])
        for key, ids in model.by_key.items():
            other = key.split()
            if other == list(words) or "of" in other or not rest:
                continue
            cut = len(other) - len(rest)
            if (
                cut > 1
                and other[cut:] == rest
                and acronym == _initials(other[:cut])
                and len(acronym) > 1
            ):
                for r in ids:
                    found[r] = model.refs[r]
        if not found:
            for r in model.by_key.get(" ".join(words[:-1]), ()):
                ref = model.refs[r]
                if any(
                    (span := model.spans[m]) is not None
                    and span.end < len(self.doc)
                    and self.doc[span.end].lower_ == words[-1]
                    and self.doc[span.end].is_lower
                    for m in ref.mentions
                ):
                    found[r] = ref
        return [r for r in found.values() if r.named and not r.is_person()]

    def common_noun_name(self, span: Span, word: str) -> list[_Ref]:
        """Resolve a capitalised common noun naming a known referent ("the Court").

        A word the lexicon does not class ("the Act", "the Airport") still
        names the latest referent whose longer name it heads ("the Clean Water
        Act ... the Act"): capitalised after "the", it is that name shortened
        to its head noun.
        """
        doc = self.doc
        if span.start == 0 or doc[span.start - 1].lower_ not in {"the", "this"}:
            return []
        classed = word in _HONORIFICS or bool(nominal_class(word))
        refs = [self.model.refs[r] for r in self.model.by_role.get(word, ())]
        refs = [
            r
            for r in refs
            if r.named
            and (
                classed
                or any(len(k.split()) > 1 and k.split()[-1] == word for k in r.keys)
            )
        ]
        return [max(refs, key=lambda r: (r.last_sent, r.last_token))] if refs else []

    def defined_acronym(self, span: Span, text: str) -> _Ref | None:
        """Return the referent of "Full Name (ABBR)": the name before the brackets.

        A bracketed short form of the name's own words counts too: "Iowa
        Telecommunications Services (Iowa Telecom)".
        """
        doc = self.doc
        if not (
            span.start >= 2
            and doc[span.start - 1].text == "("
            and span.end < len(doc)
            and doc[span.end].text == ")"
        ):
            return None
        # the outermost name ending before the bracket: "Council of Asia (OCA)"
        # abbreviates the council, not the place nested in its name
        before = doc[span.start - 2].i
        ref = self.name_ending_at(before) or self.ref_at(before)
        if ref is None or not ref.named:
            return None
        if len(span) == 1 and any(c.isupper() for c in text[1:]):
            return ref
        short = name_words(text)
        if len(short) > 1 and any(_shortens(short, key.split()) for key in ref.keys):
            return ref
        return None

    def translated_name(self, span: Span) -> _Ref | None:
        """Return the name a bracketed "Language: Y" gives another form of.

        "X (Latin: Y; Greek: Z)", "X (Persian: Y, also ...)": the name after a
        capitalised word and a colon inside a bracket opened right after a
        name is that name in another language or script.
        """
        doc = self.doc
        i = span.start - 1
        if i < 2 or doc[i].text != ":" or not doc[i - 1].text[:1].isupper():
            return None
        j = i - 2
        while j >= 0 and doc[j].text != "(" and doc[j].sent == span.sent:
            if doc[j].text in {")", "."}:
                return None
            j -= 1
        if j < 1 or doc[j].text != "(" or span.start - j > 40:
            return None
        return self.name_ending_at(j - 1)

    def abbreviated_state(self, span: Span) -> _Ref | None:
        """Return the state a postal code or abbreviation closing an address names.

        "Wichita, KS", "Fresno, Cal.": after a town and its comma, a state's
        code or customary abbreviation is the state the text names in full
        elsewhere ("Kansas"), however the tagger labelled the short form.
        """
        if span.start == 0 or self.doc[span.start - 1].text != ",":
            return None
        state = STATE_ABBREVIATIONS.get(span.text.rstrip("."))
        if state is None:
            return None
        known = [self.model.refs[r] for r in self.model.by_key.get(state, ())]
        known = [r for r in known if not r.is_person()]
        return max(known, key=lambda r: r.last_token) if known else None

    def names_ending_at(self, token_i: int) -> list[int]:
        """Return the name mentions that end with the token."""
        token = self.doc[token_i]
        end = token.idx + len(token.text)
        return [
            i
            for i in self.token_mentions.get(token_i, ())
            if self.mentions[i].end_char == end and self.mentions[i].kind == "name"
        ]

    def name_ending_at(self, token_i: int) -> _Ref | None:
        """Return the referent of the outermost name that ends with the token."""
        ending = self.names_ending_at(token_i)
        if not ending:
            return None
        index = min(ending, key=lambda i: self.mentions[i].start_char)
        ref_id = self.model.ref_of.get(index)
        ref = self.model.refs[ref_id] if ref_id is not None else None
        return ref if ref is not None and ref.named else None

    def short_name_inside(self, span: Span, label: str) -> _Ref | None:
        """Return the body whose name holds this name as its own short form.

        "Rice" of "Rice University", "Pirates" of "the Pittsburgh Pirates":
        written inside the body's full name, the short name the text later
        uses alone is the body's, not a referent of its own. The part opens
        the name before a body noun or corporate suffix, and is no place the
        body is named after ("Boston" of "Boston University"); or it is a
        plural last word, however tagged (never "Madrid" of "Real Madrid").
        """
        words = tuple(name_words(span.text))
        if not words:
            return None
        for i in self.token_mentions.get(span.start, ()):
            outer = self.mentions[i]
            if (
                outer.kind != "name"
                or outer.label != "ORG"
                or outer.end_char - outer.start_char <= len(span.text)
                or not outer.start_char <= span.start_char < outer.end_char
                or i not in self.model.ref_of
            ):
                continue
            full = _parse_name(outer.text).words
            if " ".join(words) not in _short_forms(full):
                continue
            if full[: len(words)] == words:
                # "Rice University", "Apple Inc.": never "Coron Island", nor
                # "Exeter School" in a text that uses Exeter as a place
                if (
                    nominal_class(full[-1]) != "ORG" and full[-1] not in _CORPORATE
                ) or label in _PLACE_LABELS | _PEOPLE_LABELS:
                    continue
                if label == "PERSON" and (len(words) > 1 or _is_given(words[0])):
                    continue  # "the Ada Byrne Institute" is named after her
                key = " ".join(words)
                known = [
                    *self.model.by_key.get(key, ()),
                    *self.model.by_surname.get(key, ()),
                ]
                if known:
                    continue  # "in Ashford ... Ashford College": the place first
            elif span[-1].tag_ != "NNPS":
                continue  # a team's plural last word ("Pirates")
            ref = self.model.refs[self.model.ref_of[i]]
            return None if ref.is_person() else ref
        return None

    def inside_longer_name(self, span: Span) -> bool:
        """Tell a name nested in a longer name mention ("Iowa" of "Iowa Telecom")."""
        return any(
            self.mentions[i].kind == "name"
            and self.mentions[i].start_char <= span.start_char
            and self.mentions[i].end_char >= span.end_char
            and self.mentions[i].end_char - self.mentions[i].start_char
            > span.end_char - span.start_char
            for i in self.token_mentions.get(span.start, ())
        )

    def introduced_alias(self, span: Span) -> _Ref | None:
        """Return the referent this name is given as another name of.

        "Kristiania (now Oslo)", "the Asian Games, also known as the Asiad",
        "the Loopline Bridge (or the Liffey Viaduct)": a cue right after a
        bracket or comma that follows a name introduces a second name of the
        same referent. A bracketed group between the two ("X (XA), or Y") is
        passed over.
        """
        doc = self.doc
        if self.inside_longer_name(span):
            # "also known as Iowa Telecom": the alias is the whole name, not
            # the place name nested at its start
            return None
        i = span.start - 1
        while i >= 0 and (doc[i].lower_ == "the" or doc[i].is_quote):
            i -= 1
        cue = next(
            (
                c
                for c in _ALIAS_CUES
                if i - len(c) >= 0
                and tuple(t.lower_ for t in doc[i - len(c) + 1 : i + 1]) == c
            ),
            None,
        )
        if cue is None:
            return None
        i -= len(cue)
        if i < 1 or doc[i].text not in {"(", ","}:
            return None
        i -= 1
        if doc[i].text == ")":  # "X (XA), or Y"
            while i > 0 and doc[i].text != "(":
                i -= 1
            i -= 1
        while i >= 0 and doc[i].is_quote:
            i -= 1
        if i < 0 or doc[i].sent.start != span.sent.start:
            return None
        if (
            i > 0
            and doc[i].text.rstrip(".") in STATE_ABBREVIATIONS
            and doc[i - 1].text == ","
        ):
            return None  # "from Tarnby, OK, aka Y": an address takes no alias
        ref = self.name_ending_at(i)
        if ref is not None and self.tail_of_longer_name(i):
            return None
        return ref

    def tail_of_longer_name(self, token_i: int) -> bool:
        """Tell a name ending at the token that closes a longer, unrecognised name.

        "Frente de Libertação do Arquipélago da Madeira": only "Madeira" was
        recognised, but a capitalised word and a particle before it show a
        longer name, which is what a following alias names.
        """
        doc = self.doc
        ending = self.names_ending_at(token_i)
        if not ending:
            return False
        outer = self.mentions[min(ending, key=lambda i: self.mentions[i].start_char)]
        first = doc.char_span(outer.start_char, outer.end_char, alignment_mode="expand")
        if first is None or first.start < 2:
            return False
        particle, before = doc[first.start - 1], doc[first.start - 2]
        return (
            particle.lower_ in _PARTICLES | _PARTICLES_OF
            and particle.is_lower
            and before.is_title
            and before.pos_ == "PROPN"
        )

    def birth_name_of(self, span: Span) -> _Ref | None:
        """Return the person whose birth name this is.

        "X was born Ann Byrne", "X, born Ann Byrne,", "X (née Byrne)": the
        name after "born" or "née" is another name of the same person.
        """
        doc = self.doc
        head = _head(span)
        if span.start > 0 and doc[span.start - 1].lower_ in _NEE:
            before = doc[span.start - 1]
            node = doc[before.i - 1] if before.i > 0 else before
            if node.text == "(" and node.i > 0:
                node = doc[node.i - 1]
            ref = self.ref_at(node.i)
            return ref if ref is not None and ref.is_person() is not False else None
        verb = head.head
        if head.dep_ not in {"oprd", "attr", "dobj"} or verb.lower_ != "born":
            return None
        if verb.i > span.start or span.start - verb.i > 1:
            return None  # the name follows "born" directly
        if verb.dep_ == "acl" and verb.head.i < verb.i:
            ref = self.ref_at(verb.head.i)
        else:
            subjects = _subjects_of(verb)
            ref = self.ref_at(subjects[0].i) if subjects else None
        if ref is None or ref.is_person() is False or not ref.named:
            return None
        return ref

    def child_named_with(self, span: Span) -> _Ref | None:
        """Return the child a parent's name is given for ("the son of X")."""
        phrase = _parent_phrase(_head(span))
        child = _child_of(phrase) if phrase is not None else None
        if child is None or span.start <= child.i < span.end:
            return None
        return self.ref_at(child.i)

    def resumed_name_of(self, span: Span) -> _Ref | None:
        """Return the person whose full name a bracket interrupted before this word.

        "Ann Byrne (née Hale) Lloyd", "Ann (Hale) Lloyd": a birth name or a
        nickname in brackets may stand inside a full name; a lone surname
        right after the bracket ends the name begun before it, so it is that
        person's surname, not a mention of someone else so called.
        """
        doc = self.doc
        if len(span) != 1 or span.start < 3 or doc[span.start - 1].text != ")":
            return None
        i = span.start - 2
        while i > 0 and doc[i].text != "(" and span.start - i <= _BRACKET_WORDS + 1:
            if doc[i].is_punct or doc[i].pos_ in {"VERB", "AUX"}:
                return None
            i -= 1
        if doc[i].text != "(" or i == span.start - 2:
            return None
        ref = self.name_ending_at(i - 1)
        if ref is None or ref.is_person() is not True:
            return None
        return ref

    def alias_of(self, span: Span) -> _Ref | None:
        """Return the named referent this name is given as another name of.

        "X, also known as Y", "X (locally called Y)", "X is better known as Y",
        "X was renamed Y", "X self-identified as Y": a naming verb introduces
        Y as a name of X (the thing the verb's clause modifies, or its subject).
        """
        head = _head(span)
        verb = head.head
        verbs = _NAMING_VERBS
        if (
            head.dep_ == "appos"
            and verb.lemma_.lower() in _NAME_NOUNS
            and verb.dep_ == "pobj"
            and verb.head.lower_ in {"by", "under", "as"}
        ):
            # "better known by her pseudonym Y", "wrote under the pen name Y"
            verb, verbs = verb.head.head, _NAMING_VERBS | _UNDER_NAME_VERBS
        elif head.dep_ == "pobj" and verb.lower_ == "as" and verb.dep_ == "prep":
            verb = verb.head
        elif head.dep_ not in {"oprd", "attr"}:
            return None
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in verbs:
            return None
        if verb.dep_ in {"acl", "relcl", "amod"} and verb.head.i < verb.i:
            target = verb.head
        else:
            subjects = [c for c in verb.children if c.dep_ in _NOMINAL_SUBJ_DEPS]
            if not subjects:
                return None
            target = subjects[0]
        if target.i not in self.head_mention:
            # "an editor for a venue called Y": Y names the venue, not what
            # a longer phrase holding the venue is about
            return None
        ref = self.ref_at(target.i)
        if ref is None or not ref.named or ref.plural:
            return None
        return ref

    def role_apposed(self, span: Span) -> _Ref | None:
        """Return the referent a name is in apposition with, one being a role.

        "the King of Arda, Tom Vale, ...", "Tom Vale, 2nd Earl of Arda,": a
        capitalised role ("King of Y", "Earl of Y") and a name side by side
        after a comma are one person; the parse links them as appositives or
        as two subjects of one verb.
        """
        doc = self.doc
        head = _head(span)
        if span.start < 2 or doc[span.start - 1].text != ",":
            return None
        prev_index = next(
            (
                k
                for k in self.token_mentions.get(span.start - 2, ())
                if self.mentions[k].kind == "name"
            ),
            None,
        )
        prev = self.model.spans[prev_index] if prev_index is not None else None
        if prev is None or prev_index is None or prev.end != span.start - 1:
            return None
        if not (_names_role(prev.text) or _names_role(span.text)):
            return None
        # a lone capitalised role ("the Regent") is often tagged a place or a
        # body; its tag says nothing against the person beside it
        labels = {
            self.mentions[k].label
            for k in (
                prev_index,
                *(
                    k
                    for k in self.token_mentions.get(span.start, ())
                    if self.model.spans[k] == span
                ),
            )
            if len(_parse_name(self.mentions[k].text).words) > 1
            or not _names_role(self.mentions[k].text)
        }
        if labels - (_PERSON_LABELS | {""}):
            return None  # "the Mayor of Y, Acme Ltd": no person and a role
        linked = (head.dep_ == "appos" and prev.start <= head.head.i < prev.end) or (
            head.dep_ in _NOMINAL_SUBJ_DEPS
            and prev.root.dep_ in _NOMINAL_SUBJ_DEPS
            and prev.root.head.i == head.head.i
        )
        if not linked:
            return None
        ref = self.ref_at(prev.root.i)
        if ref is None or ref.plural:
            return None
        return ref

    def bracketed_alias(self, span: Span) -> _Ref | None:
        """Return what a name in brackets right after a phrase names.

        "the largest theatre in the region (Tolo Hall)", "Kessa Arena ("The
        K")": a name alone in brackets closing a described thing names it,
        and a quoted one after a name is its other name. An unquoted name
        after a name ("Lyon (France)") is rather where it lies.
        """
        doc = self.doc
        i, j = span.start - 1, span.end
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1  # '("The K")': the article is outside the name
        quoted = i >= 0 and doc[i].is_quote
        if quoted:
            i -= 1
            if j >= len(doc) or not doc[j].is_quote:
                return None
            j += 1
        if i < 1 or doc[i].text != "(" or j >= len(doc) or doc[j].text != ")":
            return None
        phrase = doc[i - 1]
        while (
            phrase.dep_ == "pobj"
            and phrase.head.dep_ == "prep"
            and phrase.head.head.pos_ in {"NOUN", "PROPN"}
            and phrase.head.head.i < phrase.i
        ):
            phrase = phrase.head.head  # "the largest theatre in the region"
        index = self.head_mention.get(phrase.i)
        ref = self.ref_at(phrase.i)
        if index is None or ref is None or ref.plural:
            return None
        if self.mentions[index].kind == "name":
            return ref if quoted and ref.named else None
        described = self.model.spans[index]
        if (
            self.mentions[index].kind != "nominal"
            or described is None
            or ref.named
            or described[0].lower_ not in {"a", "an", "the"}
        ):
            return None
        return ref

    def titles_before(self, span: Span) -> list[str]:
        titles: list[str] = []
        i = span.start - 1
        while i >= 0 and len(titles) < 3:
            token = self.doc[i]
            word = token.lower_.rstrip(".")
            if token.is_alpha and (
                word in _HONORIFICS
                or (token.dep_ == "compound" and word in PERSON_NOUNS)
            ):
                titles.append(word)
                i -= 1
                continue
            break
        return titles

    def subtitled(self, span: Span) -> bool:
        """Tell a name followed by a colon and a subtitle ("Jaws: The Revenge")."""
        doc = self.doc
        end = span.end
        return (
            end + 1 < len(doc)
            and doc[end].text == ":"
            and doc[end + 1].is_title
            and doc[end + 1].ent_type_ != ""
            and doc[end].sent.start == doc[end + 1].sent.start
        )

    def quoted_title(self, span: Span) -> bool:
        """Tell a name standing alone between quotes: a work's title ('Jaws')."""
        doc = self.doc
        if span.start == 0 or span.end >= len(doc):
            return False
        before, after = doc[span.start - 1], doc[span.end]
        if not (before.is_quote and after.is_quote):
            return False
        return not (
            span.start >= 2
            and doc[span.start - 2].pos_ == "PROPN"
            and span.end + 1 < len(doc)
            and doc[span.end + 1].pos_ == "PROPN"
        )

    # nominals ---------------------------------------------------------------

    def attach_nominal(self, ref: _Ref, index: int, *, salient: bool = True) -> None:
        """Add a nominal to a referent; appositives add no salience of their own."""
        span = self.model.spans[index]
        if span is None or index in self.model.ref_of:
            return
        head = _head(span)
        if head.pos_ != "PROPN":  # a name with its clause teaches no role
            self.learn_from_noun(ref, head, self.mentions[index].label)
        token = head if salient else None
        self.model.add(
            ref, index, self.mentions[index].sent_index, token, head.i in self.quote_of
        )

    def add_role(self, ref: _Ref, role: str) -> None:
        if role not in ref.roles:
            ref.roles.add(role)
            self.model.by_role.setdefault(role, []).append(ref.id)

    def learn_from_noun(self, ref: _Ref, head: Token, cls: str) -> None:
        lemma = head.lemma_.lower()
        self.add_role(ref, lemma)
        if cls == "PERSON":
            ref.label_votes["PERSON"] += 1
            # "a friendly people", "guests": people, but no one person
            if head.tag_ not in {"NNS", "NNPS"}:
                ref.person_cues += 1
        if lemma in FEMALE_NOUNS:
            ref.gender_votes["f"] += 2
        elif lemma in MALE_NOUNS:
            ref.gender_votes["m"] += 2

    def evidence_target(self, head: Token) -> int | None:
        """Token of the mention an appositive or predicate nominal describes."""
        if head.dep_ == "appos":
            located = self.located_thing(head)
            if located is None:
                located = self.name_closing_bracket(head)
            return located if located is not None else head.head.i
        if head.dep_ == "conj" and head.head.dep_ == "appos":
            return head.head.head.i
        for child in head.children:
            if child.dep_ == "appos" and child.i in self.token_mentions:
                return child.i
        named = named_predicate(head, self.name_token_set)
        if named is not None:
            return named.i
        lifted = self.lifted_appositive(head)
        if lifted is not None:
            return lifted
        hung = self.person_hung_on_of(head)
        if hung is not None:
            return hung
        fronted = fronted_predicate_subject(head)
        if fronted is not None:
            return fronted.i
        if head.dep_ == "conj" and head.head.dep_ in {"attr", "oprd"}:
            head = head.head  # "X is a poet and the author of Y"
        if (
            head.dep_ == "oprd"
            and (head.is_lower or _bare_title(head))
            and any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.head.children)
        ):
            # "X was elected a member of Y", "X was named the best player"; a
            # capitalised title or honour ("was made a Knight Commander of the
            # Order of Y") may be an entity of its own
            subjects = _subjects_of(head.head)
            return subjects[0].i if subjects else None
        if head.dep_ in {"attr", "oprd"} and head.head.lemma_ in _COPULAS:
            subjects = _subjects_of(head.head)
            if subjects:
                # "X (French pronunciation: [..]; 1928 – 2017) was ...": the
                # parse took a word in the brackets for the subject
                opened = self.name_before_bracket(subjects[0])
                if opened is not None:
                    return opened
            if subjects and self.turn_of(subjects[0].i) != self.turn_of(head.i):
                # a parse run across a line break: the line's opening name
                k = self.turn_of(head.i)
                first = self.turns[k][0] if k is not None else head.i
                while first < head.i and self.doc[first].is_space:
                    first += 1
                index = self.mention_at(first)
                if index is not None and self.mentions[index].kind == "name":
                    return first
                return None
            if subjects:
                return subjects[0].i
            fragment = self.fragment_subject(head.head)
            if fragment is not None:
                return fragment
        prep = head.head
        if (
            head.dep_ == "pobj"
            and prep.lower_ == "into"
            and prep.head.lemma_ in _CHANGE_VERBS
            and head.tag_ == "NN"
            and not any(c.dep_ == "dobj" for c in prep.head.children)
        ):
            # "the town evolved into a busy city", "it was turned into a
            # museum": a change-of-state verb's "into"-phrase is what its
            # subject became, a predicate nominal like "became a city"
            subjects = _subjects_of(prep.head)
            return subjects[0].i if subjects else None
        if head.dep_ == "pobj" and prep.lower_ == "as" and prep.head.pos_ == "VERB":
            # "As a student, X ...", "X worked as a nurse": the predicative
            # "as"-phrase describes the subject ("regarded Y as a hero": Y)
            verb = prep.head
            if prep.dep_ != "prep":
                return None
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            if head.tag_ in {"NNS", "NNPS"}:
                # "featured other bloggers as guests": a plural role of a
                # plural object only, in number agreement with it
                if objects and objects[0].tag_ in {"NNS", "NNPS"}:
                    return objects[0].i
                return None
            if objects and objects[0].pos_ in {"PROPN", "PRON"}:
                return objects[0].i
            subjects = _subjects_of(verb)
            if subjects and subjects[0].pos_ in {"PROPN", "PRON"}:
                return subjects[0].i
        if head.dep_ == "pobj" and prep.lower_ == "as" and prep.head.pos_ == "NOUN":
            return self.as_phrase_holder(head, prep.head)
        return None

    def as_phrase_holder(self, head: Token, noun: Token) -> int | None:
        """Return who a noun's "as"-phrase describes ("his career as a lawyer").

        A noun of a span of life or work ("career", "years", "time") with an
        "as"-phrase says what its possessor was; without a possessor, set in
        a fronted adjunct ("After years as a soldier, he ..."), what the
        clause's subject was. A role an actor plays ("his role as a doctor")
        is the character's, not the actor's.
        """
        if head.tag_ != "NN" or noun.lemma_.lower() in _PLAYED_NOUNS:
            return None
        owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
        if owner is not None:
            return owner.i if owner.pos_ in {"PRON", "PROPN"} else None
        host = noun.head
        if noun.dep_ != "pobj" or host.dep_ != "prep" or host.head.pos_ != "VERB":
            return None
        verb = host.head
        subjects = _subjects_of(verb)
        if (
            host.i < verb.i
            and subjects
            and subjects[0].i > host.i
            and subjects[0].pos_ in {"PROPN", "PRON"}
        ):
            return subjects[0].i
        return None

    def located_thing(self, head: Token) -> int | None:
        """Return the thing a place's appositive describes ("X in Qatar, a venue").

        "the Wakra Stadium in Qatar, a venue for the cup": the parse hangs the
        appositive on the place that locates the thing, but a noun that is no
        place noun ("venue", "museum") cannot describe a country or town; it
        describes the named thing the "in"-phrase modifies.
        """
        place = head.head
        prep = place.head
        if (
            place.dep_ != "pobj"
            or prep.lower_ not in {"in", "near"}
            or prep.dep_ != "prep"
            or prep.head.pos_ != "PROPN"
            or place.ent_type_ != "GPE"
            or nominal_class(head.lemma_) in {"GPE", "LOC"}
            or head.left_edge.i != place.i + 2
            or self.doc[place.i + 1].text != ","
        ):
            return None
        thing = prep.head
        return thing.i if self.mention_at(thing.i) is not None else None

    def after_locating_phrase(self, head: Token, other: int) -> bool:
        """Tell an appositive that follows a name and its "in"-phrase ("X in Y, a Z").

        The comma then closes the name's whole phrase, not the name itself.
        """
        span = self.model.spans[other]
        if span is None or not head.is_lower:
            return False  # a capitalised phrase may be the next item of a list
        thing = span.root
        preps = [
            c
            for c in thing.children
            if c.dep_ == "prep"
            and c.lower_ in {"in", "near"}
            and c.i < head.i
            and any(o.ent_type_ in {"GPE", "LOC"} for o in c.children)
        ]
        if not preps:
            return False
        prep, comma = preps[-1], head.left_edge.i - 1
        inside = {t.i for t in prep.subtree}
        return (
            thing.i < prep.i < comma
            and self.doc[comma].text == ","
            and all(i in inside for i in range(prep.i, comma))
        )

    def lifted_appositive(self, head: Token) -> int | None:
        """Return a name apposed to a class noun's whole phrase.

        "a friendship with a boy at Ashby, Tom Reed.", "in front of their
        favourite painting, "Dawn", by Y": the name after the comma closing
        the noun's phrase is the boy or the painting, though the parse hung
        it on a word higher up or on the place in the phrase. Only a noun of
        the name's own class, a name that closes its clause, and an
        appositive whose head governs the noun or is no person inside its
        phrase ("the son of Ann Lee, Tom" stays open).
        """
        doc = self.doc
        cls = nominal_class(head.lemma_)
        if (
            cls not in _LIFTED_CLASSES
            or head.tag_ != "NN"
            or head.dep_ not in _ARGUMENT_DEPS  # a predicate says who its subject is
        ):
            return None
        # the phrase's first comma (the subtree holds a name hung inside it)
        comma = next(
            (t.i for t in doc[head.i + 1 : head.right_edge.i + 2] if t.text == ","),
            len(doc),
        )
        if comma + 2 >= len(doc) or doc[comma].text != ",":
            return None
        first = comma + 2 if doc[comma + 1].is_quote else comma + 1
        index = self.mention_at(first)
        span = self.model.spans[index] if index is not None else None
        if (
            index is None
            or span is None
            or span.start != first
            or self.mentions[index].kind != "name"
            or self.mentions[index].label != cls
        ):
            return None
        root = span.root
        host = root.head
        # hung on a word higher up, or on a place or body inside the phrase
        inside = (
            head.i < host.i <= head.right_edge.i
            and host.ent_type_ != "PERSON"
            and nominal_class(host.lemma_) != "PERSON"
        )
        if root.dep_ not in _LIFTED_DEPS or not (inside or host in head.ancestors):
            return None
        if span.end < len(doc) and not doc[span.end].is_punct:
            return None
        return root.i

    def person_hung_on_of(self, head: Token) -> int | None:
        """Return a person's name the parse hung on the "of"-name of a role noun.

        "The head of Acme, Ann Lee, said": the appositive belongs to "the
        head", but the parse attaches it to the nearer name; a person's name
        cannot stand in apposition to a firm's or a place's, so a person noun
        takes it back.
        """
        if nominal_class(head.lemma_) != "PERSON":
            return None
        for prep in head.rights:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for pobj in prep.children:
                owner = self.mention_at(pobj.i)
                if pobj.dep_ != "pobj" or owner is None:
                    continue
                if self.mentions[owner].label in _PERSON_LABELS | {""}:
                    continue
                for appos in pobj.rights:
                    index = self.mention_at(appos.i)
                    if (
                        appos.dep_ == "appos"
                        and index is not None
                        and self.mentions[index].kind == "name"
                        and self.mentions[index].label in _PERSON_LABELS
                    ):
                        return appos.i
        return None

    def name_closing_bracket(self, head: Token) -> int | None:
        """Return the name whose bracket an appositive follows ("X (1704-87), a Y").

        "the son of X (1704 – 1787), a painter": an appositive right after a
        name's bracket and a comma is the name's, wherever the parse hung it.
        """
        doc = self.doc
        i = head.left_edge.i - 1
        if i < 2 or doc[i].text != "," or doc[i - 1].text != ")":
            return None
        opened = self.name_before_bracket(doc[i - 1])
        return opened if opened is not None and opened != head.head.i else None

    def name_before_bracket(self, token: Token) -> int | None:
        """Return the name a bracket holding the token follows ("X (born ...)")."""
        doc = self.doc
        i = token.i - 1
        while i >= token.sent.start and doc[i].text not in {"(", ")"}:
            i -= 1
        if i <= token.sent.start or doc[i].text != "(":
            return None
        index = self.mention_at(i - 1)
        if index is None or self.mentions[index].kind != "name":
            return None
        span = self.model.spans[index]
        if span is None or span.end != i:
            return None
        return _head(span).i

    def fragment_subject(self, verb: Token) -> int | None:
        """Return the name a subjectless copula's parse cut off before it.

        "X (born 1982) [1] is an actor": a bracket or a citation mark makes
        the parser end a fragment at the name, leaving "is" with no subject.
        """
        if any(c.dep_ in _SUBJ_DEPS for c in verb.children):
            return None
        start = verb.sent.start
        if verb.left_edge.i == start and start > 0:
            start = self.doc[start - 1].sent.start  # the fragment may end a sentence
        roots = [t for t in self.doc[start : verb.i] if t.dep_ == "ROOT"]
        if not roots or roots[-1].pos_ != "PROPN":
            return None
        name = roots[-1]
        if self.turn_of(name.i) != self.turn_of(verb.i):
            return None
        between = self.doc[name.right_edge.i + 1 : verb.left_edge.i]
        if any(
            not (t.is_punct or t.like_num or t.dep_ in {"meta", "dep"}) for t in between
        ):
            return None
        return name.i

    def possessor_refs(self, head: Token) -> set[int]:
        """Return the possessor's referents ("X's estrangement" is not X)."""
        out: set[int] = set()
        for child in head.children:
            if child.dep_ == "poss":
                ref = self.ref_at(child.i)
                if ref is not None:
                    out.add(ref.id)
        return out

    def fits_evidence(
        self, index: int, head: Token, other: int, ref: _Ref | None
    ) -> bool:
        mention = self.mentions[index]
        # "Thais are a polite people": an indefinite article makes a
        # collective noun one group, whatever its plural tag says
        plural = head.tag_ in {"NNS", "NNPS"} and not any(
            c.dep_ == "det" and c.lower_ in {"a", "an"} for c in head.lefts
        )
        if ref is not None:
            if ref.id in self.possessor_refs(head):
                return False
            if plural and not (ref.plural or set(ref.label_votes) & _GROUP_LABELS):
                return False
            if (
                mention.label == "PERSON"
                and ref.is_person() is False
                and ref.named
                # "other bloggers as guests": a plural name said to be people is
                # a group of people, whatever type the tagger gave it
                and not (plural and ref.plural_form)
            ):
                return False
        elif plural and self.mentions[other].label == "PERSON":
            return False
        if mention.label:
            return True
        predicate = head.head if head.dep_ == "conj" else head
        if named_predicate(head, self.name_token_set) is not None:
            return True  # "His chief work is X"
        if (
            predicate.dep_ in {"attr", "oprd"}
            or (predicate.dep_ == "pobj" and predicate.head.lower_ == "as")
            or fronted_predicate_subject(predicate) is not None
        ):
            return True  # "X is an example of Y": says what X is, whatever Y is
        if head.dep_ == "appos" and self.after_locating_phrase(head, other):
            return True  # "X in Y, a venue": comma-adjacent to X's whole phrase
        # a phrase of no known class only as a comma-adjacent appositive
        other_span = self.model.spans[other]
        if other_span is None:
            return False
        first, second = sorted(
            (other_span, _nominal_bounds(head)), key=lambda x: x.start
        )
        return second.start == first.end + 1 and self.doc[first.end].text == ","

    def bracketed_name(self, span: Span) -> int | None:
        """Return the person name right after a bracketed description.

        Quotations insert a description in square brackets before a name
        ("I thank [my brother] Tom Hale"); the parse rarely links the two.
        """
        doc = self.doc
        start, end = span.start, span.end
        if start == 0 or end + 1 >= len(doc):
            return None
        if doc[start - 1].text != "[" or doc[end].text != "]":
            return None
        if _head(span).tag_ in {"NNS", "NNPS"}:
            return None
        other = self.mention_at(end + 1)
        if other is None:
            return None
        name = self.mentions[other]
        if (
            name.kind != "name"
            or name.start_char != doc[end + 1].idx
            or name.label not in _PERSON_LABELS
        ):
            return None
        return other

    def name_extended_by(self, span: Span, head: Token) -> int | None:
        """Return the name heading a longer phrase ("X, which ...", "Sheikh X").

        A phrase whose head word belongs to a name inside it is that name with
        more words: a clause after it, or a title the tagger left out of it.
        """
        if head.pos_ != "PROPN":
            return None
        for other in self.token_mentions.get(head.i, ()):
            name = self.model.spans[other]
            if (
                self.mentions[other].kind == "name"
                and name is not None
                and span.start <= name.start
                and name.end <= span.end
                # a clause after the name, or title words before it
                and (name.start == span.start or name.end == span.end)
                and len(name) < len(span)
                and name.start <= head.i < name.end
            ):
                return other
        return None

    def close_apposed_name(self, span: Span, head: Token) -> int | None:
        """Return the name a description stands right before ("the poet Ann Lee").

        In close apposition the description and the name, side by side with
        no comma, are one entity ("his co-star Ann Lee", "the thriller Dark
        Water"). The description ends in its singular head noun and the name
        follows it at once (an article or quote mark may open the name: "the
        play The Storm"); the parse makes the noun a modifier of the name, or
        loses the link, in which case a possessive name ("gave the boy Tom's
        book") is left alone.
        """
        doc = self.doc
        last = span[-1]
        if head.tag_ in {"NNS", "NNPS"} or last.pos_ not in {"NOUN", "ADJ"}:
            return None
        if not any(t.dep_ in {"det", "poss"} for t in span):
            return None  # "novelist Ann Lee": a bare noun is part of the name
        if span.end >= len(doc) or last.whitespace_ == "" or "\n" in last.whitespace_:
            return None
        i = span.end
        while i < len(doc) - 1 and (
            doc[i].lower_ == "the" or doc[i].text in _QUOTE_CHARS
        ):
            i += 1
        other = next(
            (
                k
                for k in self.token_mentions.get(i, ())
                if self.mentions[k].kind == "name"
            ),
            None,
        )
        name = self.model.spans[other] if other is not None else None
        if other is None or name is None or name.start != i:
            return None
        linked = (
            name.start <= last.head.i < name.end
            or name.start <= head.head.i < name.end
            or name.root.head.i in range(span.start, span.end)
        )
        if not linked and (name.end < len(doc) and doc[name.end].tag_ == "POS"):
            return None
        return other

    def wait_for_name(self, name_index: int, nominal_index: int) -> None:
        """Attach a nominal to a later name ("her husband, Tom") once it is read."""
        self.pending.setdefault(name_index, []).append(nominal_index)
        self.pending_of[nominal_index] = name_index

    def former_or_latter(self, span: Span) -> _Ref | None:
        """Return the thing "the former" or "the latter" picks of the last two named.

        "Leap Year (2010) and Burning Man (2011), the latter earning him a
        nomination": of the two named things last mentioned in the sentence
        or the one before, "the latter" is the second, "the former" the first.
        """
        if len(span) != 2 or span[1].lower_ not in ORDINAL_PICKS:
            return None
        first = self.doc[span.start].sent.start
        if first > 0:
            first = self.doc[first - 1].sent.start
        named = [
            i
            for i in self.token_mentions_before(first, span.start)
            if self.model.refs[self.model.ref_of[i]].named
        ]
        spans = self.model.spans
        # two names joined by "and" are the pair ("met A and B in Oslo")
        pairs = [
            (a, b)
            for a, b in zip(named, named[1:], strict=False)
            if (sa := spans[a]) is not None
            and (sb := spans[b]) is not None
            and sb.root in sa.root.conjuncts
        ]
        if pairs:
            a, b = pairs[-1]
        elif len(named) >= 2:
            a, b = named[-2], named[-1]
        else:
            return None
        pick = a if span[1].lower_ == "former" else b
        ref = self.model.refs[self.model.ref_of[pick]]
        other = self.model.refs[self.model.ref_of[b if pick == a else a]]
        return ref if ref.id != other.id else None

    def token_mentions_before(self, start: int, end: int) -> list[int]:
        """Return the resolved name mentions between two tokens, in text order."""
        found: list[int] = []
        for i in range(start, end):
            for index in self.token_mentions.get(i, ()):
                if (
                    index not in found
                    and index in self.model.ref_of
                    and self.mentions[index].kind == "name"
                ):
                    found.append(index)
        return found

    def repeated_name(self, index: int, span: Span) -> int | None:
        """Return the name a lower-case phrase repeats ("Music ... music").

        A concept the text also writes capitalised, as a heading, title or
        field ("Professor of Music", "Hell"), is the same concept in lower
        case; the phrase must be the name's words and nothing more.
        """
        if self.mentions[index].label == "PERSON":
            return None
        words = _content_words(span)
        other = self.name_words.get(words)
        if other is None or self.mentions[other].label == "PERSON":
            return None
        if len(words) < len(span) and len(words) == 1 and words[0] in self.name_ends:
            # "Socotra Island ... Island ... the island": a count noun that
            # heads a longer name may mean that name rather than the bare one
            return None
        return other

    def resolve_nominal(self, index: int, span: Span) -> None:
        mention = self.mentions[index]
        head = _head(span)
        model = self.model
        picked = self.former_or_latter(span)
        if picked is not None:
            self.attach_nominal(picked, index)
            return
        repeated = self.repeated_name(index, span)
        if repeated is not None:
            if repeated in model.ref_of:
                concept = model.refs[model.ref_of[repeated]]
                concept.common = True
                self.attach_nominal(concept, index)
            else:
                self.wait_for_name(repeated, index)
            return
        target = self.evidence_target(head)
        if target is not None and self.turn_of(target) != self.turn_of(head.i):
            target = None  # a parse run across a line break ("Spouse X\nY was ...")
        if target is not None:
            other = self.mention_at(target)
            found = self.model.spans[other] if other is not None else None
            if other is not None and found is not None and other > index:
                # "his architect, Sheikh X": the name the later phrase is of
                other = self.name_extended_by(found, _head(found)) or other
            if (
                other is not None
                and other > index
                and other not in model.ref_of
                and self.mentions[other].kind == "pronoun"
                and found is not None
                and found.root.lower_ in _MASC | _FEM | _NEUT | _PLUR
            ):
                # "A keen rower, he ...": the later pronoun the phrase is said
                # of is resolved first, and the phrase joins its referent
                self.resolve_pronoun(other, found)
            if other is not None and other != index:
                ref = model.refs[model.ref_of[other]] if other in model.ref_of else None
                if self.fits_evidence(index, head, other, ref):
                    if ref is not None:
                        if mention.label and mention.label != "PERSON":
                            # "X is a city", "X, a company": what X is, whatever
                            # the tagger said of its name
                            ref.label_votes[mention.label] += 3
                        self.attach_nominal(ref, index, salient=False)
                        return
                    if other > index and self.mentions[other].kind == "name":
                        self.wait_for_name(other, index)
                        return
        extended = self.name_extended_by(span, head)
        if extended is not None:
            # "X, which ...": the name with its clause is the name's mention
            self.wait_for_name(extended, index)
            return
        apposed = self.close_apposed_name(span, head)
        if apposed is not None and apposed != index:
            self.wait_for_name(apposed, index)
            return
        # an editorial bracket before a name ("[my husband] Tom Hale")
        bracketed = self.bracketed_name(span)
        if bracketed is not None:
            self.wait_for_name(bracketed, index)
            return
        # "the thriller X": a class noun set before a name is that name's
        last = span[-1]
        if last.dep_ in {"compound", "amod"} and last.head.i >= span.end:
            following = self.mention_at(span.end)
            if (
                following is not None
                and following != index
                and self.mentions[following].kind == "name"
                and (after := self.model.spans[following]) is not None
                and after.start == span.end
            ):
                self.wait_for_name(following, index)
                return
        # a name inside the phrase ("the person Ada Lovelace") is its referent
        for child in head.children:
            if (
                child.dep_ in {"compound", "appos"}
                and child.pos_ == "PROPN"
                and head.i < child.left_edge.i <= head.i + 2
                and head.tag_ not in {"NNS", "NNPS"}
            ):
                other = self.mention_at(child.i)
                if (
                    other is not None
                    and other != index
                    and self.mentions[other].kind == "name"
                ):
                    self.wait_for_name(other, index)
                    return
        # "the village of X", "the island of Y": the place named after "of"
        named = self.place_named_of(head)
        if named is not None and named != index:
            self.wait_for_name(named, index)
            return
        ref = self.relative_by_kin(head)
        if ref is not None:
            # the relative stays in the background: "His father is Polish. He
            # studied law" is still about the son
            self.attach_nominal(ref, index, salient=False)
            return
        # "X founded it ... the founder": the doer of the noun's verb first
        ref = self.agent_of_verb(head)
        if ref is None and self.is_definite(span, head):
            ref = self.antecedent_of_description(index, span, head)
        if ref is None:
            ref = self.name_with_head(span, head)
        if ref is None and len(span) == 1 and head.tag_ == "NN" and mention.label:
            later = self.bare_institution(head)
            if isinstance(later, int):
                self.wait_for_name(later, index)
                return
            ref = later
        if ref is None:
            ref = model.new_ref("nominal")
            ref.plural = head.tag_ in {"NNS", "NNPS"}
            ref.person = mention.label == "PERSON"
            if mention.label:
                ref.label_votes[mention.label] += 1
        self.attach_nominal(ref, index)

    def agent_of_verb(self, head: Token) -> _Ref | None:
        """Return the named doer of the verb a definite agent noun derives from.

        "X published the articles ... the publisher", "Y founded the firm ...
        the founder": a bare definite "-er"/"-or" noun names the one who did
        what its verb says, the latest named subject (or "by"-agent) of that
        verb a sentence or two back.
        """
        word = head.lower_
        if head.tag_ != "NN" or not word.endswith(("er", "or")) or len(word) < 5:
            return None
        if [c.lower_ for c in head.children] not in (["the"], ["this"], ["that"]):
            return None
        stem = word[:-2]
        bases = {stem, stem + "e", word[:-1]}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            bases.add(stem[:-1])  # "winner": win
        first = head.sent.start
        for _ in range(_DESCRIPTION_WINDOW + 1):  # a bracket may end a "sentence"
            if first == 0:
                break
            first = self.doc[first - 1].sent.start
        for token in reversed(self.doc[first : head.i]):
            if token.pos_ != "VERB" or token.lemma_.lower() not in bases:
                continue
            doers = [c for c in token.children if c.dep_ == "nsubj"] + [
                g
                for c in token.children
                if c.dep_ == "agent"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            for doer in doers:
                ref = self.ref_at(doer.i)
                if ref is not None and ref.named:
                    return ref
            return None
        return None

    def bare_institution(self, head: Token) -> _Ref | int | None:
        """Return the one named institution a bare noun stands for ("in college").

        "went off to college", "back in college, back in X College": without
        an article an institution noun means the institution the text names
        with that noun as its head, if it names one only (a name later in the
        sentence, restating it, is returned as its mention index).
        """
        word = head.lower_
        found = {
            ref.id: ref
            for ref in self.model.refs
            if ref.named
            and ref.last_token < head.i
            and any(len(k.split()) > 1 and k.split()[-1] == word for k in ref.keys)
        }
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            return None
        sent = head.sent
        for i in range(head.i + 1, sent.end):
            for index in self.token_mentions.get(i, ()):
                span = self.model.spans[index]
                if (
                    self.mentions[index].kind == "name"
                    and span is not None
                    and len(span) > 1
                    and span[-1].lower_ == word
                ):
                    return index
        return None

    def place_named_of(self, head: Token) -> int | None:
        """Return the place name an "of"-phrase gives a place noun ("town of X").

        "the village of X" is X, as "the capital of X" is not; a plural
        ("the towns of X and Y") names no one place.
        """
        if head.lemma_.lower() not in _OF_NAMED_NOUNS or head.tag_ in {"NNS", "NNPS"}:
            return None
        for prep in head.rights:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.pos_ != "PROPN":
                return None
            index = self.mention_at(pobj.i)
            if index is None:
                return None
            return index if self.mentions[index].kind == "name" else None
        return None

    def spouse_named_with(self, token: Token) -> _Ref | None:
        """Return who a name is said to marry ("X married Y", "X was married to Y")."""
        for _ in range(2):  # "the physician Y", "actress Y"
            if token.dep_ in _APPOSED_DEPS and token.head.pos_ in {"NOUN", "PROPN"}:
                token = token.head
        verb = token.head
        if token.dep_ == "pobj" and verb.lower_ == "to":
            verb = verb.head
        elif token.dep_ != "dobj":
            return None
        if verb.lemma_.lower() not in _MARRY_VERBS and verb.lower_ != "married":
            return None  # "married" as an adjective: "was married to Y"
        subjects = _subjects_of(verb.head if verb.dep_ == "acomp" else verb)
        if not subjects:
            return None
        ref = self.ref_at(subjects[0].i)
        return ref if ref is not None and ref.is_person() is not False else None

    def relative_by_kin(self, head: Token) -> _Ref | None:
        """Return the parent, child or spouse a kin noun's possessor was said to have.

        "Daniel was a son of Johann ... his father" (his: Daniel): Johann;
        "... Johann's son": Daniel; "X married Y ... his wife": Y. Only a
        single fitting relative is taken.
        """
        lemma = head.lemma_.lower()
        if not (self.parents or self.spouses) or head.tag_ in {"NNS", "NNPS"}:
            return None
        if not (
            lemma in _PARENT_NOUNS or lemma in _CHILD_NOUNS or lemma in _SPOUSE_NOUNS
        ):
            return None
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss is None:
            return None
        owner_index = self.mention_at(poss.i)
        if owner_index is None:
            return None
        owner_span = self.model.spans[owner_index]
        if (
            owner_index not in self.model.ref_of
            and owner_span is not None
            and self.mentions[owner_index].kind == "pronoun"
        ):
            # "his father": the possessor first, read as it would be next
            self.resolve_pronoun(owner_index, owner_span)
        owner = self.ref_at(poss.i)
        if owner is None:
            return None
        if lemma in _PARENT_NOUNS:
            gender = _PARENT_NOUNS[lemma]
            ids = self.parents.get(owner.id, [])
        elif lemma in _SPOUSE_NOUNS:
            gender = _SPOUSE_NOUNS[lemma]
            ids = self.spouses.get(owner.id, [])
        else:
            gender = _CHILD_NOUNS[lemma]
            ids = [c for c, known in self.parents.items() if owner.id in known]
        found = [
            ref
            for ref in (self.model.refs[i] for i in ids)
            if not (gender and ref.gender and ref.gender != gender)
        ]
        return found[0] if len(found) == 1 else None

    def is_definite(self, span: Span, head: Token) -> bool:
        dets = [c for c in head.children if c.dep_ == "det" and c.i < head.i]
        if not dets:
            dets = [t for t in span if t.dep_ == "det"]
        if not dets and head.lemma_.lower() in _COUNTRY_NOUNS | _SETTLEMENT_NOUNS:
            # "our country", "our city": the place the writers live in, the
            # one the text is about, as definite as "the country"
            if head.dep_ == "pobj" and head.tag_ == "NN" and not list(head.children):
                # "the old part of town", "back into town": a bare town noun
                # after a preposition is the town the text is about
                return True
            return any(c.dep_ == "poss" and c.lower_ == "our" for c in head.lefts)
        # "series", "games": plural in form, one work or event
        plural = (
            head.tag_ in {"NNS", "NNPS"} and head.lower_ not in WORK_NOUNS | EVENT_NOUNS
        )
        return bool(dets) and dets[0].lower_ in _DEFINITE and not plural

    def refs_inside(self, span: Span) -> set[int]:
        """Return the referents of the mentions inside a span ("the owner of X")."""
        return {
            self.model.ref_of[m]
            for i in range(span.start, span.end)
            for m in self.token_mentions.get(i, ())
            if m in self.model.ref_of
        }

    def name_with_head(self, span: Span, head: Token) -> _Ref | None:
        """Return the latest named thing whose name ends in a definite noun's head.

        "Jahan Square ... the square", "Tulsa International Airport ... the
        airport", "the Chatham Islands ... these islands": the description
        repeats the common noun that heads the name (plural with a plural name).
        A possessive determiner makes it as definite ("X, a wiki site ... his
        site", "Tulsa is a city ... their city"), when it names one thing, no
        people.
        """
        word, lemma = head.lower_, head.lemma_.lower()
        owned = any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in head.lefts)
        if not owned and not any(
            c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.lefts
        ):
            return None
        if owned and head.tag_ != "NN":
            return None  # "his services" is no one thing named before
        if any(c.dep_ not in _BARE_NOUN_DEPS for c in head.children):
            return None  # "the first mission since Apollo" says more than the name
        inside = self.refs_inside(span)
        ids = {*self.model.by_role.get(word, ()), *self.model.by_role.get(lemma, ())}
        found: list[_Ref] = [
            ref
            for ref in (self.model.refs[r] for r in ids)
            if ref.named
            and ref.id not in inside
            and not (owned and ref.top_label in _PEOPLE_LABELS | _PERSON_LABELS)
            and ref.last_token < head.i
            and (
                ref.is_person() is not True
                or nominal_class(head.lemma_) in _PLACE_CLASSES
                # "The project is called X ... the project": whatever the
                # tagger took X for, the text called it so
                or (lemma in ref.roles and not nominal_class(lemma))
            )
            and (
                any(word in (key.split()[0], key.split()[-1]) for key in ref.keys)
                or lemma in ref.roles  # "X is a wiki site ... the site"
            )
        ]
        if not found:
            return None
        return max(found, key=lambda r: (r.last_sent, r.last_token))

    def antecedent_of_description(
        self, index: int, span: Span, head: Token
    ) -> _Ref | None:
        mention = self.mentions[index]
        cls = mention.label
        if not cls:
            return None
        sent = mention.sent_index
        lemma = head.lemma_.lower()
        if lemma in KIN_GROUP_NOUNS:
            # "the family" is a family the text named ("the X family"), no
            # people or body of another kind read just before
            return None
        gender = "f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None
        model = self.model
        inside = self.refs_inside(span)

        onto = load_ontology()
        # "the company" is no facility, "the council" no building
        noun_classes = onto.classes_for_noun(lemma) if cls != "PERSON" else ()

        def fits(ref: _Ref) -> bool:
            if not ref.named or ref.plural or ref.id in inside:
                return False
            # a place once called a town may be called the city or municipality
            called_so = lemma in ref.roles or bool(
                lemma in _SETTLEMENT_NOUNS and ref.roles & _SETTLEMENT_NOUNS
            )
            if noun_classes and ref.label_votes and not called_so:
                voted = onto.class_for_ner_label(ref.top_label)
                if voted is not None and not any(
                    onto.is_a(voted, c) or onto.is_a(c, voted) for c in noun_classes
                ):
                    return False
            if lemma in _SETTLEMENT_NOUNS and ref.known_classes & _LARGE_PLACES:
                return False  # "the city" is no country or continent
            if lemma in _COUNTRY_NOUNS and "Country" not in ref.known_classes:
                return False  # "the country" is no sea, continent or city
            if lemma in _REGION_NOUNS and ref.known_classes & _LARGE_PLACES:
                return False  # "the region" is a part of a country, or spans several
            is_person = ref.is_person()
            if cls == "PERSON":
                if is_person is False:
                    return False
            elif not self.compatible_class(ref, cls):
                return False
            elif is_person and not called_so:
                # a place the tagger took for a person is still what the text
                # called it ("X is the largest city ... the city")
                return False
            return not (gender and ref.gender and ref.gender != gender)

        if cls == "GPE" and lemma in _COUNTRY_NOUNS | _SETTLEMENT_NOUNS:
            if not any(c.dep_ in {"det", "poss"} for c in head.children):
                # a bare "town" only for a place the text called a town or city
                return self.main_place(
                    head, lambda r: fits(r) and bool(r.roles & _SETTLEMENT_NOUNS)
                )
            return self.main_place(head, fits)
        if lemma in _REGION_NOUNS and cls in {"GPE", "LOC"}:
            # "Northeast Ohio ... this region": the latest name of a region
            # (tagged a location, not a political place) a few sentences back
            regions = [
                r
                for r in model.recent(sent, _REGION_WINDOW)
                if fits(r)
                and r.last_token < head.i
                and r.top_label == "LOC"
                and not any(_other_place_head(k, lemma) for k in r.keys)
            ]
            if regions:
                return max(regions, key=lambda r: (r.last_sent, r.last_token))
        # a referent already called so ("President X" ... "the president")
        plain = all(c.dep_ in {"det", "amod", "poss"} for c in head.lefts)
        # "the red-light district" after "X's red-light district, Y": a noun
        # with modifiers is a role only of a referent described in those words
        wording = ""
        if not plain:
            first = next((t for t in span if t.dep_ != "det"), head)
            words = self.doc[first.i : head.i + 1].text.lower()
            wording = words if " " in words or "-" in words else ""
        roles = model.by_role.get(lemma, ()) if plain or wording else ()
        called = [
            model.refs[r]
            for r in roles
            if fits(model.refs[r])
            and (
                plain
                or any(
                    (said := model.spans[m]) is not None
                    and said.root.lemma_.lower() == lemma
                    and said.text.lower().endswith(wording)
                    for m in model.refs[r].mentions
                    if m != index
                )
            )
        ]
        if called:
            return max(called, key=lambda r: (r.last_sent, r.last_token))
        window = 1 if cls == "PERSON" else _DESCRIPTION_WINDOW
        recent = [
            r for r in model.recent(sent, window) if fits(r) and r.last_token < head.i
        ]
        if not recent:
            return None
        if cls == "PERSON":
            return max(recent, key=lambda r: (r.last_sent, r.last_token))
        if cls in {"WORK_OF_ART", "EVENT"}:
            # "the docuseries", "the tournament": the latest work or event
            return max(recent, key=lambda r: (r.last_sent, r.last_token))
        # a place or body: the one name that fits near by, else only by a word
        # it was called ("the city" of a town named a city) — the most salient
        # of several was wrong five times in six on GUM dev ("the area")
        return recent[0] if len(recent) == 1 else None

    def main_place(self, head: Token, fits: Callable[[_Ref], bool]) -> _Ref | None:
        """Return the place a country or settlement noun names: the main one so far.

        "the country", "the city" in a text about a place mean the country or
        town the text is about, the one named or described most often so far
        (ties: the latest), not the last place named ("... visitors from Germany ...
        leaving the country"). A name headed by another place noun ("X
        Street", "Y Province", "Z Sea") is no city or country.
        """
        word = head.lemma_.lower()
        found: list[tuple[int, int, _Ref]] = []
        for ref in self.model.refs:
            if ref.last_token >= head.i or not fits(ref):
                continue
            if word in _SETTLEMENT_NOUNS and any(
                _other_place_head(key, word) for key in ref.keys
            ):
                continue
            said = sum(self.mentions[m].kind != "pronoun" for m in ref.mentions)
            found.append((said, ref.last_token, ref))
        return max(found, key=lambda x: x[:2])[2] if found else None

    def compatible_class(self, ref: _Ref, cls: str) -> bool:
        labels = set(ref.label_votes)
        if cls == "ORG":
            return bool(labels & {"ORG", "NORP", "FAC"})
        if cls == "GPE":
            return bool(labels & {"GPE", "LOC"})
        if cls == "WORK_OF_ART":
            return bool(labels & {"WORK_OF_ART", "PRODUCT", "LAW"})
        return cls in labels

    # pronouns -----------------------------------------------------------------

    def resolve_pronoun(
        self, index: int, span: Span, *, cataphora: bool = True
    ) -> None:
        token = span.root
        word = token.lower_
        model = self.model
        sent = self.mentions[index].sent_index
        ref: _Ref | None = None
        if word == "there":
            ref = self.place_antecedent(token, sent)
            if ref is not None:
                model.add(ref, index, sent, None)
            return
        if word in _RELATIVE:
            ref = self.relative_antecedent(token)
        elif word in _REFLEXIVE:
            verb = token.head if token.head.pos_ in {"VERB", "AUX"} else _verb_of(token)
            subjects = _subjects_of(verb) if verb is not None else []
            ref = self.ref_at(subjects[0].i) if subjects else None
            if ref is not None and not self.agrees(ref, word):
                ref = None
        if (
            ref is None
            and cataphora
            and word not in _RELATIVE | _PLUR
            and not _is_pleonastic(token)
        ):
            later = self.cataphor(token)
            if later is not None:
                self.pending_pronouns.setdefault(later, []).append(index)
                return
        if ref is None and not (word in _RELATIVE or _is_pleonastic(token)):
            ref = self.reporting_subject(token, word) or self.best_antecedent(
                token, word, sent
            )
        if ref is None:
            ref = model.new_ref("pronoun")
            ref.plural = word in _PLUR
            if word in _MASC | _FEM:
                ref.person = True
            elif word in _NEUT:
                ref.person = False
        if word in _MASC | _FEM:
            ref.gender_votes["m" if word in _MASC else "f"] += 1
            ref.label_votes["PERSON"] += 1
            ref.person_cues += 1
        elif word in _NEUT and ref.named:
            ref.neuter += 1
        model.add(ref, index, sent, token, token.i in self.quote_of)

    def place_antecedent(self, token: Token, sent: int) -> _Ref | None:
        """Return the place a locative "there" stands for: the latest one named.

        A place named after a locative preposition ("went to Rome", "lived in
        Oslo") in this or the previous sentences; nothing if none is near.
        """
        found = [
            ref
            for ref in self.model.recent(sent, _DESCRIPTION_WINDOW)
            if ref.named
            and ref.last_token < token.i
            and (
                self.reached(ref)
                or (ref.last_sent == sent and ref.is_person() is None)
                or (
                    (ref.locative or ref.top_label in _PLACE_LABELS)
                    and ref.is_person() is not True
                )
            )
        ]
        if not found:
            return None
        return max(found, key=lambda r: r.last_token)

    def reached(self, ref: _Ref) -> bool:
        """Tell a referent last named as where someone goes or is.

        "went to X", "moved from X", "reach X", "visit X": the goal or source
        of a motion verb is a place, whatever a tagger made of its name
        ("St. Petersburg" read as a saint's name, "La Pointe" as a body).
        """
        index = self.mention_at(ref.last_token)
        span = self.model.spans[index] if index is not None else None
        if span is None:
            return False
        head = _head(span)
        verb = head.head
        if head.dep_ == "pobj" and verb.lower_ in _LOCATIVE_PREPS | {"to", "from"}:
            verb = verb.head
        elif head.dep_ != "dobj":
            return False
        return verb.pos_ == "VERB" and verb.lemma_.lower() in _MOTION_VERBS

    def cataphor(self, token: Token) -> int | None:
        """Return the later name a pronoun in a fronted adjunct points to.

        "During her first season, Ada Lovelace ...": the pronoun sits in a
        phrase attached to the main verb before its subject, and the subject is
        a name.
        """
        node = token
        for _ in range(10):
            head = node.head
            if head.i == node.i:
                return None
            if head.pos_ in {"VERB", "AUX"}:
                subjects = [
                    c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}
                ]
                if subjects and node.dep_ in _FRONTED_DEPS:
                    if node.i < subjects[0].i and token.i < subjects[0].i:
                        index = self.head_mention.get(subjects[0].i)
                        if index is not None and self.mentions[index].kind == "name":
                            return index
                    return None
                if head.dep_ not in _FRONTED_DEPS and (
                    subjects or node.dep_ not in {"prep", "pobj", "pcomp", "dobj"}
                ):
                    return None
            node = head
        return None

    def reporting_subject(self, token: Token, word: str) -> _Ref | None:
        """Return the previous quote's speaker for the subject of "He added"."""
        if token.i in self.quote_of or token.dep_ not in _SUBJ_DEPS:
            return None
        if token.head.lemma_.lower() not in _SPEECH_VERBS:
            return None
        before = [q for q in self.quotes if q.end <= token.i and token.i - q.end <= 12]
        if not before or before[-1].speaker is None:
            return None
        ref = self.ref_at(before[-1].speaker)
        return ref if ref is not None and self.agrees(ref, word) else None

    def relative_antecedent(self, token: Token) -> _Ref | None:
        node = token
        for _ in range(4):
            if node.dep_ == "relcl":
                return self.ref_at(node.head.i)
            node = node.head
        return None

    def agrees(self, ref: _Ref, word: str, *, since: int = 0) -> bool:
        """Tell a referent the pronoun ``word`` may stand for.

        ``since`` is the first sentence of the pronoun's window: a people's
        name counts for "they" only if used there as more than an adjective.
        """
        person = ref.is_person()
        if word in _PLUR:
            return (
                ref.plural
                or (ref.plural_form and not ref.person_cues)
                or (
                    not person
                    and bool(set(ref.label_votes) & _PEOPLE_LABELS)
                    and not self.only_modifier(ref, since)
                )
            )
        if ref.plural:
            return False
        if ref.plural_form and not ref.person_cues and word not in _NEUT:
            return False  # "Thais" is no "he"; "the Islands" may still be "it"
        if word in _NEUT:
            if set(ref.label_votes) & {"NORP"}:
                return False
            if ref.gender is not None and not (ref.weak_gender and person is False):
                return False  # a place named like a given name ("York") is "it"
            return person is False or (ref.named and ref.person_cues == 0)
        if ref.kind == "np":
            return False
        if ref.neuter and not ref.person_cues and not ref.label_votes:
            return False  # a name no tagger typed that took "it" ("wikiHow ... its")
        if person is False and not self.maybe_person(ref):
            return False
        if ref.common and not ref.person_cues:
            return False  # "Marriage ... marriage": a concept, no "he"
        return ref.weak_gender or not self.gender_clash(ref, word)

    def is_collective(self, ref: _Ref) -> bool:
        """Tell a named organisation or country, which "they" may take up.

        A collective noun has notional plural agreement: "Google says they
        can't", "Russia felt threatened, so they rearmed". The reading costs
        :data:`_W_COLLECTIVE`, so a true plural near the pronoun wins.
        """
        return (
            ref.named
            and ref.is_person() is False
            and ref.top_label in {"ORG", "GPE"}
            and not ref.initialism
        )

    def collective_reading(
        self, token: Token, candidates: Sequence[_Ref], sent: int
    ) -> bool:
        """Tell a "they" that may take up an organisation or country.

        Not when a named plural or people agrees ("the Armenians ... They"),
        nor after a coordination in its sentence ("X, her mother and her
        sister ... their house"): those are the plural it stands for.
        """
        if any(
            ref.named and self.agrees(ref, token.lower_, since=sent - _PRONOUN_WINDOW)
            for ref in candidates
        ):
            return False
        return not any(
            t.dep_ == "conj" and t.pos_ in {"NOUN", "PROPN", "PRON"}
            for t in token.sent
            if t.i < token.i
        )

    def only_modifier(self, ref: _Ref, since: int = 0) -> bool:
        """Tell a people's name read lately only as an adjective ("Armenian town").

        "They" takes up the people ("the Armenians"), not an adjective that
        named them in passing: "the Armenian town ... They" is the townsfolk.
        Only the uses from sentence ``since`` on count: a language named
        paragraphs before ("Athens (Greek: ...)") is no people of the
        pronoun's passage.
        """
        heads = [
            _head(span)
            for index in ref.mentions
            if (span := self.model.spans[index]) is not None
            and self.mentions[index].sent_index >= since
        ]
        return bool(heads) and all(
            head.dep_ == "amod" and head.tag_ == "JJ" for head in heads
        )

    def owned_thing(self, ref: _Ref, word: str, sent: int) -> bool:
        """Tell an unnamed noun whose own possessor is a rival for "it".

        "The town's name reflects its history": a thing named only as the
        possession of another ("name" of the town) yields "its" to its
        possessor, the referent the phrase is about, in the pronoun's own
        sentence (a thing named in a sentence before is a topic of its own).
        """
        if ref.kind != "np" or len(ref.history) != 1 or ref.history[0][0] != sent:
            return False
        head = self.doc[ref.history[0][1]]
        for child in head.children:
            if child.dep_ == "poss":
                owner = self.ref_at(child.i)
                return owner is not None and self.agrees(owner, word)
        return False

    def bound_despite_lexicon(self, token: Token, ref: _Ref, local: set[int]) -> bool:
        """Tell a he/she bound to a subject whose gender only the name lexicon gave.

        "X described her as the best pupil he ever taught": the subject of a
        relative clause on the main verb's object is the main subject, so
        strongly that it outweighs a first-name guess (given names such as
        "Andrea" are male in some languages, female in others).
        """
        return (
            token.lower_ in _MASC | _FEM
            and token.dep_ in _NOMINAL_SUBJ_DEPS
            and ref.id in local
            and ref.is_person() is not False
            and bool(ref.lexicon_votes)
            and ref.gender_votes == ref.lexicon_votes
        )

    def gender_clash(self, ref: _Ref, word: str) -> bool:
        """Tell a he/she pronoun whose gender is not the referent's."""
        gender = ref.gender
        if word in _MASC:
            return gender == "f"
        return word in _FEM and gender == "m"

    def maybe_person(self, ref: _Ref) -> bool:
        """Tell a lone capitalised word tagged as a place or group (maybe a surname).

        A known country or continent ("Germany") is no surname: no "he" for it,
        nor is a word the text also writes in lower case as a common noun
        ("the Special Marriage Act ... a marriage").
        """
        return (
            ref.named
            and not ref.common
            and not ref.locative
            and not ref.known_classes & _LARGE_PLACES
            and all(" " not in key for key in ref.keys)
            and not ref.initialism
            and not ref.label_votes["WORK_OF_ART"]
            and set(ref.label_votes) != {"NORP"}
        )

    def conjunct_owner(self, token: Token) -> int | None:
        """Return the referent a possessive's phrase is conjoined to.

        "X and her husband", "X or his heirs": the possessor is the first
        conjunct's referent.
        """
        if token.dep_ != "poss" or token.head.dep_ != "conj":
            return None
        first = token.head.head
        if first.i > token.i or first.pos_ not in {"PROPN", "NOUN"}:
            return None
        ref = self.ref_at(first.i)
        return ref.id if ref is not None else None

    def clause_subjects(self, token: Token) -> set[int]:
        """Return the referents of the subject of the pronoun's clause.

        A subject pronoun is its own clause's subject; in a relative clause
        on an argument of the main verb, the main clause's subject is its
        local one ("X called her the best pupil he ever taught": X).
        """
        node = token.head
        if token.dep_ in _ARG_DEPS and not _is_possessive(token):
            if not (
                token.dep_ in _NOMINAL_SUBJ_DEPS
                and node.dep_ == "relcl"
                and node.head.dep_ in _OBJ_DEPS | {"dative", "pobj"}
                and node.head.head.pos_ in {"VERB", "AUX", "ADP"}
            ):
                return set()
            node = node.head.head
        for _ in range(6):
            if node.pos_ in {"VERB", "AUX"}:
                break
            if node.head.i == node.i:
                return set()
            node = node.head
        out = set()
        for subj in _subjects_of(node):
            if subj.lower_ in _RELATIVE_THINGS and subj.head.dep_ == "relcl":
                subj = subj.head.head  # "X, which urged its staff": X urges
            if subj.i < token.i:
                ref = self.ref_at(subj.i)
                if ref is not None:
                    out.add(ref.id)
        return out

    def first_person_voice(self, token_i: int) -> bool:
        """Tell an unquoted "I"/"me"/"my": the narrator or a transcript's speaker.

        Outside quotation marks, a voice calls itself "I", never "he", "she"
        or "it": such a mention gives a referent no salience for them.
        """
        return self.doc[token_i].lower_ in _FIRST and token_i not in self.quote_of

    def best_antecedent(self, token: Token, word: str, sent: int) -> _Ref | None:
        model = self.model
        excluded: set[int] = set()
        # binding: a non-reflexive pronoun is not a co-argument of its verb
        verb = _verb_of(token)
        if verb is not None and not _is_possessive(token):
            for arg in _co_arguments(verb):
                if (
                    arg.dep_ in _SUBJ_DEPS
                    and token.dep_ in _SUBJ_DEPS
                    and arg.i < token.i
                ):
                    continue  # "The boss, Ann, she said": a dislocated subject resumed
                if arg.i != token.i:
                    other = self.ref_at(arg.i)
                    if other is not None:
                        excluded.add(other.id)
        # nor a phrase it is conjoined with ("she and Ada")
        for conjunct in token.conjuncts:
            other = self.ref_at(conjunct.i)
            if other is not None:
                excluded.add(other.id)
        # i-within-i: not the phrase the pronoun sits in ("her father"), nor
        # the name that phrase is waiting for ("her husband, Tom")
        for containing in self.token_mentions.get(token.i, ()):
            if containing in self.described:
                continue  # "Tom, who said he would": the clause is no phrase of his
            name_index = self.pending_of.get(containing)
            if name_index is not None:
                later = self.mentions[name_index]
                name = _parse_name(later.text)
                if name.key:
                    person = later.label in _PERSON_LABELS
                    for ref in self.name_candidates(name, person, later.text):
                        excluded.add(ref.id)
            if (
                containing in model.ref_of
                and self.mentions[containing].kind != "pronoun"
            ):
                excluded.add(model.ref_of[containing])
        quote = self.quote_of.get(token.i)
        if quote is not None and quote.speaker is not None:
            speaker = self.ref_at(quote.speaker)
            if speaker is not None:
                excluded.add(speaker.id)
        _weight, role = _role_weight(token)
        quoted = quote is not None
        local = self.clause_subjects(token)
        partner = self.conjunct_owner(token)
        best = 0.0
        chosen: _Ref | None = None
        scored: list[tuple[float, int, _Ref]] = []
        candidates = [
            ref
            for ref in model.recent(sent, _PRONOUN_WINDOW)
            if ref.id not in excluded and ref.history
        ]
        collectives = word in _PLUR and self.collective_reading(token, candidates, sent)
        for ref in candidates:
            if word in _NEUT and self.owned_thing(ref, word, sent):
                continue
            collective = False
            if not self.agrees(
                ref, word, since=sent - _PRONOUN_WINDOW
            ) and not self.bound_despite_lexicon(token, ref, local):
                if not collectives or not self.is_collective(ref):
                    continue
                collective = True
            score = -_W_COLLECTIVE if collective else 0.0
            last: tuple[int, int, float, str, bool] | None = None
            voiced = False
            for h in ref.history:
                if h[1] >= token.i or h[0] > sent:
                    continue
                if not quoted and self.first_person_voice(h[1]):
                    voiced = True
                    continue  # a voice's "I" is not who its "he" or "it" is
                if _names_a_kind(self.doc[h[1]]):
                    continue  # "such an organization" is no thing of its own
                factor = 0.5 if h[4] and not quoted else 1.0
                score += h[2] * factor * _DECAY ** (sent - h[0])
                if last is None or h[1] > last[1]:
                    last = h
            if last is None or (voiced and last[0] < sent - _PRONOUN_WINDOW):
                continue
            if last[3] == role:
                score += _W_PARALLEL
            if ref.id in local:
                score += _W_LOCAL
            if (
                word not in _NEUT | _PLUR
                and ref.is_person() is False
                or word in _NEUT
                and ref.is_person()
            ):
                score -= _W_NOT_PERSON
            if self.gender_clash(ref, word):
                score -= _W_WEAK_GENDER
            if last[0] == sent:
                score += _W_SAME_SENT
            if ref.named:
                score += _W_NAMED
                if (
                    word in _PLUR
                    and set(ref.label_votes) & _PEOPLE_LABELS
                    and any(key.endswith("s") for key in ref.keys)
                ):
                    score += _W_PEOPLE  # "the Saudis", not "Buddhist monks"
            scored.append((score, last[1] if last[0] == sent else -1, ref))
        if scored and word in _MASC | _FEM | _PLUR:
            # he/she leans to the nearest referent of its own sentence, a
            # possessive strongly ("X praised Y's work and her ..."); "they"
            # only to a people, from a subordinate clause ("talking to the
            # Basques when they ...")
            # a predicate nominal ("X was the last Y") describes the subject,
            # a name modifying a noun ("a Catholic church") the thing: neither
            # is a nearer referent
            nearest = max(
                range(len(scored)),
                key=lambda k: (
                    -1 if _describes(self.doc, scored[k][1]) else scored[k][1]
                ),
            )
            at = scored[nearest][1]
            inside = self.doc[at].head if at >= 0 else None
            if (
                inside is not None
                and self.doc[at].dep_ == "poss"
                and inside.dep_ in _NOMINAL_SUBJ_DEPS
                and inside.i < token.i
            ):
                # "his father carried the grudge until his death": the
                # subject, not the possessor inside it, is the nearer referent
                subject = self.ref_at(inside.i)
                for k, (score, _at, ref) in enumerate(scored):
                    if (
                        subject is not None
                        and ref.id == subject.id
                        and ref.id in local
                        and k != nearest
                    ):
                        nearest = k
                        scored[k] = (score, at, ref)
                        break
            if scored[nearest][1] >= 0 and (
                word not in _PLUR
                or (
                    set(scored[nearest][2].label_votes) & _PEOPLE_LABELS
                    and _in_subordinate_clause(token)
                )
            ):
                score, at, ref = scored[nearest]
                bonus = _W_NEAREST if _is_possessive(token) else _W_NEAREST_ARG
                scored[nearest] = (score + bonus, at, ref)
        if word in _MASC | _FEM and scored:
            scored = [
                (score + _W_FRONTED, at, ref)
                if at >= 0 and _in_fronted_adjunct(self.doc, at, token)
                else (score, at, ref)
                for score, at, ref in scored
            ]
        for _score, _at, ref in scored:
            if ref.id == partner:
                return ref  # "X and her students": the first conjunct
        if _emphatic_possessive(token):
            for _score, _at, ref in scored:
                if ref.id in local:
                    return ref  # "X took Y's idea for his own book": X
        for score, _at, ref in scored:
            if score > best:
                best, chosen = score, ref
        return chosen

    def resolve_title_pronoun(self, index: int, token: Token) -> None:
        """Link the "My" of "his My Life" to the possessor before the title."""
        ref = self.ref_at(token.i - 1)
        if ref is not None:
            self.model.add(ref, index, self.mentions[index].sent_index, None)

    def resolve_speech_pronoun(self, index: int) -> bool:
        """Link "I"/"you" in a quotation to its speaker/addressee, if known yet."""
        span = self.model.spans[index]
        if span is None:
            return True
        token = span.root
        quote = self.quote_of.get(token.i)
        if quote is None:
            reporter = self.unquoted_reporter(token)
            if reporter is not None:
                sent = self.mentions[index].sent_index
                self.model.add(reporter, index, sent, token, True)
                return True
            return self.resolve_interview_pronoun(index, token)
        target = quote.speaker if token.lower_ in _FIRST else quote.addressee
        if target is None:
            return True
        ref = self.ref_at(target)
        if ref is None:
            return False
        self.model.add(ref, index, self.mentions[index].sent_index, token, True)
        return True

    def unquoted_reporter(self, token: Token) -> _Ref | None:
        """Return who speaks an "I" that opens unquoted direct speech.

        "... where he said, I hereby issue waivers": a first person right
        after a speech verb and a comma quotes the verb's subject, when that
        subject is a third party (not "I" or "you").
        """
        doc = self.doc
        i = token.i
        if token.lower_ not in _FIRST or i < 2 or doc[i - 1].text != ",":
            return None
        verb = doc[i - 2]
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in _SPEECH_VERBS:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects or subjects[0].lower_ in _FIRST | _SECOND | _FIRST_PLURAL:
            return None
        return self.ref_at(subjects[0].i)

    def resolve_we(self, index: int, token: Token) -> None:
        """Link "we"/"us"/"our" to the group of one voice, never to a third party.

        First person plural is the speaker and others: it is no antecedent
        for third-person pronouns and takes none. Each voice (a quotation's
        speaker, else the text outside quotations) has one such group; the
        group is no entity unless a rule names it.
        """
        quote = self.quote_of.get(token.i)
        ref = None if quote is not None else self.speaker_group(token)
        if ref is None:
            if quote is None:
                voice = -1
            elif quote.speaker is None:
                voice = -2 - quote.start
            else:
                voice = quote.speaker
            ref = self.we_refs.get(voice)
            if ref is None:
                ref = self.model.new_ref("we")
                ref.plural = True
                ref.person = True
                self.we_refs[voice] = ref
        # no salience: "we" is no antecedent of a third-person pronoun
        self.model.ref_of[index] = ref.id
        ref.mentions.append(index)

    def speaker_group(self, token: Token) -> _Ref | None:
        """Return the organisation an interviewee answering with "we" leads or is in.

        The text must say so: a description of the interviewee headed by a
        role in a group ("wikiHow founder", "a member of Acme", "Acme's
        chief executive") with the group's name, or a description of a named
        group ("a member of the club"), attached to that role.
        """
        target = self.interlocutor(token.i)
        if self.interviewee is None or target != self.interviewee[1]:
            return None
        person = self.ref_at(target)
        if person is None or not person.named or self.addresses(token, person):
            return None
        if person.id not in self.groups:
            self.groups[person.id] = self.group_of(person)
        return self.groups[person.id]

    def group_of(self, person: _Ref) -> _Ref | None:
        for index in person.mentions:
            span = self.model.spans[index]
            if span is None or self.mentions[index].kind != "nominal":
                continue
            head = _head(span)
            if head.lemma_.lower() not in _GROUP_ROLES:
                continue
            places = [c for c in head.children if c.dep_ in _GROUP_DEPS]
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in {"of", "at"}:
                    places += [c for c in prep.children if c.dep_ == "pobj"]
            for place in places:
                index_of = self.mention_at(place.i)
                if index_of is None or self.mentions[index_of].kind == "pronoun":
                    continue  # a name, or a description of a named group
                ref = self.ref_at(place.i)
                if ref is not None and ref.named and ref.id != person.id:
                    return ref
        return None

    def resolve_interview_pronoun(self, index: int, token: Token) -> bool:
        """Link "I" and "you" outside quotations in a dialogue to its interlocutor.

        Outside quotations first person is the writer's, except in a dialogue
        with a named interlocutor: an interview ("Reporters interviewed Ada
        Lovelace"), or a transcript that gives someone the floor (a paragraph
        ending with their name alone, "Dr. Byrne."). After that, each
        paragraph is a turn: in a turn that addresses the interlocutor (by
        name, or as a question), "you" is the interlocutor; in the others,
        "I" is (the interlocutor answering).
        """
        target = self.interlocutor(token.i)
        if target is None:
            return True
        ref = self.ref_at(target)
        if ref is None or not ref.named:
            return True
        if ref.is_person() is False and ref.top_label in _PLACE_LABELS:
            return True  # a heading naming a place gives no one the floor
        addressed = self.addresses(token, ref)
        if addressed is None and token.lower_ in _SECOND:
            addressed = self.replies_to(token, ref)
        if token.lower_ in _SECOND:
            asks = token.sent.text.rstrip().endswith("?")
            if addressed is False or not (addressed or asks):
                return True
        elif addressed:
            return True
        self.model.add(ref, index, self.mentions[index].sent_index, token)
        return True

    def interlocutor(self, token_i: int) -> int | None:
        """Return the token of the named person a dialogue is held with, if any."""
        cues = list(self.floors)
        if self.interviewee is not None:
            cues.append(self.interviewee)
        before = [c for c in cues if c[0] < token_i]
        return max(before)[1] if before else None

    def turn_of(self, token_i: int) -> int | None:
        k = bisect.bisect_right(self.turn_starts, token_i) - 1
        if k < 0 or token_i >= self.turns[k][1]:
            return None
        return k

    def turn_cues(self, k: int) -> tuple[list[Span], bool]:
        """Return a turn's vocatives, and whether it reads as a question to someone.

        A question: its last sentence ends with "?", or it speaks to "you"
        without speaking in the first person.
        """
        if k not in self.turn_cache:
            sents = self.turn_sents[k]
            vocatives = [
                v
                for sent in sents
                for v in _vocatives(sent)
                if v.start not in self.quote_of
            ]
            start, end = self.turns[k]
            persons = {
                t.lower_
                for t in self.doc[start:end]
                if t.pos_ == "PRON" and t.i not in self.quote_of
            }
            asks = bool(sents) and sents[-1].text.rstrip().endswith("?")
            second = bool(persons & _SECOND) and not persons & _FIRST
            self.turn_cache[k] = (vocatives, asks or second)
        return self.turn_cache[k]

    def replies_to(self, token: Token, ref: _Ref) -> bool | None:
        """Tell a turn that replies to ``ref``'s turn just before it.

        ``ref``'s turn addressing others by name ("..., my Lords.") is
        answered by the next turn: its "you" is ``ref``. True then, else None.
        (Its "I" is left alone: an answer often runs on over paragraphs.)
        """
        k = self.turn_of(token.i)
        if k is None or k == 0 or self.turn_addresses(k - 1, ref) is not False:
            return None
        return True

    def addresses(self, token: Token, ref: _Ref) -> bool | None:
        """Tell whether the turn of ``token`` addresses ``ref``.

        True when a vocative names ``ref``, or the turn asks a question; False
        when its vocatives address someone else; None when it says nothing.
        """
        k = self.turn_of(token.i)
        if k is None:
            return None
        return self.turn_addresses(k, ref)

    def turn_addresses(self, k: int, ref: _Ref) -> bool | None:
        """Tell whether turn ``k`` addresses ``ref`` (see :meth:`addresses`)."""
        vocatives, question = self.turn_cues(k)
        if (
            vocatives
            and self.interviewee is not None
            and self.ref_at(self.interviewee[1]) is ref
            and all(_is_title_address(v) for v in vocatives)
        ):
            return True  # "Mr. President, do you ...?" to the interviewee
        if vocatives:
            return any(
                other is not None and other.id == ref.id
                for v in vocatives
                for other in (
                    self.ref_at(t.i) for t in v if t.lower_ not in _PERSONAL_DETS
                )
            )
        return True if question else None

    def find_floors(self) -> list[tuple[int, int]]:
        """Return the paragraphs that end by giving a named person the floor.

        "We will hear Dr. Ada Byrne first. Dr. Byrne.": a paragraph whose last
        sentence is a person's name alone; returns (its last token, the name).
        """
        out: list[tuple[int, int]] = []
        for (_start, end), sents in zip(self.turns, self.turn_sents, strict=True):
            if not sents:
                continue
            last = sents[-1]
            words = [t for t in last if not (t.is_punct or t.is_space)]
            if not words:
                continue
            index = self.mention_at(words[-1].i)
            if index is None:
                continue
            mention = self.mentions[index]
            span = self.model.spans[index]
            if (
                span is None
                or mention.kind != "name"
                or mention.label not in _PERSON_LABELS | {""}
            ):
                continue
            rest = [t for t in words if not span.start <= t.i < span.end]
            if all(t.lower_.rstrip(".") in _HONORIFICS for t in rest):
                out.append((end - 1, span.root.i))
        return out

    def find_interviewee(self) -> tuple[int, int] | None:
        """Return the token of an "interview" verb and of its named interviewee.

        A headline the tagger reads as one name ("Wikinews interviews Ada
        Byrne") still names its interviewee; "In an interview with X, Y said"
        reports another interview and names none.
        """
        for i in token_indices(
            self.doc, LEMMA, [self.doc.vocab.strings.add("interview")]
        ):
            verb = self.doc[i]
            if verb.dep_ == "acl" and verb.tag_ == "VBN":
                # "Ada Lovelace, Acme founder interviewed by ...": the noun it
                # modifies, or the name that noun is apposed to
                head = verb.head.head if verb.head.dep_ == "appos" else verb.head
                if self.person_name_at(head.i):
                    return verb.i, head.i
            if (
                verb.tag_ == "VBZ"
                and verb.dep_ in {"compound", "appos"}
                and verb.i + 1 < len(self.doc)
                and verb.head.i > verb.i
            ):
                # a headline misparsed as a name: "Wikinews interviews Ada Byrne"
                index = self.mention_at(verb.i + 1)
                if index is not None and self.mentions[index].kind == "name":
                    return verb.i, verb.i + 1
            if verb.head.lower_ == "in" and verb.dep_ == "pobj":
                continue  # "In an interview with X, Y said": another's interview
            for child in verb.children:
                if (
                    child.dep_ in {"dobj", "nsubjpass"}
                    and self.mention_at(child.i) is not None
                ):
                    return verb.i, child.i
                # "An Interview with (the philosopher) Ada Lovelace"
                if (
                    verb.pos_ == "NOUN"
                    and child.dep_ == "prep"
                    and child.lower_ == "with"
                ):
                    for obj in child.children:
                        if obj.dep_ != "pobj":
                            continue
                        for token in obj.subtree:
                            if self.person_name_at(token.i):
                                return verb.i, token.i
        return None

    def find_questioned(self) -> tuple[int, int] | None:
        """Return the first question turn of a Q&A and the person named before it.

        An interview may never say "interview": it is laid out as questions
        to "you", each a paragraph of its own outside quotations and
        answered by the next paragraph. Two such questions make a Q&A; the
        interviewee is the first person named before the first question
        (in the title or introduction). Returns (the token before that
        question, the name's token).
        """
        questions: list[int] = []
        for k, sents in enumerate(self.turn_sents[:-1]):
            answer = self.turn_sents[k + 1]
            if not sents or not answer:
                continue
            start, end = self.turns[k]
            tokens = self.doc[start:end]
            if (
                sents[-1].text.rstrip().endswith("?")
                and not answer[-1].text.rstrip().endswith("?")
                and any(t.lower_ in _SECOND for t in tokens)
                and not any(t.is_quote or t.i in self.quote_of for t in tokens)
            ):
                questions.append(start)
        if len(questions) < 2 or questions[0] == 0:
            return None
        for index, mention in enumerate(self.mentions):
            span = self.model.spans[index]
            if span is None or span.start >= questions[0]:
                break
            if (
                mention.kind == "name"
                and mention.label in _PERSON_LABELS
                and span.start not in self.quote_of
            ):
                return questions[0] - 1, span.root.i
        return None

    # output -------------------------------------------------------------------

    def entities(self) -> tuple[Entity, ...]:
        onto = load_ontology()
        out: list[Entity] = []
        used: Counter[str] = Counter()
        for ref in self.model.refs:
            if not ref.named:
                continue
            mentions = sorted(
                (self.mentions[i] for i in ref.mentions),
                key=lambda m: (m.start_char, m.end_char),
            )
            names = [m for m in mentions if m.kind == "name"]
            if not names:
                continue
            votes = Counter(ref.label_votes)
            if ref.person is True:
                votes["PERSON"] += 1
            label = "Thing"
            for ner, _n in votes.most_common():
                cls = onto.class_for_ner_label(ner)
                if cls is not None:
                    label = cls
                    break
            best = max(
                names,
                key=lambda m: (
                    not _role_led(m.text),
                    len(_parse_name(m.text).words),
                    onto.class_for_ner_label(m.label) == label,
                    len(m.text),
                    -m.start_char,
                ),
            )
            key = _parse_name(best.text).key or name_key(best.text) or best.text
            used[key] += 1
            if used[key] > 1:
                key = f"{key} {used[key]}"
            best_key = name_key(best.text)
            aliases = sorted(
                {
                    m.text: None
                    for m in names
                    if name_key(m.text) != best_key and m.text != best.text
                }
            )
            out.append(
                Entity(
                    key=key,
                    label=label,
                    name=_plain_name(best.text),
                    mentions=tuple(dict.fromkeys(mentions)),
                    aliases=tuple(dict.fromkeys(aliases)),
                )
            )
        return tuple(out)


@register_resolver("kg.rules.v2")
def make_rule_resolver_v2() -> Resolver:
    """Make the rule-based resolver: names, descriptions and pronouns.

    See the module docstring for the rules.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace met Charles Babbage. She wrote to him.")
    >>> ents = make_rule_resolver_v2()(doc, tuple(extract_mentions(doc)))
    >>> {e.name: [m.text for m in e.mentions] for e in ents}
    {'Ada Lovelace': ['Ada Lovelace', 'She'],
     'Charles Babbage': ['Charles Babbage', 'him']}
    """

    def resolve(doclike: DocLike, mentions: Sequence[Mention]) -> tuple[Entity, ...]:
        entities = _RuleResolver(doclike, mentions).run()
        return _with_possessives(doclike, _with_containers(doclike, entities))

    return resolve


# labels of a name that a following ", Country" places (a city, a body)
_CONTAINED_LABELS = frozenset({"GPE", "LOC", "ORG", "FAC"})
# labels of the place that contains it
_CONTAINER_LABELS = frozenset({"GPE", "LOC"})
# what may join a name to its container: "Basel, in Switzerland"
_CONTAINER_LINK = re.compile(r", (?:in )?(?:the )?")


def _container_of(doc: Doc, name: Span, place: Span) -> bool:
    """Whether ``place`` follows ``name`` as the place containing it.

    "Sochi, Russia" and "Basel, in Switzerland": the place hangs on the
    name (apposition, or "in" attached to it); a list "Paris, London and
    Rome" coordinates them instead.
    """
    if place.start <= name.end:
        return False
    if place.root.dep_ == "conj":
        # "Lyon, Turin and Rome" is a list; "born in Lyon, France, and
        # later..." a lone "conj" with no coordinator of its own is not
        joined = (name.root, place.root)
        if any(
            c.dep_ in ("cc", "conj")
            for t in joined
            for c in t.children
            if c.i != place.root.i
        ):
            return False
    nxt = doc[place.end] if place.end < len(doc) else None
    if nxt is not None and nxt.lower_ in ("and", "or"):
        return False
    head = place.root.head
    if head.lower_ == "in" and head.i == name.end + 1:
        # "moved to Basel, in Switzerland": the parser hangs "in" on the verb
        return True
    return name.start <= head.i < name.end


def _with_extra_mentions(entity: Entity, extra: Sequence[Mention]) -> Entity:
    """Return ``entity`` with the ``extra`` mentions added in text order."""
    if not extra:
        return entity
    mentions = sorted((*entity.mentions, *extra), key=lambda x: x.start_char)
    return replace(entity, mentions=tuple(mentions))


def _with_containers(
    doclike: DocLike, entities: tuple[Entity, ...]
) -> tuple[Entity, ...]:
    """Give a place or body named with its container one more, whole mention.

    "Sochi, Russia" names Sochi: besides the name "Sochi" (and "Russia" of
    its own entity) Sochi gets the whole phrase as a description-kind
    mention, so the phrase is found as a mention of Sochi, not of Russia.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("She was born in Lyon, France, in 1950.")
    >>> ents = make_rule_resolver_v2()(doc, tuple(extract_mentions(doc)))
    >>> {e.name: [m.text for m in e.mentions] for e in ents}["Lyon"]
    ['Lyon', 'Lyon, France']
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    doc_text = doc.text  # built anew from the tokens on each access
    places: dict[int, tuple[Mention, Entity]] = {}
    for entity in entities:
        for m in entity.mentions:
            if m.kind == "name" and m.label in _CONTAINER_LABELS:
                places[m.start_char] = (m, entity)
    out: list[Entity] = []
    for entity in entities:
        extra: list[Mention] = []
        for m in entity.mentions:
            if m.kind != "name" or m.label not in _CONTAINED_LABELS:
                continue
            link = _CONTAINER_LINK.match(doc_text, m.end_char)
            found = places.get(link.end()) if link else None
            if found is None or found[1] is entity:
                continue
            place = found[0]
            name = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            span = doc.char_span(
                place.start_char, place.end_char, alignment_mode="expand"
            )
            if name is None or span is None or not _container_of(doc, name, span):
                continue
            text = doc_text[m.start_char : place.end_char]
            extra.append(
                Mention(
                    text, m.label, m.start_char, place.end_char, m.sent_index, "nominal"
                )
            )
        out.append(_with_extra_mentions(entity, extra))
    return tuple(out)


# the clitic that marks a possessor: "the Tsar's", "the Smiths'"
_POSSESSIVE_CLITICS = frozenset({"'s", "'", "\u2019s", "\u2019"})


def _possessor_start(doc: Doc, left: int, name_start: int) -> int | None:
    """Where the possessor phrase before a name starts, or None if unclear.

    The words before the name within the possessor are kept when they are
    its determiner or modifiers ("the", "advice columnist"); a focus adverb
    ("only Jenna's") is left out. Punctuation, coordination, clauses or a
    pronoun ("my") mean the parse or the phrase is not a plain possessor.
    """
    while left < name_start and doc[left].dep_ in ("advmod", "cc", "preconj"):
        left += 1
    for tok in doc[left:name_start]:
        if (
            tok.dep_ not in ("det", "compound", "amod", "nmod", "appos", "nummod")
            or tok.is_punct
            or tok.pos_ in ("PRON", "VERB", "AUX")
        ):
            return None
    return left


def _with_possessives(
    doclike: DocLike, entities: tuple[Entity, ...]
) -> tuple[Entity, ...]:
    """Give a name used as a possessor its whole possessive phrase too.

    In "the Tsar's service" the noun phrase that refers to the Tsar is the
    possessor "the Tsar's", determiner and clitic included; the name
    mention "Tsar" is only its head. The whole possessor (the subtree of
    the name's head, ending in the clitic) is added as one more,
    description-kind mention of the same entity, so the phrase is found as
    a mention of the Tsar and not of the larger "the Tsar's service".
    The name mention and its matching keys are left as they are.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("She joined the Navy's staff. The Navy paid her.")
    >>> ents = make_rule_resolver_v2()(doc, tuple(extract_mentions(doc)))
    >>> [m.text for m in ents[0].mentions]
    ["the Navy's", 'Navy', 'Navy']
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    out: list[Entity] = []
    for entity in entities:
        have = {(m.start_char, m.end_char) for m in entity.mentions}
        extra: list[Mention] = []
        for m in entity.mentions:
            if m.kind != "name":
                continue
            name = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if name is None or name.end >= len(doc):
                continue
            head, clitic = name.root, doc[name.end]
            if (
                head.dep_ != "poss"
                or clitic.lower_ not in _POSSESSIVE_CLITICS
                or clitic.head.i != head.i
                or head.right_edge.i != clitic.i
            ):
                continue
            first = _possessor_start(doc, head.left_edge.i, name.start)
            if first is None:
                continue
            phrase = doc[first : clitic.i + 1]
            start, end = phrase.start_char, phrase.end_char
            if (start, end) in have:
                continue
            have.add((start, end))
            extra.append(
                Mention(phrase.text, m.label, start, end, m.sent_index, "nominal")
            )
        out.append(_with_extra_mentions(entity, extra))
    return tuple(out)


def merge_entities(
    documents: Sequence[Document], *, existing: Sequence[Entity] = ()
) -> tuple[Document, ...]:
    """Link entities across documents: rewrite keys so one entity has one key.

    This is the cross-document step that runs after per-document extraction
    (and, for incremental builds, against the entities already stored,
    ``existing``). Two entities are linked when they have the same ontology
    class family (:func:`kg.classes.merge_families`: an untyped entity's are
    those of its NER labels) and one's normalised name equals, or is the final
    word(s) of, the other's (a surname), or equals one of the other's aliases;
    a surname that several known people share links to none of them.

    Examples
    --------
    >>> m = Mention("Lovelace", "PERSON", 0, 8, 0)
    >>> e = Entity("lovelace", "Person", "Lovelace", (m,))
    >>> d = Document("b", "b", "0" * 64, (), (e,))
    >>> old = Entity("ada lovelace", "Person", "Ada Lovelace", ())
    >>> merge_entities([d], existing=[old])[0].entities[0].key
    'ada lovelace'
    """
    from kg.classes import merge_families, settle_classes

    # Candidates are indexed by (family, last word of the normalised name): an
    # alias match needs one name to end with the other, so they share it.
    # Entries are (name, canonical key, is_alias): an entity's other names
    # (aliases) only match exactly, so "Okafor" of one person never pulls
    # in another "X Okafor".
    index: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}

    def remember(entity: Entity, key: str, canon: str) -> None:
        if not (entity.named and key):
            return
        for family in merge_families(entity):
            index.setdefault((family, key.split()[-1]), []).append((key, canon, False))
            for alias in entity.aliases:
                alias_key = name_key(alias)
                if alias_key and alias_key != key:
                    bucket = index.setdefault((family, alias_key.split()[-1]), [])
                    bucket.append((alias_key, canon, True))

    def find(entity: Entity, key: str) -> str | None:
        if not (entity.named and key):
            return None
        candidates = [
            c
            for family in merge_families(entity)
            for c in index.get((family, key.split()[-1]), [])
        ]
        found = {
            canon
            for name, canon, is_alias in candidates
            if (key == name)
            or (not is_alias and (_alias_match(key, name) or _alias_match(name, key)))
        }
        if len(found) > 1:
            # a surname shared by several stored people: only an exact name links
            found = {canon for name, canon, _ in candidates if name == key}
        return found.pop() if len(found) == 1 else None

    for entity in existing:
        remember(entity, name_key(entity.name), entity.key)
    out: list[Document] = []
    for document in documents:
        mapping: dict[str, str] = {}
        named = sorted(document.entities, key=lambda e: -len(name_key(e.name).split()))
        for entity in named:
            key = name_key(entity.name)
            target = find(entity, key)
            if target is None:
                remember(entity, key, entity.key)
                mapping[entity.key] = entity.key
            else:
                mapping[entity.key] = target
        entities = tuple(replace(e, key=mapping[e.key]) for e in document.entities)
        triples = tuple(
            replace(
                t,
                subject=mapping.get(t.subject, t.subject),
                object=mapping.get(t.object, t.object),
            )
            for t in document.triples
        )
        out.append(replace(document, entities=entities, triples=triples))
    return settle_classes(out)
