"""Furniture that survives extraction because it sits inside the story's container.

Each mechanism recognises a *kind* of block by its shape and its address to the reader,
not a site's wording, and most act only at the edges of the body, where such blocks sit
(a call to the reader inside a story would be a quote, and stays):

- consent and embed placeholders: the box shown instead of a video, post or map until the
  reader agrees to load a third party's content ("Empfohlener redaktioneller Inhalt ...
  Ich bin damit einverstanden", "Ein Klick für den Datenschutz", "This content is provided
  by ... enable cookies"): a short block that speaks of consent/privacy *and* of external
  content or loading it ("external" next to what is loaded: content, a server, a video);
  dropped wherever it sits, since embeds sit mid-story;
- state dumps: a page's script state printed as text ("showPaywall: false isSubscriber:
  false"): a block made of ``identifier: value`` pairs with programmer's identifiers;
- calls to the reader at the body's edges: "Got a story? Get in touch ...", "For more
  stories like this, check our news page.": a short block in which the publication
  addresses the reader (we/our/us + you/imperative; "US" in capitals is the country) about
  contacting, following or reading more, with no reporting in it ("we contacted ..." is);
- status notes at the edges: "This is a breaking news story - more to follow", "This story
  will be updated": the story speaking about itself as an item;
- a kicker or byline opening the body: a first block of a few words with no sentence in it,
  followed by running text (the label over the headline, "By Jane Doe | Reporter");
- the readers' comments under the story, when their section carries no class that names it:
  cut at a block that is only the section's label ("Comments", "12 Responses"), below most
  of the body's text (``comments_start``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["comments_start", "furniture_reason"]

_WORD = re.compile(r"\w+")

# --- consent and embed placeholders -------------------------------------------------------
# Two vocabularies must meet in one short block: consent/privacy, and external content/loading.
# Lower case, searched in the lower-cased block (five times faster than IGNORECASE on every block).
_CONSENT = re.compile(
    r"einverstanden|zustimm|einwillig|datenschutz|consent|privacy|cookie|akzeptier|accept|agree|"
    r"consentement|accepter|j'accepte|consentimiento|aceptar|acconsent|accett|toestemming|akkoord|"
    r"samtycke|godkänn|samtykke|zgod",
)
# "extern" only before what is loaded ("externe Inhalte", "external content"): "external power"
# in a story about psychology is no embed
_EXTERNAL = re.compile(
    r"extern\w*\s+(?:\w+\s+)?(?:inhalt|content|contenu|conteni|contenut|inhoud|innhold|inneh|media|medien|dienst|"
    r"service|server|plattform|platform|anbieter|provider|video|site|seite|web)|"
    r"drittanbieter|dritter|third[- ]part|provided by|nachladen|nachgeladen|anzeigen|inhalt(?:e)? (?:von|aus)|"
    r"embedded|embed|load(?:ing)? (?:this|the) content|view this content|"
    r"contenu (?:externe|tiers)|contenido externo|contenuto esterno|externe inhoud|ekstern|externt|"
    r"redaktioneller inhalt|ein klick",
)
_PLACEHOLDER_MAX = 700

# --- script state printed as text ---------------------------------------------------------
_STATE_PAIR = re.compile(
    r"\b(?:[a-z]+[A-Z_]\w*|[a-z]+_[a-z_]+)\s*[:=]\s*(?:true|false|null|undefined|-?\d+|\"[^\"]*\"|'[^']*')"
)

# --- calls to the reader, status notes ----------------------------------------------------
_WE = re.compile(r"\b(?:we|our|us|uns|unser\w*|wir|nous|notre|nos|nuestr\w*|nos)\b", re.IGNORECASE)
_COUNTRY = "US"  # "us" in capitals is the country ("the latest US technology company"), not the publication
_CALL = re.compile(
    r"\b(?:get in touch|contact(?!ed)|e-?mail|send (?:us|your|in)|tip|story\?|got a|have a|know something|"
    r"for more|more stories|more news|check (?:out )?our|visit our|follow|sign up|subscribe|download|"
    r"kontakt|schreiben sie|mehr (?:news|nachrichten|zum)|folgen sie|abonnier)",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"\b(?:breaking news|more to follow|developing story|this (?:story|article|post|report) "
    r"(?:is|has been|will be|was) (?:developing|being|updated|breaking)|will be updated|check back|"
    r"wird aktualisiert|eilmeldung|mise à jour en cours)\b",
    re.IGNORECASE,
)
_EDGE_MAX = 250
_QUOTED = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb]")
_SENTENCE_END = re.compile(r"[.!?\u3002][\"'\u201d\u2019)]*(?:\s|$)")
_KICKER_WORDS = 6


def furniture_reason(texts: Sequence[str], index: int) -> str | None:
    """Why block ``index`` of the body ``texts`` is furniture, or None."""
    text = texts[index]
    if _is_placeholder(text):
        return "consent-placeholder"
    if _is_state_dump(text):
        return "state-dump"
    edge = index == 0 or index == len(texts) - 1
    # quotation marks make it someone's words reported by the story
    if edge and len(text) <= _EDGE_MAX and not _QUOTED.search(text):
        if _STATUS.search(text):
            return "status-note"
        if _CALL.search(text) and any(m.group() != _COUNTRY for m in _WE.finditer(text)):
            return "call-to-reader"
    if index == 0 and len(texts) > 1 and _is_kicker(text, texts[1]):
        return "kicker"
    return None


def _is_placeholder(text: str) -> bool:
    if len(text) > _PLACEHOLDER_MAX:
        return False
    lowered = text.lower()
    return bool(_CONSENT.search(lowered)) and bool(_EXTERNAL.search(lowered))


def _is_state_dump(text: str) -> bool:
    if text.count(":") + text.count("=") < 2:  # each pair has one: most prose has not two
        return False
    pairs = list(_STATE_PAIR.finditer(text))
    if len(pairs) < 2:
        return False
    covered = sum(len(m.group(0)) for m in pairs)
    return covered >= 0.6 * len(text.strip())


def _is_kicker(text: str, following: str) -> bool:
    """A few words with no sentence, above a paragraph of running text."""
    words = _WORD.findall(text)
    if not words or len(words) > _KICKER_WORDS or _SENTENCE_END.search(text) or "\n" in text:
        return False
    return len(following) >= 120 and bool(_SENTENCE_END.search(following))


# --- the readers' comments after the story ------------------------------------------------
# A block that is only the comment section's label ("Comments", "12 Responses", "Kommentare"):
# what follows it are the readers' posts. An early one is a button among the share links; one
# with a colon ("Response:") labels a part of the text (an interview's answer).
_COMMENTS_LABEL = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses|replies|reactions|kommentare?|commentaires?|comentarios?|"
    r"commenti|reacties|kommentarer|leave a (?:comment|reply)|join the discussion)\s*(?:\(\d+\))?\s*$",
    re.IGNORECASE,
)
_LABEL_MAX = 40
_STORY_BEFORE = 0.4  # at least this share of the body's characters above the label


def comments_start(texts: Sequence[str]) -> int | None:
    """Index of the block that opens the readers' comments under the story, or None."""
    total = sum(len(t) for t in texts)
    above = 0
    for i, text in enumerate(texts):
        if i and len(text) <= _LABEL_MAX and above >= _STORY_BEFORE * total and _COMMENTS_LABEL.match(text):
            return i
        above += len(text)
    return None
