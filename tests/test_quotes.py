"""extract_quotes: the seed article, every bullet of issue 5, and offsets on arbitrary text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.quotes import Quote, extract_quotes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"


def only(quotes: tuple[Quote, ...], kind: str | None = None) -> list[Quote]:
    return [q for q in quotes if kind is None or q.kind == kind]


def one(text: str) -> Quote:
    quotes = extract_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


# ------------------------------------------------------------------ the seed


def test_seed_body_gives_exactly_the_three_expected_quotes():
    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    got = [(q.quote, q.speaker, q.speaker_as_written, q.role, q.cue, q.kind) for q in extract_quotes(text)]
    assert got == [
        ("strong economic and other measures", "Joe Biden", "Biden", None, "warned", "partial"),
        ("It's hard to expect any sudden breakthroughs, but the presidents demonstrated their "
         "willingness to continue practical work and begin discussing sensitive issues that "
         "seriously concern Moscow,", "Yuri Ushakov", "Kremlin aide Yuri Ushakov", "Kremlin aide",
         "said", "direct"),
        ("This could be a way to cooperate in other areas,", "Vladimir Putin", "he", None, "said", "direct"),
    ]


def test_seed_offsets_and_paragraphs():
    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    assert [q.paragraph for q in quotes] == [0, 1, 2]
    for q in quotes:
        assert text[q.start:q.end] == q.quote
        assert 0 < q.confidence <= 1


def test_seed_in_blank_line_form_gives_same_quotes():
    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    spaced = "\n\n".join(text.splitlines())
    one_per_line = [(q.quote, q.speaker, q.kind, q.paragraph) for q in extract_quotes(text)]
    blank_lines = [(q.quote, q.speaker, q.kind, q.paragraph) for q in extract_quotes(spaced)]
    assert one_per_line == blank_lines


def test_repeated_quote_in_standfirst_and_body_counts_once():
    body = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    standfirst = ('Biden warned Putin on Tuesday the West would impose "strong economic and other '
                  'measures" on Russia if it invades Ukraine. "It\'s hard to expect any sudden '
                  'breakthroughs, but the presidents demonstrated their willingness to continue practical '
                  'work and begin discussing sensitive issues that seriously concern Moscow," Kremlin '
                  'aide Yuri Ushakov said after the two-hour talks.')
    quotes = extract_quotes(standfirst + "\n" + body)
    assert len(quotes) == 3
    assert {q.speaker for q in quotes} == {"Joe Biden", "Yuri Ushakov", "Vladimir Putin"}


# ------------------------------------------------------------------ quotation marks


@pytest.mark.parametrize("opening, closing", [
    ('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("''", "''"), ("``", "''"),
])
def test_every_double_mark_style(opening, closing):
    text = f"{opening}We will not back down from this fight,{closing} Mayor Jane Okafor said on Monday."
    quote = one(text)
    assert quote.quote == "We will not back down from this fight,"
    assert quote.speaker == "Jane Okafor"
    assert quote.kind == "direct"
    assert text[quote.start:quote.end] == quote.quote


def test_single_marks_uk_style():
    text = "‘We have been let down by the council,’ said Margaret Hughes, who runs the shop."
    quote = one(text)
    assert quote.quote == "We have been let down by the council,"
    assert quote.speaker == "Margaret Hughes"


def test_apostrophes_do_not_open_quotes():
    text = "It's the mayor's plan, and the voters' choice, that Smith's team didn't expect."
    assert extract_quotes(text) == ()


def test_nested_quote_stays_inside_outer_quote():
    text = ('"He told me, \'Don\'t worry about it,\' and then he left," Sarah Lindqvist said.')
    quote = one(text)
    assert quote.quote == "He told me, 'Don't worry about it,' and then he left,"
    assert quote.speaker == "Sarah Lindqvist"


def test_unbalanced_opening_mark_is_dropped_for_the_next_pair():
    text = ('Officials left the "meeting early. "We need more time to study the proposal," '
            "council member Omar Haddad said.")
    quotes = only(extract_quotes(text), "direct")
    assert [q.quote for q in quotes] == ["We need more time to study the proposal,"]
    assert quotes[0].speaker == "Omar Haddad"


def test_quote_running_over_paragraphs():
    text = ("Governor Ann Whitley said in a statement:\n"
            "“We have asked every county to open shelters tonight. The storm is moving faster than forecast.\n"
            "“Stay off the roads unless you have to travel. Check on your neighbours.”\n"
            "The National Weather Service expects landfall before dawn.")
    quotes = extract_quotes(text)
    # ONE quote (issue 5): from the first paragraph's content to the end of the last, the
    # second paragraph's opening mark and the line break included
    assert [q.quote for q in quotes] == [
        "We have asked every county to open shelters tonight. The storm is moving faster than forecast.\n"
        "“Stay off the roads unless you have to travel. Check on your neighbours.",
    ]
    assert quotes[0].speaker == "Ann Whitley" and quotes[0].kind == "direct"
    assert (quotes[0].paragraph, quotes[0].continues) == (1, False)
    assert text[quotes[0].start:quotes[0].end] == quotes[0].quote


def test_quote_over_three_blank_line_separated_paragraphs_is_one():
    text = ('Mayor Lena Ortiz said:\n\n"First paragraph of the speech.\n\n'
            '"Second paragraph.\n\n"Third and last paragraph."\n\nThe council adjourned.')
    quotes = extract_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].quote.startswith("First paragraph") and quotes[0].quote.endswith("Third and last paragraph.")
    assert quotes[0].speaker == "Lena Ortiz"


# ------------------------------------------------------------------ kinds


def test_partial_quote_inside_reported_speech():
    text = "The senator said the bill was “dead on arrival” and would not get a vote, Senator Mark Ellis said."
    quotes = extract_quotes(text)
    assert [q.kind for q in quotes] == ["partial"]
    assert quotes[0].quote == "dead on arrival"


def content(text: str, quote: Quote) -> str:
    return text[quote.content_start:quote.content_end]


def test_seed_partial_quote_content_is_the_reported_clause():
    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    partial, direct, he_said = extract_quotes(text)
    # the seed's reported_speech_stretch: Biden warned ... "the West would impose"; the clause
    # ends at ", while Putin demanded"
    assert content(text, partial) == ('the West would impose "strong economic and other measures" '
                                      'on Russia if it invades Ukraine')
    assert partial.quote == "strong economic and other measures"  # the quoted words stay the quote
    for quote in (direct, he_said):
        assert (quote.content_start, quote.content_end) == (quote.start, quote.end)


@pytest.mark.parametrize("text, clause", [
    # hearer and time phrase after the cue, "that", the clause to the sentence end
    ('Mayor Ann Cole told reporters on Monday that the budget was "a disaster" and would fail.',
     'the budget was "a disaster" and would fail'),
    # a partly quoted sentence: the quote ends the clause, the full stop inside the marks
    ('Ann Cole said the plan was "a disaster from the start."',
     'the plan was "a disaster from the start."'),
    # the quoted words are the whole that-clause: reported speech, the "that" stays in the span
    ('Ann Cole said in a statement that "the plan has failed the city."',
     'that "the plan has failed the city."'),
    # an infinitive after a time and place phrase starts the clause
    ('Ann Cole promised Sunday at a rally in Reno to end "the most wasteful program."',
     'to end "the most wasteful program."'),
    # a speech verb coordinated with the cue ends the clause
    ('Ann Cole said the bill "has no place in this city" and said the council would vote.',
     'the bill "has no place in this city"'),
    # ", according to" ends it, its comma inside the closing mark
    ('Ann Cole warned the board "a lawsuit will follow," according to the Herald.',
     'the board "a lawsuit will follow,"'),
    # a semicolon ends the reported clause
    ('Ann Cole said in a statement the plan was "reckless"; her party disagreed.',
     'the plan was "reckless"'),
    # the attribution follows: the clause runs from the sentence start up to it
    ('If the talks fail, the region faces "a long and bitter winter," Ann Cole warned.',
     'If the talks fail, the region faces "a long and bitter winter,"'),
    # an attribution set off by commas inside the sentence: the whole sentence is reported
    ('If prices rise, she said, farmers will be "hit harder than anyone."',
     'If prices rise, she said, farmers will be "hit harder than anyone."'),
])
def test_partial_quote_content_span(text, clause):
    quote = one(text)
    assert quote.kind == "partial"
    assert content(text, quote) == clause
    assert text[quote.start:quote.end] == quote.quote


@pytest.mark.parametrize("text, quote, speaker, clause", [
    ('In April, Dana Whitfield called the airline’s plans to close the depot “an absolute disgrace,” '
     'and threatened to sue.', "an absolute disgrace,", "Dana Whitfield",
     "the airline’s plans to close the depot “an absolute disgrace,” and threatened to sue"),
    ('Informed of the vote, Rex Doyle described it as “news to me.”', "news to me.", "Rex Doyle",
     "it as “news to me.”"),
    ("Her campaign chairman, Paul Ames, dismissed criticism of Mr. Lee's remarks as ''partisan talking points.''",
     "partisan talking points.", "Paul Ames", "criticism of Mr. Lee's remarks as ''partisan talking points.''"),
    # the quoted words are the whole object: the clause is the quote itself
    ("Senator Paul Ames spoke about the party's rift - what he called ''our arguments this year.''",
     "our arguments this year.", "Paul Ames", "our arguments this year."),
])
def test_person_characterising_in_own_words_is_a_partial_quote(text, quote, speaker, clause):
    found = one(text)
    assert (found.quote, found.speaker, found.kind) == (quote, speaker, "partial")
    assert content(text, found) == clause


@pytest.mark.parametrize("text", [
    'She joined a group called "Mothers for Peace" last year.',
    'The plan is called "a bridge to nowhere" by its critics.',
    'He wrote a book called "how to win friends" in 1936.',
    'The mayor described the "new" plan in detail.',
])
def test_naming_is_not_a_characterisation(text):
    assert extract_quotes(text) == ()


def test_scare_quote_without_speech_is_not_a_quote():
    text = 'The company described its new "innovative" packaging at a trade fair in Berlin.'
    assert extract_quotes(text) == ()


def test_titles_of_works_are_not_quotes():
    text = ('She appeared on "Face the Nation" on Sunday and later on CBS\'s "60 Minutes." '
            'Her book, titled "A Long Way Home," sold well.')
    assert extract_quotes(text) == ()


def test_nickname_is_not_a_quote():
    text = 'Dwayne "The Rock" Johnson arrived at the premiere with his family.'
    assert extract_quotes(text) == ()


# ------------------------------------------------------------------ speakers


def test_said_after_name():
    quote = one('"Prices will keep rising through the winter," Claudia Reyes said.')
    assert (quote.speaker, quote.cue, quote.kind) == ("Claudia Reyes", "said", "direct")


def test_said_before_name_with_appositive():
    quote = one('"We are cautiously optimistic," said Tom Baker, a spokesman for the airline.')
    assert quote.speaker == "Tom Baker"
    assert quote.role == "a spokesman for the airline"
    assert quote.speaker_as_written.startswith("Tom Baker")


def test_appositive_between_name_and_verb():
    text = '"The numbers do not add up," Priya Natarajan, an economist at the bank, told reporters.'
    quote = one(text)
    assert quote.speaker == "Priya Natarajan"
    assert quote.cue == "told"
    assert quote.role == "an economist at the bank"


def test_colon_introduced_quote():
    quote = one("Prime Minister Lena Sorensen said: “We will not accept this decision.”")
    assert quote.speaker == "Lena Sorensen"
    assert quote.role == "Prime Minister"
    assert quote.kind == "direct"


def test_comma_introduced_quote():
    quote = one("He added, “actually, the deal was never on the table.”")
    assert quote.kind == "direct"
    assert quote.cue == "added"


def test_according_to():
    quote = one('"The vote was rigged from the start," according to opposition leader Daniel Mwangi.')
    assert quote.speaker == "Daniel Mwangi"
    assert quote.cue == "according to"


def test_quote_in_paragraph_after_the_attribution():
    text = ("Retired teacher Helen Park, 71, who has voted in every election since 1972, said this:\n"
            "“I have never seen anything like this campaign. Never.”")
    quote = one(text)
    assert quote.speaker == "Helen Park"
    assert quote.paragraph == 1


@pytest.mark.parametrize("verb", ["warned", "insisted", "argued", "tweeted", "wrote", "added", "told reporters",
                                  "explained", "conceded", "quipped", "countered", "recalled"])
def test_speech_verbs(verb):
    quote = one(f'"This is only the beginning," Rachel Stein {verb}.')
    assert quote.speaker == "Rachel Stein"
    assert quote.cue == verb.split()[0]


def test_pronoun_resolves_to_person_of_previous_sentence():
    text = ("Maria Gonzalez spent two decades as a nurse before running for office. "
            "“I know what the wards look like at 3 a.m.,” she said.")
    quote = one(text)
    assert quote.speaker_as_written == "she"
    assert quote.speaker == "Maria Gonzalez"


def test_pronoun_skips_person_of_wrong_gender():
    text = ("Daniel Adeyemi met Claire Fischer on Monday to discuss the merger.\n"
            "“It was a productive meeting,” she said.")
    assert one(text).speaker == "Claire Fischer"


def test_pronoun_with_honorific_only_names():
    text = "Mr. Adeyemi and Ms. Fischer met on Monday.\n“It was a productive meeting,” she said."
    assert one(text).speaker == "Fischer"


def test_surname_and_honorific_resolve_to_fullest_name():
    text = ("Senator Elizabeth Warren visited the plant on Friday.\n"
            "“Workers here deserve better,” Ms. Warren said.\n"
            "“We will be back,” Warren added.")
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Elizabeth Warren", "Elizabeth Warren"]
    assert quotes[0].speaker_as_written == "Ms. Warren"


def test_organisation_as_speaker():
    quote = one('"We reject these allegations entirely," the Kremlin said in a statement.')
    assert quote.speaker == "Kremlin"
    assert quote.speaker_as_written == "the Kremlin"


def test_interrupted_quote_continues_with_same_speaker():
    text = '"We are refugees," Ms. Alawee said. "We are not terrorists."'
    quotes = extract_quotes(text)
    assert [q.quote for q in quotes] == ["We are refugees,", "We are not terrorists."]
    assert quotes[1].continues and quotes[1].speaker_as_written == "Ms. Alawee"


def test_next_sentence_name_is_not_attribution_of_a_closed_quote():
    text = '"We are refugees," Ms. Alawee said. "We are not terrorists." Mr. Zahed said: "We ran from this."'
    quotes = extract_quotes(text)
    assert [q.speaker_as_written for q in quotes] == ["Ms. Alawee", "Ms. Alawee", "Mr. Zahed"]


# ------------------------------------------------------------------ whole articles in three house styles


def test_uk_article_with_single_marks():
    text = (FIXTURES / "uk_single_marks.txt").read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    direct = only(quotes, "direct")
    assert [q.quote[:24] for q in direct] == [
        "Nobody came into local g", "But the alternative is c", "We will keep the buildin",
        "Libraries are among the ",
    ]
    assert [q.speaker for q in direct] == ["Sharon Thompson"] * 3 + [
        "Chartered Institute of Library and Information Professionals"]
    assert direct[0].role == "Councillor, the cabinet member for housing and homelessness"
    assert direct[1].continues and not direct[2].continues
    assert direct[2].speaker_as_written == "She"
    # the scare-quoted "short-sighted" has no speaker of its own: not a quote
    assert all("short-sighted" not in q.quote for q in quotes)
    partial = only(quotes, "partial")
    assert [(q.quote, q.speaker, q.cue) for q in partial] == [("no good options left", "Sharon Thompson", "told")]


def test_nyt_article_with_typewriter_double_marks():
    text = (FIXTURES / "nyt_typewriter_marks.txt").read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    assert [(q.speaker, q.kind, q.continues) for q in quotes] == [
        ("Chuck Schumer", "direct", False), ("Chuck Schumer", "direct", True),
        ("Mitch McConnell", "partial", False),
        ("Rand Paul", "direct", False), ("Rand Paul", "direct", True),
        ("Kevin McCarthy", "direct", False),
    ]
    assert quotes[3].speaker_as_written == "Mr. Paul"
    assert quotes[5].role == "Speaker" and quotes[5].cue == "told"
    # McConnell "called the bill ''a necessary step,''": his own words characterising it, a
    # partial quote whose reported clause ends before ", while"
    assert (quotes[2].quote, quotes[2].cue) == ("a necessary step,", "called")
    assert text[quotes[2].content_start:quotes[2].content_end] == "the bill ''a necessary step,''"
    for q in quotes:
        assert text[q.start:q.end] == q.quote


def test_article_with_quote_over_paragraphs_and_pronouns():
    text = (FIXTURES / "multi_paragraph_quote.txt").read_text(encoding="utf-8")
    quotes = extract_quotes(text)
    assert [(q.paragraph, q.speaker, q.speaker_as_written, q.continues) for q in quotes] == [
        (3, "Ron DeSantis", "He", False),  # runs over paragraphs 3 and 4: one quote
        (6, "Carmine Marceno", "Sheriff Carmine Marceno", False),
        (6, "Carmine Marceno", "Sheriff Carmine Marceno", True),
        (7, "Carmine Marceno", "he", False),
    ]


# ------------------------------------------------------------------ harder attributions


def test_interrupted_sentence_resumes_in_lower_case():
    text = '"The benefit of being from North Dakota," Daniel Traynor said, "is being for whoever we want."'
    quotes = extract_quotes(text)
    assert [q.continues for q in quotes] == [False, True]
    assert {q.kind for q in quotes} == {"direct"}


def test_new_clause_between_quotes_does_not_resume():
    text = ('"I\'m just not ready to do that at this point," Paul Ryan said on CNN, '
            'though he said, "I hope to."')
    quotes = extract_quotes(text)
    assert [q.continues for q in quotes] == [False, False]


def test_parenthetical_attribution_inside_narration_sentence_is_partial():
    text = "The reality is, Mr. Wonderlich added, \"there are no recusals when you are president.\""
    assert one(text).kind == "partial"


def test_quote_as_object_of_cue_is_direct():
    text = ("Betsy Ebeling laughed and admitted “emails have been wonderful, although that can be a "
            "curse also.”")
    quote = one(text)
    assert (quote.kind, quote.speaker) == ("direct", "Betsy Ebeling")


def test_narration_hands_the_word_to_another_speaker():
    text = ("“Tell her I promised you a picture,” Betsy Ebeling said, and her husband cut in. "
            "“Don’t forget Betsy’s husband Tom.”")
    quotes = extract_quotes(text)
    assert [q.speaker_as_written for q in quotes] == ["Betsy Ebeling", "her husband"]
    assert not quotes[1].continues


def test_participle_cue_takes_the_clause_subject():
    text = ("Here in Columbia, Bernie Sanders stepped up his emphasis on criminal justice, saying, "
            "\"We have got to achieve the day when young people can walk the streets safely.\"")
    assert one(text).speaker == "Bernie Sanders"


def test_as_x_noted():
    text = ("As Andrew J. Tabler, an expert on Syria at the Washington Institute for Near East Policy, "
            "noted, ''Everyone in the region is just waiting for the next administration.''")
    quote = one(text)
    assert quote.speaker == "Andrew J. Tabler"
    assert quote.role == "an expert on Syria at the Washington Institute for Near East Policy"


def test_name_before_colon_speaks():
    text = "Pollsters agree - Carl Bialik: “One of the biggest lessons was a simple one: keep calling.”"
    assert one(text).speaker == "Carl Bialik"


def test_cue_word_used_as_noun_is_not_a_cue():
    text = ('"Standard Russian modus operandi," said James Lewis, an expert at the Center for '
            'Strategic and International Studies, via email. "They have done it before."')
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["James Lewis", "James Lewis"]
    assert quotes[1].continues


def test_capitalised_surname_that_is_also_a_preposition():
    text = 'Al From founded the council in 1985. "We had to change," From said.'
    assert one(text).speaker == "Al From"


def test_description_as_speaker():
    text = '"The harm caused by the conduct is incalculable," federal prosecutors wrote.'
    quote = one(text)
    assert (quote.speaker, quote.speaker_as_written) == (None, "federal prosecutors")


def test_unattributed_paragraphs_of_quotes_chain():
    text = ("Trump spoke only in evasive bromides during the interview.\n"
            "“We have to do something and it’s the only way you stop it.”\n"
            "“We have to be a lot tougher.”\n"
            "“We’re not fighting it strongly enough.”")
    quotes = extract_quotes(text)
    assert [q.continues for q in quotes] == [False, True, True]


# ------------------------------------------------------------------ robustness


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab Xy.,:;!?\n\"'“”‘’„«»`-—") + ["said", " he ", "Mr. ", "Jo Li", "''"]),
                max_size=120).map("".join))
def test_offsets_are_valid_on_arbitrary_text(text):
    for quote in extract_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start:quote.end] == quote.quote
        assert quote.kind in ("direct", "partial")
        assert 0 <= quote.confidence <= 1
        # the content span is a valid span that contains the quoted words
        assert 0 <= quote.content_start <= quote.start < quote.end <= quote.content_end <= len(text)
        if quote.kind == "direct":
            assert (quote.content_start, quote.content_end) == (quote.start, quote.end)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_no_crash_on_any_unicode(text):
    for quote in extract_quotes(text):
        assert text[quote.start:quote.end] == quote.quote


# ------------------------------------------------------------------ other languages


def test_german_cues_and_titles():
    text = ("Stadtrat beschließt Haushalt\n"
            "„Wir sparen nicht an den Schulen“, sagte Bürgermeisterin Anna Keller am Dienstag.\n"
            "Fraktionschef Paul Brandt widersprach. Brandt sagte: „Das ist ein Haushalt auf Pump.“\n"
            "„Die Rücklagen reichen noch zwei Jahre“, so Keller.\n"
            "Der Kämmerer Otto Lenz sprach von einem „Kraftakt für alle“.")
    got = [(q.quote, q.speaker, q.cue, q.kind) for q in extract_quotes(text)]
    assert got == [
        ("Wir sparen nicht an den Schulen", "Anna Keller", "sagte", "direct"),
        ("Das ist ein Haushalt auf Pump.", "Paul Brandt", "sagte", "direct"),
        ("Die Rücklagen reichen noch zwei Jahre", "Anna Keller", "so", "direct"),
        ("Kraftakt für alle", "Otto Lenz", "sprach von", "partial"),
    ]
    assert extract_quotes(text)[0].role == "Bürgermeisterin"


def test_so_followed_by_a_verb_is_not_an_attribution():
    quote = one('Reporters asked about the deal. "We won," so Trump went on to the next rally.')
    assert quote.cue != "so"


def test_french_and_spanish_inverted_cues():
    fr = one("« Nous ne reculerons pas », a déclaré la ministre Claire Dubois.")
    assert (fr.speaker, fr.cue) == ("Claire Dubois", "a déclaré")
    es = one("«No vamos a subir los impuestos», dijo el ministro Jorge Ruiz.")
    assert (es.speaker, es.cue) == ("Jorge Ruiz", "dijo")


def test_quote_over_paragraphs_attributed_after_its_last_piece():
    text = ('The hearing ran late.\n"We never saw the contract before the vote.\n'
            '"Nobody on the board did," said Councillor Maria Lopez.')
    quotes = extract_quotes(text)
    assert len(quotes) == 1
    assert (quotes[0].speaker, quotes[0].kind, quotes[0].cue) == ("Maria Lopez", "direct", "said")
    assert quotes[0].quote.endswith("Nobody on the board did,")


def test_title_before_a_name_is_carried_to_later_surname_attributions():
    text = ("City engineer Miguel Santos presented the plan. \"It stays open,\" Santos said.\n"
            "\"We will watch it,\" said Carla Benning, the agency's deputy head. "
            "\"Costs are fixed,\" Benning said.")
    quotes = extract_quotes(text)
    assert [(q.speaker, q.role) for q in quotes] == [
        ("Miguel Santos", "City engineer"),
        ("Carla Benning", "the agency's deputy head"),
        ("Carla Benning", None),  # an appositive describes one mention; it is not carried
    ]


def test_german_pronoun_after_quote_resolves_to_the_person_before():
    text = ("Landrat Hans Vogt eröffnete die Brücke am Montag. "
            "„Wir haben drei Jahre darauf gewartet“, sagte er.")
    quote = one(text)
    assert (quote.speaker, quote.speaker_as_written, quote.kind) == ("Hans Vogt", "er", "direct")


def test_german_nouns_are_not_names_and_genitive_roles_stay_whole():
    text = ("„Die Auen sind gefährdet“, sagte Sabine Riewenherm, Präsidentin des BfN.\n"
            "„Wir wollen das ändern“, sagte der Minister.\n"
            "Landrat Peter Bohlmann begrüßte die Förderung. „Das ist ein guter Tag“, sagte Bohlmann.")
    got = [(q.speaker, q.speaker_as_written, q.role) for q in extract_quotes(text)]
    assert got == [
        ("Sabine Riewenherm", "Sabine Riewenherm, Präsidentin des BfN", "Präsidentin des BfN"),
        (None, "der Minister", None),  # a description, as "the minister" would be
        ("Peter Bohlmann", "Bohlmann", "Landrat"),
    ]


def test_json_record_carries_the_content_span():
    from tasks.parse import quote_record

    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    partial = extract_quotes(text)[0]
    record = quote_record(partial)
    assert text[record["start"]:record["end"]] == record["quote"] == "strong economic and other measures"
    assert text[record["content_start"]:record["content_end"]].startswith("the West would impose")


# ------------------------------------------------------------------ reported speech (stretch)


def test_seed_reported_speech_stretch():
    """expected.json's reported_speech_stretch: speaker, cue and where the content starts.
    Biden's is the partial quote's reported clause; the others have no quotation marks."""
    from tasks.quotes import extract_reported_speech

    text = (FIXTURES / "seed_body.txt").read_text(encoding="utf-8")
    partial = extract_quotes(text)[0]
    got = [(q.speaker, q.cue, q.quote) for q in extract_reported_speech(text)]
    got.append((partial.speaker, partial.cue, text[partial.content_start:partial.content_end]))
    expected = [
        ("Kremlin", "said", "it expected no immediate breakthroughs"),
        ("Joe Biden", "warned", "the West would impose"),
        ("Vladimir Putin", "demanded", "guarantees NATO would not expand"),
        ("Yuri Ushakov", "said", "Putin and Biden underlined the need"),
        ("Yuri Ushakov", "said", "the two leaders had not discussed a proposal"),
    ]
    for speaker, cue, starts in expected:
        assert any(s == speaker and c == cue and q.startswith(starts) for s, c, q in got), (speaker, starts)
    # reported speech never holds quotation marks, never overlaps a quote, kind indirect
    for quote in extract_reported_speech(text):
        assert quote.kind == "indirect" and '"' not in quote.quote
        assert text[quote.start:quote.end] == quote.quote
        assert (quote.content_start, quote.content_end) == (quote.start, quote.end)


@pytest.mark.parametrize("text, speaker, clause", [
    ("Whatever progress the envoy has made, officials said, could easily be unraveled by events.",
     "officials", "Whatever progress the envoy has made, officials said, could easily be unraveled by events"),
    ("According to the Associated Press, the campaign had spent $3 million on ads.",
     "Associated Press", "the campaign had spent $3 million on ads"),
    ("The bridge would cost $4 billion, according to the budget office.",
     "the budget office", "The bridge would cost $4 billion"),
    ("Mayor Ann Cole told reporters on Monday that the budget would be balanced by June.",
     "Ann Cole", "the budget would be balanced by June"),
])
def test_reported_speech_forms(text, speaker, clause):
    from tasks.quotes import extract_reported_speech

    (quote,) = extract_reported_speech(text)
    assert (quote.speaker or quote.speaker_as_written, quote.quote) == (speaker, clause)


@pytest.mark.parametrize("text", [
    "She wrote a letter to Congress about the bridge.",
    "He told the story of his life at the dinner.",
    'Ann Cole said the plan was "a disaster" and would fail.',  # a partial quote, not indirect
])
def test_not_reported_speech(text):
    from tasks.quotes import extract_reported_speech

    assert extract_reported_speech(text) == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab Xy.,:;!?\n\"'“”-") + ["said", " that ", " he ", "Mr. ", "Jo Li", " was "]),
                max_size=120).map("".join))
def test_reported_speech_offsets_are_valid_on_arbitrary_text(text):
    from tasks.quotes import extract_reported_speech

    for quote in extract_reported_speech(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start:quote.end] == quote.quote and quote.kind == "indirect"


def test_possessive_mention_resolves_to_the_person_not_the_possessive():
    text = ("Phyllis Schlafly campaigned against the amendment for a decade.\n"
            "Mrs. Schlafly's pronouncements drove her opponents to distraction. She said that "
            "''the amendment would hurt the very women it meant to help.''")
    quote = one(text)
    assert (quote.speaker, quote.speaker_as_written, quote.kind) == ("Phyllis Schlafly", "She", "partial")


# ------------------------------------------------------- narration inside the quote's sentence


@pytest.mark.parametrize("text, words", [
    # the sentence goes on in the narration's words after the mark: quoted words, not a speech
    ('"I want to thank every volunteer who knocked on doors" for the win, Mayor Ann Cole said.',
     "I want to thank every volunteer who knocked on doors"),
    ('Ann Cole said, "I have not seen that report" from the city engineers.',
     "I have not seen that report"),
])
def test_quote_carried_on_by_narration_is_partial(text, words):
    quote = one(text)
    assert (quote.quote, quote.kind, quote.speaker) == (words, "partial", "Ann Cole")
    assert (quote.content_start, quote.content_end) != (quote.start, quote.end)  # the clause


@pytest.mark.parametrize("text", [
    '"I want to thank every volunteer," Mayor Ann Cole said.',
    '"I want to thank every volunteer" Mayor Ann Cole said.',  # no comma: still the attribution
    '"I want to thank every volunteer" his wife, Ann Cole, said.',
    'Ann Cole said, "I have not seen that report," and left the room.',  # the quote ends itself
])
def test_attribution_or_own_punctuation_after_the_quote_keeps_it_direct(text):
    quote = one(text)
    assert (quote.kind, quote.speaker) == ("direct", "Ann Cole")


def test_utterance_finished_in_narration_is_one_partial_quote():
    text = ('"The numbers look good for us," said Ann Cole, a pollster. "Voters like the plan, '
            'but they are not there yet" to back it in November.')
    first, second = extract_quotes(text)
    assert (first.kind, first.speaker) == ("direct", "Ann Cole")
    assert (second.kind, second.speaker, second.continues) == ("partial", "Ann Cole", True)
    assert text[second.content_start:second.content_end].endswith("to back it in November")


def test_lowercase_quote_finishing_the_next_sentence_carries_on_the_speaker():
    text = ('"He is supposed to lead this city," Ann Cole said. Instead, "he just acts like a '
            'tired man."')
    first, second = extract_quotes(text)
    assert (second.quote, second.kind, second.speaker, second.continues) == (
        "he just acts like a tired man.", "partial", "Ann Cole", True)


@pytest.mark.parametrize("text", [
    # a scare quote inside the next sentence is not the speaker's next words
    '"We will finish on time," Ann Cole said. The agency plans two "deliveries" of parts a year.',
    # the next paragraph: a title, not a continuation
    '"We will finish on time," Ann Cole said.\n"Wild Rose" is now available on DVD.',
])
def test_scare_quote_or_title_after_a_quote_is_not_a_continuation(text):
    quotes = extract_quotes(text)
    assert [q.quote for q in quotes] == ["We will finish on time,"]


def test_lyrics_are_quoted_with_the_singer_as_speaker():
    quote = one('As the band Rainmakers sang back in the 1980s, "They will turn us all into beggars."')
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Rainmakers", "sang")


@pytest.mark.parametrize("text, speaker, as_written", [
    # the subject follows the verb when only a conjunction or an adverbial stands before it
    ('But, said Ann Cole, "I do not want to drum up a fight."', "Ann Cole", "Ann Cole"),
    ('In other words, explained moderator Ann Cole: "What does that have to do with it?"',
     "Ann Cole", "moderator Ann Cole"),
    # two names joined by "and" are one subject
    ('"The campaign is tired and angry," Ann Cole and Bo Chan wrote.', "Bo Chan", "Ann Cole and Bo Chan"),
])
def test_inverted_and_joint_subjects(text, speaker, as_written):
    quote = one(text)
    assert (quote.kind, quote.speaker, quote.speaker_as_written) == ("direct", speaker, as_written)


def test_hearer_after_tell_is_not_the_speaker():
    text = ('Ann Cole, a drug researcher at the University of York who did not work on the study, '
            'told Newsweek: "Even a small rise in use can add to the strain on services."')
    assert one(text).speaker != "Newsweek"


def test_title_in_apposition_is_not_a_quote_but_a_chant_is():
    assert extract_quotes('She helped a reporter write a book, "Who Runs the City," that named every donor.') == ()
    quote = one('While protesters chanted, "Red for Ed," in the hallway, the speaker defended the budget.')
    assert (quote.quote, quote.cue) == ("Red for Ed,", "chanted")


def test_output_does_not_depend_on_the_hash_seed():
    # two people share a surname: the genders read from Mr./Ms. must not follow set order
    import json
    import os
    import subprocess
    import sys

    text = ('Mr. Khan spoke first. Ms. Khan wrote a letter. "I felt the pain of every mother," Ms. Khan '
            'wrote. She continued: "He has children whom he loves." Mr. Khan said: "We are proud."')
    code = ("import sys, json; from tasks.quotes import extract_quotes; "
            "print(json.dumps([(q.speaker, q.start) for q in extract_quotes(sys.argv[1])]))")
    root = Path(__file__).resolve().parents[1]
    runs = {subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True, cwd=root,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1
    # "She continued" is the woman of the two, though they share a surname
    assert [speaker for speaker, _ in json.loads(runs.pop())] == ["Khan", "Khan", "Khan"]


def test_paragraph_of_quote_after_a_partial_quote_carries_on_its_speaker():
    text = ('State Senator Ann Cole used to back the plan, but now said the mayor had "the duty to '
            'bring us together."\n'
            '"I think he can do that, but the best unifier we have is the budget."\n'
            'Boos rained down when the mayor spoke.')
    first, second = extract_quotes(text)
    assert (first.kind, first.speaker) == ("partial", "Ann Cole")
    assert (second.kind, second.speaker, second.continues) == ("direct", "Ann Cole", True)


def test_paragraph_of_quote_after_a_partial_quote_inside_its_paragraph_stays_unattributed():
    # the partial quote does not end its paragraph: the narration goes on after it
    text = ('Ann Cole said the mayor had "the duty to lead" and left the meeting early.\n'
            '"We will not wait for anyone."')
    quotes = extract_quotes(text)
    assert (quotes[-1].speaker, quotes[-1].continues) == (None, False)


def test_manner_verbs_attribute_but_their_participles_are_adjectives():
    from tasks.quote_lexicon import SPEECH_FORMS

    quote = one('"This is fantastic!" beamed Ann Cole of Madison, who sat near the stage.')
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Ann Cole", "beamed")
    assert {"beamed", "grinned", "laughs"} <= SPEECH_FORMS
    assert not {"smiling", "laughing", "grinning"} & SPEECH_FORMS  # "a smiling crowd"


def test_sentence_interjected_between_dashes_is_a_direct_quote():
    quote = one('When Mayor Ann Cole finally wrapped up — "I will fight for you, and I will win!" — '
                'the balloons came down.')
    assert (quote.kind, quote.speaker) == ("direct", "Ann Cole")
    # a phrase between dashes is not a sentence of speech
    assert extract_quotes('The plan — "a bridge to nowhere" — was dropped.') == ()


def test_colon_quote_takes_the_named_subject_of_its_sentence():
    text = ('Labor Secretary Ann Cole toured three towns on Monday.\n'
            'In city after city, Ann Cole lobbies for a higher minimum wage: "No one who works '
            'full time should live in poverty."')
    quote = one(text)
    assert (quote.kind, quote.speaker) == ("direct", "Ann Cole")
    # a capitalised sentence opener is nobody
    assert one('Signs of trouble came early: "We are out of money and out of time."').speaker is None


def test_quotes_joined_by_and_are_one_partial_content():
    text = 'The crowd chanted back at him, "Send them home," and "Build it now." Then he left.'
    first = extract_quotes(text)[0]
    assert (first.quote, first.kind) == ("Send them home,", "partial")
    assert '"Build it now."' in text[first.content_start:first.content_end + 1]


@pytest.mark.parametrize("text, speaker", [
    ('Voters saw a video of Ann Cole saying "we will cut the budget" at a rally.', "Ann Cole"),
    ('What do you think of Ann Cole privately saying "pray for him" in response?', "Ann Cole"),
    # a place or a recipient before the gerund is not its subject
    ('Ann Cole wrote a letter to Attorney General Bo Chan asking him to stop the "fiasco."', "Ann Cole"),
])
def test_name_right_before_a_gerund_is_its_subject(text, speaker):
    quote = extract_quotes(text)[0]
    assert (quote.kind, quote.speaker) == ("partial", speaker)
