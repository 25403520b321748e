"""Reviews: only after a completed booking, once, 1–5 stars and 0–10 recommend score with an
optional text; the organiser hides an abusive text (audited); the listing page and API show the
average and count."""

import datetime as dt

import pytest

from core import identity
from core.errors import Conflict, Forbidden, Invalid
from core.tables import AuditEvent
from marketplace.booking import reviews
from marketplace.booking import services as bookings
from marketplace.booking.schemas import ReviewCreate
from tests.marketplace.booking_world import NOW, SLOT, build, grant_proxy, request

AFTER = SLOT + dt.timedelta(hours=2)


async def completed(w, settings, client_index: int = 0) -> str:
    booking = await bookings.book(w.clients[client_index], request(w), settings=settings, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=settings, now=NOW)
    await bookings.act(w.provider, booking.id, "deliver", settings=settings, now=AFTER)
    await bookings.act(w.clients[client_index], booking.id, "accept", settings=settings, now=AFTER)
    return booking.id


async def test_only_a_completed_booking_is_reviewed_once_by_its_client(db):
    s = db.settings
    w = await build(s, clients=2)
    open_booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    with pytest.raises(Conflict):
        await reviews.write(w.client, open_booking.id, ReviewCreate(stars=5, recommend=10), AFTER)
    booking_id = await completed(w, s)
    with pytest.raises(Forbidden):
        await reviews.write(w.clients[1], booking_id, ReviewCreate(stars=1, recommend=0), AFTER)
    with pytest.raises(Forbidden):
        await reviews.write(w.provider, booking_id, ReviewCreate(stars=5, recommend=10), AFTER)
    with pytest.raises(Invalid):
        await reviews.write(w.client, booking_id, ReviewCreate(stars=5, recommend=10, text=" " * 3 + "x" * 2001), AFTER)
    review = await reviews.write(w.client, booking_id, ReviewCreate(stars=4, recommend=9, text="Hyvä tunti."), AFTER)
    assert (review.stars, review.recommend, review.text) == (4, 9, "Hyvä tunti.")
    with pytest.raises(Conflict):
        await reviews.write(w.client, booking_id, ReviewCreate(stars=1, recommend=0), AFTER)


async def test_ratings_are_checked_by_the_api(db, client):
    s = db.settings
    w = await build(s)
    booking_id = await completed(w, s)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w.client.user_id, 1))
    for body in ({"stars": 0, "recommend": 5}, {"stars": 6, "recommend": 5}, {"stars": 3, "recommend": 11},
                 {"stars": 3, "recommend": -1}, {"stars": 5}):
        response = await client.post(f"/api/v1/bookings/{booking_id}/review", json=body)
        assert response.status_code == 400, body
    response = await client.post(f"/api/v1/bookings/{booking_id}/review", json={"stars": 5, "recommend": 10})
    assert response.status_code == 201


async def test_a_proxy_may_review_for_the_client(db):
    s = db.settings
    w = await build(s)
    booking_id = await completed(w, s)
    # Seeing the client's bookings is not enough: a review speaks for them, so it takes ``pay``.
    await grant_proxy(w, ["view"])
    with pytest.raises(Forbidden) as refused:
        await reviews.write(w.proxy, booking_id, ReviewCreate(stars=5, recommend=10), AFTER)
    assert refused.value.key == "booking.error.proxy_right"
    with pytest.raises(Forbidden):  # who may rate is decided before what was written
        await reviews.write(w.proxy, booking_id, ReviewCreate(stars=9, recommend=10), AFTER)
    assert await AuditEvent.count().where(AuditEvent.action == "booking.reviewed").run() == 0
    await grant_proxy(w, ["view", "pay"])
    await reviews.write(w.proxy, booking_id, ReviewCreate(stars=5, recommend=10), AFTER)
    entry = await AuditEvent.select().where(AuditEvent.action == "booking.reviewed").first().run()
    assert str(entry["on_behalf_of"]) == w.client_id


async def test_the_organiser_hides_an_abusive_text_and_the_listing_shows_average_and_count(db, client):
    s = db.settings
    w = await build(s, clients=3, capacity=5)
    texts = ["Loistava ohjaaja!", "Idiootti talli, kaikki huijareita", ""]
    ids = []
    for n, (stars, recommend) in enumerate(((5, 10), (2, 3), (4, 8))):
        booking_id = await completed(w, s, n)
        ids.append((await reviews.write(w.clients[n], booking_id, ReviewCreate(stars=stars, recommend=recommend,
                                                                               text=texts[n]), AFTER)).id)
    summary = await reviews.summary(w.listing_id)
    assert (summary.count, summary.average_stars, summary.nps) == (3, 3.7, 0)

    with pytest.raises(Forbidden):
        await reviews.set_hidden(w.provider, ids[1], True, "asiaton")
    with pytest.raises(Invalid):
        await reviews.set_hidden(w.organiser, ids[1], True, "")
    hidden = await reviews.set_hidden(w.organiser, ids[1], True, "Asiaton kielenkäyttö")
    assert hidden.text_hidden and hidden.text == ""
    entry = await AuditEvent.select().where(AuditEvent.action == "booking.review.hidden").first().run()
    assert entry["reason"] == "Asiaton kielenkäyttö" and str(entry["actor_user_id"]) == w.organiser.user_id

    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w.clients[2].user_id, 1))
    api = (await client.get(f"/api/v1/listings/{w.listing_id}/reviews")).json()
    assert api["summary"] == {"count": 3, "average_stars": 3.7, "nps": 0}
    assert "huijareita" not in str(api)
    client.cookies.clear()
    page = await client.get(f"/listings/{w.listing_id}")  # anonymous browsing sees the ratings too
    assert page.status_code == 200
    assert "Keskiarvo 3,7 / 5 tähteä" in page.text
    assert "Loistava ohjaaja!" in page.text and "huijareita" not in page.text
    assert "3 arviota" in page.text
