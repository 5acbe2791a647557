"""extract_metadata on real-looking pages of different site templates (tests/fixtures/metadata)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tasks.metadata import DateValue, Tag, detect_language, extract_metadata
from tests.metadata_pages import FixturePages

PAGES = FixturePages()
read, load = PAGES.read, PAGES.load

SEED_EXPECTED = Path(__file__).resolve().parent / "fixtures" / "seed" / "expected.json"
SEED_URL = (
    "https://www.devdiscourse.com/article/international/"
    "1838560-kremlin-says-putin-and-biden-to-keep-engaging-despite-no-breakthrough-in-talks"
)


def as_utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(timezone.utc).isoformat()


def test_seed_page_gives_expected_article_values():
    meta = load("devdiscourse-kremlin-putin-biden.html", SEED_URL)
    assert meta.title == "Kremlin says Putin and Biden to keep engaging despite no breakthrough in talks"
    assert meta.site_name == "Devdiscourse"
    assert meta.canonical_url == SEED_URL
    assert meta.agency == "Reuters"
    assert meta.dateline == "Moscow"
    assert meta.published == DateValue("2021-12-08T02:41:00+05:30", "Created: 08-12-2021 02:41 IST", "byline")
    assert meta.updated == DateValue("2021-12-08T02:41:00+05:30", "Updated: 08-12-2021 02:41 IST", "byline")
    assert meta.language == "en"
    assert meta.description.startswith("Biden warned Putin on Tuesday the West would impose")
    assert Tag("country", "Russia") in meta.tags
    assert meta.authors == ()  # "Moscow" is the dateline, "Reuters" the agency: no person
    assert ("published", "byline") in meta.sources and ("title", "opengraph") in meta.sources


def test_seed_page_matches_expected_json():
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))["article"]
    meta = load("devdiscourse-kremlin-putin-biden.html", SEED_URL)
    assert meta.title == expected["title"]
    assert meta.site_name == expected["site_name"]
    assert meta.canonical_url == expected["canonical_url"]
    assert (meta.agency, meta.dateline, meta.language) == (expected["agency"], expected["dateline"], expected["language"])
    assert as_utc(meta.published.value) == expected["published_at"]
    assert as_utc(meta.updated.value) == expected["updated_at"]
    assert [t.name for t in meta.tags if t.kind == "country"] == expected["countries"]
    assert meta.description.startswith(expected["description_starts_with"])


def test_wordpress_jsonld_graph_resolves_authors_by_id_and_ignores_related_posts():
    meta = load("wordpress-graph.html", "https://boroughpost.example/2023/03/14/council-approves-cycle-lanes/")
    assert meta.title == "Council approves new cycle lanes on High Street"
    assert meta.authors == ("Priya Shah", "Tom O'Neill")
    assert meta.published == DateValue("2023-03-14T21:05:00+00:00", "2023-03-14T21:05:00+00:00", "jsonld")
    assert meta.updated.value == "2023-03-15T08:30:12+00:00"
    assert meta.site_name == "The Borough Post"
    assert meta.language == "en"
    assert meta.image == "https://boroughpost.example/wp-content/uploads/2023/03/lanes.jpg"
    assert Tag("category", "Local") in meta.tags and Tag("keyword", "cycling") in meta.tags
    assert dict(meta.sources)["authors"] == "jsonld"


def test_guardian_like_page_uses_article_published_time_and_drops_role():
    meta = load("guardian-like.html")
    assert meta.title == "Heatwave pushes UK power prices to record high"
    assert meta.authors == ("Alex Morgan",)
    assert meta.published.value == "2022-07-19T14:32:10+00:00"
    assert meta.published.source == "opengraph"
    assert meta.updated.value == "2022-07-19T17:01:44+00:00"
    assert meta.canonical_url == "https://www.theguardian.example/business/2022/jul/19/heatwave-uk-power-prices-record"
    assert Tag("category", "Business") in meta.tags and Tag("keyword", "Heatwaves") in meta.tags


def test_german_dublin_core_page():
    meta = load("german-dublin-core.html", "https://www.nachrichten-beispiel.de/wirtschaft/rheinmetall-101.html")
    assert meta.title == "Daten von Rheinmetall gehackt"  # kicker span of the <h1> left out
    assert meta.authors == ("Katrin Müller",)  # "Redaktion Wirtschaft" is a role
    assert meta.published == DateValue("2020-04-28", "2020-04-28", "meta")
    assert meta.language == "de"
    assert meta.site_name == "Nachrichten Beispiel"
    assert (meta.agency, meta.dateline) == ("DPA", "Düsseldorf")
    assert Tag("keyword", "Rheinmetall") in meta.tags and Tag("keyword", "Datenleck") in meta.tags


def test_visible_byline_only_page():
    meta = load("visible-byline.html", "https://example-daily.example/politics/senate-stopgap")
    assert meta.title == "Senate passes stopgap spending bill, averting shutdown"
    assert meta.authors == ("Jane Doe", "John Roe")
    assert meta.agency == "Reuters"
    assert meta.dateline == "Washington"
    assert meta.published.value == "2021-12-08T17:30:00-05:00"
    assert meta.published.raw == "Dec. 8, 2021 5:30 PM EST"
    assert meta.language == "en"  # no declaration: the offline detector


@pytest.mark.parametrize("text, code", [
    ("Der Stadtrat hat am Dienstag beschlossen, das Radwegenetz bis zum Jahr 2030 deutlich auszubauen.", "de"),
    ("La municipalité a décidé mardi d'agrandir nettement le réseau de pistes cyclables d'ici à 2030.", "fr"),
    ("מועצת העיר החליטה ביום שלישי להרחיב באופן משמעותי את רשת שבילי האופניים עד שנת 2030.", "he"),
    ("市議會週二決定，在二零三零年之前大幅擴建自行車道網絡，以減少市中心的交通擁堵。市長表示，這項計劃將分三個階段實施。", "zh"),
    ("Bystyret vedtok tirsdag å bygge ut sykkelveinettet kraftig innen 2030, for å få ned trafikken.", "no"),
    ("The council \x00voted on \ud800Tuesday to expand the city's network of cycle lanes by 2030.", "en"),
    ("Too short to tell.", None),
    ("12345 67890 12345 67890 12345 67890 12345 67890", None),
])
def test_the_offline_detector_names_the_language_in_iso_639_1(text, code):
    sources: list[tuple[str, str]] = []
    assert detect_language(text, sources) == code
    assert sources == ([("language", "detector")] if code else [])


def test_microdata_page_with_us_locale_reads_dates_month_first():
    meta = load("microdata-us.html")
    assert meta.title == "City schools add later start times"
    assert meta.authors == ("Maria Lopez",)
    assert meta.published.value == "2021-03-04T10:15:00"  # en-US: 03/04 is March 4
    assert meta.site_name == "Springfield Courier"


def test_feed_hints_fill_only_what_the_page_lacks():
    html = "<html><body><p>Short page without any metadata at all, just one paragraph of text here.</p></body></html>"
    meta = extract_metadata(html, None, {"title": "Feed title", "published": "2024-05-01T09:00:00+02:00", "author": "Ann Lee"})
    assert meta.title == "Feed title"
    assert meta.published == DateValue("2024-05-01T09:00:00+02:00", "2024-05-01T09:00:00+02:00", "feed")
    assert meta.authors == ("Ann Lee",)
    page = load("guardian-like.html", None, {"title": "Other", "author": "Someone Else"})
    assert page.title != "Other" and page.authors == ("Alex Morgan",)


def test_future_and_prehistoric_dates_are_rejected():
    html = (
        '<html><head><meta property="article:published_time" content="2999-01-01T00:00:00Z">'
        '<meta name="date" content="1970-01-01"></head><body><h1>A headline of some length</h1>'
        '<p class="byline">Posted 5 March 2020</p></body></html>'
    )
    meta = extract_metadata(html, None)
    assert meta.published.value == "2020-03-05"
    assert meta.published.source == "byline"


def test_empty_and_markupless_input():
    assert extract_metadata("", None).title is None
    assert extract_metadata("   ", None).authors == ()


def test_blog_in_sidebar_layout_keeps_its_byline_and_ignores_comments():
    meta = load("blog-sidebar-layout.html", "https://janeblog.example/2020/01/24/nebelsuppe/")
    assert meta.title == "Nebelsuppe am Main"  # the site-title <h1> is the logo
    assert meta.authors == ("janeblog",)  # a marked-up author named like the blog is kept
    assert meta.published.value == "2020-01-24T18:18:00"
    assert meta.published.source == "byline"
    assert meta.language == "de"
    assert Tag("category", "Alltag") in meta.tags


def test_kicker_in_h1_organisation_meta_author_and_page_offset():
    meta = load("kicker-org-author.html", "https://www.beispiel-stiftung.example/news/tunesien")
    assert meta.title == "Große Aufgaben für die neue Regierung"  # <small> kicker + <br> left out
    assert meta.authors == ("Uta Beispiel",)  # the e.V. is no person, the role is dropped
    # stated in UTC, rewritten in the +01:00 the page uses elsewhere: same instant
    assert meta.published == DateValue("2021-11-03T10:00:00+01:00", "2021-11-03T09:00:00Z", "jsonld")
    assert meta.updated.value == "2021-11-04T08:30:00+01:00"


def test_date_written_under_the_headline_and_h2_title_without_h1():
    html = (
        '<html lang="de"><head><title>Zoll online - Fachmeldungen</title></head><body>'
        '<div class="header"><h1 class="logo"><a href="/">Zoll</a></h1></div>'
        '<div class="content"><h1>Verkündung des Tabaksteuergesetzes</h1>'
        '<div class="docData"><span class="label">Datum:</span> <span class="value">18.10.2021</span></div>'
        "<p>Im Bundesgesetzblatt wurde das Gesetz zur Modernisierung des Tabaksteuerrechts verkündet.</p>"
        "</div></body></html>"
    )
    meta = extract_metadata(html, "https://www.zoll.example/fachmeldungen/2021/tabak.html")
    assert meta.title == "Verkündung des Tabaksteuergesetzes"
    assert meta.published == DateValue("2021-10-18", "Datum: 18.10.2021", "headline")
    old = (
        "<html><head><title>Wochenbericht - Lawinenwarndienst</title></head><body>"
        '<div id="nav"><h2>Menü</h2></div><div class="main"><h2>Schwache Profile und günstige Lawinensituation</h2>'
        "<p>Die Lawinensituation war in der Berichtswoche meist günstig, lokal aber heikel.</p></div></body></html>"
    )
    assert extract_metadata(old, None).title == "Schwache Profile und günstige Lawinensituation"


def test_utc_instant_takes_the_zone_of_the_local_time_the_page_shows():
    html = (
        '<html lang="en-US"><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Mayor loses re-election bid", "datePublished": "2023-11-09T05:30:59Z"}</script></head>'
        '<body><article><h1>Mayor loses re-election bid</h1><time datetime="2023-11-08 23:30:59">November 8, 2023'
        " at 11:30 p.m.</time><p>The incumbent conceded shortly before midnight on election day.</p></article></body></html>"
    )
    meta = extract_metadata(html, "https://news.example/2023/11/08/mayor/")
    assert meta.published == DateValue("2023-11-08T23:30:59-06:00", "2023-11-09T05:30:59Z", "jsonld")


def test_dateline_lead_of_a_german_regional_page():
    # the consent banner before the headline and the "Rüdesheim." teaser in the aside are not
    # the article's opening
    meta = load("german-regional-dateline.html")
    assert (meta.dateline, meta.agency) == ("Bad Kreuznach", None)
    assert dict(meta.sources)["dateline"] == "lead"
    assert meta.authors == ("Jonas Berg",)  # the dateline city is not a person


def test_dateline_lead_with_dash_and_no_agency():
    meta = load("us-metro-dash-dateline.html")
    assert (meta.dateline, meta.agency) == ("New York", None)  # "ANALYSIS —" in the bar is a label
    assert meta.authors == ("Dana Whitfield",)


def test_colon_dateline_lead_with_agency_credited_in_the_byline():
    meta = load("indian-colon-dateline.html")
    assert (meta.dateline, meta.agency) == ("New Delhi", "PTI")
    assert dict(meta.sources)["agency"] == "byline" and dict(meta.sources)["dateline"] == "lead"


ARCHIVED_URL = (
    "https://web.archive.org/web/20150512083011/http://kaffeesatz-blog.example/2015/04/warum-filterkaffee-zurueckkommt/"
)


def test_archived_blog_logo_heading_links_above_the_page():
    # the <h1> links to the blog's (archived) home page: it is the blog's name, not the title
    meta = load("archived-blog.html", ARCHIVED_URL)
    assert meta.title == "Warum Filterkaffee zurückkommt"
    assert meta.authors == ("Lena Hoffmann",)


def test_single_part_title_beats_a_guessed_heading_and_text_is_composed():
    decomposed = "Effiziente Hybridbatterie fu\u0308r Ka\u0308ltenetze"
    html = (
        f"<html><head><title>{decomposed}</title></head><body>"
        "<div class='top'><h2>Informationsdienst Wissenschaft</h2></div>"
        "<div class='content'><p>Forschende haben eine Batterie entwickelt, die Strom und Kälte zugleich speichert.</p></div>"
        "</body></html>"
    )
    meta = extract_metadata(html, "https://idw.example/de/news823175")
    assert meta.title == "Effiziente Hybridbatterie für Kältenetze"  # composed (NFC), from <title>
    assert len(meta.title) == len(decomposed) - 2
