"""Entities for every language, honestly: a model only on its own language, counts of what had none.

Also the long-body rule: a body over spaCy's 1,000,000-character limit is read in pieces.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from flows.pool.stages import find_entities
from flows.summary import RunSummary, render_console, render_markdown
from parsers import extract_article
from parsers.article import Article
from parsers.entities import CHUNK_CHARS, find_mentions, find_mentions_by_language
from parsers.entity_models import ENTITY_MODELS, entity_language, has_entity_model
from parsers.language import dominant_script, guess_language
from warehouse import ArticleRecord, BatchResult, connect, load_batch
from warehouse.entity_coverage import LanguageCoverage, measure, record

PUBLISHERS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "publishers" / "pages"

FRENCH = (
    "Le président Emmanuel Macron a rencontré le chancelier Olaf Scholz à Berlin mardi. "
    "Les deux dirigeants ont discuté de l'aide à l'Ukraine avec la société Airbus.\n\n"
    "Macron a ensuite pris l'avion pour Paris, où il a reçu des représentants de Renault."
)
GERMAN = (
    "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin mit dem französischen Präsidenten Emmanuel Macron "
    "gesprochen. Die beiden wollen die Ukraine weiter unterstützen, sagte ein Sprecher der Bundesregierung."
)
CHINESE = "国家主席习近平在北京会见了法国总统马克龙。双方就中法关系和乌克兰问题交换了意见。"
ENGLISH = "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Tuesday."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (CHINESE, "zh"),
        ("東京都の小池百合子知事は、記者会見で新しい計画を発表しました。", "ja"),
        ("윤석열 대통령은 서울에서 기자회견을 열고 새로운 정책을 발표했다.", "ko"),
        ("Президент России заявил, что переговоры в Москве прошли успешно и что это не конец.", "ru"),
        ("قال الرئيس المصري إن المحادثات في القاهرة كانت ناجحة", "ar"),
        ("Ο πρωθυπουργός της Ελλάδας μίλησε στην Αθήνα για την οικονομία.", "el"),
        ("นายกรัฐมนตรีกล่าวในกรุงเทพฯ ว่าเศรษฐกิจกำลังฟื้นตัว", "th"),
        (GERMAN, "de"),
        (FRENCH, "fr"),
        (ENGLISH + " It was a long day for the two of them and they said so to the press.", "en"),
    ],
)
def test_language_guess_names_every_script(text, language):
    assert guess_language(text) == language


def test_kana_beside_han_is_japanese_and_han_alone_chinese():
    assert dominant_script("東京は日本の首都です") == "Kana"
    assert dominant_script("北京是中国的首都") == "Han"
    assert dominant_script("") is None


def test_a_model_reads_only_its_own_language_and_script():
    assert has_entity_model("en") and has_entity_model("fr-FR") and not has_entity_model("de")
    assert entity_language("en", ENGLISH) == "en"
    assert entity_language("en-GB", ENGLISH) == "en"
    assert entity_language("en", CHINESE) is None  # markup says English, the body is Chinese
    assert entity_language(None, ENGLISH) is None  # undetected: no guess at a model
    assert entity_language("de", GERMAN) is None
    assert entity_language("zh", CHINESE) is None


def test_french_german_chinese_and_unknown_bodies():
    found = find_mentions_by_language([(FRENCH, "fr"), (GERMAN, "de"), (CHINESE, "zh"), (ENGLISH, None),
                                       (CHINESE, "en"), (ENGLISH, "en")])  # fmt: skip
    french, german, chinese, unknown, mislabelled, english = found
    assert german is None and chinese is None and unknown is None and mislabelled is None
    assert french is not None and english is not None
    names = {(m.name, m.label) for m in french}
    assert ("Emmanuel Macron", "PERSON") in names and ("Olaf Scholz", "PERSON") in names
    assert ("Berlin", "GPE") in names  # the French model's LOC, a place the gazetteer knows
    assert {m.label for m in french} <= {"PERSON", "ORG", "GPE", "LOC"}  # no MISC, nothing unmapped
    assert ("Olaf Scholz", "PERSON") in {(m.name, m.label) for m in english}
    for body, mentions in ((FRENCH, french), (ENGLISH, english)):
        assert all(body[m.start_char : m.end_char] == m.text for m in mentions)


def _corpus_page(prefix: str) -> Path:
    if not PUBLISHERS.is_dir():
        pytest.skip("../shared/corpora/publishers is not here")
    pages = sorted(PUBLISHERS.glob(f"{prefix}_*.html.gz"))
    if not pages:
        pytest.skip(f"no {prefix}_ page in the publishers corpus")
    return pages[0]


@pytest.mark.corpora
@pytest.mark.parametrize(("prefix", "language", "read"), [("de", "de", False), ("fr", "fr", True),
                                                         ("cn", "zh", False)])  # fmt: skip
def test_corpus_pages_of_three_languages(prefix, language, read):
    page = _corpus_page(prefix)
    article = extract_article(gzip.decompress(page.read_bytes()))
    assert (article.language or "").split("-")[0] == language
    (out,) = find_entities([ArticleRecord(uri=str(page), input_source="test", article=article)])
    if read:
        assert out.mentions and all(article.body[m.start_char : m.end_char] == m.text for m in out.mentions)
    else:
        assert not out.mentions  # no English (or any) model on German or Chinese


def test_coverage_per_language_in_a_real_warehouse(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    bodies = {"en": ENGLISH, "fr": FRENCH, "de": GERMAN, "zh": CHINESE, None: ENGLISH + " Nothing else."}
    records = [ArticleRecord(uri=f"https://example.org/{language}", input_source="test",
                             article=Article(title=f"t {language}", body=body, url=f"https://example.org/{language}",
                                             language=language))
               for language, body in bodies.items()]  # fmt: skip
    # Mislabelled markup: "en" on a Chinese body.
    records.append(ArticleRecord(uri="https://example.org/x", input_source="test",
                                 article=Article(title="x", body=CHINESE + "。", url="https://example.org/x",
                                                 language="en")))  # fmt: skip
    load_batch(con, run_id="r1", articles=find_entities(records))
    coverage = {c.language: c for c in measure(con, run_id="r1")}
    assert coverage["en"] == LanguageCoverage("en", 2, 1, 1)  # the Chinese body tagged "en" was not read
    assert coverage["fr"] == LanguageCoverage("fr", 1, 1, 0)
    assert coverage["de"] == LanguageCoverage("de", 1, 0, 1)
    assert coverage["zh"] == LanguageCoverage("zh", 1, 0, 1)
    assert coverage["unknown"] == LanguageCoverage("unknown", 1, 0, 1)
    record(con, run_id="r1", coverage=list(coverage.values()))
    stored = con.execute("SELECT language, articles, with_entities, no_model FROM entity_language_health"
                         " WHERE run_id = 'r1' ORDER BY language").fetchall()  # fmt: skip
    assert stored == sorted((c.language, c.articles, c.with_entities, c.no_model) for c in coverage.values())
    con.close()
    summary = RunSummary(run_id="r1", db_path="x", inputs=["x"], pages_seen=6, result=BatchResult(),
                         entity_languages=list(coverage.values()))  # fmt: skip
    assert "no entity model: " in render_console(summary) and "de 1" in render_console(summary)
    assert "| de | 1 | 0 | 1 |" in render_markdown(summary)


def test_every_model_in_the_table_loads():
    from parsers.entities import load_nlp

    for language in ENTITY_MODELS:
        assert "ner" in load_nlp(language).pipe_names


@pytest.mark.slow
def test_a_body_over_a_million_characters_gets_entities_to_its_end(tmp_path):
    filler = "The committee met on a rainy day and talked for an hour about roads, schools and parks.\n\n"
    body = filler * (1_050_000 // len(filler)) + ENGLISH + "\n\n" + filler * 1800
    assert len(body) > 1_200_000
    mentions = find_mentions(body)
    late = [m for m in mentions if m.start_char > 1_000_000]
    assert {(m.name, m.label) for m in late} >= {("Olaf Scholz", "PERSON"), ("Berlin", "GPE")}
    assert all(body[m.start_char : m.end_char] == m.text for m in mentions)
    assert len(body) > 10 * CHUNK_CHARS
    con = connect(tmp_path / "news.duckdb")
    article = Article(title="Long", body=body, url="https://example.org/long", language="en")
    result = load_batch(con, run_id="r1", articles=[ArticleRecord(uri=article.url, input_source="test",
                                                                  article=article, mentions=mentions)])  # fmt: skip
    assert result.loaded == 1
    stored = con.execute("SELECT e.name FROM mentions m JOIN entities e USING (entity_id)"
                         " WHERE m.start_char > 1000000 AND e.label = 'PERSON'").fetchall()  # fmt: skip
    assert ("Olaf Scholz",) in stored
    con.close()
