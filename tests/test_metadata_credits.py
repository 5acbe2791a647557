"""Author credits of issue 4, fourth round: organisations named with a conjunction, the CMS's
account against the credit shown to readers, bylines in <noscript>, a site name against a
credit line with a single name. Each rule on a page template of its own
(tests/fixtures/metadata)."""
from __future__ import annotations


from tasks.meta_authors import parse_byline
from tasks.metadata import extract_metadata
from tests.metadata_pages import FixturePages

PAGES = FixturePages()
read, load = PAGES.read, PAGES.load


def test_organisation_with_a_conjunction_is_dropped_whole():
    # "Landesamt für Umwelt und Naturschutz" is one organisation: "Naturschutz" is no person,
    # and the initials beside it are its abbreviation
    assert parse_byline("Landesamt für Umwelt und Naturschutz - LUN", handles=True) == ((), ())
    assert parse_byline("Ministerium für Bildung und Kultur, Jana Roth") == (("Jana Roth",), ())
    assert parse_byline("Von Jana Roth und Paul Weber, Verlag Muster") == (("Jana Roth", "Paul Weber"), ())
    meta = load("state-office-org-author.html", "https://umwelt.beispielland.example/wald/waldbrandgefahr")
    assert meta.authors == ("Gerlinde Sommerfeld",)
    assert ("authors", "microdata") in meta.sources


def test_organisation_credit_is_not_replaced_by_single_words():
    # the author field credits the association; a one-word link in a box whose class says
    # "author" ("Wärmewende", a topic) is no person, and "In Kürze:" introduces a list: it is
    # no signature
    meta = load("association-press-release.html", "https://bvwt.example/presse/foerderprogramm-verlaengert/")
    assert meta.authors == ()
    assert meta.published.value == "2023-02-09T10:30:00+01:00"


def test_site_name_yields_to_a_credit_line_with_one_name():
    # the author field names the club (the site); "Geschrieben von Kalle" credits a person
    meta = load("club-news-module.html", "https://sv-musterdorf.example/modules/news/article.php?storyid=88")
    assert meta.authors == ("Kalle",)
    assert ("authors", "byline") in meta.sources


def test_several_one_word_by_lines_are_a_menu_not_credits():
    # "By Course", "By Cuisine", "By Occasion" filter recipes; the site stands as the author
    meta = load("recipe-filter-menu.html", "https://familykitchen.example/recipes/lemon-garlic-chicken/")
    assert meta.authors == ("Family Kitchen",)


def test_blogger_post_widget_and_noscript_byline():
    # Blogger's "widget Blog" is the column of the posts, not a side widget; the post is
    # written for readers without scripts in <noscript>; "Identity team" is a group
    meta = load("blogger-post-widget.html", "https://cloudnotes.example/2023/04/passkeys.html")
    assert meta.authors == ("Priya Raman", "Tom Okafor")
    assert ("authors", "byline") in meta.sources  # read by our walk, not by trafilatura's fallback
    assert parse_byline("Posted by Priya Raman and Tom Okafor - Identity team") == (("Priya Raman", "Tom Okafor"), ())


def test_group_credit_is_no_person():
    assert parse_byline("Support Team") == ((), ())
    assert parse_byline("Von der Wirtschafts Redaktion") == ((), ())
    assert parse_byline("Maria Lopez, Staff Writer") == (("Maria Lopez",), ())


def test_plain_by_inside_a_whole_post_is_no_credit():
    # the status-publish container holds the whole post: "von Karl May" is in its text, the
    # labelled "Posted by Henrike" is the post's meta line
    meta = load("wordpress-post-container.html", "https://leseinsel.example/2021/04/gelesen-im-maerz/")
    assert meta.authors == ("Henrike",)


def test_hidden_cms_account_yields_to_the_credit_shown():
    # JSON-LD, meta and rel=author name the account that posted; the theme hides it
    # ("rich-snippet-hidden"); readers see "Von Jonas Pfeiffer"
    meta = load("theme-hidden-account.html", "https://gruenes-viertel.example/stadtbaeume/")
    assert meta.authors == ("Jonas Pfeiffer",)
    # when the account's name is shown to readers it stands
    html = read("theme-hidden-account.html")
    shown = extract_metadata(html.replace("vcard rich-snippet-hidden", "vcard"), "https://gruenes-viertel.example/stadtbaeume/")
    assert shown.authors == ("Lena Hofmann",)
    # hidden on small screens only ("hidden-xs") is shown
    responsive = extract_metadata(html.replace("vcard rich-snippet-hidden", "vcard hidden-xs"), "https://gruenes-viertel.example/stadtbaeume/")
    assert responsive.authors == ("Lena Hofmann",)


def test_credit_in_capitals_names_the_same_people():
    # "Von LENA HOFMANN" shown in capitals is the account's own name: it stands as written in JSON-LD
    html = read("theme-hidden-account.html").replace("Von Jonas Pfeiffer", "Von LENA HOFMANN")
    meta = extract_metadata(html, "https://gruenes-viertel.example/stadtbaeume/")
    assert meta.authors == ("Lena Hofmann",)


def test_chinese_credit_labels():
    # "记者：李明" (the reporter) comes before "责任编辑：王芳" (the editor in charge, the only
    # credit many Chinese portals carry); the source line "来源：" credits no person
    html = read("chinese-portal-credits.html")
    meta = extract_metadata(html, "https://news.example.cn/2023-01/07/c_1129264.htm")
    assert meta.authors == ("李明",)
    edited_only = extract_metadata(html.replace("<span>记者：李明</span>", ""), "https://news.example.cn/2023-01/07/c_1129264.htm")
    assert edited_only.authors == ("王芳",)
    assert parse_byline("王芳") == (("王芳",), ())


def test_short_credit_line_names_an_account():
    # blogs and fiction platforms credit the account: "von kaffeetante" on the blog of that
    # name, "By nightowl_42"; the account is kept as written
    blog = load("blog-account-credit.html", "https://kaffeetante.wordpress.com/2012/08/22/was-ich-in-den-ferien-hoere/")
    assert blog.authors == ("kaffeetante",)
    fiction = load("fiction-chapter-handle.html", "https://serialshelf.example/fiction/3479/lighthouse/chapter/53510/prologue")
    assert fiction.authors == ("nightowl_42",)


def test_credit_line_naming_the_publisher_is_no_author():
    html = read("blog-account-credit.html")
    html = html.replace("von kaffeetante", "By Kaffeetante").replace('content="kaffeetante"', 'content="Kaffeetante"')
    meta = extract_metadata(html, "https://kaffeetante.wordpress.com/2012/08/22/was-ich-in-den-ferien-hoere/")
    assert meta.authors != ("Kaffeetante",)


def test_author_box_linking_to_its_own_archive_is_an_account():
    # WordPress's default themes: "<span class='author vcard'><a href='/author/kaffeetante/'>
    # kaffeetante</a></span>" with no "by": the user's slug and the text agree
    html = read("blog-account-credit.html").replace(
        '<span class="byline">von kaffeetante</span>',
        '<span class="byline"><span class="author vcard"><a class="url fn n" '
        'href="https://kaffeetante.wordpress.com/author/kaffeetante/">kaffeetante</a></span></span>',
    )
    meta = extract_metadata(html, "https://kaffeetante.wordpress.com/2012/08/22/was-ich-in-den-ferien-hoere/")
    assert meta.authors == ("kaffeetante",)
    # the archive's slug may differ from the name shown ("/author/admin/", "uriebe")
    admin = extract_metadata(html.replace("/author/kaffeetante/", "/author/admin/"), "https://kaffeetante.wordpress.com/2012/08/22/x/")
    assert admin.authors == ("kaffeetante",)
    # a one-word box linking elsewhere is no account
    other = extract_metadata(html.replace("/author/kaffeetante/", "/about/"), "https://kaffeetante.wordpress.com/2012/08/22/x/")
    assert other.authors == ()


def test_interview_credit_in_the_lead_names_the_interviewer():
    # "Ein Interview von Eva Lindner mit Tom Berger": the interviewer wrote it, the name ends
    # before "mit"; the Yoast Person "Paul Webteam" is shown to no reader
    meta = load("interview-credit-lead.html", "https://stadtgespraech.example/interview-tom-berger/")
    assert meta.authors == ("Eva Lindner",)
    assert parse_byline("Interview by Jane Doe with John Roe") == (("Jane Doe",), ())


def test_initials_before_the_site_name_belong_to_it():
    # "OÖ Volksblatt" on volksblatt.at: "OÖ" is part of the paper's name, no person
    assert parse_byline("OÖ Volksblatt", frozenset({"volksblatt"})) == ((), ())
    assert parse_byline("Kevin McCoy USA TODAY", frozenset({"usa today"})) == (("Kevin McCoy",), ())
