"""Date strings found on news pages -> ISO 8601 values with the page's UTC offset.

Plain functions, no I/O. The caller passes ``now`` so that "not in the future" is testable.

Rules (see docs/METADATA.md):
* ISO 8601 strings keep the offset they state ("Z" becomes +00:00).
* Numeric dates "08-12-2021": when one part is > 12 the order is certain; otherwise the
  order comes from the caller's locale decision (``day_first``), which extract_metadata
  derives from the time-zone abbreviation, the page language/region, the separator and the
  other dates on the page.
* Textual dates in English, German, French, Spanish, Italian, Dutch and Portuguese.
* Time-zone abbreviations are resolved with TZ_OFFSETS (IST is India, the common reading on
  news sites; Irish/Israel readings are not handled).
* Dates before 1995 (before news on the web) or more than a day in the future are rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# minutes east of UTC
TZ_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180,
    "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "AST": -240, "ADT": -180, "NST": -210, "NDT": -150, "AEST": 600, "AEDT": 660,
    "ACST": 570, "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780, "JST": 540,
    "KST": 540, "HKT": 480, "SGT": 480, "PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420,
    "PHT": 480, "SAST": 120, "WAT": 60, "EAT": 180, "CAT": 120, "GST": 240, "BDT": 360,
}
# Abbreviations of zones where dates are written month first (North America).
MONTH_FIRST_ZONES = frozenset(
    {"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "AST", "ADT"}
)

MONTHS: dict[str, int] = {}
_MONTH_NAMES = [
    # en, de, fr, es, it, nl, pt
    ("january jan januar jänner janvier enero gennaio januari janeiro", 1),
    ("february feb februar février fevrier febrero febbraio februari fevereiro", 2),
    ("march mar märz maerz mars marzo maart março marco", 3),
    ("april apr avril abril aprile", 4),
    ("may mai mayo maggio mei maio", 5),
    ("june jun juni juin junio giugno junho", 6),
    ("july jul juli juillet julio luglio julho", 7),
    ("august aug août aout agosto augustus", 8),
    ("september sep sept septembre septiembre settembre setembro", 9),
    ("october oct oktober octobre octubre ottobre okt outubro", 10),
    ("november nov novembre noviembre novembro", 11),
    ("december dec dez dezember décembre decembre diciembre dicembre dezembro", 12),
]
for _names, _num in _MONTH_NAMES:
    for _n in _names.split():
        MONTHS[_n] = _num

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TZ_RE = "|".join(sorted(TZ_OFFSETS, key=len, reverse=True))
_TIME = (
    r"(?:(?:,|\s|T|\bat\b|\bum\b|\bà\b|-|/|\|)*\s*(?P<hh>\d{1,2})[:.h](?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?:uhr|h))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|\(?(?:" + _TZ_RE + r")\)?(?![A-Za-z]))?)?"
)
ISO_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME, re.I
)
YMD_RE = re.compile(r"(?P<y>(?:19|20)\d{2})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)" + _TIME, re.I)
NUMERIC_RE = re.compile(
    r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d{2})(?!\d)" + _TIME, re.I
)
DMY_TEXT_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:de\s+)?(?P<mon>" + _MONTH_RE + r")\.?,?\s*(?:de\s+)?(?P<y>(?:19|20)\d{2})(?!\d)"
    + _TIME,
    re.I,
)
MDY_TEXT_RE = re.compile(
    r"\b(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.I,
)
URL_DATE_RE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|-|\.|$)"
    r"|[/_-](?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?:[/_.-]|$)"
)
ARCHIVE_PREFIX = re.compile(r"^[a-z]+://[^/]*archive[^/]*/(?:web/)?\d{8,14}(?:[a-z]{2}_)?/", re.I)
EARLIEST = date(1995, 1, 1)
# labels written before dates in bylines, kept in the raw string ("Updated: ...")
DATE_LABEL = re.compile(
    r"(?:first |last )?(?:published|posted|created|updated|modified|written|released|veröffentlicht|"
    r"aktualisiert|erstellt|geändert|erschienen|stand|datum|date|publié|mis à jour|publicado|actualizado|"
    r"pubblicato|aggiornato)(?: on| am| at| le| el| il| vom)?\s*:?\s*$",
    re.I,
)


@dataclass(frozen=True)
class ParsedDate:
    value: str  # ISO 8601: with time and offset when known, else YYYY-MM-DD
    day: date
    has_time: bool
    tz_abbr: str | None  # the abbreviation written on the page, if any


def parse_offset(tz: str | None) -> timezone | None:
    """Offset string or abbreviation -> timezone; None when absent or unknown."""
    if not tz:
        return None
    tz = tz.strip("() ").upper()
    if tz in TZ_OFFSETS:
        return timezone(timedelta(minutes=TZ_OFFSETS[tz]))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", tz)
    if not m:
        return None
    minutes = int(m[2]) * 60 + int(m[3])
    return timezone(timedelta(minutes=minutes if m[1] == "+" else -minutes))


def build_date(y: int, mo: int, d: int, m: re.Match, now: datetime) -> ParsedDate | None:
    """Assemble a ParsedDate from the matched parts, or None when impossible/implausible."""
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if day < EARLIEST or day > (now + timedelta(days=1)).date():
        return None
    hh = m.groupdict().get("hh")
    if hh is None:
        return ParsedDate(day.isoformat(), day, False, None)
    hour, minute = int(hh), int(m["mi"])
    second = int(m["ss"] or 0)
    ampm = (m["ampm"] or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return ParsedDate(day.isoformat(), day, False, None)
    tzinfo = parse_offset(m["tz"])
    stamp = datetime(y, mo, d, hour, minute, second, tzinfo=tzinfo)
    if tzinfo is not None and stamp > now + timedelta(days=1):
        return None
    abbr = (m["tz"] or "").strip("() ").upper()
    return ParsedDate(stamp.isoformat(), day, True, abbr if abbr in TZ_OFFSETS else None)


def expand_year(y: str) -> int:
    return int(y) + 2000 if len(y) == 2 else int(y)


def parse_date(raw: str, now: datetime, day_first: bool | None = None) -> ParsedDate | None:
    """First date in ``raw``. ``day_first`` decides ambiguous numeric dates (None: day first
    unless a North-American zone abbreviation follows)."""
    if not raw:
        return None
    text = " ".join(raw.split())
    for regex in (ISO_RE, YMD_RE):
        if m := regex.search(text):
            return build_date(int(m["y"]), int(m["m"]), int(m["d"]), m, now)
    candidates = []
    for regex in (DMY_TEXT_RE, MDY_TEXT_RE, NUMERIC_RE):
        if m := regex.search(text):
            candidates.append((m.start(), regex, m))
    if not candidates:
        return None
    _, regex, m = min(candidates, key=lambda c: c[0])
    if regex is NUMERIC_RE:
        return build_numeric(m, now, day_first)
    return build_date(int(m["y"]), MONTHS[m["mon"].lower()], int(m["d"]), m, now)


def build_numeric(m: re.Match, now: datetime, day_first: bool | None) -> ParsedDate | None:
    a, b, y = int(m["a"]), int(m["b"]), expand_year(m["y"])
    if a > 12 or m["sep"] == ".":
        first = True  # 31-01-2021, and dotted dates are day first everywhere
    elif b > 12:
        first = False
    elif day_first is not None:
        first = day_first
    else:
        tz = (m["tz"] or "").strip("() ").upper()
        first = tz not in MONTH_FIRST_ZONES
    return build_date(y, b, a, m, now) if first else build_date(y, a, b, m, now)


def date_snippet(text: str) -> str | None:
    """The date written in ``text`` with the label just before it ("Updated: 08-12-2021 02:41
    IST"), or None when ``text`` holds no date."""
    text = " ".join(text.split())
    matches = [m for m in (r.search(text) for r in (ISO_RE, YMD_RE, DMY_TEXT_RE, MDY_TEXT_RE, NUMERIC_RE)) if m]
    if not matches:
        return None
    first = min(matches, key=lambda m: m.start())
    label = DATE_LABEL.search(text[max(0, first.start() - 40):first.start()])
    start = first.start() - (len(label[0]) if label else 0)
    return text[start:first.end()].strip()


def is_ambiguous_numeric(raw: str) -> bool:
    """True when ``raw``'s date is numeric with both parts <= 12 (order undecidable alone)."""
    text = " ".join(raw.split())
    if ISO_RE.search(text) or YMD_RE.search(text) or DMY_TEXT_RE.search(text) or MDY_TEXT_RE.search(text):
        return False
    m = NUMERIC_RE.search(text)
    return bool(m) and m["sep"] != "." and int(m["a"]) <= 12 and int(m["b"]) <= 12


def numeric_order_votes(texts: list[str]) -> int:
    """Positive when unambiguous numeric dates among ``texts`` are written day first,
    negative when month first (the consistency rule)."""
    votes = 0
    for text in texts:
        for m in NUMERIC_RE.finditer(text):
            if m["sep"] == ".":
                continue
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                votes += 1
            elif b > 12 >= a:
                votes -= 1
    return votes


def original_url(url: str) -> str:
    """The archived page's own URL: a web archive's capture time is not the page's date
    ("https://web.archive.org/web/20160218174457/http://blog.example/2010/05/post/")."""
    return ARCHIVE_PREFIX.sub("", url)


def find_url_date(url: str | None, now: datetime) -> ParsedDate | None:
    """A date written in the URL path (/2021/12/08/, /20211208-, 2021-12-08)."""
    if not url:
        return None
    m = URL_DATE_RE.search(original_url(url))
    if not m:
        return None
    y, mo, d = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
    try:
        day = date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if day < EARLIEST or day > now.date() + timedelta(days=1):
        return None
    return ParsedDate(day.isoformat(), day, False, None)
