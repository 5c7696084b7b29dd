"""The benchmark's metadata metrics (bench.extraction)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from bench.extraction import author_f1, day_correct, title_matches


def test_title_match_folds_case_width_and_spaces() -> None:
    assert title_matches("Ｆerry  Terminal\nApproved", "ferry terminal approved")
    assert not title_matches("Ferry terminal approved | The Coast Times", "Ferry terminal approved")
    assert not title_matches(None, "Ferry terminal approved")


def test_day_is_read_in_the_zone_the_page_states() -> None:
    late_utc = datetime(2024, 3, 12, 23, 30, tzinfo=UTC)  # already the 13th in Berlin
    assert day_correct(late_utc, "2024-03-13T08:00:00+02:00")
    assert not day_correct(late_utc, "2024-03-12T08:00:00+02:00")
    truth = "2024-03-12T23:30:00+01:00"
    assert day_correct(datetime(2024, 3, 12, 23, 30, tzinfo=timezone(timedelta(hours=1))), truth)
    assert day_correct(date(2024, 3, 12), truth)
    assert day_correct(datetime(2024, 3, 12, 9, 0), truth)  # naive: taken as printed
    assert not day_correct(None, truth)


def test_author_f1_is_a_set_f1_over_folded_names() -> None:
    assert author_f1(["Jane DOE", "John Roe"], ["Jane Doe", "John Roe"]) == 1.0
    assert author_f1(["Jane Doe"], ["Jane Doe", "John Roe"]) == 2 / 3
    assert author_f1([], []) == 1.0
    assert author_f1(["Newsroom"], ["Jane Doe"]) == 0.0
