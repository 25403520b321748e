"""Dates, times and periods are written the way each language writes them, in Helsinki time: one
set of helpers (core.i18n) that every page uses."""

import datetime as dt

from core import i18n

UTC = dt.timezone.utc


def test_a_slot_is_one_way_of_writing_times_in_helsinki_time():
    start = dt.datetime(2026, 3, 10, 9, 20, tzinfo=UTC)  # 11.20 in Helsinki (winter time)
    end = start + dt.timedelta(minutes=10)
    assert i18n.time_range(start, end, "fi") == "11.20–11.30"
    for lang in ("sv", "en"):
        text = i18n.time_range(start, end, lang)
        assert text.startswith("11") and ("." in text) != (":" in text)  # never "11.20–11:30"
    summer = dt.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert i18n.time_range(summer, summer + dt.timedelta(hours=1), "fi") == "12.00–13.00"


def test_a_period_and_a_chart_month_in_each_language():
    assert i18n.date_range(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "fi") == "1.1.–31.12.2026"
    assert i18n.date_range("2026-01-01", "2026-12-31", "en") == "1 Jan\u2009–\u200931 Dec 2026"
    assert i18n.month_label(dt.date(2026, 1, 1), "fi") == "tammi 26"
    assert i18n.month_label(dt.date(2026, 2, 1), "fi") == "helmi 26"  # not "tam", "hel"


def test_a_stored_utc_moment_reads_as_helsinki_time():
    assert i18n.local_datetime("2026-03-10T09:05:00+00:00", "fi") == "10.3.2026 11.05"


def test_counts_take_the_singular_where_the_language_says_one():
    import marketplace.booking.messages  # noqa: F401 - registers the booking catalogue
    import search.messages  # noqa: F401

    assert i18n.t("booking.list.count", "fi", total=1) == "1 varaus"
    assert i18n.t("booking.list.count", "fi", total=2) == "2 varausta"
    assert i18n.t("booking.places_left", "sv", free=1) == "1 plats ledig"
    assert i18n.t("booking.places_left", "en", free=0) == "0 places left"
    assert i18n.t("search.results", "en", total=1) == "1 service"
    assert i18n.t("booking.rating.summary", "fi", average="4,0", count=1) == "Keskiarvo 4,0 / 5 tähteä (1 arvio)."
