"""Booking pages over HTTP (forms with CSRF, no JavaScript): the listing page's booking part, the
booking page, the client's home with the same numbers as the budget API, the provider's lists,
availability and settlements, the organiser's disputes and moderation, proxies, notifications."""

import datetime as dt
import re

from core import identity
from marketplace.booking import services as bookings
from marketplace.booking.tables import AvailabilityException, AvailabilityRule, Booking
from tests.helpers import form_post
from tests.marketplace.booking_world import NOW, PRICE, RIDING_GRANT, SLOT, SLOT_END, build, request


async def as_user(client, actor) -> None:
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))


async def delivered(w, settings):
    booking = await bookings.book(w.client, request(w), settings=settings, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=settings, now=NOW)
    return await bookings.act(w.provider, booking.id, "deliver", settings=settings, now=SLOT_END)


def money(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", "\u00a0") + f",{rest:02d}\u00a0€"


async def test_client_books_from_the_listing_page_and_sees_the_hold(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: NOW
    await as_user(client, w.client)
    listing = await client.get(f"/listings/{w.listing_id}?quantity=2")
    assert listing.status_code == 200
    text = listing.text
    assert "ti 10.3.2026" in text and "10.00–11.00" in text and "2 paikkaa vapaana" in text
    assert money(2 * PRICE) in text  # the total for two
    assert money(RIDING_GRANT) in text and money(RIDING_GRANT - 2 * PRICE) in text  # the line before and after
    assert "peruminen on maksutonta milloin tahansa ennen alkua" in text  # no late fee: one plain sentence
    # More places than a time has free: the time says why it cannot be chosen; "Back to search"
    # returns to the search the person came from, words and filters kept.
    crowded = await client.get(f"/listings/{w.listing_id}?quantity=3", headers={
        "referer": "http://testserver.local/search?q=ratsastus&municipality=Nurmij%C3%A4rvi"})
    assert "vain 2 vapaana, valitsit 3" in crowded.text
    assert 'href="/search?q=ratsastus&amp;municipality=Nurmij%C3%A4rvi"' in crowded.text
    elsewhere = await client.get("/listings/" + w.listing_id, headers={"referer": "https://evil.example/search?q=x"})
    assert '<a href="/search">Takaisin hakuun</a>' in elsewhere.text and "evil.example" not in elsewhere.text
    form_key = re.search(r'name="form_key" value="([^"]+)"', text).group(1)
    body = {"listing_id": w.listing_id, "form_key": form_key, "quantity": "1", "client_id": w.client_id,
            "starts_at": SLOT.isoformat(), "note": "Tarvitsen nousurampin."}
    response = await form_post(client, "/bookings", body)
    assert response.status_code == 303
    location = response.headers["location"]
    again = await form_post(client, "/bookings", body)  # a double click is the same booking
    assert again.headers["location"] == location
    assert await Booking.count().run() == 1
    page = await client.get(location)
    assert page.status_code == 200
    assert "Varauspyyntö on lähetetty" in page.text and money(PRICE) in page.text and "Peru varaus" in page.text
    # Cancelling asks first (a disclosure, no script), saying what it costs now.
    assert '<details class="confirm">' in page.text and "Kyllä, peru varaus" in page.text

    home = await client.get("/client")
    api = (await client.get(f"/api/v1/clients/{w.client_id}/budget")).json()
    riding = next(line for line in api["lines"] if line["category"] == "sport-riding")
    assert riding["held_cents"] == PRICE
    for key in ("granted_cents", "held_cents", "spent_cents", "available_cents"):
        assert money(riding[key]) in home.text
    assert "Ratsastusterapia" in home.text  # upcoming

    # A time that is not offered goes back to the listing with the reason.
    bad = await form_post(client, "/bookings", {**body, "form_key": "other", "starts_at": "2026-03-11T08:00:00+00:00"})
    assert bad.status_code == 303 and "booking_error=booking.error.no_slot" in bad.headers["location"]
    shown = await client.get(bad.headers["location"].split("#")[0])
    assert "Tuottaja ei tarjoa tätä aikaa." in shown.text


async def test_provider_pages_confirm_deliver_and_availability(db, app, client):
    w = await build(db.settings)
    clock = {"now": NOW}
    app.state.clock = lambda: clock["now"]
    booking = await bookings.book(w.client, request(w), settings=db.settings, now=NOW)
    await as_user(client, w.provider)
    page = await client.get("/provider/bookings")
    assert page.status_code == 200 and "Uudet varauspyynnöt" in page.text and "Asiakas 0001" in page.text
    assert (await form_post(client, f"/bookings/{booking.id}/actions/confirm", {})).status_code == 303
    confirmed = await client.get(f"/bookings/{booking.id}")
    assert "Merkittävissä toteutuneeksi 10.3.2026" in confirmed.text  # says when the delivery can be marked
    # Decline needs a reason: the form says so next to the field.
    clock["now"] = SLOT + dt.timedelta(minutes=5)
    page = await client.get("/provider/bookings")
    assert "Merkitse toteutuneeksi" in page.text  # today's booking has started (the page's clock)
    assert (await form_post(client, f"/bookings/{booking.id}/actions/deliver", {})).status_code == 303
    assert (await Booking.select(Booking.status).first().run())["status"] == "delivered"
    filtered = await client.get("/provider/bookings?status=delivered&when=past")
    assert "1 varaus" in filtered.text and "1 varausta" not in filtered.text  # the singular form

    url = f"/provider/listings/{w.listing_id}/availability"
    page = await client.get(url)
    assert page.status_code == 200 and "tiistai" in page.text
    bad = await form_post(client, url + "/rules", {"weekday": "2", "start_time": "25.00", "duration_minutes": "45",
                                                    "capacity": "2"})
    assert bad.status_code == 400 and "Anna kellonaika muodossa 9.30." in bad.text
    # msgspec's own limits reach the provider in their words, next to the field, not as "Expected `int` >= 1".
    for capacity, said in (("0", "Pienin sallittu arvo on 1."), ("kaksi", "Anna kokonaisluku, esimerkiksi 3.")):
        bad = await form_post(client, url + "/rules", {"weekday": "2", "start_time": "9.30", "duration_minutes": "45",
                                                        "capacity": capacity})
        assert bad.status_code == 400 and said in bad.text and 'id="f-capacity-error"' in bad.text
        assert "Expected" not in bad.text and "$." not in bad.text
    ok = await form_post(client, url + "/rules", {"weekday": "2", "start_time": "9.30", "duration_minutes": "45",
                                                   "capacity": "2"})
    assert ok.status_code == 303
    assert await AvailabilityRule.count().run() == 2
    ok = await form_post(client, url + "/exceptions", {"day": "2026-03-17", "exception_time": "", "exception_capacity": "0",
                                                        "reason": "Talli kiinni"})
    assert ok.status_code == 303 and await AvailabilityException.count().run() == 1
    ok = await form_post(client, url + "/policy", {"cancellation_hours": "48", "late_cancellation_fee_percent": "50",
                                                    "no_show_fee_percent": "100"})
    assert ok.status_code == 303
    listing = await client.get(f"/listings/{w.listing_id}")
    assert "48 tuntia" in listing.text and "50 %" in listing.text
    # Another provider's staff may not touch this listing's times.
    await as_user(client, w.other_provider)
    assert (await client.get(url)).status_code == 403
    assert (await form_post(client, url + "/policy", {"cancellation_hours": "1"})).status_code == 403

    await as_user(client, w.provider)
    settlements = await client.get("/provider/settlements")
    assert settlements.status_code == 200


async def test_client_confirms_and_reviews_on_the_booking_page(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: SLOT_END
    booking = await delivered(w, db.settings)
    await as_user(client, w.client)
    inbox = await client.get("/notifications")
    assert inbox.status_code == 200 and "Vahvista toteutuminen: Ratsastusterapia" in inbox.text
    home = await client.get("/client")
    assert "Odottaa vahvistustasi" in home.text and f"/bookings/{booking.id}" in home.text
    page = await client.get(f"/bookings/{booking.id}")
    assert "Vahvistan, että palvelu toteutui" in page.text
    missing = await form_post(client, f"/bookings/{booking.id}/actions/dispute", {"reason": ""})
    assert missing.status_code == 400 and "Kirjoita perustelu." in missing.text
    assert (await form_post(client, f"/bookings/{booking.id}/actions/accept", {})).status_code == 303
    page = await client.get(f"/bookings/{booking.id}")
    assert "Arvioi palvelu" in page.text
    bad = await form_post(client, f"/bookings/{booking.id}/review", {"recommend": "9"})
    assert bad.status_code == 400 and "Valitse 1–5 tähteä." in bad.text
    ok = await form_post(client, f"/bookings/{booking.id}/review", {"stars": "5", "recommend": "9", "text": "Hieno tunti"})
    assert ok.status_code == 303
    page = await client.get(f"/bookings/{booking.id}")
    assert "Arvioi palvelu" not in page.text


async def test_organiser_pages_and_proxies(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: SLOT_END
    booking = await delivered(w, db.settings)
    await bookings.act(w.client, booking.id, "dispute", settings=db.settings, now=SLOT_END, reason="Ei pidetty")
    await as_user(client, w.organiser)
    disputes = await client.get("/organiser/disputes")
    assert disputes.status_code == 200 and "Asiakas 0001" in disputes.text
    page = await client.get(f"/bookings/{booking.id}")
    assert "Ratkaise: maksetaan tuottajalle" in page.text and "Ei pidetty" in page.text
    assert (await client.get("/organiser/ratings")).status_code == 200

    await as_user(client, w.client)
    assert (await client.get("/client/proxies")).status_code == 200
    unknown = await form_post(client, "/client/proxies", {"proxy_email": "ei@ketaan.example", "rights": ["view"]})
    assert unknown.status_code == 400 and "asioijan tiliä" in unknown.text
    granted = await form_post(client, "/client/proxies", {"proxy_email": "omainen@booking.example",
                                                          "rights": ["view", "book"]})
    assert granted.status_code == 303
    listed = await client.get("/client/proxies")
    assert "Oona Omainen" in listed.text and "varata ja perua" in listed.text

    await as_user(client, w.proxy)
    home = await client.get("/client")
    assert home.status_code == 200 and "Asiakas 0001" in home.text
    assert (await client.get(f"/bookings/{booking.id}")).status_code == 200  # "view" is enough to see it
    assert (await client.get("/client/bookings")).status_code == 200
    await as_user(client, w.provider)
    assert (await client.get("/client")).status_code == 403
    assert (await client.get("/organiser/disputes")).status_code == 403


async def test_every_booking_page_speaks_swedish_and_english_without_raw_keys(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: SLOT_END
    booking = await delivered(w, db.settings)
    pages = {
        w.client: ["/client", "/client/bookings", "/client/proxies", f"/bookings/{booking.id}", "/notifications",
                   f"/listings/{w.listing_id}"],
        w.provider: ["/provider/bookings", f"/provider/listings/{w.listing_id}/availability", "/provider/settlements",
                     f"/bookings/{booking.id}", "/notifications"],
        w.organiser: ["/organiser/disputes", "/organiser/ratings", f"/bookings/{booking.id}"],
    }
    raw_key = re.compile(r"\b(booking|notify|weekday|voucher)\.[a-z_]+(\.[a-z_]+)*\b")
    for actor, urls in pages.items():
        await as_user(client, actor)
        for lang, word in (("sv", "Bokning"), ("en", "Booking")):
            for url in urls:
                response = await client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
                assert response.status_code == 200, (url, lang)
                body = re.sub(r"<[^>]+>", " ", response.text)
                assert not raw_key.search(body), (url, lang, raw_key.search(body).group(0))
                assert f'lang="{lang}"' in response.text


async def test_the_main_navigation_leads_each_role_to_its_booking_pages(db, client):
    w = await build(db.settings)

    def main_nav(html: str) -> str:
        return re.search(r'<nav aria-label="[^"]+" class="main-nav">(.*?)</nav>', html, re.S).group(1)

    expected = {
        "client": ['href="/client"', 'href="/budget"', 'href="/notifications"'],
        "provider": ['href="/provider"', 'href="/provider/bookings"', 'href="/notifications"'],
        "organiser": ['href="/organiser/disputes"', 'href="/notifications"'],
    }
    for name, links in expected.items():
        await as_user(client, getattr(w, name))
        nav = main_nav((await client.get("/search")).text)
        for link in links:
            assert link in nav, (name, link)
    assert 'href="/provider/bookings"' not in nav and 'href="/client"' not in nav  # the organiser's own only
    # The provider's bookings page is the current one there, not the provider home as well.
    await as_user(client, w.provider)
    nav = main_nav((await client.get("/provider/bookings")).text)
    assert nav.count('aria-current="page"') == 1 and 'href="/provider/bookings" aria-current="page"' in nav
    home = await client.get("/provider")
    assert f'href="/provider/listings/{w.listing_id}/availability"' in home.text
    client.cookies.clear()
    assert 'href="/notifications"' not in main_nav((await client.get("/search")).text)
