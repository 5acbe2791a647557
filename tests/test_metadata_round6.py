"""Sixth round of issue 4's author rules, each on page templates of its own
(tests/fixtures/metadata/round6): articles signed at their end (a name above the day it was
written, a name in parentheses closing the last paragraph, an emphasized last line that the
description names); author labels without a colon ("Autor <span>Mark Newton</span>",
"Autoren A und B"); a CMS account's slug ("lena-vogt") yielding to the credited name; a personal
site's copyright line; a theme's site-wide meta author against the post's linked credit; a
Creative Commons attribution spelling out initials; credit lists of roles and names; author
boxes in side columns; speeches; wire writers' titles, a place after the agency, weekday
abbreviations."""
from __future__ import annotations


from tasks.meta_page import BY_LINE
from tasks.metadata import extract_metadata, is_handle
from tests.metadata_pages import FixturePages

PAGES = FixturePages("round6")
read, load = PAGES.read, PAGES.load


# ---------------------------------------------------------------- signatures at the end


def test_first_name_above_the_day_signs_a_personal_page():
    # "Jonas<br> Sonntag, 10. September 2017": no byline anywhere else on the page
    meta = load("personal-site-dated-signature.html", "https://werkbank.example/")
    assert meta.authors == ("Jonas",)
    assert ("authors", "signature") in meta.sources


def test_emphasized_name_above_the_day_signs_a_blog_post():
    meta = load("travel-blog-dated-signature.html", "https://slowmiles.example/2019/04/camino/")
    assert meta.authors == ("Marta Kowalski",)


def test_a_name_over_a_line_that_is_no_date_signs_nothing():
    html = read("personal-site-dated-signature.html").replace("Sonntag, 10. September 2017", "Bis bald und alles Gute")
    assert extract_metadata(html, "https://werkbank.example/").authors == ()


def test_a_dated_line_in_lower_case_is_no_signature():
    html = read("personal-site-dated-signature.html").replace("<p>Jonas<br>", "<p>bis dann<br>")
    assert extract_metadata(html, "https://werkbank.example/").authors == ()


def test_name_in_parentheses_closing_the_text_spells_out_the_account():
    # JSON-LD names the CMS account ("anna.berger"); the report is signed "(Anna K. Berger)"
    meta = load("regional-news-closing-name.html", "https://kreisbote.example/n123/neue-buergermeisterin")
    assert meta.authors == ("Anna K. Berger",)
    assert ("authors", "signature") in meta.sources


def test_quoted_speaker_in_parentheses_is_no_signature():
    # the last paragraph is a quotation with its speaker: "„...“ (Gisela Brandt)"
    html = read("regional-news-closing-name.html")
    html = html.replace("<p><strong>Die Gemeindepolitik bleibt spannend.</strong> (Anna K. Berger) +++</p>", "")
    html = html.replace("<p>Die neue Bürgermeisterin braucht", "<div>Die neue Bürgermeisterin braucht")
    html = html.replace("Die Aufgabe ist nicht einfach.</p>", "Die Aufgabe ist nicht einfach.</div>")
    meta = extract_metadata(html, "https://kreisbote.example/n123/neue-buergermeisterin")
    assert "Gisela Brandt" not in meta.authors
    assert meta.authors == ("anna.berger",)


def test_name_in_parentheses_before_more_paragraphs_is_no_signature():
    html = read("regional-news-closing-name.html").replace(
        '<span class="end-marker"></span>', "<p>Die nächste Sitzung des Gemeinderats ist im April.</p>"
    )
    meta = extract_metadata(html, "https://kreisbote.example/n123/neue-buergermeisterin")
    assert meta.authors == ("anna.berger",)


def test_motto_and_caption_in_parentheses_sign_nothing():
    # "(Humphrey Bogart)" under the site's name and "(LG Olympia Dortmund)" in a slide caption
    meta = load("motto-and-caption-parentheses.html", "https://genusszeit.example/termine-fruehjahr/")
    assert meta.authors == ()


# ---------------------------------------------------------------- labels without a colon


def test_author_label_without_colon_beats_the_account_slug_and_photo_credits():
    # "Autor <span>Mark Newton:</span>": the account in JSON-LD ("lena-vogt") is the
    # translator's; the image credit written before the byline is no author
    meta = load("magazine-bare-author-label.html", "https://gruenwerk.example/klick-fallen-co2/")
    assert meta.authors == ("Mark Newton",)


def test_authors_menu_link_labels_no_name():
    # the navigation's "Autoren" link is followed by the next menu item, not by a name
    html = read("magazine-bare-author-label.html").replace('<p>Autor <span>Mark Newton:</span></p>', "")
    html = html.replace('"name":"lena-vogt"', '"name":"GRÜNWERK"')
    meta = extract_metadata(html, "https://gruenwerk.example/klick-fallen-co2/")
    assert "Klima-Lexikon" not in meta.authors


def test_authors_line_without_colon_gives_each_person():
    meta = load("chamber-release-authors-line.html", "https://kammer.example/news/38853_Sperrfristen")
    assert meta.authors == ("Jelko Berends", "Jutta Kleine")


def test_author_label_cell_before_the_name():
    meta = load("english-author-label-cell.html", "https://countyherald.example/2021/08/02/bus-routes/")
    assert meta.authors == ("Dana Whitfield",)


def test_author_word_in_running_text_is_no_credit_line():
    assert BY_LINE.match("Autoren Jelko Berends und Jutta Kleine")
    assert BY_LINE.match("Author: Dana Whitfield")
    assert not BY_LINE.match("Autorenlesung im Rathaus am Freitag")


def test_lower_case_slug_is_an_account_and_a_capitalised_double_name_is_not():
    assert is_handle("lena-vogt")
    assert is_handle("robert.stitz")
    assert not is_handle("Sarah-Indra")
    assert not is_handle("Jörg")


# ---------------------------------------------------------------- a personal site's copyright line


def test_copyright_owner_beats_an_account_named_like_the_site():
    # "veröffentlicht von farbwerk" is the account named like the blog; "© Farbwerk by Ramona"
    meta = load("style-blog-copyright-owner.html", "https://www.farbwerk.example/naturkosmetik/")
    assert meta.authors == ("Ramona",)
    assert ("authors", "copyright") in meta.sources


def test_copyright_owner_of_a_blog_without_credit_line():
    meta = load("it-blog-copyright-widget.html", "https://gutzuwissen.example/2015/09/02/windows-expertenwissen/")
    assert meta.authors == ("K.Brenninger",)


def test_byline_beats_a_copyright_line():
    html = read("news-copyright-company.html").replace("</footer>", "<p>© 2022 by Peter Landry</p></footer>")
    meta = extract_metadata(html, "https://valleynews.example/2022/02/17/storm/")
    assert meta.authors == ("Ruth Obregon",)


def test_company_copyright_and_excerpt_notice_name_no_author():
    # the company's copyright line, and a book excerpt's notice inside the running text
    html = read("news-copyright-company.html").replace('<div class="byline">By <a href="/staff/ruth-obregon/">Ruth Obregon</a></div>', "")
    assert extract_metadata(html, "https://valleynews.example/2022/02/17/storm/").authors == ()


# ---------------------------------------------------------------- a site-wide meta author


def test_post_credit_linked_to_its_archive_beats_the_sites_meta_author():
    # <meta name="author" content="Jana Roth - Tim Seidel"> names the site's owners; the post
    # says "Erstellt von <a href='/author/fabian/'>Fabian</a>"
    meta = load("classic-theme-site-meta-author.html", "https://fehlfunktionen.example/tutorials/podcasts-in-plex/")
    assert meta.authors == ("Fabian",)


def test_linked_credit_that_the_meta_author_names_keeps_the_meta_value():
    html = read("classic-theme-site-meta-author.html").replace("/author/fabian/\">Fabian<", "/author/jana/\">Jana<")
    meta = extract_metadata(html, "https://fehlfunktionen.example/tutorials/podcasts-in-plex/")
    assert meta.authors == ("Jana Roth", "Tim Seidel")


def test_linked_account_or_initials_keep_the_meta_value():
    url = "https://fehlfunktionen.example/tutorials/podcasts-in-plex/"
    for link in ('/author/admin/">admin<', '/author/jr/">JR<'):
        html = read("classic-theme-site-meta-author.html").replace('/author/fabian/">Fabian<', link)
        assert extract_metadata(html, url).authors == ("Jana Roth", "Tim Seidel")


# ---------------------------------------------------------------- initials and the licence holder


def test_initials_account_spelled_out_by_the_creative_commons_attribution():
    meta = load("dog-diary-cc-attribution.html", "https://pfotentagebuch.example/2019/10/31/nach-viel-zu-langer-zeit/")
    assert meta.authors == ("Martina Seiler",)


def test_attribution_with_other_initials_leaves_the_account():
    html = read("dog-diary-cc-attribution.html").replace(">Martina Seiler<", ">Peter Lang<")
    meta = extract_metadata(html, "https://pfotentagebuch.example/2019/10/31/nach-viel-zu-langer-zeit/")
    assert meta.authors == ("MS",)


# ---------------------------------------------------------------- a contributor's signed piece


def test_signed_writer_named_in_the_description_beats_the_posting_account():
    # Yoast names the editor who posted the piece; the piece ends "<br><em>Miriam Sommer</em>"
    # and the description says "Miriam Sommer zeigt, ..."
    meta = load("elementor-magazine-signed-piece.html", "https://www.achtsam-leben.example/zuversicht/")
    assert meta.authors == ("Miriam Sommer",)
    assert ("authors", "signature") in meta.sources


def test_signature_the_description_does_not_name_leaves_the_structured_author():
    html = read("elementor-magazine-signed-piece.html").replace("Zuversicht ist unser Antrieb. Miriam Sommer zeigt", "Zuversicht ist unser Antrieb. Wir zeigen")
    meta = extract_metadata(html, "https://www.achtsam-leben.example/zuversicht/")
    assert meta.authors == ("Petra Lindner",)


def test_signature_in_a_builders_posts_widget_is_another_article():
    # "<em>Hans Beispiel</em>" closes a teaser in Elementor's posts widget, a block of other posts
    html = read("elementor-magazine-signed-piece.html").replace("<br><em>Miriam Sommer</em>", "")
    html = html.replace("Miriam Sommer zeigt", "Hans Beispiel zeigt")
    meta = extract_metadata(html, "https://www.achtsam-leben.example/zuversicht/")
    assert meta.authors == ("Petra Lindner",)


def test_builders_post_blocks_are_the_article_and_its_other_widgets_are_not():
    from tasks.meta_page import off_article_match

    assert off_article_match("elementor-widget-container") is None
    assert off_article_match("elementor-widget-wrap elementor-element-populated") is None
    assert off_article_match("elementor-element elementor-widget elementor-widget-theme-post-content") is None
    assert off_article_match("elementor-element elementor-widget elementor-widget-posts") is not None
    assert off_article_match("widget widget_recent_entries") is not None


# ---------------------------------------------------------------- credit lists of roles and names


def test_interview_credit_of_a_credit_list_is_the_author():
    # Interview / Fotograf / Styling / Haare & Make-up: only the interviewer wrote the piece
    meta = load("magazine-interview-credit-list.html", "https://form-magazin.example/story/interview/")
    assert meta.authors == ("Jonas Albrecht",)


def test_words_credit_beats_the_photo_credit_written_before_it():
    meta = load("travel-feature-text-photo-credits.html", "https://wanderlust.example/porto-48-hours/")
    assert meta.authors == ("Tom Whitaker",)


def test_credit_list_without_a_writer_names_no_author():
    html = read("magazine-interview-credit-list.html").replace("> Interview <", "> Licht <")
    meta = extract_metadata(html, "https://form-magazin.example/story/interview/")
    assert meta.authors == ()


# ---------------------------------------------------------------- speeches


def test_speech_headline_names_its_speaker_without_the_office():
    meta = load("government-speech-page.html", "https://www.land.example/reden/2019/06/landkreistag.html")
    assert meta.authors == ("Karin Albers",)
    assert ("authors", "headline") in meta.sources


def test_remarks_headline_with_a_middle_initial():
    meta = load("ministry-remarks-page.html", "https://ports.example/newsroom/remarks-coastal-forum")
    assert meta.authors == ("Daniel O. Whitmore",)


def test_a_credit_line_beats_the_speech_headline():
    html = read("ministry-remarks-page.html").replace('<p class="release-date">', '<p class="byline">By Lena Park</p><p class="release-date">')
    assert extract_metadata(html, "https://ports.example/newsroom/remarks-coastal-forum").authors == ("Lena Park",)


def test_speech_speaker_reading():
    from tasks.metadata import speech_speaker

    assert speech_speaker("Rede von Bundespräsident Richard von Weizsäcker zum 8. Mai 1985") == "Richard von Weizsäcker"
    assert speech_speaker("Speech by Prime Minister Mark Rutte on the economy") == "Mark Rutte"
    assert speech_speaker("Speech by the Chair") is None
    assert speech_speaker("Remarks by President Biden at the Summit") is None
    assert speech_speaker("Rede von Bundeskanzlerin Merkel beim Festakt") is None
    assert speech_speaker("Reden und Interviews des Ministers") is None


def test_photo_copyright_in_the_article_names_no_author():
    # "© ... by ..." inside the article credits a picture, not the site's owner
    html = read("news-copyright-company.html").replace('<div class="byline">By <a href="/staff/ruth-obregon/">Ruth Obregon</a></div>', "")
    html = html.replace("<p>Strong winds", '<figure><img src="/storm.jpg"><span class="copy">© Dana Fox &amp; Renders by Lea Brandt</span></figure><p>Strong winds')
    assert extract_metadata(html, "https://valleynews.example/2022/02/17/storm/").authors == ()


# ---------------------------------------------------------------- an author box in a side column


def test_side_column_author_box_whose_link_spells_the_name():
    meta = load("city-guide-sidebar-author-box.html", "https://nachtleben.example/magazin/kultur/3017-konzert-highlights-im-november")
    assert meta.authors == ("Lea Kranzl",)
    assert ("authors", "author-box") in meta.sources


def test_author_box_whose_link_does_not_spell_the_name_is_ignored():
    html = read("city-guide-sidebar-author-box.html").replace("searchword=lea-kranzl", "searchword=kultur")
    meta = extract_metadata(html, "https://nachtleben.example/magazin/kultur/3017-konzert-highlights-im-november")
    assert meta.authors == ()


def test_list_of_the_sites_authors_names_nobody():
    meta = load("magazine-our-authors-sidebar.html", "https://walks.example/ten-winter-walks/")
    assert meta.authors == ()


def test_recipe_author_box_beats_the_portal_named_as_author():
    # JSON-LD's "author" is the portal itself; the box above "zu allen Rezepten vom Autor"
    # (linked to /experten/nora-haller-benz) names the recipe's author
    meta = load("recipe-portal-expert-box.html", "https://www.kochfrisch.example/rezepte/vanille-porridge")
    assert meta.authors == ("Nora Haller-Benz",)


def test_the_sites_designer_in_the_copyright_line_is_no_author():
    html = read("it-blog-copyright-widget.html").replace("© since 2010 by K.Brenninger All rights reserved", "© 2015 Gut zu wissen IT – Webdesign by Max Weber")
    assert extract_metadata(html, "https://gutzuwissen.example/2015/09/02/windows-expertenwissen/").authors == ()


# ---------------------------------------------------------------- wire credits, places and weekdays


def test_wire_writers_title_credits_the_agency_not_a_second_author():
    # "By DANA MERCER, AP Auto Writer": the agency, a beat and a role
    meta = load("wire-writer-title.html", "https://lakesidecourier.example/business/recall-suvs")
    assert meta.authors == ("DANA MERCER",)
    assert meta.agency == "AP"


def test_place_after_the_agency_credit_is_the_dateline():
    # "<a>PTI, </a><span class=article-author__name> Washington, </span>" and the date after it
    meta = load("indian-portal-agency-place-credit.html", "https://deccandaily.example/international/us-china-trade")
    assert meta.authors == ()
    assert meta.agency == "PTI"
    assert meta.dateline == "Washington"


def test_family_name_spelled_like_a_weekday_abbreviation():
    meta = load("tech-site-two-linked-authors.html", "https://techsite.example/best-budget-phones/")
    assert meta.authors == ("Daniel Reyes", "Minh Do")


def test_weekday_before_a_date_ends_the_name():
    from tasks.meta_authors import parse_byline

    assert parse_byline("Von Tomas Berg Fr, 18. Oktober 2019") == (("Tomas Berg",), ())
    assert parse_byline("By Jane Roe Mon Nov 4 2019") == (("Jane Roe",), ())
    assert parse_byline("Reuters, Washington, Nov 20 2019, 11:06am", frozenset({"washington"})) == ((), ("Reuters",))


def test_editorial_alone_is_the_papers_voice_not_a_person():
    from tasks.meta_authors import parse_byline

    assert parse_byline("Editorial") == ((), ())
    assert parse_byline("By Editorial") == ((), ())
