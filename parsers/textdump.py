"""Clean a plain-text page dump into an :class:`Article`.

A text dump is a web page saved as text ("save as text", ``get_text("\\n")``):
the article's paragraphs sit among banners, menus, share and newsletter lines,
teasers and footers, and inline tags (links, emphasis) split a paragraph into
several lines. No markup survives, so every decision rests on the shape of the
lines. The cleaner is a line-level boilerplate classifier in the spirit of
jusText, run as a numbered pipeline of small pure steps:

1. **normalise**: unify newlines, drop control and zero-width characters.
2. **lines**: split into lines, fold internal whitespace, remember the blank
   lines before each line and whether its raw text touched whitespace at its
   edges (a sign of an inline-tag boundary).
3. **blocks**: re-join inline fragments (a line that does not end a sentence
   followed, with no blank line between, by a continuation) into blocks; a
   long line cut mid-sentence followed after one blank line by a lower-case
   continuation is hard-wrapped prose and joins too, as do the lines of a run
   with no blank line between them that are filled to one width and often go
   on in lower case (a ``<pre>`` or ``<br>``-broken story).
4. **classify**: label every block ``good``, ``neargood``, ``short`` or
   ``bad`` from its length, sentence punctuation, stopword density against
   the page's own language (a veto only), fragment density (the link-density
   stand-in) and a small vocabulary of furniture phrases and all-caps calls to
   action; short lines repeated three times or more are furniture; consent
   walls and embed placeholders (several kinds of data-protection terms) are
   furniture at any length, and so are the lines beside and between them;
   picture credits ("Foto: dpa", "Jane Roe/AP") and a caption set tight above
   a labelled credit line ("Foto: ...") are furniture; date and byline lines are recognised here,
   and short lines that are whole sentences are marked.
5. **context**: resolve ``short`` and ``neargood`` blocks by their nearest
   decided neighbours (jusText's revision step; a short whole sentence needs
   only one good neighbour), keep the items of a list that a prose line ending
   in a colon announces and the cells of a data table (a run of short lines, a
   quarter of them varied figures), then demote teaser lists (runs of headline
   + one-paragraph units whose units share few words; a headline cut to fit
   with "..." counts) and comment threads (posts stamped by time lines of one
   shape or headed by poster lines, close together but for their reply/share
   chrome, naming their posters).
6. **region**: keep the maximum-sum run of blocks (good blocks earn their
   length, others and blank-line gaps deeper than the page's usual one cost,
   code listings, tables and announced list items are neutral), grown over
   shallow dips to runs beside it and over the lines kept by context at its
   edges, which drops menus, teasers, comments and footers away from the
   article; a list of entries of one shape right after it (tour dates) joins.
7. **header**: read title (from the first line when it is the page's
   ``<title>``, else the header lines above the body), section, source,
   publication time and byline from the lines just above the region.
8. **assemble**: body = the region's good blocks minus the metadata lines and
   repeated paragraphs (list items and table cells may repeat), one paragraph
   per block, separated by one blank line.

Everything is a pure function of the input text; odd input (empty, binary,
one huge line) yields an Article with whatever could be recovered, never an
exception.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from typing import Literal

from parsers.article import Article

__all__ = ["clean_text_dump"]

Label = Literal["good", "neargood", "short", "bad"]

# Step 4 thresholds, in the spirit of jusText's defaults (length in characters,
# stopword density as a share of words). A block under LENGTH_LOW characters is
# too short to judge alone; over LENGTH_HIGH it is a paragraph if it reads as prose.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.5  # shares of the page's own prose stopword density
STOPWORDS_HIGH = 0.8
MIN_PAGE_STOPWORDS = 0.15
MAX_FRAGMENT_DENSITY = 0.5
PRIVACY_TERMS = 2  # a block using this many kinds of data-protection terms is a consent wall or placeholder
CONSENT_REACH = 4  # a consent placeholder's lines stand this close to its notice
SHORT_SENTENCE_WORDS = 5  # a line under LENGTH_LOW with this many words and a sentence end may be prose
WRAPPED_LINE = 50  # a line this long that stops mid-sentence may be hard-wrapped prose
# A run of at least WRAP_RUN lines with no blank line between is hard-wrapped prose when WRAP_FULL of its lines
# are full (at least WRAP_WIDTH long, the next word would pass the run's width less WRAP_SLACK) and WRAP_LOWER of
# them go on in lower case.
WRAP_RUN = 3
WRAP_WIDTH = 40
WRAP_SLACK = 2
WRAP_FULL = 0.8
WRAP_LOWER = 0.3
THREAD_STAMPS = 3  # this many same-shaped time stamps make a comment thread
ARTICLE_OVER_POST = 3  # the text after the article's stamp is this many times a median post's
ARTICLE_MIN = 1000  # ... and this long at least
THREAD_POST = 24  # one post spans at most this many blocks (besides its reply/share chrome) between stamps
ANNOUNCE_WORDS = 4  # a line ending in a colon with this many words announces a list
LIST_MAX = 30  # an announced list holds at most this many items
LIST_RUN = 5  # a list of entries of one shape right after the article has this many entries at least
LIST_SHARE = 0.8  # ... and this share of its lines have that shape
TABLE_RUN = 6  # a table has at least this many cells
TABLE_FIGURES = 0.25  # ... and this share of them are figures
TABLE_EDGE = 4  # a table reaches this many cells beyond its first and last figure (header row, last row's text)
TEASER_RUN = 3  # this many headline + one-summary units in a row make a teaser list
TEASER_MAX = 400  # a teaser's summary is shorter than this
TEASER_COHESION = 0.35  # ... and its units share fewer of their words than an article's sections do
REPEATED = 3  # a short line seen this often is furniture
FURNITURE_LINE = 100  # a line shorter than this holding a furniture phrase is furniture
# Step 6 costs, in characters: what a non-paragraph block, and each blank line
# beyond two before a block, subtract from a run's length.
BAD_COST = 30
BAD_LENGTH_SHARE = 0.5
SHORT_GOOD_COST = 10
GAP_COST = 5
CREDIT_WORDS = 7  # a photographer/agency credit line is this short
EDGE_SLACK = 2  # lines kept by context join the run at its edges across gaps this much deeper than usual
MAX_COSTED_GAP = 20  # beyond this many blank lines a gap costs no more
# a neighbouring run joins the article's run when it earns this share of the dip between them: an
# article cut by a list or a table it holds is several runs with shallow dips between
MERGE_SHARE = 0.6
MAX_LINE_SCAN = 400  # date/byline regexes only look at lines shorter than this
HEADER_WINDOW = 12  # lines above the body searched for title, section, source, date
MIN_TITLE_WORDS = 5  # a first line taken as <title> without an h1 repeating it has this many words
DATE_BELOW = 10  # failing that, the time line is looked for this many lines below the body's start
DATE_ABOVE = 60  # ... and then this many above it

# Characters that are noise in a text dump: C0/C1 controls (except \n, \t) and
# zero-width/format characters that render as nothing but break word matching.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014\-\u00b7\u2022\u00bb\u00ab/:]{1,2}\s+|\s*[\uff5c\u3163]\s*")
_CREDIT = re.compile(r"(?:\u00a9|\([cC]\)|(?:Foto|Photo|Bild|Image|Picture|Credit|Quelle|Source)s?\s*:)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+(?:[\s.'\u2019-]+[^\W\d_]+)*")  # a run of words: names vary in length
_DIGITS = re.compile(r"\d+")
# "3 hours ago", "vor 3 Stunden", "il y a 3 heures", "hace 3 horas": how comment systems stamp posts
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
    r"|\bvor\s+\d+\s+(?:Minuten|Minute|Stunden|Stunde|Tagen|Tag|Wochen|Woche|Monaten|Monat)\b"
    r"|\bil y a\s+\d+\s+(?:minutes?|heures?|jours?|semaines?|mois)\b"
    r"|\bhace\s+\d+\s+(?:minutos?|horas?|días?|semanas?|meses?)\b",
    re.IGNORECASE,
)
# "firefighter jeff said,", "Paula @ example.org says:", "Bob schrieb:": a post's head line in a thread without times
_POSTER_LINE = re.compile(
    r"^\S.{0,60}?\s(?:said|says|wrote|writes|replied|schreibt|schrieb|meint|a écrit|écrit|dice|dijo|escribió"
    r"|ha scritto|scrive|escreveu|disse|schreef|skrev|napisał)\s?[:,]?$",
    re.IGNORECASE,
)
_NAMED_POSTER = re.compile(r"\b(?:by|von|par|por|di)\s+\w", re.IGNORECASE)  # "written by pete, October 24, 2012"
_SHORT_DATE = re.compile(r"(?<![\d.])\d{1,2}([./-])\d{1,2}\1\d{2}(?![\d.])")  # "07.22.12", "7/22/12"
_POSTER = re.compile(r"\b(?:by|says|said|von|par|por|di)\b", re.IGNORECASE)
_CODE_MARKS = re.compile(r"[{}()\[\];=<>]")
_STATEMENT_MARKS = re.compile(r"[{}\[\];=]")  # prose has brackets and parentheses, rarely these
_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|<!--|-->")
_SENTENCE_CLOSE = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019\u00bb)\]]*$")
_TRUNCATED = re.compile(r"\w(?:\.\.\.|\u2026)$")  # cut mid-word or mid-phrase to fit a teaser box
_TERMINAL = re.compile(r"[.!?\u2026\u3002\uff01\uff1f:;][\"'\u201d\u2019\u00bb)\]]*$")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f](?:[\"'\u201d\u2019\u00bb)\]]*)(?:\s|$)")
_CONTINUES = re.compile(r"^[,.;:!?)\]}%\u00bb\u201d\u2019\u2026]")
_OPENS = re.compile(r"[(\[{\u201e\u201c\u00ab\u2018/\-\u2013\u2014,:]$")

# Furniture vocabulary: phrases that mark page chrome in short lines, matched as
# whole lower-cased words (a set lookup of word n-grams is much faster than one
# big regex alternation); a long prose paragraph may contain them and stays.
_FURNITURE_PHRASES = """
    join the mailing list | mailing list | newsletter | newsletters | subscribe | subscribed | subscriber
    | subscribers | subscription | subscriptions | sign up | sign in | log in | login | log out | logout
    | register | create an account | create account | my account | share | share this | tweet | whatsapp
    | facebook | twitter | linkedin | pinterest | instagram | follow us | follow me | email us | contact us
    | print this | printable version | cookie | cookies | privacy policy | privacy settings | privacy notice
    | terms of use | terms of service | terms and conditions | advertisement | advertising | sponsored
    | promoted | ad choices | read more | read next | more stories | more news | related | recommended
    | most read | most popular | most viewed | trending | top stories | latest news | all rights reserved
    | copyright | skip to content | skip to main content | back to top | comment | comments
    | leave a comment | leave a reply | click here | learn more | download the app | download our app
    | image caption | photo credit | getty images | email address | your inbox | junk folder | spam folder
    | min read | minute read | minutes read | reading time | lesedauer | lesezeit | temps de lecture
    | tiempo de lectura
    | jetzt lesen | anmelden | abonnieren | teilen | werbung | anzeige | mehr zum thema | kommentare
    | s'abonner | abonnez-vous | partager | publicité | lire aussi | suscríbete | suscribete | compartir
    | publicidad | lee también | leggi anche | condividi | pubblicità
"""
_FURNITURE = frozenset(tuple(re.findall(r"\w+", phrase)) for phrase in _FURNITURE_PHRASES.split("|"))
_FURNITURE_MAX_WORDS = max(map(len, _FURNITURE))
# All-caps calls to action ("JOIN NOW", "SUBSCRIBE TODAY") mark banners even in long lines.
_CALL_TO_ACTION = re.compile(
    r"\b(?:JOIN|SUBSCRIBE|SIGN UP|REGISTER|DOWNLOAD|APPLY|DONATE|BUY|SHOP|ORDER|CLICK|LEARN MORE|READ MORE"
    r"|WATCH|LISTEN|TRY|GET STARTED)(?: (?:NOW|TODAY|HERE|FREE|IT))?\b"
)
# Consent notices are long prose, but about cookies and consent: page chrome at any length.
_COOKIES = re.compile(r"\b(?:cookies?|tracking technologies)\b", re.IGNORECASE)
_CONSENT = re.compile(
    r"\b(?:consent|privacy|accept|preferences|personali[sz]ed|datenschutz|einwillig\w*|zustimm\w*|akzeptier\w*"
    r"|consentement|confidentialit\w*|accepter|aceptar|privacidad|consenso)\b",
    re.IGNORECASE,
)
# Consent walls and embed placeholders speak of data protection in several terms at once ("personal data",
# "tracking", "consent", "GDPR", "third-party content"); an article about privacy uses one or two in a paragraph.
_PRIVACY = re.compile(
    r"\b(?:(?P<data>personal data|personenbezogene\w* Daten|données personnelles|datos personales|dati personali)"
    r"|(?P<embed>external content|extern\w* Inhalt\w*|third[- ]party (?:content|platforms?|providers?)"
    r"|Drittanbieter\w*|Drittplattform\w*|contenus? externes?|contenidos? extern\w*|contenuti esterni)"
    r"|(?P<consent>consent|einverstanden|einwillig\w*|zustimm\w*|consentement|consentimiento|consenso)"
    r"|(?P<law>GDPR|DSGVO|RGPD|TTDSG)"
    r"|(?P<tracking>tracking|cookies?)"
    r"|(?P<policy>privacy (?:policy|settings|notice)|Datenschutz\w*|politique de confidentialité"
    r"|política de privacidad)"
    r"|(?P<processing>Datenverarbeitung\w*|Verarbeitungszweck\w*|data processing|processing purposes"
    r"|personali[sz]ed (?:ads|advertising)|personalisierte\w* Werbung))\b",
    re.IGNORECASE,
)


def _privacy_terms(text: str) -> int:
    """How many kinds of data-protection terms a block uses."""
    return len({name for match in _PRIVACY.finditer(text) for name, value in match.groupdict().items() if value})


# a picture's credit line ("Foto: dpa", "(Image credit: NASA)"), and a caption ending in one ("... (Picture: PA)")
_CREDIT_LINE = re.compile(
    r"^\(?(?:photo|photograph|picture|image|foto|fotó|bild|imagen|immagine|kuva|credit)s?(?: credits?)?\s*:\s*\w",
    re.IGNORECASE,
)
# "Friso Gentsch/dpa", "(Adel Hana/Associated Press)", "IMAGO/Nico Herbertz": a photographer and an agency
_AGENCY = (
    r"(?:AP|AFP|Reuters|dpa|DPA|Getty(?: Images)?|EPA|Associated Press|Bloomberg|IMAGO|Imago|Pool|Unsplash|Pexels"
    r"|Shutterstock|iStock|AAP|ANP|ANSA|EFE|Keystone|KEYSTONE|TASS|Xinhua|PA|Alamy|NTB|Ritzau|APA|Belga)"
)
_AGENCY_CREDIT = re.compile(r"^\(?(?:[^,.!?/]{1,40}/\s?)+[^,.!?/]{0,40}\b" + _AGENCY + r"\b|^\(?" + _AGENCY + r"\s?/")
_CREDITED_CAPTION = re.compile(
    r"\((?:photo|photograph|picture|image|foto|bild|imagen)s?(?: credits?)?\s*:[^()]{1,60}\)$", re.IGNORECASE
)
_COPYRIGHT = re.compile(r"\u00a9|\([cC]\) ?\d{4}|\b[Aa]ll [Rr]ights [Rr]eserved\b|\b[Cc]opyright\b|\bCOPYRIGHT\b")

# The most frequent function words of the languages news pages are written in;
# a prose line has many of them, a menu or a teaser title few. One set per
# language, so a page is judged against its own language (step 4).
_STOPWORDS = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """a about after all also an and are as at be been but by can could for from had has
            have he her his how i if in into is it its more my no not of on one or our out said
            says she so than that the their them there they this to up was we were what when
            which who will with would you your""",
        "de": """aber als am an auch auf aus bei bis das dass dem den der des die dies doch durch ein
            eine einem einen einer es für hat hatte ich ihr im in ist ja kann mit nach nicht
            noch nur oder schon sein seine sich sie sind so um und uns von vor war wie wir wird
            wurde zu zum zur über""",
        "fr": """à au aux avec ce ces comme dans de des du elle en est et il ils je la le les leur
            lui mais même ne nous on ou par pas plus pour qu que qui sa se ses son sont sur un
            une vous été être a""",
        "es": """al como con de del el en es esta este fue ha la las lo los más no o para pero por
            que se ser su sus un una y ya""",
        "it": """ad al alla alle che come con da dal dalla degli dei del della di e gli ha il in la
            le lo nel nella non per più si sono su tra una uno""",
        "pt": """ao aos com da das de do dos e em foi na nas no nos o os para pela pelo por que se
            sua um uma é não mais como""",
        "nl": """aan al bij dan dat de die dit door een en er het hij in is kan met naar niet nog of
            om ook op te tot van voor was wat werd wordt zijn ze""",
        "sv": """att av de den det en er et for har hun i jeg med men og om på seg som til var ved
            inte och är ett för till""",
        "pl": "a ale do i jak jest na nie o od po przez się to w z za że",
        "cs": "a je na se že v ve z ze do o od pro jako to by k s",
        "tr": "bir bu da de için ile ve çok daha olan olarak gibi",
        "id": "dan di yang untuk dengan ini itu dari dalam tidak akan pada juga ke",
    }.items()
}

_ALL_STOPWORDS = frozenset().union(*_STOPWORDS.values())

_LABEL_WORDS = frozenset(
    """
    published updated posted modified last on at am um le à a las el de del en the by date time uhr kl klo
    publié mis jour actualizado publicado aggiornato pubblicato veröffentlicht aktualisiert stand gepubliceerd
    mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo
    """.split()
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan januar janvier enero gennaio janeiro januari jänner",
            "february feb februar février fevrier febrero febbraio fevereiro februari",
            "march mar märz maerz mars marzo março maart",
            "april apr avril abril aprile",
            "may mai mayo maggio maio mei",
            "june jun juni juin junio giugno junho",
            "july jul juli juillet julio luglio julho",
            "august aug août aout agosto augustus",
            "september sep sept septembre septiembre settembre setembro",
            "october oct oktober octobre octubre ottobre outubro",
            "november nov novembre noviembre novembro",
            "december dec dezember décembre decembre diciembre dicembre dezembro",
        ],
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")  # cheap pre-check: every date form names a year
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?=\b|T)"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?(?P<year>\d{4})\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<day>\d{1,2})(?P<sep>[./])(?P<mnum>\d{1,2})(?P=sep)(?P<year>\d{4})\b"),
]
_TIME = re.compile(
    r"(?<![\d:.])(?P<hour>\d{1,2})(?:[:h]|\.(?=\d{2}(?![.\d])))(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d])",
    re.IGNORECASE,
)
_ZONE_NAMES = {
    "GMT": 0, "UTC": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7, "ET": -5,
}  # fmt: skip
_ZONE = re.compile(
    r"^\s*(?:(?P<name>GMT|UTC|Z|" + "|".join(k for k in _ZONE_NAMES if k not in {"GMT", "UTC", "Z"}) + r")\b)?"
    r"\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?"
)

_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|text:|texto:|autor:|author:)\s+(?P<names>.+)$", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|fuente|fonte|bron|kilde|källa)\s*:\s*(?P<source>\S.*)$", re.I)
_BYLINE_WORD = re.compile(r"^(?:by|von|par|por|di|door|av|af|text|texto|autor|author)\s*:?$", re.I)
_NAME = re.compile(
    r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.\-]*(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.\-]*|de|van|von|der|da|del|la|le|bin|al-\w+)){0,4}$"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bog\b|\boch\b)\s*")


@dataclass
class _Line:
    text: str
    gap: int  # blank lines before this one
    lead: bool  # raw line began with whitespace
    trail: bool  # raw line ended with whitespace


@dataclass
class _Block:
    text: str
    pieces: list[str] = field(default_factory=list)
    gap: int = 0
    label: Label = "bad"
    kind: str = "text"  # text | date | byline | furniture | code
    sentence: bool = False  # a short block that is a whole sentence
    listed: bool = False  # an item of a list its paragraph announced
    repeated: bool = False  # furniture only because the page prints it again and again
    consent: bool = False  # a consent notice (cookies, embedded content, personal data)
    published: tuple[datetime, bool] | None = None
    authors: list[str] = field(default_factory=list)


# 1. normalise ---------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text)


# 2. lines -------------------------------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    gap = 0
    for raw in text.split("\n"):
        folded = " ".join(raw.split())
        if not folded:
            gap += 1
            continue
        lines.append(_Line(folded, gap, raw[:1].isspace(), raw[-1:].isspace()))
        gap = 0
    return lines


# 3. blocks ------------------------------------------------------------------------------------------------


def _continues(block: _Block, length: int, line: _Line, prev_trail: bool) -> bool:
    """Whether ``line`` continues the paragraph in ``block`` (an inline tag split them)."""
    if line.gap:
        # a blank line is a block boundary, except inside hard-wrapped prose (source newlines rendered as
        # blank lines): a long line that stops mid-sentence, then one blank line and a lower-case continuation
        tail = block.pieces[-1]
        return (
            line.gap == 1 and len(tail) >= WRAPPED_LINE and line.text[:1].islower() and not _TERMINAL.search(tail[-12:])
        )
    if _CREDIT.match(block.pieces[0]) and not line.text[:1].islower():
        return False  # a photo credit ends its caption; the next capitalised line is the text again
    if _CONTINUES.match(line.text):
        return True
    tail = block.pieces[-1][-12:]  # only the end matters
    ended = bool(_TERMINAL.search(tail))
    if not ended and (prev_trail or line.lead or _OPENS.search(tail)):
        return True  # the whitespace around an inline element survives at the split
    if ended and (prev_trail or line.lead) and len(line.text) < LENGTH_LOW and line.text[:1].islower():
        return True
    return not ended and line.text[:1].islower() and length >= LENGTH_LOW


def _full(line: str, next_line: str, width: int) -> bool:
    """Whether a wrapper filling lines to ``width`` had to break ``line`` before ``next_line``'s first word."""
    return len(line) >= WRAP_WIDTH and len(line) + 1 + len(next_line.split(" ", 1)[0]) > width - WRAP_SLACK


def _wrapped_runs(lines: list[_Line]) -> set[int]:
    """Indexes of lines that continue their predecessor inside hard-wrapped prose (``<pre>``, ``<br>`` per line).

    A run of lines with no blank line between them is wrapped prose when its lines
    are full (the next line's first word would not have fitted within the run's
    width) and many of them go on in lower case: a menu or a headline list has
    lines of any length, each starting a new item.
    """
    joined: set[int] = set()
    start = 0
    for end in range(1, len(lines) + 1):
        if end < len(lines) and lines[end].gap == 0:
            continue
        run = lines[start:end]
        if len(run) >= WRAP_RUN:
            width = max(len(line.text) for line in run)
            pairs = list(zip(run, run[1:], strict=False))
            full = sum(_full(a.text, b.text, width) for a, b in pairs)  # the run's last line may be short
            lower = sum(b.text[:1].islower() for _, b in pairs)
            if full >= WRAP_FULL * len(pairs) and lower >= WRAP_LOWER * len(pairs):
                joined.update(range(start + 1, end))
        start = end
    return joined


def _blocks(lines: list[_Line]) -> list[_Block]:
    wrapped = _wrapped_runs(lines)
    blocks: list[_Block] = []
    seps: list[list[str]] = []  # separators before each piece; texts are joined once at the end (linear time)
    trail = False
    length = 0
    for i, line in enumerate(lines):
        if blocks and (i in wrapped or _continues(blocks[-1], length, line, trail)):
            blocks[-1].pieces.append(line.text)
            seps[-1].append("" if _CONTINUES.match(line.text) and not line.lead else " ")
            length += len(line.text) + 1
        else:
            blocks.append(_Block(line.text, [line.text], line.gap))
            seps.append([""])
            length = len(line.text)
        trail = line.trail
    for block, block_seps in zip(blocks, seps, strict=True):
        if len(block.pieces) > 1:
            block.text = "".join(sep + piece for sep, piece in zip(block_seps, block.pieces, strict=True))
    return blocks


# 4. classify ----------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _length(text: str) -> int:
    """Length in Latin-text characters: CJK characters carry about three Latin letters each."""
    return len(text) + 2 * len(_CJK.findall(text))


def _furniture_phrases(text: str) -> int:
    """How many furniture phrases a line holds."""
    words = _words(text)
    return sum(
        tuple(words[i : i + n]) in _FURNITURE
        for n in range(1, _FURNITURE_MAX_WORDS + 1)
        for i in range(len(words) - n + 1)
    )


def _stopword_density(words: list[str], stopwords: frozenset[str]) -> float:
    return sum(word in stopwords for word in words) / len(words) if words else 0.0


def _page_stopwords(blocks: list[_Block]) -> tuple[frozenset[str], float] | None:
    """The stopword set of the page's language and its density in the page's prose, if known.

    Judged on the longer sentence-like blocks; None when no list fits (the
    language is not covered, or it does not separate words by spaces).
    """
    prose = [b.text for b in blocks if len(b.text) >= LENGTH_LOW and _TERMINAL.search(b.text)]
    words = Counter(word for text in prose for word in _words(text))
    total = sum(words.values())
    if total < 30:
        return None
    lang, hits = max(
        ((lang, sum(words[w] for w in stopwords)) for lang, stopwords in _STOPWORDS.items()),
        key=lambda item: item[1],
    )
    density = hits / total
    return (_STOPWORDS[lang], density) if density >= MIN_PAGE_STOPWORDS else None


def _fragment_density(block: _Block) -> float:
    """Share of characters in short fragments: menus joined into one block are all fragments."""
    if len(block.pieces) < 3:
        return 0.0
    short = sum(len(piece) for piece in block.pieces if len(piece.split()) < 4)
    return short / max(1, sum(len(piece) for piece in block.pieces))


def _find_date(text: str) -> re.Match[str] | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            return match
    return None


def _time_of(match: re.Match[str]) -> tuple[int, int, int] | None:
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return (hour, minute, second) if hour < 24 and minute < 60 and second < 60 else None


def _zone_of(match: re.Match[str]) -> timezone:
    hours = float(_ZONE_NAMES.get(match["name"] or "UTC", 0))
    if match["offset"]:
        digits = match["offset"][1:].replace(":", "")
        hh, mm = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        sign = -1 if match["offset"][0] == "-" else 1
        hours += sign * (int(hh) + int(mm) / 60)
    return timezone(timedelta(hours=hours))


def _parse_date_line(text: str) -> tuple[datetime, bool] | None:
    """The date and time a short line states, with whether its zone is known; None if not a date line.

    The date may carry a time before or after it ("17:41 JST, October 13, 2024",
    "Wed Dec 21, 2016 6:13PM") and a zone after the time; labels ("Published",
    weekdays) may surround it, but more than a few other words make it a
    sentence that mentions a date.
    """
    if len(text) > 120 or not _YEAR.search(text):
        return None
    match = _find_date(text)
    if match is None:
        return None
    fields = match.groupdict()
    month = _MONTHS[fields["month"].lower().rstrip(".")] if fields.get("month") else int(fields["mnum"])
    day = int(fields["day"])
    if fields.get("sep") and month > 12 >= day:
        day, month = month, day  # US order, recognisable only when the day is over 12
    before, after = text[: match.start()], text[match.end() :]
    rest = before + " " + after
    clock = (0, 0, 0)
    zone: timezone | None = None
    for part in (after, before):
        time_match = _TIME.search(part)
        if time_match is None or (found := _time_of(time_match)) is None:
            continue
        clock = found
        rest = rest.replace(time_match.group(0), " ", 1)
        zone_match = _ZONE.match(part[time_match.end() :])
        if zone_match and (zone_match["name"] or zone_match["offset"]):
            zone = _zone_of(zone_match)
            rest = rest.replace(zone_match.group(0).strip(), " ", 1)
        break
    leftover = [w for w in _words(rest) if w not in _LABEL_WORDS and not w.isdigit()]
    if len(leftover) > 3:
        return None
    try:
        value = datetime(int(fields["year"]), month, day, *clock, tzinfo=zone)
    except ValueError:
        return None
    return value, zone is not None


def _byline(text: str) -> list[str]:
    match = _BYLINE.match(text) if len(text) < 120 else None
    if not match:
        return []
    names = [name.strip(" .") for name in _NAME_SPLIT.split(match["names"]) if name.strip(" .")]
    if not names or not all(_NAME.match(name) for name in names):
        return []
    # "By Jane Doe, Frankfurt": after the people, a one-word place or desk
    people = [name for name in names if len(name.split()) > 1]
    return people or names


def _short_sentence(text: str, stopwords: tuple[frozenset[str], float] | None) -> bool:
    """A short line that is a whole sentence: capitalised, several words, a sentence end, ordinary stopwords.

    A menu item or a label is no sentence; "Crowds came to the opening!" is the
    article's, though too short for jusText to judge alone.
    """
    words = _words(text)
    if len(words) < SHORT_SENTENCE_WORDS or not _SENTENCE_CLOSE.search(text) or not text[:1].isupper():
        return False
    return stopwords is not None and _stopword_density(words, stopwords[0]) >= STOPWORDS_HIGH * stopwords[1]


def _classify(block: _Block, stopwords: tuple[frozenset[str], float] | None) -> None:
    """Step 4 for one block: set ``kind`` and the initial ``label``."""
    text = block.text
    length = _length(text)
    if length < MAX_LINE_SCAN:
        block.published = _parse_date_line(text)
        if block.published:
            block.kind, block.label = "date", "short"
            return
        block.authors = _byline(text)
        if block.authors:
            block.kind, block.label = "byline", "short"
            return
    if _code_like(text):
        block.kind, block.label = "code", "bad"
        return
    if (_COOKIES.search(text) and _CONSENT.search(text)) or _privacy_terms(text) >= PRIVACY_TERMS:
        block.kind, block.label, block.consent = "furniture", "bad", True
        return
    if length < LENGTH_HIGH and (
        _CALL_TO_ACTION.search(text)
        or _COPYRIGHT.search(text)
        or _credit_line(text)
        or _CREDITED_CAPTION.search(text)
        or (length < FURNITURE_LINE and _furniture_phrases(text) > 0)
    ):
        block.kind, block.label = "furniture", "bad"
        return
    if _fragment_density(block) > MAX_FRAGMENT_DENSITY:
        block.label = "bad"
        return
    if length < LENGTH_LOW:
        block.label = "short"
        block.sentence = _short_sentence(text, stopwords)
        return
    prose = bool(_TERMINAL.search(text)) or len(_SENTENCE_END.findall(text)) >= 2
    # Stopwords only veto: a block far below the page's own prose density is a list or a title.
    density_ok = True
    if stopwords is not None:
        reference = stopwords[1]
        density = _stopword_density(_words(text), stopwords[0])
        density_ok = density >= STOPWORDS_LOW * reference
        if prose and density_ok:
            block.label = "good"
        elif density >= STOPWORDS_HIGH * reference and length >= LENGTH_HIGH:
            block.label = "neargood"
        elif prose:
            block.label = "neargood"
        else:
            # an unpunctuated line of ordinary prose density (a list item, a caption) takes its neighbours' side
            block.label = "short" if density_ok and length < LENGTH_HIGH else "bad"
        return
    block.label = "good" if prose else ("neargood" if length >= LENGTH_HIGH else "bad")


def _spread_consent(blocks: list[_Block]) -> None:
    """The lines of a consent placeholder around its notice ("I agree that content from X is shown") are chrome.

    A line naming one data-protection term is chrome when a consent notice (a
    block of PRIVACY_TERMS kinds of terms) stands within CONSENT_REACH blocks; so
    is every line between such lines (the placeholder's "click to show it" text)
    and the short unpunctuated line on either side of them (its heading, its
    "allow content" button).
    """
    notices = [i for i, block in enumerate(blocks) if block.kind == "furniture" and block.consent]
    for i in notices:
        marked = [i]
        for j in range(max(0, i - CONSENT_REACH), min(len(blocks), i + CONSENT_REACH + 1)):
            block = blocks[j]
            if block.kind == "text" and _length(block.text) < LENGTH_HIGH and _privacy_terms(block.text):
                block.kind, block.label = "furniture", "bad"
                marked.append(j)
            elif block.kind == "furniture" and _privacy_terms(block.text):
                marked.append(j)
        first, last = min(marked), max(marked)
        inside = [j for j in range(first, last + 1) if _length(blocks[j].text) < LENGTH_HIGH]
        if len(inside) < last + 1 - first:
            continue  # a paragraph between them: the article around an embed, not one placeholder
        edges = [j for j in (first - 1, last + 1) if 0 <= j < len(blocks)]
        for j in [*inside, *edges]:
            block = blocks[j]
            short_edge = _length(block.text) < LENGTH_LOW and not _TERMINAL.search(block.text)
            if block.kind == "text" and (first <= j <= last or short_edge):
                block.kind, block.label = "furniture", "bad"


def _credit_line(text: str) -> bool:
    """A picture's credit: "Foto: dpa", "(Image credit: NASA)", "Friso Gentsch/dpa"."""
    if _CREDIT_LINE.search(text):
        return True
    return len(text.split()) <= CREDIT_WORDS and "," not in text and bool(_AGENCY_CREDIT.search(text))


def _drop_captions(blocks: list[_Block]) -> None:
    """A picture's caption stands straight above its credit line ("Foto: dpa"), closer than paragraphs stand."""
    gaps = sorted(b.gap for b in blocks if b.label == "good")
    usual = gaps[len(gaps) // 4] if gaps else 2
    for i in range(1, len(blocks)):
        block, above = blocks[i], blocks[i - 1]
        if block.gap < max(1, usual) and _CREDIT_LINE.search(block.text) and above.kind == "text":
            if _length(above.text) < LENGTH_HIGH:
                above.kind, above.label = "furniture", "bad"


# 5. context -----------------------------------------------------------------------------------------------


def _nearest(labels: list[Label], wanted: tuple[Label, ...], step: int) -> list[Label]:
    """For every block, the nearest label in ``wanted`` before it (step 1) or after it (step -1); edges are bad."""
    out: list[Label] = ["bad"] * len(labels)
    last: Label = "bad"
    order = range(len(labels)) if step == 1 else range(len(labels) - 1, -1, -1)
    for i in order:
        out[i] = last
        if labels[i] in wanted:
            last = labels[i]
    return out


def _revise(blocks: list[_Block]) -> list[Label]:
    """jusText's context step: short blocks take their decided neighbours' side; neargood ones join good."""
    labels = [b.label for b in blocks]
    revised = list(labels)
    prev, nxt = _nearest(labels, ("good", "bad"), 1), _nearest(labels, ("good", "bad"), -1)
    prev_any, nxt_any = (
        _nearest(labels, ("good", "bad", "neargood"), 1),
        _nearest(labels, ("good", "bad", "neargood"), -1),
    )
    for i, label in enumerate(labels):
        if label != "short":
            continue
        if prev[i] == nxt[i] == "good" or (blocks[i].sentence and "good" in (prev[i], nxt[i])):
            revised[i] = "good"
        elif prev[i] == nxt[i] == "bad":
            revised[i] = "bad"
        elif (prev[i] == "bad" and prev_any[i] == "neargood") or (nxt[i] == "bad" and nxt_any[i] == "neargood"):
            revised[i] = "good"
        else:
            revised[i] = "bad"
    prev, nxt = _nearest(revised, ("good", "bad"), 1), _nearest(revised, ("good", "bad"), -1)
    for i, label in enumerate(labels):
        if label == "neargood":
            revised[i] = "bad" if prev[i] == nxt[i] == "bad" else "good"
    for i, block in enumerate(blocks):
        if block.kind == "furniture":
            revised[i] = "bad"
    return revised


def _announces(blocks: list[_Block], labels: list[Label], i: int) -> bool:
    """A prose line that ends in a colon ("we can follow these seven steps:"): a list follows.

    Short, it counts when it follows the article's prose.
    """
    block = blocks[i]
    if block.kind != "text" or not block.text.endswith(":") or len(block.text.split()) < ANNOUNCE_WORDS:
        return False
    return labels[i] == "good" or (i > 0 and labels[i - 1] == "good" and block.label == "short")


def _list_item(block: _Block) -> bool:
    """A line that may be an item of a list: short text, no announcement of its own."""
    return block.kind == "text" and _length(block.text) < LENGTH_HIGH and not block.text.endswith(":")


def _keep_announced_lists(blocks: list[_Block], labels: list[Label]) -> None:
    """The items after a prose line ending in a colon belong to the article, however short and unpunctuated.

    A list inside an article is announced by its paragraph ("The library consists of
    three components:"); a menu is not. The items run until the next paragraph, the
    next announcement or LIST_MAX items.
    """
    for i in range(len(blocks)):
        if not _announces(blocks, labels, i):
            continue
        labels[i] = "good"
        for j in range(i + 1, min(len(blocks), i + 1 + LIST_MAX)):
            item = blocks[j]
            if item.label in ("good", "neargood") or not _list_item(item):
                break
            labels[j] = "good"
            item.listed = True


def _figure(block: _Block) -> bool:
    """A table cell of figures: "63", "85%", "+13.1%", "4.7 / 5", "$131"; a date or a clock time is a stamp."""
    text = block.text
    digits = sum(c.isdigit() for c in text)
    if digits == 0 or digits < sum(c.isalpha() for c in text) or block.kind == "date":
        return False
    if any(word in _MONTHS for word in _words(text)):
        return False  # "May 2012": an archive's month
    return _TIME.search(text) is None and _find_date(text) is None


def _cell(block: _Block, label: Label) -> bool:
    """A line that may be a cell of a table: short, not prose the classifier kept, no chrome phrase."""
    if label == "good" or _length(block.text) >= LENGTH_HIGH:
        return False
    return block.kind in ("text", "date") or (block.kind == "furniture" and block.repeated)


def _keep_tables(blocks: list[_Block], labels: list[Label]) -> None:
    """A data table rendered to text is a run of short cells, many of them figures; it is the article's.

    A run of at least TABLE_RUN cell lines with no kept line between them, where
    TABLE_FIGURES of them are figures, is marked as a list (neutral in step 6) and
    kept: a menu or a related-links list has words, not figures.
    """
    # "1", "2", "3" numbering posts or teasers count them, however far apart: a count is no figure
    counting, last = set(), 0
    for k, block in enumerate(blocks):
        # isdecimal, not isdigit: "¹" or "②" are digits that int() does not read
        if block.text.isdecimal() and len(block.text) < 6:
            if int(block.text) == last + 1:
                counting.add(k)
            last = int(block.text)
    i = 0
    while i < len(blocks):
        if not _cell(blocks[i], labels[i]):
            i += 1
            continue
        j = i
        while j < len(blocks) and _cell(blocks[j], labels[j]):
            j += 1
        figures = [k for k in range(i, j) if k not in counting and _figure(blocks[k])]
        if figures:
            # the table spans its figures, its header row above them and the rest of its last row
            run = range(max(i, figures[0] - TABLE_EDGE), min(j, figures[-1] + 1 + TABLE_EDGE))
            # a gallery's "1 of 5" counters repeat a few figures over and over; a table's figures vary
            varied = sum(min(2, n) for n in Counter(blocks[k].text for k in figures).values())
            if len(run) >= TABLE_RUN and varied >= TABLE_FIGURES * len(run):
                for k in run:
                    labels[k] = "good"
                    blocks[k].listed = True
                    blocks[k].kind = "text"
        i = j


def _is_headline(block: _Block) -> bool:
    """A short title-like line: a teaser's headline or a subheading.

    A headline cut to fit its box ("Microsoft offers a new bundle plus JBL he...")
    is one too, whatever its label: it ends in an ellipsis straight after a word.
    """
    words = len(block.text.split())
    if block.kind != "text" or not 2 <= words <= 25:
        return False
    if _TRUNCATED.search(block.text) and _length(block.text) < LENGTH_HIGH:
        return True
    return block.label in ("short", "bad") and (not _TERMINAL.search(block.text) or block.text.endswith("?"))


def _demote_teasers(blocks: list[_Block], labels: list[Label]) -> None:
    """Teaser lists alternate headline / one-paragraph summary; an article has several paragraphs per heading.

    A run of at least TEASER_RUN headline+single-summary units is demoted to bad.
    """
    units: list[tuple[int, list[int]]] = []  # (headline index, good block indexes after it)
    for i, block in enumerate(blocks):
        if _is_headline(block):
            units.append((i, []))
        elif labels[i] == "good" and block.label in ("good", "neargood") and units:
            units[-1][1].append(i)
    run: list[tuple[int, list[int]]] = []
    for unit in [*units, (-1, [])]:
        teaser = len(unit[1]) == 1 and _length(blocks[unit[1][0]].text) < TEASER_MAX
        if teaser:
            run.append(unit)
            continue
        if len(run) >= TEASER_RUN and _cohesion(blocks, run) < TEASER_COHESION:
            for _, goods in run:
                for j in goods:
                    labels[j] = "bad"
        run = []


def _content_words(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) >= 4 and not w.isdigit() and w not in _ALL_STOPWORDS}


def _cohesion(blocks: list[_Block], run: list[tuple[int, list[int]]]) -> float:
    """How much the units of a headline + summary run share their words: an article's sections speak of one
    subject, a teaser list's stories of many."""
    texts = {blocks[h].text + " " + " ".join(blocks[j].text for j in goods) for h, goods in run}  # repeats once
    sets = [_content_words(text) for text in texts]
    if len(sets) < TEASER_RUN:
        return 0.0
    seen = Counter(word for words in sets for word in words)
    return sum(sum(seen[w] > 1 for w in words) / max(1, len(words)) for words in sets) / len(sets)


def _shape(text: str) -> str:
    """A line's shape: letters and digits folded, so "June 28, 2012 at 10:48 pm" repeats across comments."""
    return _DIGITS.sub("0", _LETTERS.sub("a", text))


_WEEKDAYS = frozenset("mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday".split())


def _clock_stamp(text: str) -> bool:
    """A clock time with a month or weekday name but no year ("on Tuesday July 24, @02:22PM") or with a short
    numeric date ("07.22.12 at 20:33"): a post's stamp."""
    time_match = _TIME.search(text)
    if time_match is None or _time_of(time_match) is None:
        return False
    return any(word in _MONTHS or word in _WEEKDAYS for word in _words(text)) or bool(_SHORT_DATE.search(text))


def _signed(blocks: list[_Block], i: int) -> bool:
    """Whether the stamp at ``i`` names its poster: "Posted by: jim | ...", "Ann says:", or a user name beside it."""
    if _POSTER.search(blocks[i].text):
        return True
    for j in (i - 1, i + 1):
        if 0 <= j < len(blocks):
            text = blocks[j].text
            if (
                len(text) <= 40
                and len(text.split()) <= 3
                and _LETTERS.search(text)
                and not text.endswith((".", "!", "?"))
            ) or (len(text) < FURNITURE_LINE and _POSTER.match(text)):
                return True  # "jim", or "by jim (3695) writes:" above the stamp
    return False


def _drop_article_stamp(blocks: list[_Block], at: list[int]) -> list[int]:
    """A cluster of stamps without its first one when that one stamps the article: far more prose follows it.

    The article's own time line may have the posts' shape and stand close to the
    first post when the article is short; but the text after it outweighs any
    reader's post.
    """
    if len(at) < 3:
        return at
    prose = [
        sum(_length(blocks[j].text) for j in range(a + 1, b) if blocks[j].label in ("good", "neargood"))
        for a, b in zip(at, at[1:], strict=False)
    ]
    rest = sorted(length for length in prose[1:] if length) or [0]
    if prose[0] > max(ARTICLE_OVER_POST * rest[len(rest) // 2], ARTICLE_MIN):
        return at[1:]
    return at


def _demote_threads(blocks: list[_Block], labels: list[Label]) -> None:
    """A comment thread stamps every post with a time line of one shape; the article has one such line.

    A stamp is a date line with a clock time or naming its poster, a short relative time ("3 hours ago"), or
    a poster line ("Ann said,", "Bob schrieb:") where a thread prints no time.

    When THREAD_STAMPS or more date lines that state a clock time share a shape and
    follow each other within THREAD_POST blocks, the text between the first and the
    last of them (and after the last, as far as a median post reaches) is posts, not
    the article, provided most posts hold prose (a list of time-stamped headlines is
    furniture of another kind).
    """
    stamps: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if (block.kind == "date" and (_TIME.search(block.text) or _NAMED_POSTER.search(block.text))) or (
            len(block.text) < FURNITURE_LINE and (_RELATIVE_TIME.search(block.text) or _clock_stamp(block.text))
        ):
            stamps.setdefault(_shape(block.text), []).append(i)
        elif _POSTER_LINE.match(block.text):
            stamps.setdefault("poster", []).append(i)  # "Ann said,": a post without a time stamp
    # distance counts the blocks that are not chrome: a post's reply, share and vote lines do not part it
    # from the next post
    rank = list(accumulate(block.kind != "furniture" for block in blocks))
    for every in stamps.values():
        # posts follow each other closely; the article's own stamp, far above them, is not one
        clusters: list[list[int]] = []
        for i in every:
            if clusters and rank[i] - rank[clusters[-1][-1]] <= THREAD_POST:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        clusters = [_drop_article_stamp(blocks, at) for at in clusters]
        for k, at in enumerate(clusters):
            if len(at) < THREAD_STAMPS:
                continue
            if 2 * sum(_signed(blocks, i) for i in at) < len(at):
                continue  # stamps without names: a live blog's entries or a news ticker, not readers' posts
            posts = list(zip(at, at[1:], strict=False))
            # posts hold prose; a headline list stamped with times (already bad) holds none
            prose = sum(any(blocks[j].label in ("good", "neargood") for j in range(a + 1, b)) for a, b in posts)
            if 2 * prose < len(posts):
                continue
            reach = sorted(b - a for a, b in posts)[len(posts) // 2]
            # long posts part a thread into clusters: stamps of the same shape close to another one, before or
            # after this cluster, are posts too
            first = next(c[0] for c in clusters[: k + 1] if len(c) > 1)
            last = clusters[-1][-1]
            for j in range(first + 1, min(len(blocks), last + reach)):
                labels[j] = "bad"
            break


# 6. region ------------------------------------------------------------------------------------------------


def _code_like(text: str) -> bool:
    """A line of program code: ends as a statement or a brace, or is dense with code punctuation."""
    if sum(map(len, _MARKUP.findall(text))) * 3 > len(text):
        return False  # raw HTML of a page that failed to render is chrome, not a listing in the article
    marks = len(_CODE_MARKS.findall(text))
    if text.endswith(("{", "}", ";")):
        return len(text) < 40 or marks >= len(text) // 40  # a prose clause ending in ";" has few marks
    return len(_STATEMENT_MARKS.findall(text)) >= max(3, len(text) // 20) and marks >= max(6, len(text) // 12)


def _usual_gap(blocks: list[_Block]) -> int:
    """The blank lines a page usually prints between two of its paragraphs (at least two).

    How many blank lines separate paragraphs depends on how the page's markup
    was indented, not on structure: a gap costs only beyond the page's own
    usual gap between prose blocks.
    """
    gaps = sorted(b.gap for b in blocks if b.label == "good")
    return max(2, gaps[len(gaps) // 4]) if gaps else 2


def _block_score(block: _Block, label: Label, usual_gap: int = 2) -> float:
    """Good blocks earn their length; bad ones cost part of theirs; deep blank gaps cost too.

    A code listing inside an article is neither: it is not prose, but it is no page
    chrome either, so it must not cut the article in two.
    """
    length = _length(block.text)
    if block.kind == "code":
        return 0.0
    if label == "good":
        # a short line kept by context (a subheading, a caption) adds nothing to the run's weight
        score = float(length) if block.label in ("good", "neargood") else (0.0 if block.listed else -SHORT_GOOD_COST)
    else:
        score = -min(length, 2 * LENGTH_HIGH) * BAD_LENGTH_SHARE - BAD_COST
    # many blank lines mean many closed containers: a structural boundary
    return score - GAP_COST * min(max(0, block.gap - usual_gap), MAX_COSTED_GAP)


def _segments(scores: list[float]) -> list[tuple[float, int, int]]:
    """Maximal positive runs (score, start, end) as Kadane's scan meets them, in document order."""
    segments: list[tuple[float, int, int]] = []
    best, span, total, start = 0.0, (0, 0), 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            if best > 0:
                segments.append((best, *span))
            best, total, start = 0.0, 0.0, i
        total += score
        if total > best:
            best, span = total, (start, i + 1)
    if best > 0:
        segments.append((best, *span))
    return segments


def _region(blocks: list[_Block], labels: list[Label]) -> tuple[int, int]:
    """The article's run of blocks: the maximum-sum run, grown over shallow dips to the runs beside it.

    Kadane's scan joins a following run only when it outweighs the dip before it;
    a list or a table inside the article (short, unpunctuated lines) makes a dip
    deeper than the paragraphs after it weigh, so a neighbour that earns
    MERGE_SHARE of the dip joins too, on either side.
    """
    usual_gap = _usual_gap(blocks)
    scores = [_block_score(b, label, usual_gap) for b, label in zip(blocks, labels, strict=True)]
    segments = _segments(scores)
    if not segments:
        return 0, 0
    k = max(range(len(segments)), key=lambda i: segments[i])
    lo, hi = k, k

    def joins(near: tuple[float, int, int], start: int, end: int) -> bool:
        deficit = -sum(scores[start:end])
        return near[0] >= MERGE_SHARE * deficit

    grown = True
    while grown:
        grown = False
        if lo > 0 and joins(segments[lo - 1], segments[lo - 1][2], segments[lo][1]):
            lo, grown = lo - 1, True
        if hi + 1 < len(segments) and joins(segments[hi + 1], segments[hi][2], segments[hi + 1][1]):
            hi, grown = hi + 1, True
    return segments[lo][1], segments[hi][2]


def _edges(blocks: list[_Block], labels: list[Label], start: int, end: int) -> tuple[int, int]:
    """The run grown over the lines kept by their context at its edges (a short lead sentence, a closing
    credit, a list): they cost a little in the scan, which leaves them out, so they join unless a deep gap
    parts them from the run."""
    usual_gap = _usual_gap(blocks)

    def joins_edge(i: int, gap: int, step: int) -> bool:
        block = blocks[i]
        if labels[i] != "good" or block.kind != "text" or gap > usual_gap + EDGE_SLACK:
            return False
        if block.label != "short" or block.listed or (block.sentence and not _TRUNCATED.search(block.text)):
            return True  # (a headline cut to fit a teaser box ends like a sentence)
        # a short line took its side from its neighbours, which a thread or teaser demotion may have turned since
        k = i + step
        while 0 <= k < len(blocks) and blocks[k].label == "short":
            k += step
        return 0 <= k < len(blocks) and labels[k] == "good"

    while start > 0 and joins_edge(start - 1, blocks[start].gap, -1):
        start -= 1
    while end < len(blocks) and joins_edge(end, blocks[end].gap, 1):
        end += 1
    return start, end


def _trailing_list(blocks: list[_Block], labels: list[Label], end: int) -> int:
    """A list of entries of one shape ("June 9 – Tampa, FL @ Arena") right after the article, under at most one
    heading, is the article's (tour dates, a schedule, results); the region grows over it."""
    i = end
    if i < len(blocks) and blocks[i].kind == "text" and not _TERMINAL.search(blocks[i].text):
        i += 1  # its heading

    def item(k: int) -> bool:
        block = blocks[k]
        return block.kind in ("text", "date") and labels[k] != "good" and _length(block.text) < LENGTH_HIGH

    if i >= len(blocks) or not item(i):
        return end
    shape = _shape(blocks[i].text)
    if len(shape.split()) < 3 or "0" not in shape:
        return end  # "a" alone is a menu's shape; entries of a schedule or results have figures and parts
    last, misses, j = i, 0, i + 1
    while j < len(blocks) and item(j) and misses < 2:
        if _shape(blocks[j].text) == shape:
            last, misses = j, 0
        else:
            misses += 1
        j += 1
    same = sum(_shape(blocks[k].text) == shape for k in range(i, last + 1))
    if same < LIST_RUN or same < LIST_SHARE * (last + 1 - i):
        return end
    for k in range(end, last + 1):
        labels[k] = "good"
        blocks[k].listed = True
    return last + 1


# 7. header ------------------------------------------------------------------------------------------------


@dataclass
class _Header:
    title: str | None = None
    section: str | None = None
    source: str | None = None
    published: tuple[datetime, bool] | None = None
    authors: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def _is_heading(block: _Block) -> bool:
    words = block.text.split()
    return block.kind == "text" and 2 <= len(words) <= 30 and not block.text.endswith((":", ","))


def _strip_site_name(title: str) -> str:
    """ "Headline - Section - Site.com" -> "Headline": drop short capitalised segments at either end."""
    parts = [part.strip() for part in _TITLE_SEPARATOR.split(title)]
    parts = [part for part in parts if part]
    if not parts:
        return title

    def site_like(part: str) -> bool:
        return len(part.split()) <= 4 and not part[:1].islower()

    while len(parts) > 1 and site_like(parts[-1]) and len(parts[-1]) < len(" ".join(parts[:-1])):
        parts.pop()
    while len(parts) > 1 and len(parts[0].split()) <= 2 and len(parts[0]) < len(" ".join(parts[1:])):
        parts.pop(0)
    # keep the original separators inside what is left
    begin = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[begin:end] if 0 <= begin < end else " ".join(parts)


def _document_title(blocks: list[_Block], start: int) -> tuple[str, int | None] | None:
    """The headline from a dump's first line when it is the page's <title> ("Headline | Site").

    Returns the headline and where the page repeats it (its h1), nearest above
    the body; the first line counts as a title only if it is repeated so or is
    shaped "Headline <separator> Site".
    """
    if len(blocks) < 2 or blocks[0].kind != "text" or not 3 <= len(blocks[0].text.split()) <= 40:
        return None
    first = blocks[0].text
    tokens = set(_words(first))
    repeats = [
        i
        for i in range(1, len(blocks))
        if blocks[i].kind == "text"
        and len(words := _words(blocks[i].text)) >= 3
        and set(words) <= tokens
        and len(words) * 2 >= len(tokens)
    ]
    headline = _strip_site_name(first)
    if not repeats:
        if headline == first or len(headline.split()) < MIN_TITLE_WORDS:
            return None  # no site name to strip: maybe not a <title> at all
        return headline, None
    above = [i for i in repeats if i < start]
    return headline, (above[-1] if above else repeats[0])


def _body_start(blocks: list[_Block], start: int) -> int:
    """The first paragraph of the region: the region may open with header lines (title, date)."""
    i = start
    while i < len(blocks) and _length(blocks[i].text) < LENGTH_HIGH:
        if blocks[i].kind == "text" and _TERMINAL.search(blocks[i].text):
            break
        i += 1
        if i - start > 6:
            return start
    return i


def _name_line(block: _Block) -> list[str]:
    """The names a bare name line holds ("Jane Doe", "Jane Doe and John Roe"), else []."""
    text = block.text
    if block.kind != "text" or len(text) > 80 or text.isupper() or any(c.isdigit() for c in text):
        return []  # all capitals: a kicker or a desk name rather than a person
    names = [name.strip(" .") for name in _NAME_SPLIT.split(block.text) if name.strip(" .")]
    if not names or not all(_NAME.match(name) and 2 <= len(name.split()) <= 4 for name in names):
        return []
    return names


def _find_authors(blocks: list[_Block], header: _Header, lo: int, body_start: int) -> list[str]:
    """The byline: a "By ..." line near the body, a lone "By" before a name line, or a name by the date line."""
    near = [*range(body_start - 1, lo - 1, -1), *range(body_start, min(len(blocks), body_start + DATE_BELOW))]
    for i in near:
        if blocks[i].kind == "byline":
            header.used.add(i)
            return blocks[i].authors
        if _BYLINE_WORD.match(blocks[i].text) and i + 1 < len(blocks) and (names := _name_line(blocks[i + 1])):
            header.used.update((i, i + 1))
            return names
    # many pages print the author's name alone, right beside the publication time
    dated = [i for i in header.used if blocks[i].kind == "date"]
    for i in dated:
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < len(blocks) and j not in header.used and (names := _name_line(blocks[j])):
                header.used.add(j)
                return names
    return []


def _header(blocks: list[_Block], start: int) -> _Header:
    """Title, section, source, time and byline from the lines around the top of the body."""
    header = _Header()
    body_start = _body_start(blocks, start)
    lo = max(0, body_start - HEADER_WINDOW)
    title_at: int | None = None
    document_title = _document_title(blocks, start)
    if document_title is not None:
        header.title, title_at = document_title
        if title_at is not None and title_at < body_start:
            lo = min(lo, max(0, title_at - 3))
    window = list(range(lo, body_start))
    counts = Counter(blocks[i].text for i in window)

    # the publication line nearest the body wins: a page's top bar often shows today's date
    for i in reversed(window):
        block = blocks[i]
        if block.kind == "date" and header.published is None:
            header.published = block.published
            header.used.add(i)
    if header.published is None:
        # rendered pages put the time line further up (before a lead image) or just below the lead
        wider = [*range(body_start, min(len(blocks), body_start + DATE_BELOW)),
                 *range(body_start - 1, max(-1, body_start - DATE_ABOVE), -1)]  # fmt: skip
        found = next((i for i in wider if blocks[i].kind == "date"), None)
        if found is not None:
            header.published = blocks[found].published
            header.used.add(found)

    header.authors = _find_authors(blocks, header, lo, body_start)
    # "Source: Reuters" names a syndicated story's origin outright
    for i in [*window, *range(body_start, min(len(blocks), body_start + DATE_BELOW))]:
        block = blocks[i]
        labelled = _SOURCE_LINE.match(block.text) if block.kind == "text" and len(block.text) < 80 else None
        if labelled:
            header.source = labelled["source"].strip()
            header.used.add(i)
            break

    if header.title is None:
        candidates = [i for i in window if _is_heading(blocks[i]) and counts[blocks[i].text] == 1]
        # the headline is the nearest full heading above the body; a banner ("Site - Slogan") or a
        # one-word kicker is not
        headlines = [
            i for i in candidates if len(blocks[i].text.split()) >= 3 and not _TITLE_SEPARATOR.search(blocks[i].text)
        ]
        if headlines or candidates:
            title_at = max(headlines) if headlines else max(candidates, key=lambda i: (len(blocks[i].text), i))
            header.title = blocks[title_at].text
    if title_at is not None:
        header.used.add(title_at)
        # a syndicated story names its source on a line repeated on both sides of the title
        above = [i for i in range(max(lo, title_at - 2), title_at) if blocks[i].kind == "text"]
        below = [i for i in range(title_at + 1, min(body_start, title_at + 3)) if blocks[i].kind == "text"]
        for i in above:
            twins = [j for j in below if blocks[j].text == blocks[i].text]
            if twins and len(blocks[i].text.split()) <= 6 and header.source is None:
                header.source = blocks[i].text
                header.used.update([i, *twins])
        # the section is the short line just above the title (and its source line)
        for i in range(title_at - 1, lo - 1, -1):
            block = blocks[i]
            if i in header.used or block.kind == "date":
                continue
            if block.kind == "text" and len(block.text.split()) <= 6 and not _TERMINAL.search(block.text):
                header.section = block.text
                header.used.add(i)
            break
    # lines inside the region before the body proper are metadata too
    header.used.update(i for i in range(start, body_start) if blocks[i].kind != "text" or i == title_at)
    return header


# 8. assemble ----------------------------------------------------------------------------------------------


@dataclass
class _Analysis:
    blocks: list[_Block]
    labels: list[Label]
    region: tuple[int, int]
    header: _Header


def _analyse(text: str) -> _Analysis:
    blocks = _blocks(_lines(_normalise(text)))  # 1-3
    stopwords = _page_stopwords(blocks)
    counts = Counter(block.text for block in blocks)
    for block in blocks:  # 4
        _classify(block, stopwords)
        # a short line printed again and again ("Article content", "Remove ads") is page chrome
        if counts[block.text] >= REPEATED and _length(block.text) < LENGTH_LOW and block.kind == "text":
            block.kind, block.label, block.repeated = "furniture", "bad", True
    _spread_consent(blocks)
    _drop_captions(blocks)
    labels = _revise(blocks)  # 5
    _keep_announced_lists(blocks, labels)
    _keep_tables(blocks, labels)
    _demote_teasers(blocks, labels)
    _demote_threads(blocks, labels)
    core, end = _region(blocks, labels)  # 6
    start, end = _edges(blocks, labels, core, end)
    end = _trailing_list(blocks, labels, end)
    # the header lines stand above the run's core: a short line that joined at its top may be one of them
    return _Analysis(blocks, labels, (start, end), _header(blocks, core))  # 7


def clean_text_dump(text: str, *, url: str | None = None) -> Article:
    """Clean one plain-text page dump; see the module docstring for the pipeline."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text_dump expects str, got {type(text).__name__}")
    analysis = _analyse(text)
    blocks, labels, header = analysis.blocks, analysis.labels, analysis.header
    title = header.title
    body: list[str] = []
    seen = {title}
    for i in range(*analysis.region):  # 8
        block = blocks[i]
        # a paragraph printed twice (print version, repeated caption) is kept once
        repeat = block.text in seen and not block.listed  # list items and table cells may repeat
        if labels[i] == "good" and block.kind == "text" and i not in header.used and not repeat:
            body.append(block.text)
            seen.add(block.text)
    published, tz_known = header.published if header.published else (None, False)
    return Article(
        title=title,
        body="\n\n".join(body),
        authors=header.authors,
        published_at=published,
        published_tz_known=tz_known,
        source=header.source,
        section=header.section,
        url=url,
        input_format="text",
    )
