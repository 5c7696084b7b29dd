"""Turn raw byline strings into clean author names.

Bylines arrive as "By JANE DOE and John Smith, Reuters", "von Anna Martel und Lea
Wagner", "Mathias Hagen / Journalist", "d.kuckelkorn@example.de" or "@handle".
Only names survive: no lead-in words, roles, dates, e-mail addresses, handles or
URLs; several names in one string are split; shouting is brought to title case.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["clean_author_names", "is_person_like", "is_plausible_name", "news_agency"]

# Lead-in words of bylines in the languages of the news we ingest. Case matters:
# "Per" and "Fra" are first names too, so only the lower-case Italian/Danish forms count.
_LEAD_IN = re.compile(
    r"""^(?:(?:(?i:text|texte|tekst|autor(?:in)?|author|autore|auteur|reporting|written|words|fotos?|photos?
    |bearbeitet|posted|story|interview|redaktion|текст|автор|фото|tekst|yazan|muhabir)(?:\s+(?i:by|von))?\s*:
    |(?i:by|von|por|par|door|from|written\s+by|reporting\s+by|posted\s+by|text\s+von|tekst|and|und)(?=\s)
    |di|af|av|od|från|fra|oleh|Av|Af|Door|Od|Oleh)\s*[:\-–]?\s+)+""",
    re.X,
)
# A dateline glued to the name: "Minh Do on Monday", "David Lassen Thursday", "Hasan Mansoor in Karachi".
_DATELINE_TAIL = re.compile(
    r"(?:\s+on)?\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$|\s+in\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)?$"
)
# A photo credit in the byline ("Photo by NWS") names no author.
_PHOTO_CREDIT = re.compile(r"^(?i:photos?|fotos?|image|bild)\s+(?i:by|von|de|par)\s")
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
# Conjunctions and separators between names. The short ones must be lower case,
# so that initials ("Miguel A. Herguedas") and names ("Edgar E") stay whole.
_SPLIT = re.compile(
    r"\s*(?:[,;/|•·、，；]|\s&\s|\s(?i:and|und)\s|\s(?:y|e|et|og|och|en|ja|és|i|a|и|ve)\s)\s*"
)
# Job titles and roles that follow or replace a name ("Jane Doe, Senior Reporter").
_ROLE_WORDS = frozenset(
    """journalist journalistin reporter reporterin correspondent korrespondent korrespondentin editor
    redakteur redakteurin redaktor redaktør redacción rédaction redazione writer autor autorin author
    staff contributor contributing columnist kolumnist photographer fotograf fotografin senior chief
    managing deputy correspondant envoyé envoyée spécial spéciale corresponsal periodista giornalista
    inviato inviata leitender leitende stellvertretender stellvertretende chefredakteur chefredakteurin
    moderator moderatorin presenter producer produzent jurnalis wartawan muhabir 기자 특파원 선임기자
    논설위원 記者 特派員 编辑 責任編集 责编 dietitian nutritionist physician""".split()
)
# Roles written straight after a name without a space (CJK bylines: "신현주 기자", "山田太郎記者").
_CJK_ROLE_SUFFIX = re.compile(r"\s*(?:선임기자|기자|특파원|논설위원|記者|特派員|编辑|责编)$")
_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.I)
# News agencies as bylines credit them, mapped to one name each.
_AGENCIES = {
    alias: name
    for name, aliases in {
        "AP": ("ap", "associated press", "ap news"),
        "Reuters": ("reuters", "thomson reuters"),
        "AFP": ("afp", "agence france-presse", "agence france presse"),
        "dpa": ("dpa", "deutsche presse-agentur", "dpa-afx"),
        "Keystone-SDA": ("sda", "keystone-sda", "keystone-ats", "ats"),
        "APA": ("apa", "austria presse agentur"),
        "ANSA": ("ansa",),
        "EFE": ("efe", "agencia efe"),
        "Europa Press": ("europa press",),
        "PTI": ("pti", "press trust of india"),
        "IANS": ("ians",),
        "ANI": ("ani",),
        "Kyodo": ("kyodo", "kyodo news"),
        "Jiji": ("jiji", "jiji press"),
        "Xinhua": ("xinhua",),
        "Yonhap": ("yonhap",),
        "TASS": ("tass",),
        "Interfax": ("interfax",),
        "UPI": ("upi",),
        "ANP": ("anp",),
        "Belga": ("belga",),
        "NTB": ("ntb",),
        "TT": ("tt",),
        "Ritzau": ("ritzau",),
        "PAP": ("pap",),
        "ČTK": ("čtk", "ctk"),
        "SID": ("sid",),
        "KNA": ("kna",),
        "epd": ("epd",),
        "AAP": ("aap",),
        "CP": ("the canadian press", "canadian press"),
        "Anadolu": ("anadolu", "anadolu agency", "aa"),
    }.items()
    for alias in aliases
}
# Placeholders CMSs print where a byline should be; "News" in the languages we ingest is
# the default author a CMS fills for the news desk ("<meta name=author content=Nachrichten>").
_NOT_NAMES = frozenset(
    "admin administrator webmaster editor editors redaktion staff guest user unknown anonymous null none"
    " n/a author autor news nachrichten noticias notícias nouvelles notizie nieuws nyheter nyheder uutiset"
    " haberler wiadomości новости the undefined nan monday tuesday wednesday thursday friday saturday sunday".split()
)
# Degrees and credentials written after a name ("Dylan Bailey, MS, RD, FAND", "Jane Doe, Ph.D."):
# split off at the comma they are parts of no name. Compared without dots and marks ("Ph.D" -> "phd").
_CREDENTIALS = frozenset(
    """phd md ms msc mba mph rd rdn ld ldn cde cdces fand cfa cfp cpa cepf rn bsn np dds dmd jd esq lcsw
    lpc psyd edd dvm pharmd cscs facs faap frcp crna""".split()
)
# Lower-case words a name holds ("Michelle de Oliveira", "Ludwig van der Berg", "Abdullah bin Zayed").
_NAME_PARTICLES = frozenset(
    "de da das do dos di du del della der den van von ter ten zu la le bin bint al el y e".split()
)
_MAX_LOWER_WORDS = 2
_CREDENTIAL_MARKS = re.compile(r"[.®™©\s]")
_FILE_NAME = re.compile(r"\.(?:txt|html?|php|aspx?|jsp|xml|json)$", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"^(?:https?://|www\.)|/[\w-]+/", re.I)
_HANDLE = re.compile(r"(?:^|\s)@\w+")
_LETTER = re.compile(r"[^\W\d_]")
_WS = re.compile(r"\s+")
_MAX_WORDS = 6
_MAX_CHARS = 60


def clean_author_names(raw: Iterable[str]) -> list[str]:
    """Clean, split and deduplicate names from raw byline strings, keeping their order."""
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        for name in _split_names(value):
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    if any(is_person_like(name) for name in names):
        # "Jane Doe, example.com": the site's domain next to a person is not an author.
        names = [name for name in names if not _DOMAIN.fullmatch(name)]
    return names


def news_agency(name: str) -> str | None:
    """The wire service a byline credits ("AP", "dpa", "Reuters"), by its usual name."""
    return _AGENCIES.get(_WS.sub(" ", name).strip().casefold().removeprefix("the "))


def is_person_like(name: str) -> bool:
    """Two or more capitalised words ("Jane Doe", "María R. Sahuquillo"), or a name in a
    script without case (CJK, Arabic ...). Agency codes and initials ("dpa", "amw") are not."""
    words = name.split()
    if any(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in name):
        return len(name.replace(" ", "")) >= 2
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) >= 2 and len(capitalised) >= 2


def is_plausible_name(text: str) -> bool:
    """A short run of words with letters: not a sentence, a date, a URL or a role."""
    words = text.split()
    if not words or len(words) > _MAX_WORDS or len(text) > _MAX_CHARS:
        return False
    if _URL.search(text) or _EMAIL.search(text) or text.startswith("@"):
        return False
    letters = len(_LETTER.findall(text))
    digits = sum(ch.isdigit() for ch in text)
    if letters < 2 or digits > 0:
        return False
    if all(word.strip(".:-").casefold() in _ROLE_WORDS for word in words):
        return False
    if text.casefold() in _NOT_NAMES or _FILE_NAME.search(text):
        return False
    if _CREDENTIAL_MARKS.sub("", text).casefold() in _CREDENTIALS:
        return False
    lower = [w for w in words if w[:1].islower() and w.casefold() not in _NAME_PARTICLES]
    if len(lower) >= _MAX_LOWER_WORDS and len(lower) < len(words):
        return False  # "As founder of Rooted Garden": a bio's sentence, not a name
    return not text.endswith((".", "!", "?")) or len(words) <= 3


def _split_names(value: str) -> list[str]:
    text = _normalise(value)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _PARENS.sub("", text)
    text = _LEAD_IN.sub("", text.strip(" \t-–—|:,"))
    if not text or _URL.search(text.split()[0] if text.split() else ""):
        return []
    names = []
    for index, raw_part in enumerate(_SPLIT.split(text)):
        if _PHOTO_CREDIT.match(raw_part.strip()):
            continue
        raw_part = _LEAD_IN.sub("", raw_part.strip(" \t-–—|:,.;'\"“”")).strip(" \t-–—|:,;")
        raw_part = _DATELINE_TAIL.sub("", raw_part)
        part = _CJK_ROLE_SUFFIX.sub("", _drop_trailing_role(raw_part))
        if index and part != raw_part and len(raw_part.split()) > 2:
            continue  # "Tom Krisher, AP Auto Writer": a description after the name, not a name
        if part.endswith(".") and len(part.split()[-1]) > 2:
            part = part.rstrip(".")  # "Jane Doe." but not the initial in "Miguel A."
        if is_plausible_name(part):
            names.append(_fix_case(part))
    return names


def _normalise(value: str) -> str:
    text = html.unescape(value) if "&" in value else value
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u200b", "")
    return _WS.sub(" ", text).strip()


def _drop_trailing_role(part: str) -> str:
    # "Jane Doe - Senior Reporter", "Jane Doe Korrespondentin"
    for dash in (" - ", " – ", " — "):
        if dash in part:
            head, tail = part.split(dash, 1)
            if any(word.casefold() in _ROLE_WORDS for word in tail.split()):
                part = head
    words = part.split()
    while len(words) > 1 and words[-1].casefold().strip(".:") in _ROLE_WORDS:
        words.pop()
    return " ".join(words)


def _fix_case(name: str) -> str:
    """"STEVE PEOPLES" -> "Steve Peoples"; agency codes ("AFP", "dpa") and mixed case stay."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters if ch.isupper() or ch.islower()):
        return name
    words = name.split()
    if len(words) < 2 or max(len(w) for w in words) < 4:
        return name
    return " ".join(_title_word(w) for w in words)


def _title_word(word: str) -> str:
    return "-".join(
        "'".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("'")) for part in word.split("-")
    )
