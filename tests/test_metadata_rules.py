"""The general rules behind extract_metadata: dates, time zones, bylines, agencies."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.meta_authors import find_agency, parse_byline, read_dateline
from tasks.meta_dates import date_snippet, find_url_date, numeric_order_votes, parse_date

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def value(raw: str, day_first: bool | None = None) -> str | None:
    parsed = parse_date(raw, NOW, day_first)
    return parsed.value if parsed else None


def test_time_zone_abbreviations_resolve_to_offsets():
    assert value("08-12-2021 02:41 IST") == "2021-12-08T02:41:00+05:30"
    assert value("Dec. 8, 2021 5:30 PM EST") == "2021-12-08T17:30:00-05:00"
    assert value("Tue 19 Jul 2022 15.32 BST") == "2022-07-19T15:32:00+01:00"
    assert value("3 March 2021 09:00 AEDT") == "2021-03-03T09:00:00+11:00"
    assert value("28.04.2020 18:00 Uhr MESZ") == "2020-04-28T18:00:00+02:00"


def test_day_or_month_first():
    assert value("03/04/2021") == "2021-04-03"  # no locale: day first, as most of the world
    assert value("03/04/2021", day_first=False) == "2021-03-04"
    assert value("03/04/2021 10:00 EDT") == "2021-03-04T10:00:00-04:00"  # a US zone decides
    assert value("13/04/2021", day_first=False) == "2021-04-13"  # unambiguous beats the locale
    assert value("04.03.2021", day_first=False) == "2021-03-04"  # dotted dates are day first
    assert numeric_order_votes(["posted 25/02/2021", "03/04/2021"]) > 0
    assert numeric_order_votes(["posted 02/25/2021"]) < 0


def test_textual_dates_in_several_languages():
    assert value("Veröffentlicht am 5. März 2020") == "2020-03-05"
    assert value("publié le 12 janvier 2019 à 14h05") == "2019-01-12T14:05:00"
    assert value("7 de mayo de 2022") == "2022-05-07"
    assert value("Posted on March 5th, 2020") == "2020-03-05"


def test_iso_keeps_the_stated_offset():
    assert value("2021-12-07T21:11:00Z") == "2021-12-07T21:11:00+00:00"
    assert value("2022-01-21T09:43+01:00") == "2022-01-21T09:43:00+01:00"
    assert value("2020-04-28") == "2020-04-28"


def test_implausible_dates_are_rejected():
    assert value("2999-01-01") is None
    assert value("1970-01-01") is None
    assert value("31/02/2020") is None
    assert value("no date here") is None


def test_url_dates_and_snippets():
    assert find_url_date("https://x.example/2019/07/28/slug/", NOW).value == "2019-07-28"
    assert find_url_date("https://x.example/news/20200128-slug.html", NOW).value == "2020-01-28"
    assert find_url_date("https://x.example/news/12345678", NOW) is None
    assert date_snippet("Reuters | Moscow | Updated: 08-12-2021 02:41 IST") == "Updated: 08-12-2021 02:41 IST"


@given(st.datetimes(min_value=datetime(1996, 1, 1), max_value=datetime(2025, 12, 31)),
       st.integers(min_value=-12 * 4, max_value=14 * 4))
def test_iso_round_trip(moment: datetime, quarter_hours: int):
    stamp = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=15 * quarter_hours)))
    parsed = parse_date(stamp.isoformat(), NOW)
    assert parsed is not None
    assert datetime.fromisoformat(parsed.value) == stamp
    assert parsed.day == date(stamp.year, stamp.month, stamp.day)


def test_bylines_give_people_in_order_and_agencies_apart():
    assert parse_byline("By Jane Doe and John Roe, Reuters") == (("Jane Doe", "John Roe"), ("Reuters",))
    assert parse_byline("Von Katrin Müller und Jan Becker (dpa)") == (("Katrin Müller", "Jan Becker"), ("DPA",))
    assert parse_byline("By JANE DOE | jane.doe@example.com | @janedoe") == (("JANE DOE",), ())
    assert parse_byline("Maria Lopez, Staff Writer") == (("Maria Lopez",), ())
    assert parse_byline("Associated Press") == ((), ("AP",))
    assert parse_byline("Priya Shah, The Borough Post", frozenset({"the borough post"})) == (("Priya Shah",), ())


def test_agency_names():
    assert find_agency("(Reuters)") == "Reuters"
    assert find_agency("Agence France-Presse") == "AFP"
    assert find_agency("PTI") == "PTI"
    assert find_agency("Moscow") is None


_FIRST = st.sampled_from(["Jane", "John", "Priya", "Katrin", "Tom", "Ana", "Jürgen", "Olu"])
_LAST = st.sampled_from(["Doe", "Roe", "Shah", "Müller", "O'Neill", "García", "Becker", "Nwosu"])


@given(st.lists(st.tuples(_FIRST, _LAST).map(" ".join), min_size=1, max_size=3, unique=True),
       st.sampled_from(["Reuters", "AP", "AFP", "dpa", "PTI"]),
       st.sampled_from(["By ", "Von ", "", "by "]))
def test_byline_people_keep_their_order_and_the_agency_is_apart(names: list[str], agency: str, prefix: str):
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    authors, agencies = parse_byline(f"{prefix}{joined}, {agency}")
    assert authors == tuple(names)
    assert agencies == (find_agency(agency),)


_FRAGMENTS = st.sampled_from([
    "<h1>", "</h1>", "<p class='byline'>By ", "Jane Doe", "</p>", "<time datetime='2021-02-30'>", "</time>",
    "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": [", "]}</script>",
    "<meta property='article:published_time' content='", "'>", "13/13/2021", "Updated: 08-12-2021 02:41 IST",
    "<title>", "</title>", " | ", "MOSCOW (Reuters) - ", "<li>Country:</li><li><a href='/c'>X</a></li>", "\x00", "é",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=25).map("".join))
def test_any_markup_gives_a_metadata_record(html: str):
    from tasks.metadata import Metadata, extract_metadata

    meta = extract_metadata(html, "https://example.org/2021/02/03/x")
    assert isinstance(meta, Metadata)
    assert all(isinstance(a, str) and a for a in meta.authors)
    if meta.published:
        assert meta.published.value[:4].isdigit()


REST = " the council said on Tuesday that the plan would be put to a vote next month."


def dateline(opening: str, **kwargs) -> tuple[str | None, str | None]:
    return read_dateline(opening + REST, **kwargs)


def test_dateline_leads():
    assert dateline("MOSCOW (Reuters) - The Kremlin said") == ("Moscow", "Reuters")
    assert dateline("Düsseldorf (dpa/lnw) – Die Landesregierung") == ("Düsseldorf", "DPA")
    assert dateline("LONDON, Jan 3 (Reuters) - Britain's economy") == ("London", "Reuters")
    assert dateline("ST. JOSEPH, Mich. (AP) — Officials said") == ("St. Joseph", "AP")
    assert dateline("Lindenfeld. Der Gemeinderat hat") == ("Lindenfeld", None)
    assert dateline("Frankfurt/Main. Die Börse schloss") == ("Frankfurt/Main", None)
    assert dateline("Berlin – Die Bundesregierung will") == ("Berlin", None)
    assert dateline("NEW YORK — The city council") == ("New York", None)
    assert dateline("NEW DELHI: The government on Monday") == ("New Delhi", None)
    assert dateline("CALDEN. In Sorge um ihre Arbeitsplätze") == ("Calden", None)
    # sentences, labels, credits, greetings and abbreviations are not datelines
    for lead in ("Mr. Smith said on Monday", "EXCLUSIVE — A leaked memo shows", "Update: The road is open",
                 "The Kremlin said on Wednesday", "Analyse – Warum die Preise steigen", "Note: prices are in euros",
                 "Kommentar. Die Stadt muss handeln", "Dee Dee Myers — a former press secretary",
                 "By Tim Childers - Live Science Contributor", "DEAR ABBY: My husband", "Hochwertige Hunde- oder Katzen",
                 "FERIENHAUS SONNE - LIERFELD / EIFEL Wir haben", "Landesbranddirektor Dr. Karl Meier"):
        assert dateline(lead) == (None, None), lead
    # a heading-like paragraph is not an article's opening
    assert read_dateline("Coronaschutz im Betrieb - Themen-Specials") == (None, None)
    # only leads that credit an agency when any paragraph may be read
    assert dateline("Berlin – Die Bundesregierung will", with_agency_only=True) == (None, None)


def test_leading_roles_and_sponsored_labels_are_not_names():
    assert parse_byline("FOCUS-Online-Experte Robin Tschöpe")[0] == ("Robin Tschöpe",)
    assert parse_byline("Chefredakteur Max Muster")[0] == ("Max Muster",)
    assert parse_byline("Samuel Diekmann | Sponsored Post")[0] == ("Samuel Diekmann",)
    assert parse_byline("Chefredakteurin")[0] == ()
