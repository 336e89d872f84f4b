"""The extent of nominal mentions: the whole noun phrase when it only names others."""

from __future__ import annotations

from kg.mentions import extract_mentions

from .fixtures import hand_parse


def _nominals(nlp, text: str) -> list[str]:
    return [m.text for m in extract_mentions(nlp(text)) if m.kind == "nominal"]


def test_a_description_covers_the_names_it_is_modified_by(nlp) -> None:
    text = "In 1950 Ada Byrne became a fellow of the Royal Society."
    assert "a fellow of the Royal Society" in _nominals(nlp, text)


def test_a_description_stops_before_a_common_noun_of_its_own(nlp) -> None:
    text = "Ada Byrne met the owner of the old zoo in Leeds."
    found = _nominals(nlp, text)
    assert "the owner" in found
    assert not any(t.startswith("the owner of") for t in found)


def _names(nlp, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in extract_mentions(nlp(text)) if m.kind == "name"]


def test_a_name_split_by_editorial_brackets_is_one_person(nlp) -> None:
    text = '"I miss [my husband] Tom [Hale] every day," she said.'
    assert ("Tom [Hale]", "PERSON") in _names(nlp, text)


def test_a_group_name_inside_a_show_title_is_no_mention(nlp) -> None:
    text = "The Keeping Up With the Kardashians star met fans in Ohio."
    assert all(t != "Kardashians" for t, _ in _names(nlp, text))
    text = "She met the Kardashians in Paris."
    assert ("Kardashians", "NORP") in _names(nlp, text)


def test_a_predicate_nominal_is_the_whole_phrase(nlp) -> None:
    text = "Hana Lind is a self-described member of the Liberal Party of Norway."
    assert "a self-described member of the Liberal Party of Norway" in _nominals(
        nlp, text
    )


def test_a_predicate_stops_at_a_clause_and_a_bracket(nlp) -> None:
    text = "Tom Vale is a striker who plays for Rovers (since 2019)."
    found = _nominals(nlp, text)
    assert "a striker" in found
    assert not any("plays" in t or "2019" in t for t in found)


def test_conjoined_predicates_with_their_own_article_are_two_phrases(nlp) -> None:
    text = "Ada Byrne was a poet and the first director of the City Museum."
    found = _nominals(nlp, text)
    assert "a poet" in found
    assert "the first director of the City Museum" in found


def test_a_name_with_an_article_is_no_predicate_phrase(nlp) -> None:
    text = "Its owner is the Royal Guild of Varn Weavers in Tarnby."
    assert not any(t.startswith("the Royal") for t in _nominals(nlp, text))


def _names_of(nlp, text: str) -> list[str]:
    return [m.text for m in extract_mentions(nlp(text)) if m.kind == "name"]


def test_a_name_inside_a_building_name_is_its_own_mention(nlp) -> None:
    text = "Ada Byrne lives in Tarvik. She crossed the Tarvik Bridge on foot."
    names = _names_of(nlp, text)
    assert names.count("Tarvik") == 2


def test_a_body_name_after_a_capitalised_adjective_is_nested(nlp) -> None:
    # the tagger made one span of "American Vidtube"; "Vidtube" is used alone too
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN", "B-PERSON"),
        ("joined", 1, "ROOT", "VERB", "O"),
        ("American", 3, "amod", "ADJ", "B-ORG"),
        ("Vidtube", 1, "dobj", "PROPN", "I-ORG"),
        (".", 1, "punct", "PUNCT", "O"),
        ("Vidtube", 6, "nsubj", "PROPN", "B-ORG"),
        ("grew", 6, "ROOT", "VERB", "O"),
        (".", 6, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = [(m.text, m.start_char) for m in extract_mentions(doc) if m.kind == "name"]
    assert ("Vidtube", doc[3].idx) in names
    assert ("American Vidtube", doc[2].idx) in names


def test_a_name_tagged_whole_once_is_whole_each_time(nlp) -> None:
    # the tagger took "Varn Bay" whole first, then "Varn" + "Bay"
    doc = hand_parse(nlp, [
        ("Ships", 1, "nsubj", "NOUN", "O"),
        ("enter", 1, "ROOT", "VERB", "O"),
        ("Varn", 3, "compound", "PROPN", "B-LOC"),
        ("Bay", 1, "dobj", "PROPN", "I-LOC"),
        (".", 1, "punct", "PUNCT", "O"),
        ("Varn", 6, "compound", "PROPN", "B-GPE"),
        ("Bay", 7, "nsubj", "PROPN", "B-PERSON"),
        ("is", 7, "ROOT", "AUX", "O"),
        ("calm", 7, "acomp", "ADJ", "O"),
        (".", 7, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = [m.text for m in extract_mentions(doc) if m.kind == "name"]
    assert names.count("Varn Bay") == 2
    assert "Bay" not in names


def test_a_pronoun_inside_a_title_is_no_pronoun_mention(nlp) -> None:
    doc = hand_parse(nlp, [
        ("He", 1, "nsubj", "PRON/PRP", "O"),
        ("wrote", 1, "ROOT", "VERB/VBD", "O"),
        ("My", 4, "poss", "PRON/PRP$", "B-WORK_OF_ART"),
        ("Long", 4, "amod", "PROPN/NNP", "I-WORK_OF_ART"),
        ("Walk", 1, "dobj", "PROPN/NNP", "I-WORK_OF_ART"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    pronouns = [m.text for m in extract_mentions(doc) if m.kind == "pronoun"]
    assert pronouns == ["He"]


def test_an_opening_adverb_and_article_are_no_part_of_a_name(nlp) -> None:
    names = _names_of(nlp, "Ohio is a state. Later the Supreme Council met.")
    assert "Supreme Council" in names
    assert not any(n.startswith("Later") for n in names)


def test_a_nationality_inside_a_longer_group_name_is_nested(nlp) -> None:
    # the tagger took "Varnish Jewish" as one group; "Varnish" stands alone too
    doc = hand_parse(nlp, [
        ("A", 3, "det", "DET", "O"),
        ("Varnish", 3, "amod", "ADJ", "B-NORP"),
        ("Jewish", 3, "amod", "ADJ", "I-NORP"),
        ("writer", 3, "ROOT", "NOUN", "O"),
        (".", 3, "punct", "PUNCT", "O"),
        ("Varnish", 6, "nsubj", "PROPN", "B-NORP"),
        ("is", 6, "ROOT", "AUX", "O"),
        ("his", 8, "poss", "PRON", "O"),
        ("tongue", 6, "attr", "NOUN", "O"),
        (".", 6, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = [(m.text, m.start_char) for m in extract_mentions(doc) if m.kind == "name"]
    assert ("Varnish", doc[1].idx) in names


def test_part_of_a_whole_is_no_predicate_phrase(nlp) -> None:
    found = _nominals(nlp, "The Tarvik Fund is part of the Estland Growth Plan.")
    assert not any(t.startswith("part") for t in found)


def _tagged_names(doc) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.text, m.label) for m in extract_mentions(doc) if m.kind == "name"]


def test_a_name_cut_after_of_runs_over_the_next_name(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN", "B-PERSON"),
        ("joined", 1, "ROOT", "VERB", "O"),
        ("the", 4, "det", "DET", "B-ORG"),
        ("High", 4, "compound", "PROPN", "I-ORG"),
        ("Court", 1, "dobj", "PROPN", "I-ORG"),
        ("of", 4, "prep", "ADP", "I-ORG"),
        ("Ashford", 7, "compound", "PROPN", "B-GPE"),
        ("County", 5, "pobj", "PROPN", "I-GPE"),
        (".", 1, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = _tagged_names(doc)
    assert ("High Court of Ashford County", "ORG") in names
    assert ("Ashford County", "GPE") in names  # still a mention of its own
    assert ("High Court of", "ORG") not in names


def test_a_person_keeps_a_particle_but_not_of_a_place(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "compound", "PROPN", "B-PERSON"),
        ("Byrne", 8, "nsubj", "PROPN", "I-PERSON"),
        ("of", 1, "prep", "ADP", "I-PERSON"),
        ("Ashford", 2, "pobj", "PROPN", "B-GPE"),
        ("and", 1, "cc", "CCONJ", "O"),
        ("Carl", 7, "compound", "PROPN", "B-PERSON"),
        ("von", 7, "compound", "PROPN", "I-PERSON"),
        ("Hale", 1, "conj", "PROPN", "O"),
        ("met", 8, "ROOT", "VERB", "O"),
        (".", 8, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = _tagged_names(doc)
    assert ("Ada Byrne", "PERSON") in names
    assert ("Ashford", "GPE") in names
    assert not any(t.startswith("Ada Byrne of") for t, _ in names)
    assert ("Carl von Hale", "PERSON") in names


def test_a_dangling_conjunction_is_cut_off_a_name(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN", "B-PERSON"),
        ("visited", 1, "ROOT", "VERB", "O"),
        ("Leeds", 1, "dobj", "PROPN", "B-GPE"),
        ("and", 2, "cc", "CCONJ", "I-GPE"),
        ("York", 2, "conj", "PROPN", "B-GPE"),
        (".", 1, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = _tagged_names(doc)
    assert ("Leeds", "GPE") in names
    assert ("York", "GPE") in names
    assert not any(t.startswith("Leeds and") for t, _ in names)


def test_a_lone_word_before_of_does_not_join_the_next_name(nlp) -> None:
    doc = hand_parse(nlp, [
        ("The", 1, "det", "DET", "O"),
        ("City", 4, "nsubj", "PROPN", "B-GPE"),
        ("of", 1, "prep", "ADP", "I-GPE"),
        ("Leeds", 2, "pobj", "PROPN", "B-GPE"),
        ("grew", 4, "ROOT", "VERB", "O"),
        (".", 4, "punct", "PUNCT", "O"),
    ])  # fmt: skip
    names = _tagged_names(doc)
    assert ("Leeds", "GPE") in names
    assert not any(t == "City of Leeds" for t, _ in names)


def test_a_hyphened_pair_of_nationalities_is_two_names(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN/NNP", "B-PERSON"),
        ("met", 1, "ROOT", "VERB/VBD", "O"),
        ("Cuban", 5, "amod", "ADJ/JJ", "B-NORP"),
        ("-", 2, "punct", "PUNCT/HYPH", "I-NORP"),
        ("American", 2, "amod", "ADJ/JJ", "I-NORP"),
        ("poets", 1, "dobj", "NOUN/NNS", "O"),
        ("and", 5, "cc", "CCONJ/CC", "O"),
        ("Anglo", 11, "amod", "ADJ/JJ", "B-NORP"),
        ("-", 7, "punct", "PUNCT/HYPH", "I-NORP"),
        ("Irish", 7, "amod", "ADJ/JJ", "I-NORP"),
        ("ones", 5, "conj", "NOUN/NNS", "O"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = _tagged_names(doc)
    assert ("Cuban", "NORP") in names
    assert ("American", "NORP") in names
    assert ("Anglo - Irish", "NORP") in names or ("Anglo-Irish", "NORP") in names


def test_an_untagged_proper_noun_modifying_a_common_noun_is_a_name(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN/NNP", "B-PERSON"),
        ("wrote", 1, "ROOT", "VERB/VBD", "O"),
        ("for", 1, "prep", "ADP/IN", "O"),
        ("Zorbex", 4, "compound", "PROPN/NNP", "O"),
        ("newspaper", 2, "pobj", "NOUN/NN", "O"),
        ("Le", 6, "compound", "PROPN/NNP", "O"),
        ("soir", 1, "npadvmod", "NOUN/NN", "O"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = _tagged_names(doc)
    assert ("Zorbex", "") in names
    assert all(t != "Le" for t, _ in names)


def test_a_person_name_with_a_comma_lists_people(nlp) -> None:
    doc = hand_parse(nlp, [
        ("It", 1, "nsubj", "PRON/PRP", "O"),
        ("starred", 1, "ROOT", "VERB/VBD", "O"),
        ("Ada", 1, "dobj", "PROPN/NNP", "B-PERSON"),
        (",", 2, "punct", "PUNCT/,", "I-PERSON"),
        ("Tom", 5, "compound", "PROPN/NNP", "I-PERSON"),
        ("Hale", 2, "conj", "PROPN/NNP", "I-PERSON"),
        ("and", 5, "cc", "CCONJ/CC", "O"),
        ("Ben", 9, "compound", "PROPN/NNP", "B-PERSON"),
        ("Hale", 9, "compound", "PROPN/NNP", "I-PERSON"),
        (",", 9, "punct", "PUNCT/,", "I-PERSON"),
        ("Jr.", 5, "conj", "PROPN/NNP", "I-PERSON"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = _tagged_names(doc)
    assert ("Ada", "PERSON") in names
    assert ("Tom Hale", "PERSON") in names
    assert any(t.startswith("Ben Hale") and t.endswith("Jr.") for t, _ in names)


def test_a_number_word_after_a_channel_name_is_part_of_it(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN/NNP", "B-PERSON"),
        ("joined", 1, "ROOT", "VERB/VBD", "O"),
        ("Zorbex", 1, "dobj", "PROPN/NNP", "B-ORG"),
        ("Two", 2, "nummod", "NUM/CD", "B-CARDINAL"),
        ("after", 1, "prep", "ADP/IN", "O"),
        ("Tom", 6, "compound", "PROPN/NNP", "B-PERSON"),
        ("Hale", 4, "pobj", "PROPN/NNP", "I-PERSON"),
        ("Three", 6, "appos", "NUM/CD", "B-CARDINAL"),
        ("left", 1, "conj", "VERB/VBD", "O"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = _tagged_names(doc)
    assert ("Zorbex Two", "ORG") in names
    assert ("Tom Hale", "PERSON") in names


def test_a_possessive_before_a_place_word_is_one_place_name(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN/NNP", "B-PERSON"),
        ("crossed", 1, "ROOT", "VERB/VBD", "O"),
        ("Byrne", 4, "poss", "PROPN/NNP", "B-PERSON"),
        ("'s", 2, "case", "PART/POS", "O"),
        ("Bridge", 1, "dobj", "PROPN/NNP", "O"),
        ("and", 1, "cc", "CCONJ/CC", "O"),
        ("Hale", 8, "poss", "PROPN/NNP", "B-PERSON"),
        ("'s", 6, "case", "PART/POS", "O"),
        ("dog", 1, "conj", "NOUN/NN", "O"),
        (".", 1, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = _tagged_names(doc)
    assert any(t.startswith("Byrne") and t.endswith("Bridge") for t, _ in names)
    assert ("Hale", "PERSON") in names


def test_a_place_after_of_in_any_tagged_name_is_nested(nlp) -> None:
    doc = hand_parse(nlp, [
        ("Ada", 1, "nsubj", "PROPN/NNP", "B-PERSON"),
        ("became", 1, "ROOT", "VERB/VBD", "O"),
        ("King", 1, "attr", "PROPN/NNP", "B-GPE"),
        ("of", 2, "prep", "ADP/IN", "I-GPE"),
        ("Zorvia", 3, "pobj", "PROPN/NNP", "I-GPE"),
        (".", 1, "punct", "PUNCT/.", "O"),
        ("Zorvia", 7, "nsubj", "PROPN/NNP", "B-GPE"),
        ("grew", 7, "ROOT", "VERB/VBD", "O"),
        (".", 7, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    names = [(m.text, m.start_char) for m in extract_mentions(doc) if m.kind == "name"]
    assert ("King of Zorvia", doc[2].idx) in names
    assert ("Zorvia", doc[4].idx) in names


def test_the_indexed_phrase_ends_match_the_walked_ones(nlp) -> None:
    # the indexes that keep the passes linear give the same extents as walking
    from kg.mentions import Context
    from kg.mentions.phrases import (
        PhraseIndex,
        nominal_span,
        predicate_head,
        predicate_span,
    )

    text = (
        "Ada Byrne, the owner of the Tarnby pier, is a friend of the keeper of the "
        "harbour (a man of few words) and chair of the Varn Guild at Tarnby. "
        "She was head of the panel at the Kessby Fair [2], a post she left in May."
    )
    doc = nlp(text)
    ctx = Context(doc)
    names = {t.i for t in doc if t.ent_type_}
    index = PhraseIndex(doc, names)
    for token in doc:
        if token.pos_ != "NOUN":
            continue
        walked = nominal_span(doc, token.i, token.i + 1, token, names)
        indexed = nominal_span(doc, token.i, token.i + 1, token, names, index)
        assert (walked.start, walked.end) == (indexed.start, indexed.end)
        if predicate_head(token):
            assert predicate_span(doc, token) == predicate_span(doc, token, ctx)
        assert ctx.root(walked) == walked.root
