"""Word lists for quote attribution: speech verbs, titles, pronouns, name stop words.

Plain data and precompiled regexes only; tasks/quotes.py does the parsing. The lists are
general English newswire vocabulary, not fitted to any evaluation file.
"""

from __future__ import annotations

import re

# Speech verbs by lemma. Regular forms are generated; irregular ones are listed.
_REGULAR_SPEECH_LEMMAS = (
    "add", "acknowledge", "admit", "affirm", "agree", "allege", "announce", "answer",
    "argue", "assert", "assure", "boast", "brag", "caution", "charge", "chant", "chide", "claim",
    "comment", "complain", "concede", "conclude", "confirm", "contend", "continue", "counter",
    "cry", "declare", "demand", "deny", "email", "emphasize", "emphasise", "exclaim", "explain",
    "gush", "inform", "insist", "instruct", "joke", "lament", "maintain", "mock", "mention",
    "muse", "mutter", "note", "object", "observe", "plead", "pledge", "post", "predict",
    "proclaim", "promise", "protest", "quip", "recall", "recount", "reiterate", "remark",
    "repeat", "reply", "report", "respond", "retort", "scoff", "scream", "shout", "sigh",
    "snap", "state", "stress", "suggest", "tell", "testify", "text", "thunder", "tout",
    "tweet", "urge", "vow", "warn", "whisper", "wonder", "yell", "ask", "echo", "explain",
    "boom", "crow", "gripe", "grumble", "acknowledge", "speculate", "surmise", "venture",
    "reason", "elaborate", "interject", "opine", "marvel", "concur", "recommend", "predict",
    # verbs of praise and blame: the quoted words after them are the subject's own
    "blast", "slam", "criticize", "criticise", "praise", "accuse", "decry", "denounce", "deride",
    "hail", "lambast", "condemn",
)
# verbs of manner that newswire uses for "said" ('"This is fantastic!" beamed X'): their past
# and present forms only, since "a smiling crowd", "the laughing stock" are adjectives and nouns
_MANNER_SPEECH_LEMMAS = (
    "beam", "laugh", "chuckle", "grin", "smile", "fume", "sniff", "bark", "gasp", "groan",
    "growl", "huff",
)
_IRREGULAR_SPEECH_FORMS = (
    "say", "says", "said", "saying",
    "tell", "tells", "told", "telling",
    "write", "writes", "wrote", "writing", "written",
    "speak", "speaks", "spoke", "speaking",
    # lyrics are quoted like speech: 'As the Rainmakers sang, "They'll turn us all into beggars"'
    "sing", "sings", "sang", "singing",
    "tweet", "tweets", "tweeted", "tweeting",
    "put it", "puts it",
    "pointed out", "points out", "pointing out", "point out",
    "shot back", "shoots back", "fired back", "fires back", "hit back", "hits back",
    "went on", "goes on", "going on", "added later", "read", "reads", "wrote back",
    "cut in", "cuts in", "chimed in", "chimes in", "piped up", "pipes up", "weighed in",
    "weighs in", "broke in", "breaks in",
)


# Other languages' common speech verbs, as written in news (present, past, perfect participle;
# separable German verbs as the particle follows in a main clause: "fügte hinzu"). Lowercase:
# these words never pass for English ones, so they share the English regex.
_GERMAN_SPEECH_FORMS = (
    "sagt", "sagte", "sagten", "gesagt", "sagen", "meint", "meinte", "erklärt", "erklärte",
    "erklärten", "betont", "betonte", "betonten", "ergänzt", "ergänzte", "fügte hinzu",
    "fügt hinzu", "berichtet", "berichtete", "erzählt", "erzählte", "warnt", "warnte",
    "fordert", "forderte", "kritisiert", "kritisierte", "antwortet", "antwortete",
    "schreibt", "schrieb", "spricht von", "sprach von", "räumt ein", "räumte ein",
    "unterstreicht", "unterstrich", "versichert", "versicherte", "bekräftigt", "bekräftigte",
    "erläutert", "erläuterte", "teilt mit", "teilte mit", "stellt klar", "stellte klar",
    "kündigt an", "kündigte an", "verspricht", "versprach", "ruft", "rief", "mahnt", "mahnte",
)
_FRENCH_SPEECH_FORMS = (
    "dit", "a dit", "déclare", "a déclaré", "affirme", "a affirmé", "explique", "a expliqué",
    "ajoute", "a ajouté", "souligne", "a souligné", "estime", "a estimé", "assure", "a assuré",
    "précise", "a précisé", "indique", "a indiqué", "confie", "a confié", "raconte", "a raconté",
)
_SPANISH_ITALIAN_PORTUGUESE_SPEECH_FORMS = (
    "dijo", "afirmó", "declaró", "explicó", "señaló", "aseguró", "añadió", "agregó", "indicó",
    "ha detto", "ha dichiarato", "ha spiegato", "ha affermato", "ha aggiunto", "ha sottolineato",
    "disse", "afirmou", "declarou", "explicou", "acrescentou",
)
_DUTCH_SPEECH_FORMS = ("zegt", "zei", "zeggen", "verklaarde", "vertelde")
# Words that introduce a speaker after a quote without a verb: „…“, so Berger. / « … », selon X.
INVERTED_ONLY_CUES = frozenset({"so", "laut", "selon", "según", "secondo", "segundo", "volgens", "aldus"})


def _inflect(lemma: str) -> tuple[str, ...]:
    """Return base, 3rd person, past and -ing forms of a regular verb (English spelling rules)."""
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("sh", "ch", "s", "x", "o")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    if lemma in ("quip", "snap", "plan", "admit", "object", "grin"):
        doubled = lemma + lemma[-1] if lemma not in ("object",) else lemma
        return lemma, lemma + "s", doubled + "ed", doubled + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


def _speech_forms() -> set[str]:
    forms: set[str] = set(_IRREGULAR_SPEECH_FORMS)
    forms.update(_GERMAN_SPEECH_FORMS, _FRENCH_SPEECH_FORMS, _SPANISH_ITALIAN_PORTUGUESE_SPEECH_FORMS,
                 _DUTCH_SPEECH_FORMS)
    for lemma in _REGULAR_SPEECH_LEMMAS:
        forms.update(_inflect(lemma))
    for lemma in _MANNER_SPEECH_LEMMAS:
        forms.update(_inflect(lemma)[1:3])
    return forms


def trie_pattern(words: tuple[str, ...]) -> str:
    """A regex alternation shaped as a trie: Python's re tries alternatives one by one, so a
    flat list of 500 verb forms is ten times slower than the same words sharing prefixes.
    Optional tails are greedy, so the longest form wins ("pointed out" over "pointed")."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


SPEECH_FORMS = frozenset(_speech_forms())
# Word-bounded; case-sensitive on purpose: a capitalised "Said" or "Post" is far more often a
# name than a cue inside a sentence.
SPEECH_VERB_RE = re.compile(r"\b(?:" + trie_pattern(tuple(SPEECH_FORMS)) + r")\b")

# Forms that only introduce speech when followed by an object or a clause; alone after a quote
# ("..., he continued") they still are cues, so they stay in the list; these are the ones that
# must not be read as cues when a "that"-clause follows the quote (they are too common).
WEAK_CUES = frozenset({"read", "reads", "post", "posts", "report", "reports", "text", "state"})

PRONOUNS = frozenset({
    "he", "she", "they", "i", "we", "you", "it", "him", "her", "them", "his", "hers", "its",
    "their", "this", "that", "who", "one", "someone", "somebody", "er", "sie",
})
# German er/sie too ("„…“, sagte sie."); sie is read as she, the commoner subject after a quote
MALE_PRONOUNS = frozenset({"he", "him", "his", "er"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "sie"})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "er", "sie"})

# Honorifics stay in speaker_as_written but are not part of the name.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "rev", "mx"})
MALE_HONORIFICS = frozenset({"mr", "sir"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame"})

# Capitalised title words that precede a name and belong to the role ("President Vladimir Putin").
TITLE_WORDS = frozenset({
    "president", "vice", "sen", "senator", "rep", "representative", "gov", "governor",
    "secretary", "gen", "general", "lt", "col", "adm", "admiral", "maj", "capt", "sgt", "cmdr",
    "judge", "justice", "chancellor", "minister", "prime", "attorney", "mayor", "speaker",
    "chairman", "chairwoman", "chair", "ambassador", "sheriff", "chief", "director",
    "commissioner", "pope", "king", "queen", "prince", "princess", "reverend", "lord", "lady",
    "former", "state", "foreign", "defense", "defence", "interior", "finance", "deputy",
    "assistant", "acting", "leader", "majority", "minority", "house", "senate", "first",
    "congressman", "congresswoman", "councilman", "councilwoman", "councilmember", "premier",
    "pastor", "bishop", "cardinal", "rabbi", "imam", "coach", "officer", "detective",
    "inspector", "superintendent", "professor", "spokesman", "spokeswoman", "spokesperson",
    "u.s", "us", "gop", "republican", "democratic", "democrat", "independent", "candidate",
    "presidential", "hopeful", "nominee", "businessman", "billionaire", "dem", "sens", "reps",
    "councillor", "councilor", "cllr", "mp", "mep", "baroness", "baron", "chancellor",
    "secretary-general", "commissioner", "president-elect", "chief executive", "ceo", "founder",
})

# Title stems of other languages, matched at the end of a (compound) word, in any gender or
# number: "Oberbürgermeisterin", "Fraktionsvorsitzender", "Regierungssprecher", "ministre".
_TITLE_STEMS = (
    "bürgermeister", "minister", "präsident", "kanzler", "sprecher", "vorsitzende", "direktor",
    "leiter", "chef", "sekretär", "abgeordnete", "stadtrat", "stadträt", "gouverneur",
    "botschafter", "geschäftsführer", "dezernent", "landrat", "landrät", "beigeordnete",
    "kämmerer", "beauftragte", "referent", "trainer", "experte", "expertin",
    "ministre", "président", "directeur", "directrice", "porte-parole", "maire", "ministro",
    "presidente", "portavoz", "alcalde", "sindaco", "burgemeester", "woordvoerder",
)
# the stem, then an optional gender or number ending, at the end of the word
_TITLE_ENDINGS = ("innen", "in", "en", "er", "es", "n", "r", "e", "a", "s")
_TITLE_STEM_RE = re.compile(r"(?:" + "|".join(_TITLE_STEMS) + r")(?:" + "|".join(_TITLE_ENDINGS) + r")?$")
# the last three letters of every stem + ending: a set lookup rules out most words before the
# regex runs (every capitalised run's first word is asked)
_TITLE_TAILS = frozenset((stem + ending)[-3:] for stem in _TITLE_STEMS for ending in ("",) + _TITLE_ENDINGS)


def is_title_word(low: str) -> bool:
    """A lowercased word that names an office before a person's name: the English list, or a
    word ending in another language's title stem (German compounds, feminine -in)."""
    return low in TITLE_WORDS or (low[-3:] in _TITLE_TAILS and _TITLE_STEM_RE.search(low) is not None)


# Capitalised words that start a sentence or name a date, never a person.
NAME_STOP_WORDS = frozenset({
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "he", "she", "it", "they", "we",
    "i", "this", "that", "these", "those", "his", "her", "their", "our", "its", "my", "your",
    "if", "when", "as", "after", "before", "while", "since", "for", "still", "yet", "so",
    "also", "there", "here", "asked", "according", "meanwhile", "however", "now", "then",
    "what", "why", "how", "who", "where", "which", "with", "without", "by", "from", "to", "of",
    "not", "no", "yes", "all", "some", "many", "most", "both", "each", "every", "one", "two",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "today", "yesterday", "tomorrow", "last", "next", "other", "another",
    "earlier", "later", "instead", "indeed", "even", "just", "because", "although", "though",
    "during", "despite", "among", "under", "over", "until", "unless", "do", "does", "did",
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "said", "says",
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "maybe", "perhaps", "like",
    "unlike", "including", "following", "thus", "hence", "well", "oh", "yes", "please", "why",
    "whatever", "whoever", "whether", "though", "about", "around", "against", "through",
    # German sentence openers (articles, pronouns, conjunctions) that are capitalised there
    "der", "die", "das", "ein", "eine", "einer", "einem", "einen", "dessen", "deren", "er",
    "sie", "es", "wir", "ich", "ihre", "sein", "auch", "aber", "und", "doch", "wie", "als",
    "nach", "im", "zum", "zur", "beim", "für", "laut", "weiter", "zudem", "außerdem", "dabei",
    "damit", "deshalb", "daher", "dann", "danach", "zwar", "nun", "bereits", "schon", "noch",
    "nur", "jetzt", "heute", "gestern", "hier", "dort", "denn", "dass", "wenn", "weil",
})
# Words before a capitalised German word that make it a common noun ("der Minister", "ihre
# Hinrichtung"): articles and possessives, which German writes lowercase inside a sentence.
GERMAN_NOUN_MARKERS = frozenset({
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "einem", "einen", "eines",
    "sein", "seine", "seiner", "seinem", "seinen", "ihr", "ihre", "ihrer", "ihrem", "ihren",
    "unser", "unsere", "dieser", "diese", "dieses", "diesem", "diesen", "jeder", "jede", "jedes",
})
# Articles of other languages, walked over when asking whether a name follows a preposition
# ("in der Sitzung").
FOREIGN_ARTICLES = frozenset({"der", "die", "das", "dem", "den", "einer", "einem", "einen", "eines"})
FOREIGN_PREPOSITIONS = frozenset({
    "auf", "bei", "mit", "vom", "zu", "zum", "zur", "für", "aus", "nach", "über", "unter",
    "gegen", "im", "beim", "seit", "durch", "ohne", "des",
})

# Determiners and quantifiers that open a descriptive noun phrase ("a spokesman", "the crowd").
DETERMINERS = frozenset({
    "the", "a", "an", "another", "one", "his", "her", "their", "its", "our", "some", "many",
    "several", "both", "two", "three", "four", "five", "other", "this", "that", "these",
    "those", "each", "every", "most", "all", "few", "no",
})

# Common given names with a clear gender, for pronoun agreement only (he -> a male name).
MALE_GIVEN_NAMES = frozenset("""
joe donald bernie ted marco ben jeb john chris mike michael barack bill george
vladimir yuri sergei dmitry paul rand jim james robert bob david dave tom thomas richard
mark steve steven peter jeff jeffrey scott kevin brian eric jason matt matthew andrew
daniel dan charles chuck mitch harry henry jack william will joseph anthony tony
frank gary larry jerry dennis ron ronald rick richard ray roger tim timothy greg gregory
patrick sean ryan adam nick nicholas josh joshua justin brandon aaron carl keith martin
reince newt rudy corey jared eddie al bobby jimmy johnny boris emmanuel xi
""".split())
FEMALE_GIVEN_NAMES = frozenset("""
hillary angela nancy elizabeth kamala carly sarah sara susan mary patricia jennifer linda
barbara margaret lisa karen betty helen sandra donna carol ruth sharon michelle laura
kimberly deborah jessica shirley cynthia anna emily kelly christine debbie
kirsten amy maria marie huma loretta melania ivanka megyn kellyanne hope janet condoleezza
madeleine theresa nikki jill katie kate catherine rebecca rachel julia heather
diane dianne claire joni tammy tulsi elise marsha renee mona johanna eva
""".split())

# Verbs of naming: a quoted span after them is a name or a label, not speech.
NAMING_RE = re.compile(
    r"\b(?:called|calls|calling|dubbed|dubs|named|names|titled|entitled|labeled|labelled|"
    r"known as|so-called|nicknamed|branded|termed|coined|billed as|the phrase|the word|"
    r"the term|the slogan|the hashtag|the book|the film|the movie|the show|the song|"
    r"subject line|headline|motto|signs? reading|banners? reading)\s*$",
    re.IGNORECASE,
)
