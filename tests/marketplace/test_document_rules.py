"""The pure rules of evidence documents (marketplace.document_rules): type by content, the size
limit, an approval's validity and which expiry message is due — without a database."""

import datetime as dt

from marketplace import document_rules as rules

UTC = dt.timezone.utc
UNTIL = dt.datetime(2027, 3, 1, 22, 0, tzinfo=UTC)


def test_the_type_is_told_by_the_first_bytes_not_the_name():
    assert rules.sniff(b"%PDF-1.7\n...") == rules.PDF
    assert rules.sniff(b"\xff\xd8\xff\xe0JFIF") == rules.JPEG
    assert rules.sniff(b"\x89PNG\r\n\x1a\n....") == rules.PNG
    assert rules.sniff(b"MZ\x90\x00 an executable called vakuutus.pdf") is None
    assert rules.sniff(b"<html>") is None


def test_an_upload_is_checked_for_size_type_and_dates():
    day = dt.date(2026, 1, 1)
    assert rules.check_upload(b"%PDF-" + b"x" * 10, day, day) == (rules.PDF, [])
    assert rules.check_upload(b"%PDF-" + b"x" * rules.MAX_BYTES, day, day)[1] == [("file", "document.too_large")]
    assert rules.check_upload(b"MZ", day, day)[1] == [("file", "document.wrong_type")]
    assert rules.check_upload(b"", None, day)[1] == [("file", "document.file_missing"), ("valid_from", "document.date_missing")]
    assert rules.check_upload(b"%PDF-", day, day - dt.timedelta(days=1))[1] == [("valid_until", "document.until_before_from")]


def test_an_approval_holds_until_its_earliest_required_document_ends():
    later = UNTIL + dt.timedelta(days=100)
    assert rules.validity(["insurance", "police"], {"insurance": later, "police": UNTIL, "other": UNTIL - dt.timedelta(days=9)}) == UNTIL
    assert rules.validity(["insurance"], {}) is None


def test_each_reminder_is_due_once_and_expiry_after_them():
    none = {"remind_30": None, "remind_7": None, "expired": None}
    assert rules.due(UNTIL, UNTIL - dt.timedelta(days=31), none) is None
    assert rules.due(UNTIL, UNTIL - dt.timedelta(days=30), none) == "remind_30"
    assert rules.due(UNTIL, UNTIL - dt.timedelta(days=20), {**none, "remind_30": UNTIL}) is None
    assert rules.due(UNTIL, UNTIL - dt.timedelta(days=7), {**none, "remind_30": UNTIL}) == "remind_7"
    assert rules.due(UNTIL, UNTIL - dt.timedelta(days=1), {**none, "remind_30": UNTIL, "remind_7": UNTIL}) is None
    assert rules.due(UNTIL, UNTIL, {**none, "remind_7": UNTIL}) == "expired"
    assert rules.due(UNTIL, UNTIL + dt.timedelta(days=3), {**none, "expired": UNTIL}) is None
    # A new, later validity starts the reminders afresh.
    later = UNTIL + dt.timedelta(days=365)
    assert rules.due(later, later - dt.timedelta(days=30), {"remind_30": UNTIL, "remind_7": UNTIL, "expired": UNTIL}) == "remind_30"
