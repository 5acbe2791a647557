"""Title rules of the second ranking round (issue 4), each on a page template of its own
(tests/fixtures/metadata): kickers set apart by a hidden separator, subtitles and "toptitles"
inside the <h1>, a topic <h1> over the headline <h2>, CJK site suffixes without spaces, section
labels, widget and newsletter <h1>s, a site name that is only a piece of the headline; and the
date rules found with them ("Stand:" against a generic meta date, a <time> far under the
headline, a web archive's capture time in the URL)."""
from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.meta_titles import split_title, longest_part
from tasks.metadata import extract_metadata
from tests.metadata_pages import FixturePages

PAGES = FixturePages()
read, load = PAGES.read, PAGES.load


def test_text_before_a_hidden_separator_is_a_kicker_whatever_its_class():
    # the kicker's class says "titleheader": the separator hidden from screen readers decides
    meta = load("swiss-hidden-dash-headline.html")
    assert meta.title == "Wie Umweltzerstörung neue Epidemien begünstigt"


def test_subtitle_inside_the_h1_is_not_the_headline():
    meta = load("travel-subtitle-in-h1.html", "https://umami-trails.example/dezuka-suisan/")
    assert meta.title == "Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh"


def test_toptitle_inside_the_h1_is_a_kicker():
    meta = load("trade-toptitle-h1.html", "https://www.werkstatt-magazin.example/cyber-angriffe/")
    assert meta.title == "Cyber-Angriffe: 20 Prozent vom IT-Budget in die IT-Sicherheit stecken!"


def test_h2_under_a_topic_h1_wins_when_a_structured_title_repeats_it():
    meta = load("finance-topic-h1-then-h2.html", "https://www.geldratgeber.example/altersvorsorge/")
    assert meta.title == "Mit Hilfe des Chefs für die Rente sparen"
    assert ("title", "h2") in meta.sources


def test_h2_repeating_og_title_beats_an_h1_only_the_title_tag_repeats():
    meta = load("tabloid-h2-confirmed-by-og.html", "https://www.abendpost.example/people/buechner/")
    assert meta.title == "„Arschloch“: Danni Büchner und Ennesto Monté trennen sich"


def test_cjk_site_suffix_without_spaces_is_removed():
    meta = load("chinese-site-suffix.html", "http://www.huaxia-news.example/2020-02/14/c_1125597921.htm")
    assert meta.title == "武汉的声音：有英勇的你，才有英雄的城！"


def test_one_word_section_h1_yields_to_the_h2_the_og_title_contains():
    meta = load("culture-section-h1-and-h2.html", "https://www.kulturblatt.example/literatur/buch-der-woche-1619/")
    assert meta.title == "30.11. | Buch der Woche"


def test_widget_and_newsletter_h1s_are_not_headlines():
    meta = load("blog-widget-h1s.html", "https://bubbleboy.example/2016/11/01/medien-im-oktober-2016/")
    assert meta.title == "Ich las, sah, hörte: Medien im Oktober 2016"


def test_a_piece_of_the_site_name_stays_in_the_headline_og_title_repeats():
    meta = load("pet-guide-partial-site-name.html", "https://www.welpenmarkt24.example/")
    assert meta.title == "Welpen kaufen – Tipps zu jeder Hunderasse"


def test_one_word_h1_beside_the_headline_is_a_section_heading():
    meta = load("product-test-section-h1.html", "https://www.produkttester.example/de-de/frischhaar")
    assert meta.title == "Frischhaar – Schnell aufgefrischtes Haar in jeder Situation mit dem 10-in-1 Trockenshampoo"


def test_hyphenated_latin_titles_are_not_split_by_the_cjk_rule():
    assert split_title("Covid-19-Impfung: Was jetzt gilt") == [(0, len("Covid-19-Impfung: Was jetzt gilt"))]
    assert longest_part("子どもへの体罰を禁止する法律ができる_NHK") == "子どもへの体罰を禁止する法律ができる"


CJK_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(head=CJK_TEXT, site=CJK_TEXT, sep=st.sampled_from(["-", "_", "｜", "—"]))
def test_cjk_title_splits_at_its_separator(head, site, sep):
    title = head + sep + site
    parts = [title[a:b] for a, b in split_title(title)]
    assert parts == [head, site]


# dates of the second round (same file: the rules were found together on the same pages)


def test_stand_date_before_a_generic_meta_date_is_the_closest_publication():
    # "Stand: 28.04.2020" under the headline: the page was last changed before the meta date
    meta = load("broadcaster-stand-date.html", "https://www.nachrichten.example/inland/ruestung-hack-101.html")
    assert meta.published.value == "2020-04-28T18:00:00"
    assert meta.title == "Daten von Rüstungskonzern gehackt"


def test_first_time_after_the_headline_beats_a_generic_meta_date_far_below_it():
    meta = load("agency-time-below-nav.html", "https://www.umweltfragen.example/presse/atomkraft")
    assert meta.published.value == "2022-01-25T08:00:00+01:00"
    assert meta.published.source == "time"


def test_a_web_archive_capture_time_is_not_a_url_date():
    from datetime import datetime, timezone

    from tasks.meta_dates import find_url_date, original_url

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    archived = "https://web.archive.org/web/20160218174457/http://blog.example/2010/05/19/post/"
    assert original_url(archived) == "http://blog.example/2010/05/19/post/"
    assert find_url_date(archived, now).value == "2010-05-19"
    assert find_url_date("https://web.archive.org/web/20160218174457/http://blog.example/post/", now) is None
    assert find_url_date("https://news.example/2016/02/18/post/", now).value == "2016-02-18"


def test_an_author_box_is_read_by_its_name_not_its_description():
    # the box's description ("Patrick Lorenz, Fotograf ...") would run into the name "Paddy"
    meta = load("photo-blog-author-box.html", "https://bildrauschen.example/imac-5k-lightroom/")
    assert meta.authors == ("Paddy",)


def test_a_first_name_alone_on_a_site_named_after_a_person_is_that_person():
    meta = load("personal-blog-first-name.html", "https://www.miriam-vogler.example/zeitphilosophie/")
    assert meta.authors == ("Miriam Vogler",)
    # a first name that is not the site's person stays as written
    other = extract_metadata(
        read("personal-blog-first-name.html").replace(">Miriam</a>", ">Jonas</a>"),
        "https://www.miriam-vogler.example/zeitphilosophie/",
    )
    assert other.authors == ("Jonas",)
