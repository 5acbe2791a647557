"""Author strings -> people's names, and wire-agency credits.

Plain functions, no I/O. A byline such as "By Jane Doe and John Roe, Reuters" gives the
authors ("Jane Doe", "John Roe") and the agency "Reuters"; roles, "Staff", e-mail addresses,
social handles, URLs and the site's own name are dropped.
"""

from __future__ import annotations

import re

# Canonical agency name -> spellings seen in credits (matched case-insensitively, whole words).
AGENCIES: dict[str, tuple[str, ...]] = {
    "Reuters": ("reuters", "thomson reuters"),
    "AP": ("ap", "associated press", "the associated press"),
    "AFP": ("afp", "agence france-presse", "agence france presse"),
    "PTI": ("pti", "press trust of india"),
    "ANI": ("ani", "asian news international"),
    "IANS": ("ians", "indo-asian news service"),
    "UNI": ("uni", "united news of india"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "DPA": ("dpa", "deutsche presse-agentur"),
    "EFE": ("efe", "agencia efe"),
    "UPI": ("upi", "united press international"),
    "Xinhua": ("xinhua",),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap",),
    "ANSA": ("ansa",),
    "APA": ("apa",),
    "KNA": ("kna",),
    "epd": ("epd",),
    "AAP": ("aap", "australian associated press"),
    "TASS": ("tass",),
    "Interfax": ("interfax",),
    "RIA Novosti": ("ria novosti",),
    "Anadolu": ("anadolu", "anadolu agency", "aa"),
    "Bernama": ("bernama",),
    "Canadian Press": ("the canadian press", "canadian press", "cp"),
    "SDA": ("sda", "keystone-sda"),
    "Belga": ("belga",),
    "Lusa": ("lusa",),
    "Europa Press": ("europa press",),
    "PAP": ("pap",),
    "CTK": ("ctk", "čtk"),
    "NTB": ("ntb",),
    "Ritzau": ("ritzau",),
    "WAM": ("wam",),
    "SID": ("sid", "sport-informations-dienst"),
    "IRNA": ("irna",),
}
_AGENCY_LOOKUP = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}

_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|story|text|words|photos?|veröffentlicht|geschrieben|"
    r"publiziert|verfasst|erstellt|ein beitrag|beitrag|artikel|gepostet|publié|publicado|escrito|scritto)\s+)?"
    r"(?:by|von|vom|par|por|di|door|av|af|autor(?:in)?|author|text|de)\s*[:\-]?\s+",
    re.I,
)
_LABEL_PREFIX = re.compile(
    r"^\s*(?:autor(?:in|en)?|authors?|auteur|text|redaktion|redakteur(?:in)?|reporter)\s*:\s*", re.I
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# Conjunctions are matched in lower case only, so that initials ("E. Smith") survive.
_SPLIT = re.compile(r"\s*(?:;|,|&|\||/)\s*|\s+(?:[Aa]nd|AND|[Uu]nd|UND|et|y|e|en|og|och)\s+")
# Words that make a part a role or a non-person credit rather than a name.
_ROLE_WORDS = frozenset(
    """staff writer writers reporter reporters correspondent correspondents editor editors
    contributor contributing columnist senior chief political business sports deputy news
    desk team staff redaktion online newsroom admin administrator webmaster photographer
    photo photos foto fotos bild video agency agencies wire wires and more updated published
    am um redakteur redakteurin autor autorin mitarbeiter gastautor freelance special
    guest associate managing executive international national local bureau created posted
    published updated modified veröffentlicht publiziert aktualisiert geschrieben erstellt
    comment comments kommentar kommentare share teilen more posts view all articles read
    follow uncategorized allgemein home by von no author unknown anonymous phd md dr prof
    stand name text auteur autor collectif the a an am on um at
    monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch
    donnerstag freitag samstag sonntag pressesprecher pressesprecherin sprecher sprecherin spokesperson
    spokesman spokeswoman fotograf fotografin interview""".split()
)
_ORG_WORDS = frozenset(
    """gmbh ag inc inc. ltd llc plc kg e.v. ev verlag stiftung institut institute landesanstalt
    universität university universidad université ministerium ministry verband verein gesellschaft
    group media medien network netzwerk company corporation corp association e.v stiftung""".split()
)
NAME_PARTICLES = frozenset("von van de da del der den di du la le ten ter zu y bin ibn al dos das do".split())
_ROLE_SUFFIX = re.compile(
    r"(?:leiter|leiterin|referent|referentin|korrespondent|korrespondentin|redakteur|redakteurin|sprecher|"
    r"sprecherin|journalist|journalistin|editor|writer|correspondent|reporter|columnist|kolumnist|kolumnistin)$"
)
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w.'’\-]*$")


def find_agency(text: str) -> str | None:
    """Canonical agency name when ``text`` (a whole credit or part) is a wire agency."""
    key = " ".join(re.sub(r"[()\[\]]", " ", text).split()).strip(" .,-–—:").lower()
    return _AGENCY_LOOKUP.get(key)


def find_agencies_in(text: str) -> list[str]:
    """Agencies credited anywhere in a short credit line ("dpa/AFP", "(Reuters)")."""
    found = []
    for part in re.split(r"[/,;|&()\[\]]|\s+-\s+|\band\b|\bund\b|\bmit\b|\bwith\b", text):
        agency = find_agency(part)
        if agency and agency not in found:
            found.append(agency)
    return found


def strip_prefix(text: str) -> str:
    text = _LABEL_PREFIX.sub("", text)
    return _BY_PREFIX.sub("", text)


def is_person_name(part: str, site_names: frozenset[str] = frozenset(), handles: bool = False) -> bool:
    """A plausible person's name: 1-5 word tokens, no digits, not a role, agency or site.
    ``handles``: the field is explicitly an author field, so a user name ("jancak", "c1ph4")
    counts too."""
    tokens = part.split()
    if handles and len(tokens) == 1 and re.fullmatch(r"[\w.\-]{2,30}", part) and not re.fullmatch(r"[\d.\-]+", part):
        return part.lower() not in site_names and not find_agency(part) and part.lower() not in _ROLE_WORDS
    if not 1 <= len(tokens) <= 5 or len(part) > 60:
        return False
    if find_agency(part) or part.lower() in site_names:
        return False
    if any(not _NAME_TOKEN.match(t) for t in tokens):
        return False
    if all(t.lower().strip(".") in _ROLE_WORDS for t in tokens):
        return False
    if _ROLE_SUFFIX.search(tokens[0].lower()):
        return False  # "Projektleiterin (der HSS)", "Chefredakteur", "Korrespondent": a role
    if any(w in _ORG_WORDS for t in tokens for w in [t.lower().strip(".,"), *t.lower().split("-")]):
        return False  # "Web Commerce GmbH", "Landesanstalt für Wald": organisations, not people
    if "." in part and " " not in part:  # a domain such as example.com
        return False
    # every word of a name is capitalised but particles ("vom Support", "Redner bei X" are not
    # names)
    return all(t[0].isupper() or t[0] in "'’" or t in NAME_PARTICLES for t in tokens) and tokens[0] not in NAME_PARTICLES


def drop_roles(part: str) -> str:
    """'Jane Doe, Senior Writer' is split before we get here: drop parts that start with a role
    and trailing role words written without a comma ('Jane Doe Staff Writer')."""
    tokens = part.split()
    if tokens and tokens[0].lower().strip(".") in _ROLE_WORDS:
        return ""  # "Redaktion Wirtschaft", "Senior Editor": a role, not a name
    while len(tokens) > 1 and tokens[-1].lower().strip(".") in _ROLE_WORDS:
        tokens.pop()
    return " ".join(tokens)


def trim_part(part: str) -> str:
    """Strip separators around a name, keeping the period of an initial or suffix ("Jr.", "C.")."""
    part = part.strip(" ,:;-\u00a0")
    last = part.split()[-1] if part.split() else ""
    if last.endswith(".") and len(last.rstrip(".")) > 2:
        part = part.rstrip(". ")
    return part


def parse_byline(
    raw: str, site_names: frozenset[str] = frozenset(), handles: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A byline or author field -> (authors in order, agencies credited). ``handles``: see
    is_person_name."""
    text = " ".join(raw.split())
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = re.sub(r"\((?:[^()]*)\)", lambda m: " , " + m[0][1:-1] + " , ", text)  # "(Reuters)"
    text = _HANDLE.sub(" ", text)
    text = re.sub(r"\s*[•·|–—]\s*", " , ", text)
    text = re.sub(r"\s+-\s+", " , ", text)
    authors: list[str] = []
    agencies: list[str] = []
    for part in _SPLIT.split(strip_prefix(text)):
        part = strip_prefix(trim_part(part))
        part = drop_roles(trim_part(part))
        if not part:
            continue
        agency = find_agency(part)
        if agency:
            agencies.append(agency) if agency not in agencies else None
        elif is_person_name(part := drop_site_words(cut_trailing_words(part), site_names), site_names, handles) and part not in authors:
            authors.append(part)
    # "Heiko Sauer" and "SHOW ALL ARTICLES OF Heiko Sauer": the longer one is residue
    authors = [a for a in authors if not any(b != a and b in a for b in authors)]
    return tuple(authors), tuple(agencies)


# words that end a name in a byline ("Isabella DiBiase am Samstag", "oz on December 3")
NAME_ENDERS = frozenset(
    """am um im vom on at in the for from says writes schreibt sagt posted gepostet mo di mi do fr sa so
    mon tue wed thu fri sat sun kontakt contact mehr more profil profile email e-mail twitter facebook
    illustration illustrationen fotos photos foto photo bilder grafik""".split()
)


def drop_site_words(part: str, site_names: frozenset[str]) -> str:
    """'Adam Aaronson PhillyVoice' -> 'Adam Aaronson' when the site is PhillyVoice."""
    tokens = part.split()
    while len(tokens) > 1 and tokens[-1].lower() in site_names:
        tokens.pop()
    return " ".join(tokens)


def cut_trailing_words(part: str) -> str:
    """A name ends before a word of NAME_ENDERS."""
    tokens = part.split()
    for i, token in enumerate(tokens[1:], start=1):
        word = token.lower().rstrip(".,:")
        # short enders ("Fr", "on") only when punctuated or last: "Angel Di Maria" stays whole
        if word in NAME_ENDERS and (
            len(word) > 3 or token[-1] in ".,:" or i == len(tokens) - 1 or token.islower() or word in ("for", "from", "the", "of")
        ):
            return " ".join(tokens[:i])
    return part
