"""Furniture inside the story's container, one mechanism at a time (parsers._body_furniture)."""

from __future__ import annotations

import pytest

from parsers._body_furniture import furniture_reason

STORY = [
    "The council voted on Tuesday to close the old ferry terminal, ending ninety years of service "
    "between the two harbours. Residents had campaigned for a year to keep it open.",
    "The mayor said the decision was painful but that repairs would have cost more than a new bridge.",
    "Work on the bridge is due to begin next spring, the council said in a statement.",
]


def _reason(block: str, at: int) -> str | None:
    texts = [*STORY]
    texts.insert(at if at >= 0 else len(texts), block)
    return furniture_reason(texts, at if at >= 0 else len(texts) - 1)


@pytest.mark.parametrize("block", [
    "Empfohlener redaktioneller Inhalt An dieser Stelle finden Sie einen externen Inhalt von YouTube, der den "
    "Artikel ergänzt. Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden.",
    "Ein Klick für den Datenschutz: Erst wenn Sie hier klicken, wird das Video geladen und Daten an den "
    "Anbieter übermittelt.",
    "This content is provided by a third party. To view it, please accept cookies in your privacy settings.",
])
def test_consent_placeholders_go_wherever_they_sit(block: str) -> None:
    assert _reason(block, 1) == "consent-placeholder"


def test_a_story_paragraph_about_privacy_stays() -> None:
    long_story = (
        "The regulator said the company had shared users' data with third parties without their consent, "
        "and that the fine reflected how many people were affected. " * 6
    )
    assert _reason(long_story, 1) is None
    assert _reason("Privacy campaigners welcomed the ruling on Tuesday.", 1) is None


@pytest.mark.parametrize("block", [
    "showPaywall: false isSubscriber: false",
    "pageType: 'article' contentId: 48213 isPremium: true",
])
def test_script_state_printed_as_text_goes(block: str) -> None:
    assert _reason(block, -1) == "state-dump"


def test_a_sentence_with_a_colon_is_not_state() -> None:
    assert _reason("Score: 3-1 to the visitors, who led from the tenth minute.", 2) is None


@pytest.mark.parametrize("block", [
    "Got a story? Get in touch with our news team via email.",
    "For more stories like this, check our news page.",
])
def test_calls_to_the_reader_at_the_edges_go(block: str) -> None:
    assert _reason(block, -1) == "call-to-reader"


def test_a_call_in_the_middle_of_the_story_is_a_quote_and_stays() -> None:
    assert _reason("\u201cGet in touch with us if you saw anything,\u201d the police said.", 2) is None


def test_breaking_news_notes_at_the_edges_go() -> None:
    assert _reason("This is a breaking news story - more to follow", -1) == "status-note"
    assert _reason("This is a breaking news story - more to follow", 0) == "status-note"


def test_a_kicker_or_byline_opening_the_body_goes() -> None:
    assert _reason("EXCLUSIVE", 0) == "kicker"
    assert _reason("By Jane Doe | Local reporter", 0) == "kicker"
    # a first paragraph that is a sentence is the story
    assert _reason("It was over in minutes.", 0) is None


def test_a_story_paragraph_with_consent_words_in_another_sense_stays() -> None:
    # "accepted" and "external" here are psychology, not a box asking to load a third party's content
    paragraph = (
        "Some people take risks to impress others and win external approval. Fear pushes them to be "
        "accepted, admired or successful, the author writes, while love pushes them to help another."
    )
    assert _reason(paragraph, 1) is None
    assert _reason("Ihre IP-Adresse wird dabei an externe Server übertragen. Mit Klick stimmen Sie zu "
                   "(Einwilligung), dass die Grafik nachgeladen wird.", 1) == "consent-placeholder"


def test_the_country_in_capitals_is_not_the_publication_speaking() -> None:
    closing = (
        "The maker became the latest US technology company to bow to regulators when it agreed to cut "
        "the prices of music downloads on its UK website."
    )
    assert _reason(closing, -1) is None
    assert _reason("Follow us for more news on the harbour.", -1) == "call-to-reader"


def test_the_readers_comments_under_the_story_are_cut_at_their_label() -> None:
    from parsers._body_furniture import comments_start

    posts = ["Great piece, thank you.", "I live by the harbour and the ferry was always late, sadly."]
    assert comments_start([*STORY, "12 Comments", *posts]) == len(STORY)
    assert comments_start([*STORY, "Kommentare (2)", *posts]) == len(STORY)
    # a "Comment" button among the share links above the story is no comment section
    assert comments_start([STORY[0][:40], "Comment", *STORY]) is None
    # a label that introduces a part of the text is no comment section
    assert comments_start([*STORY, "Response:", *posts]) is None


def test_a_closing_line_reporting_who_was_asked_for_comment_is_the_story() -> None:
    closing = "The company said it does not comment on rumours. We've contacted the council and will report back."
    assert _reason(closing, -1) is None
    assert _reason("Contact our newsroom if you know more about the ferry.", -1) == "call-to-reader"
