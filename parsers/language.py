"""Languages: tags named as ISO 639-1 codes, and a guess from the text when nothing names one.

How an article's language is decided, first answer wins:

1. the page's own markup: ``<html lang>``, JSON-LD ``inLanguage``, ``og:locale``,
   ``<meta http-equiv=content-language>`` (``parsers.html_meta``);
2. the HTTP ``Content-Language`` header the page was served with (``flows.stages``);
3. the ``language`` its source declares in ``sources.toml`` (a hint, for pages that state none);
4. ``guess_language`` on the clean body: function words make up a large share of any running
   text, so a few hundred words tell the major news languages apart (no model, no download).

``language_code`` reads every one of these the same way ("de-CH", "deu" -> "de").
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["guess_language", "language_code"]

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


def guess_language(text: str, *, max_words: int = 400, min_hits: int = 5) -> str | None:
    words = [word.casefold() for word in _WORD.findall(text[:20_000])[:max_words]]
    if not words:
        return None
    scores = Counter({code: sum(word in stops for word in words) for code, stops in _STOPWORDS.items()})
    (best, hits), *rest = scores.most_common(2) + [("", 0)]
    if hits < min_hits or hits == rest[0][1]:
        return None  # too little evidence, or a tie (Danish vs Norwegian): say nothing rather than guess
    return best
