"""Languages: tags named as ISO 639-1 codes, and a guess from the text when nothing names one.

How an article's language is decided, first answer wins:

1. the page's own markup: ``<html lang>``, JSON-LD ``inLanguage``, ``og:locale``,
   ``<meta http-equiv=content-language>`` (``parsers.html_meta``);
2. the HTTP ``Content-Language`` header the page was served with (``flows.pool.stages``);
3. the ``language`` its source declares in ``sources.toml`` (a hint, for pages that state none);
4. ``guess_language`` on the clean body: first its script (``dominant_script``): a body written mostly
   in Han, kana, Hangul, Thai, Greek, Hebrew, Devanagari ... names its language by that alone
   (kana beside Han is Japanese; Cyrillic and Arabic script pick among their languages by function
   words, else the most written one); then, for Latin script, function words make up a large share
   of any running text, so a few hundred words tell the major news languages apart (no model, no
   download).

``language_code`` reads every one of these the same way ("de-CH", "deu" -> "de").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from itertools import islice

__all__ = ["dominant_script", "guess_language", "language_code"]

_ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io
    is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr
    ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si
    sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)
# Three-letter and legacy codes pages use for languages that have a two-letter one.
_LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "ger": "de", "deu": "de", "eng": "en", "fre": "fr", "fra": "fr",
                     "spa": "es", "ita": "it", "por": "pt", "rus": "ru", "zho": "zh", "chi": "zh", "jpn": "ja",
                     "kor": "ko", "ara": "ar", "tur": "tr", "nld": "nl", "dut": "nl", "iw": "he", "in": "id"}

_STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the of and to in is that for it was on with as by at from his her he she they have has be are not",
        "de": "der die und das den von zu mit sich des auf für ist im dem nicht ein eine als auch es an werden",
        "fr": "le la les de des et en un une du est que pour dans qui sur pas au par plus avec ne se ce il",
        "es": "el la los las de del y en que un una por con para es se no su al lo como más pero sus le ha",
        "it": "il la di che e è un una per in non sono del della gli le lo con si da al ha dei nel",
        "pt": "o a os as de do da dos das e em um uma para com não que por se mais foi ao na no é",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er om ook als bij door maar",
        "sv": "och att det som en på är av för med till den har inte om ett var jag men de",
        "da": "og at det som en på er af for med til den har ikke om et var jeg men de",
        "no": "og at det som en på er av for med til den har ikke om et var jeg men de",
        "pl": "i w na z się że do nie jest to o jak od po przez dla są ale co",
        "tr": "ve bir bu da de için ile olarak çok daha ama gibi olan en kadar",
        "id": "yang dan di dari ini itu dengan untuk tidak dalam akan pada juga ke",
        "ru": "и в не на что с по как это он к из у за от так же а но",
        "uk": "і в на що з не до як це та у за від але він про",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+")


def language_code(value: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("de-CH" -> "de"); pages put charsets
    ("utf-8") and country names in these fields too, which are not languages."""
    if not value:
        return None
    code = re.split(r"[-_,;\s]", value.strip().lower())[0]
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in _ISO_639_1 else None


# Scripts by Unicode block: (first, last code point, script). Latin is everything alphabetic below U+0250.
_SCRIPT_BLOCKS = (
    (0x0370, 0x03FF, "Greek"), (0x0400, 0x052F, "Cyrillic"), (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"), (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"),
    (0x0900, 0x097F, "Devanagari"), (0x0980, 0x09FF, "Bengali"), (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"), (0x0B80, 0x0BFF, "Tamil"), (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"), (0x0D00, 0x0D7F, "Malayalam"), (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"), (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "Hangul"), (0x1200, 0x139F, "Ethiopic"),
    (0x1780, 0x17FF, "Khmer"), (0x3040, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"),
    (0x3130, 0x318F, "Hangul"), (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"),
    (0xAC00, 0xD7AF, "Hangul"), (0xF900, 0xFAFF, "Han"), (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFEFF, "Arabic"), (0xFF66, 0xFF9F, "Kana"), (0x20000, 0x2FA1F, "Han"),
)
_SCRIPT_STARTS = [block[0] for block in _SCRIPT_BLOCKS]
# A script that names one language; Cyrillic and Arabic go through function words first.
_SCRIPT_LANGUAGE = {
    "Greek": "el", "Armenian": "hy", "Hebrew": "he", "Devanagari": "hi", "Bengali": "bn", "Gurmukhi": "pa",
    "Gujarati": "gu", "Tamil": "ta", "Telugu": "te", "Kannada": "kn", "Malayalam": "ml", "Sinhala": "si",
    "Thai": "th", "Lao": "lo", "Myanmar": "my", "Georgian": "ka", "Hangul": "ko", "Ethiopic": "am",
    "Khmer": "km", "Han": "zh", "Kana": "ja", "Cyrillic": "ru", "Arabic": "ar",
}


def _script_of(char: str) -> str:
    code = ord(char)
    if code < 0x0250:
        return "Latin"
    i = bisect.bisect_right(_SCRIPT_STARTS, code) - 1
    if i >= 0 and code <= _SCRIPT_BLOCKS[i][1]:
        return _SCRIPT_BLOCKS[i][2]
    return "Other"


_SAMPLE = 20_000


def script_counts(text: str, *, sample: int = _SAMPLE) -> Counter[str]:
    """Letters per script in the first ``sample`` characters."""
    sampled = text[:sample]
    if not _BEYOND_LATIN.search(sampled):  # most pages: counted by one regex, not per letter in Python
        latin = len(_LATIN_LETTER.findall(sampled))
        return Counter({"Latin": latin}) if latin else Counter()
    return Counter(_script_of(char) for char in sampled if char.isalpha())


# Every letter is a word character that is neither a decimal digit nor "_"; below U+0250 all are Latin.
_LATIN_LETTER = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isalpha()) + "]")
_BEYOND_LATIN = re.compile(r"(?![\x00-\u024f])[^\W\d_]")


def dominant_script(text: str) -> str | None:
    """The script of most of the text's letters ("Latin", "Han", "Cyrillic" ...); None without letters.

    Japanese mixes Han and kana: any real share of kana beside Han makes the text "Kana".
    """
    if not _BEYOND_LATIN.search(text[:_SAMPLE]):  # most pages: Latin if any letter, without counting them
        return "Latin" if _LATIN_LETTER.search(text[:_SAMPLE]) else None
    counts = script_counts(text)
    total = counts.total()
    if not total:
        return None
    if counts["Kana"] * 10 >= total and counts["Kana"] + counts["Han"] >= total / 2:
        return "Kana"
    if counts["Hangul"] and counts["Hangul"] + counts["Han"] >= total / 2 and counts["Hangul"] >= counts["Han"] / 4:
        return "Hangul"
    script, _ = counts.most_common(1)[0]
    return script


def guess_language(text: str, *, max_words: int = 400, min_hits: int = 5) -> str | None:
    script = dominant_script(text)
    if script in _SCRIPT_LANGUAGE:
        if script in ("Cyrillic", "Arabic"):  # several languages share these: function words first
            guess = _by_function_words(text, max_words=max_words, min_hits=min_hits)
            if guess is not None and _SCRIPT_OF_LANGUAGE.get(guess) == script:
                return guess
        return _SCRIPT_LANGUAGE[script]
    return _by_function_words(text, max_words=max_words, min_hits=min_hits)


_SCRIPT_OF_LANGUAGE = {"ru": "Cyrillic", "uk": "Cyrillic"}


def _by_function_words(text: str, *, max_words: int, min_hits: int) -> str | None:
    # the first words only (not every word of the sample), each distinct word looked up once per language
    words = Counter(match.group().casefold() for match in islice(_WORD.finditer(text, 0, _SAMPLE), max_words))
    if not words:
        return None
    scores = Counter({code: sum(n for word, n in words.items() if word in stops) for code, stops in _STOPWORDS.items()})
    (best, hits), *rest = scores.most_common(2) + [("", 0)]
    if hits < min_hits or hits == rest[0][1]:
        return None  # too little evidence, or a tie (Danish vs Norwegian): say nothing rather than guess
    return best
