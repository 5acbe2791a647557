"""Main-text extraction on real page templates: the seed page and templates written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trafilatura

from tasks.extract import FAST_OPTIONS, EXTRACTOR_VERSION, PASSES, ExtractedText, extract_text, parse_tree, thin_tree
from tasks.extract_rules import (
    clean_lines,
    collect_headlines,
    collect_link_texts,
    collect_standfirsts,
    drop_link_lists,
    drop_residue,
    read_page,
    residue_rule,
)
from lxml.html import tostring
from trafilatura.utils import load_html

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SEED_URL = (
    "https://www.devdiscourse.com/article/international/"
    "1838560-kremlin-says-putin-and-biden-to-keep-engaging-despite-no-breakthrough-in-talks"
)


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def extract_fixture(name: str, **kwargs) -> ExtractedText:
    return extract_text(read_fixture(name), **kwargs)


def assert_well_formed(result: ExtractedText) -> None:
    lines = result.text.split("\n") if result.text else []
    assert result.paragraphs == len(lines)
    assert all(line and line == line.strip() for line in lines), "blank or padded line"


# --- the seed page --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_expected() -> dict:
    return json.loads(read_fixture("seed-expected.json"))["text"]


@pytest.fixture(scope="module")
def seed_result() -> ExtractedText:
    return extract_fixture(
        "devdiscourse-kremlin-putin-biden.html",
        url=SEED_URL,
        title="Kremlin says Putin and Biden to keep engaging despite no breakthrough in talks",
        description="Biden warned Putin on Tuesday the West would impose \"strong economic and other "
        "measures\" on Russia if it invades Ukraine, while Putin demanded guarantees NATO would "
        "not expand further eastward.",
    )


def test_seed_text_starts_and_ends_as_expected(seed_result, seed_expected):
    assert seed_result.text.startswith(seed_expected["starts_with"])
    assert seed_result.text.endswith(seed_expected["ends_with"])


def test_seed_has_exactly_the_four_body_paragraphs(seed_result, seed_expected):
    assert seed_result.paragraphs == seed_expected["paragraphs"] == 4
    assert_well_formed(seed_result)


@pytest.mark.parametrize(
    "residue", json.loads((FIXTURES / "seed-expected.json").read_text())["text"]["must_not_contain"]
)
def test_seed_text_has_no_residue(seed_result, residue):
    assert residue not in seed_result.text


def test_seed_without_hints_gives_the_same_text(seed_result):
    # the headline and summary are also found on the page itself
    bare = extract_fixture("devdiscourse-kremlin-putin-biden.html")
    assert bare.text == seed_result.text
    assert bare.method == "trafilatura-fast-precision"


# --- other templates ------------------------------------------------------------------------


def test_wire_template_drops_disclaimer_ads_tags_and_sidebar():
    result = extract_fixture("wire-syndicated.html", url="https://www.dailyledger.example/india/x-2291873")
    assert result.text.startswith("Mumbai: Heavy monsoon rains lashed Mumbai on Wednesday")
    assert result.text.endswith("according to the Santacruz observatory.")
    assert result.paragraphs == 5
    for residue in ("syndicated feed", "Advertisement", "Tags:", "cookies", "Trending", "Sensex", "Tweet"):
        assert residue not in result.text
    assert_well_formed(result)


def test_wordpress_template_drops_comments_share_caption_and_taxonomy():
    result = extract_fixture("wordpress-blog.html")
    assert result.paragraphs == 5
    assert result.text.startswith("The city council voted 7-2 on Monday night")
    assert "“We have waited long enough for someone to get hurt,” she said." in result.text
    for residue in ("About time", "Leave a Reply", "Share this", "Photo:", "Filed under", "Recent Posts",
                    "Council approves new bike lanes on Harbour Street\n"):
        assert residue not in result.text + "\n"


def test_magazine_template_drops_promos_credits_and_headline():
    result = extract_fixture("magazine-standfirst.html")
    assert result.text.startswith("Erosion has brought the cliff edge to within six metres")
    assert result.text.endswith("it draws about 40,000 visitors a year.")
    assert result.paragraphs == 5
    for residue in ("READ MORE", "newsletter", "Follow Tom Hartley", "Photograph: Alamy", "We use cookies",
                    "More from Heritage", "Why the North Sea's oldest lighthouse"):
        assert residue not in result.text


def test_short_brief_keeps_its_one_paragraph_without_navigation_or_headline():
    result = extract_fixture("short-brief.html")
    assert result == ExtractedText(
        "The Mill Lane bridge in Ashby is closed in both directions after a lorry hit it early on Monday. "
        "Engineers are inspecting the structure and diversions are in place.",
        1,
        "trafilatura-fast-precision",
    )


def test_print_header_reprint_notice_and_paywall_teaser_are_left_out():
    result = extract_fixture("print-header-reprint.html")
    assert result.paragraphs == 4
    assert result.text.startswith("Shares of the home-improvement chain fell in premarket trading")
    for residue in ("personal, non-commercial use", "https://", "Subscribe to continue reading",
                    "Retailer cuts sales outlook", "All Rights Reserved"):
        assert residue not in result.text


def test_article_split_into_chunks_is_recovered_whole():
    result = extract_fixture("split-body-chunks.html")
    assert result.method == "trafilatura-fast-precision+chunks"
    assert result.paragraphs == 8
    assert result.text.startswith("The first thing you notice on the night shift")
    assert "The hospital treated 4,812 trauma patients last year" in result.text
    assert result.text.endswith("whether he would sign it.")
    for residue in ("Advertisement", "More Great Chronicle Stories", "beekeepers", "By Sam Lee", "Share on"):
        assert residue not in result.text


def test_teaser_cards_that_reuse_the_body_class_are_not_taken_for_chunks():
    result = extract_fixture("teaser-cards-same-class.html")
    assert result.paragraphs == 3
    assert result.text.startswith("Jahrelang lagerten sie eingestaubt")
    assert result.text.endswith("eine zweite Versteigerung veranstalten.")
    for teaser in ("Kultkneipe", "Arkaden", "Hutmacherring", "Mehr aus Lübeck"):
        assert teaser not in result.text


def test_chunks_come_back_in_page_order():
    lines = extract_fixture("split-body-chunks.html").text.split("\n")
    assert lines.index(next(l for l in lines if l.startswith("Dr. Helen Okafor"))) == 2
    assert lines.index(next(l for l in lines if l.startswith("State lawmakers"))) == 4


def test_german_template_drops_labels_and_promos_written_in_german():
    result = extract_fixture("german-regional.html")
    assert result.paragraphs == 5
    assert result.text.startswith("Der Elbpegel in Dresden hat am Montagmorgen")
    assert result.text.endswith("bisher nicht geplant.")
    for residue in ("Anzeige", "Mehr zum Thema", "Diese Straßen sind gesperrt", "Instagram", "Newsletter",
                    "Kommentare", "Hauptinhalt", "Katrin Müller"):
        assert residue not in result.text


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>", "not a web page at all"])
def test_pages_without_text_give_an_empty_result(html):
    assert extract_text(html) == ExtractedText("", 0, "none")


def test_navigation_only_page_gives_an_empty_result():
    result = extract_fixture("nav-only.html")
    assert result == ExtractedText("", 0, "none")


def test_extractor_version_is_set():
    assert EXTRACTOR_VERSION and isinstance(EXTRACTOR_VERSION, str)


# --- the cleanup rules on single lines ------------------------------------------------------


@pytest.mark.parametrize(
    "line, rule",
    [
        ("Advertisement", "label"),
        ("Give Feedback", "label"),
        ("Related News", "label"),
        ("Trending Now", "label"),
        ("12 Comments", "label"),
        ("Share on Facebook Share on Twitter Share on WhatsApp", "share-bar"),
        ("(This story has not been edited by Devdiscourse staff and is auto-generated from a syndicated "
         "feed.)", "syndication"),
        ("(Only the headline and picture of this report may have been reworked by the Business Standard "
         "staff; the rest of the content is auto-generated from a syndicated feed.)", "syndication"),
        ("We use cookies to improve your experience. By continuing to browse you agree.", "cookie"),
        ("Representative Image. Image Credit: ANI", "credit"),
        ("Photo: Reuters/Jane Doe", "credit"),
        ("Country: Russia", "tag-list"),
        ("Tags: Mumbai Rains, Monsoon, IMD", "tag-list"),
        ("Updated: 08-12-2021 02:41 IST", "date-stamp"),
        ("© 2021 Example Media. All rights reserved.", "copyright"),
        ("READ MORE: China plague outbreak confirmed in Beijing", "label-prefix"),
        ("Also on example.com Journalists threatened with arrest", "label-prefix"),
        ("Get the latest updates right in your inbox. Subscribe to our newsletters.", "promo"),
        ("Email Jane Doe at jdoe@example.com or follow her @janedoe.", "contact"),
        ("Oil prices rise as supply fears ease [VIDEO]", "bracket-tag"),
        ("This copy is for your personal, non-commercial use only.", "reprint"),
        ("Reuters | Moscow | Updated: 08-12-2021 02:41 IST | Created: 08-12-2021 02:41 IST", "meta-segments"),
        ("05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde", "meta-segments"),
        ('[button link="https://example.com/submit"] Send us your review[/button]', "shortcode"),
        ("Tell us what YOU think...", "label"),
        ("* * *", "no-words"),
        ("By admin - 2018-09-16", "byline"),
        ("By Jane Doe and John Roe", "byline"),
        ("Follow Tom Hartley on Twitter @tomhartley_cc", "contact"),
    ],
)
def test_residue_rules_catch_interface_lines(line, rule):
    assert residue_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "The Kremlin said on Tuesday it expected no immediate breakthroughs in strained relations.",
        "The regulator said the site uses cookies to track children without consent, which breaks the "
        "law, and fined the company 2 million euros after a two-year investigation into its practices "
        "and those of three other app makers that share data with advertisers across the region.",
        "Related talks are due to resume in Geneva next week, diplomats said.",
        "If you just want Disney+, you can sign up for a free 7-day trial.",
        "Tags on the collars allowed researchers to follow the wolves for two years.",
        "Shares of the company fell 5% on Tuesday.",
        "Scores: Arsenal 2 - Chelsea 1 - Spurs 0 this week",
        "By 2030, the share rose to 40%",
        "By Tuesday, 14 people had died.",
        "Photographs taken by the rover show a dry riverbed.",
    ],
)
def test_residue_rules_keep_prose(line):
    assert residue_rule(line) is None


def test_headlines_under_a_related_heading_go_with_it():
    lines = [
        "The council approved the budget on Monday after a four-hour debate.",
        "Related News",
        "Mayor defends spending plan",
        "Five things to know about the new budget",
        "Opposition councillors said they would challenge the vote in court.",
        "Read more: Budget row deepens as unions threaten strike",
        "Council tax to rise by 4%",
    ]
    assert drop_residue(lines) == [lines[0], lines[4]]


def test_a_heading_that_is_not_a_link_block_keeps_what_follows():
    lines = ["Advertisement", "Short subheading", "A sentence of the article follows here."]
    assert drop_residue(lines) == lines[1:]


def test_table_of_contents_does_not_make_the_headings_a_link_list():
    result = extract_fixture("inline-link-list.html")
    assert "High and low water explained\nEach day has two high waters" in result.text
    assert "Why the tidal range matters\nThe difference between high and low water" in result.text
    assert result.paragraphs == 6


def test_runs_of_lines_that_are_whole_links_are_dropped_single_ones_kept():
    links = collect_link_texts(load_html(read_fixture("inline-link-list.html")))
    body = "A tide table lists the times and heights of high and low water for one place."
    lines = [
        body,
        "Anchoring in a crosswind without dragging",
        "- Five rules for your first night passage",
        "Tide tables are published by the national hydrographic office.",
        "The best tides for catching bass from the shore",
        "High and low water explained",
        "Why the tidal range matters",
    ]
    assert drop_link_lists(lines, links) == [body, lines[3], lines[4], lines[5], lines[6]]


def test_headline_lines_are_dropped_wherever_the_page_states_them():
    tree = load_html("<html><head><title>Storm hits coast | Daily</title></head>"
                     "<body><h1>Storm hits coast</h1><p>x</p></body></html>")
    headlines = collect_headlines(tree, None)
    lines = ["Storm hits coast", "The storm hit the coast at dawn, flooding homes along the shore."]
    assert clean_lines(lines, headlines, ()) == lines[1:]


def test_repeated_standfirst_is_dropped_but_a_lede_is_kept():
    lede = "Heavy rain flooded the old town on Monday, forcing hundreds of residents to leave their homes."
    rest = ["Rescue teams used boats to reach people trapped in upper floors, the fire service said.",
            "Heavy rain flooded the old town on Monday, forcing hundreds of residents to leave their "
            "homes, officials said late in the evening."]
    assert clean_lines([lede] + rest, frozenset(), ()) == rest
    # the same lede that is not repeated later is the article's first paragraph, kept
    assert clean_lines([lede] + rest[:1], frozenset(), ()) == [lede] + rest[:1]


# --- cost: one walk for the page facts, a thinned tree for the first pass ------------------

HTML_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.html"))


@pytest.mark.parametrize("name", HTML_FIXTURES)
def test_thinning_leaves_trafilaturas_text_unchanged(name):
    html = read_fixture(name)
    thinned = parse_tree(html)
    thin_tree(thinned)
    assert trafilatura.extract(thinned, **FAST_OPTIONS) == trafilatura.extract(parse_tree(html), **FAST_OPTIONS)


def test_thinning_deletes_what_trafilatura_deletes_and_keeps_the_text_around_it():
    tree = parse_tree(read_fixture("sidebar-links-scripts.html"))
    thin_tree(tree)
    for tag in ("nav", "aside", "footer", "style", "link", "svg", "noscript", "img", "font", "button", "input"):
        assert next(tree.iter(tag), None) is None, tag
    # only the JSON-LD script is left: trafilatura reads it to tell a forum thread
    assert [script.get("type") for script in tree.iter("script")] == ["application/ld+json"]
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    assert any(text.endswith("the town council in September, the company confirmed.") for text in paragraphs)
    assert any("said the reduced timetable would hit shift workers" in text for text in paragraphs)
    # what trafilatura reads before its own cleaning stays
    assert tree.find("head/title") is not None and next(tree.iter("form", "figure"), None) is not None


_ODD_INPUTS = [
    "<p>A lone paragraph</p>",
    "just some text, no markup at all",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared XML</p></body></html>',
    "<!-- only a comment -->",
    "<html/><body><p>Self-closing html tag</p></body>",
    "<html><body><form><label>Name</label><input name=n><select><option>a</option></select>"
    "<textarea>t</textarea></form>\x0b\x01<p>Control characters</p></body></html>",
]


@pytest.mark.parametrize("html", [read_fixture(name) for name in HTML_FIXTURES] + _ODD_INPUTS)
def test_pages_parse_as_trafilatura_parses_them(html):
    ours, theirs = parse_tree(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert tostring(ours) == tostring(theirs)
        assert [type(element) for element in ours.iter()] == [type(element) for element in theirs.iter()]


def test_page_facts_are_read_before_thinning():
    tree = parse_tree(read_fixture("sidebar-links-scripts.html"))
    page = read_page(tree, "Harbour ferry timetable cut for winter", None)
    thin_tree(tree)
    assert "lifeboat crew rescues two kayakers off the point" in page.link_texts  # in the <aside>
    assert "privacy policy and cookie settings" in page.link_texts  # in the <footer>
    assert "sport" not in page.link_texts  # fewer than three words
    assert ("harbour", "ferry", "timetable", "cut", "for", "winter") in page.headlines
    assert page.standfirsts == (tuple("the harbour ferry will run every forty minutes instead of every "
                                      "twenty from november to march the operator said".split()),)
    # the related links still drop a run of them, though thinning deleted the <aside>
    body = "The harbour ferry will run every forty minutes instead of every twenty, the operator said."
    lines = [body, "Lifeboat crew rescues two kayakers off the point", "New fish market opens on the east quay"]
    assert drop_link_lists(lines, page.link_texts) == [body]


def test_page_prose_counts_paragraphs_of_six_words_or_more():
    tree = parse_tree("<html><body><p>By Ines Marlow</p><p>Five words are not enough.</p>"
                      "<div><p>Six words   make\na sentence here.</p></div>"
                      "<aside><p>An aside paragraph counts as well, six.</p></aside></body></html>")
    page = read_page(tree, None, None)
    assert page.paragraph_prose == len("Six words make a sentence here.") + len("An aside paragraph counts as well, six.")


@pytest.mark.parametrize("name", HTML_FIXTURES)
def test_one_walk_reads_what_the_separate_collectors_read(name):
    tree = parse_tree(read_fixture(name))
    page = read_page(tree, "A title of the page", "A description of the page that is long")
    assert page.headlines == collect_headlines(tree, "A title of the page")
    assert page.standfirsts == collect_standfirsts(tree, "A description of the page that is long")
    assert page.link_texts == collect_link_texts(tree)


def test_sidebar_page_gives_its_four_paragraphs_only():
    result = extract_fixture("sidebar-links-scripts.html", title="Harbour ferry timetable cut for winter")
    lines = result.text.split("\n")
    assert len(lines) == 4 and result.method == "trafilatura-fast-precision"
    assert lines[0].startswith("The harbour ferry will run every forty minutes")
    assert lines[-1].endswith("refunded in full at the pier office.")
    assert not any(word in result.text for word in ("Lifeboat", "JavaScript", "dataLayer", "Privacy"))


# --- properties -----------------------------------------------------------------------------

_words = st.text(alphabet="abcdefghij klmnop,.\"'", min_size=1, max_size=80)


@settings(max_examples=40, deadline=None)
@given(paragraphs=st.lists(_words, min_size=0, max_size=8))
def test_any_page_gives_well_formed_text(paragraphs):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    result = extract_text(f"<html><head><title>t</title></head><body><article>{body}</article></body></html>")
    assert_well_formed(result)
    assert result.method.split("+")[0] in {step.method for step in PASSES} | {"none"}
    assert (result.text == "") == (result.method == "none")


_MARKUP = ["<p>", "</p>", '<div class="body">', "</div>", "<h1>", "</h1>", "<br>", "<li>", "<ul>",
           "Hello world, this is a sentence of text.", "&amp;", "<script>var x = 1;</script>",
           '<?xml version="1.0" encoding="utf-8"?>', "<html>", "<body>", "<article>", "</article>",
           "Related News", '<ul class="social"><li>Share on Facebook</li></ul>', "\u00a0", "<!-- comment -->", "<table><tr><td>cell"]


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.sampled_from(_MARKUP), max_size=40))
def test_any_markup_soup_gives_well_formed_text(parts):
    result = extract_text("".join(parts))
    assert_well_formed(result)
    assert "Share on Facebook" not in result.text.split("\n")
