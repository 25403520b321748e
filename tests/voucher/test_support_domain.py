"""The pure rules of supported purchasing and the message thread (voucher.support.domain)."""

import datetime as dt

from voucher.support import domain

NOW = dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.timezone.utc)


def test_a_consent_to_one_booking_names_its_way_and_a_time_in_the_last_fourteen_days():
    assert domain.consent_errors(None, None, NOW) == []  # the standing consent is asked for
    assert domain.consent_errors("standing", None, NOW) == []
    assert domain.consent_errors("phone", NOW - dt.timedelta(days=14), NOW) == []
    assert domain.consent_errors("in_person", NOW + dt.timedelta(minutes=4), NOW) == []  # clock skew
    assert domain.consent_errors("letter", NOW, NOW) == [("consent", "voucher.support.error.consent_way")]
    assert domain.consent_errors("message", None, NOW) == [("consent_given_at", "voucher.support.error.consent_when")]
    assert domain.consent_errors("message", NOW.replace(tzinfo=None), NOW)[0][0] == "consent_given_at"
    for when in (NOW + dt.timedelta(hours=1), NOW - dt.timedelta(days=15)):
        assert domain.consent_errors("phone", when, NOW) == [
            ("consent_given_at", "voucher.support.error.consent_when_range")]


def test_a_standing_consent_covers_only_the_clients_own_counsellor():
    assert domain.standing_covers("u1", "u1")
    assert not domain.standing_covers("u1", "u2")
    assert not domain.standing_covers("u1", None)
    assert not domain.standing_covers(None, None)


def test_a_message_has_one_to_four_thousand_characters():
    assert domain.body_error("Hei") is None
    assert domain.body_error("x" * 4000) is None
    assert domain.body_error(" \n ") == "voucher.support.error.body_empty"
    assert domain.body_error("x" * 4001) == "voucher.support.error.body_long"
