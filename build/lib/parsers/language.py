"""Guess a text's language from its commonest function words (no model, no download).

Used when a page does not declare its language (plain-text dumps, pages without
``lang``). Function words make up a large share of any running text, so a few
hundred words are enough to tell the major news languages apart.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["guess_language"]

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


def guess_language(text: str, *, max_words: int = 400, min_hits: int = 5) -> str | None:
    words = [word.casefold() for word in _WORD.findall(text[:20_000])[:max_words]]
    if not words:
        return None
    scores = Counter({code: sum(word in stops for word in words) for code, stops in _STOPWORDS.items()})
    (best, hits), *rest = scores.most_common(2) + [("", 0)]
    if hits < min_hits or hits == rest[0][1]:
        return None  # too little evidence, or a tie (Danish vs Norwegian): say nothing rather than guess
    return best
