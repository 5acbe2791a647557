"""Fifth round of issue 4's rules, each on a page template of its own (tests/fixtures/metadata):
a comment's or the navigation bar's <time> never dates the article (it stays evidence of the
page's offset); a lead opening with its date in parentheses; names linked to their author
pages; a post-meta line of a date and a credit; a first name in JSON-LD spelled out by a
credit line in the article's own sidebar column; the classic WordPress theme's "— name @
time"; "powered by" credits naming no one."""
from __future__ import annotations


from tasks.meta_page import dated_credit
from tasks.metadata import extract_metadata
from tests.metadata_pages import FixturePages

PAGES = FixturePages()
read, load = PAGES.read, PAGES.load


def test_comment_time_never_confirms_a_comment_date():
    # the theme marks each comment's <time> itemprop=datePublished: the first comment's day
    # (28 August) must not win over article:published_time (23 August)
    meta = load("parenting-blog-comment-times.html", "https://educaremcasa.example/blog/brinquedos-que-ensinam/")
    assert meta.published.value == "2018-08-23T09:00:40+00:00"
    assert meta.published.source == "opengraph"
    assert meta.authors == ("Ana Ribeiro",)


def test_comment_times_still_give_the_page_offset():
    # comments stamped in the site's zone (-03:00, in their <time> only) still tell the offset
    # of a UTC winner
    html = read("parenting-blog-comment-times.html").replace('+00:00" itemprop="datePublished"', '-03:00"')
    meta = extract_metadata(html, "https://educaremcasa.example/blog/brinquedos-que-ensinam/")
    assert meta.published.value == "2018-08-23T06:00:40-03:00"


def test_navigation_bar_time_is_the_day_served_not_the_article():
    # "Mittwoch, 01. November 2023" in the top bar is the day the page was served; the column
    # is dated under its headline ("31. Oktober 2023.")
    meta = load("theatre-column-nav-date.html", "https://buehnenpost.example/kolumnen/buehnenblick-masken")
    assert meta.published.value == "2023-10-31"
    assert meta.published.raw == "31. Oktober 2023"
    assert meta.authors == ("Jana Winter",)


def test_lead_opening_with_a_bracketed_date():
    # "(21. November 2022) Verbraucher erhalten ...": the release date of the news item, not
    # the footer's "Stand der Seite" (the day the page was generated)
    meta = load("consumer-association-bracket-date.html", "https://verbraucherbund.example/de/preise/NewsDetail__1234/")
    assert meta.published.value == "2022-11-21"
    assert meta.published.source == "lead"
    assert meta.authors == ("Carla Brandt",)


def test_bracketed_text_that_is_no_date_is_no_lead_date():
    html = read("consumer-association-bracket-date.html").replace("(21. November 2022)", "(Aktualisiert)")
    meta = extract_metadata(html, "https://verbraucherbund.example/de/preise/NewsDetail__1234/")
    assert meta.published is None or meta.published.source != "lead"


def test_name_linked_to_its_author_page():
    # the author box under the headline links to "/autoren/juergen-oehlmann-58211": the link's
    # name element is the author (the portrait's "© Jürgen Öhlmann" credit is no byline); the
    # sidebar's author link and "Mehr von der Redaktion" are not this article's author
    url = "https://wildundwald.example/news/forstwege-gesperrt-polizei-sucht-zeugen-713266"
    meta = load("outdoor-magazine-author-link.html", url)
    assert meta.authors == ("Jürgen Öhlmann",)
    assert meta.published.value == "2022-01-26T14:30:00"


def test_author_link_whose_target_does_not_spell_the_name_is_no_credit():
    # a link to an author page that does not spell the text's words may be a teaser or a label
    html = read("outdoor-magazine-author-link.html").replace("/autoren/juergen-oehlmann-58211", "/autoren/58211")
    meta = extract_metadata(html, "https://wildundwald.example/news/forstwege-gesperrt-polizei-sucht-zeugen-713266")
    assert meta.authors == ()


REVIEW_URL = "https://revue-europe.example/fr/2020/03/02/demographie/"


def test_staff_links_side_by_side_are_one_credit_against_a_hidden_account():
    # the Yoast Person "Pierre Martin" is named nowhere a reader sees; the names linked to their
    # staff pages under the headline are the authors, in their order
    meta = load("tailwind-review-staff-links.html", REVIEW_URL)
    assert meta.authors == ("Claire Dubois", "Marc Lefèvre")
    assert ("authors", "byline") in meta.sources


def test_structured_author_shown_to_readers_stands():
    html = read("tailwind-review-staff-links.html").replace(
        "<p>Nous avons", "<p>Propos recueillis par Pierre Martin.</p><p>Nous avons"
    )
    meta = extract_metadata(html, REVIEW_URL)
    assert meta.authors == ("Pierre Martin",)


def test_post_meta_line_of_a_date_and_a_credit():
    # "06.11.2023 13:30 von Olga" in a span without any byline class names the writer; "von
    # Karl May" in the running text does not
    meta = load("celebrity-portal-dated-credit.html", "https://www.starblick.example/news/ehe-aus-saenger-rechnet-ab-176739")
    assert meta.authors == ("Olga",)
    assert meta.published.value == "2023-11-06T13:30:00"


def test_dated_credit_lines():
    assert dated_credit("06.11.2023 13:30 von Olga") == "von Olga"
    assert dated_credit("March 3, 2020 by Jane Doe") == "by Jane Doe"
    assert dated_credit("12.03.2020 | von Max Muster") == "von Max Muster"
    # the part before the credit must be only a date
    assert dated_credit("Winnetou von Karl May") is None
    assert dated_credit("Am 5. März 2020 von Anna") is None
    assert dated_credit("2019 by the people") is None


NEWS_URL = "https://news.northfield.example/engineers-teach-robot-arm-sort-recycling"


def test_first_name_in_json_ld_spelled_out_by_the_article_sidebar_byline():
    # "article-sidebar" is the article's own column (byline, date, share tools), not a side
    # block; its "By Maria Lindqvist" spells out JSON-LD's "Maria"; the related list's byline
    # is not the article's
    meta = load("university-news-article-sidebar.html", NEWS_URL)
    assert meta.authors == ("Maria Lindqvist",)


def test_first_name_stands_against_a_credit_to_someone_else():
    html = read("university-news-article-sidebar.html").replace("By Maria Lindqvist", "By Tom Reyes")
    assert extract_metadata(html, NEWS_URL).authors == ("Maria",)


CLASSIC_URL = "https://reisenotizen.example/2018/09/14/zugfahrt-nach-triest/"


def test_classic_wordpress_post_meta_names_the_account():
    # "Filed under: Reisen, Notizen — lenamaus @ 21:47": the classic theme's post-meta line; the
    # page's "Powered by WP" credit names the software, not a writer
    meta = load("wordpress-classic-theme.html", CLASSIC_URL)
    assert meta.authors == ("lenamaus",)
    assert meta.published.value == "2018-09-14"
    shown = read("wordpress-classic-theme.html").replace("lenamaus @", "Lena Maus @")
    assert extract_metadata(shown, CLASSIC_URL).authors == ("Lena Maus",)


def test_powered_by_credit_is_no_author():
    html = read("wordpress-classic-theme.html").replace(" &#8212; lenamaus @ 21:47", "")
    assert extract_metadata(html, CLASSIC_URL).authors == ()


def test_powered_by_platform_credit_names_nobody():
    from tasks.meta_authors import parse_byline

    assert parse_byline("Proudly powered by WordPress") == ((), ())
    assert parse_byline("Jane Doe, powered by Blogger") == (("Jane Doe",), ())
    assert parse_byline("Kelly Powers") == (("Kelly Powers",), ())
