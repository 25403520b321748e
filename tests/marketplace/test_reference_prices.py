"""Reference prices on the listing review page (issue 18, decision 0039): the median and range of
the county's approved prices for the same category and unit, and a flag on a price more than 50 %
above the median."""

from core import identity
from marketplace import domain
from marketplace.tables import ListingReview
from tests.world import category, county, document, listing, load, person, provider


def test_median_of_odd_and_even_counts_and_no_peers():
    assert domain.median_cents([]) is None
    assert domain.median_cents([7000]) == 7000
    assert domain.median_cents([9000, 5000, 7000]) == 7000
    assert domain.median_cents([8000, 5000, 6000, 9000]) == 7000  # (6000 + 8000) / 2
    assert domain.median_cents([5000, 6001]) == 5501  # half a cent rounds up


def test_a_price_more_than_half_above_the_median_is_flagged():
    peers = [6000, 7000, 8000]
    assert domain.reference_prices(peers, 10_500) == {"count": 3, "median": 7000, "min": 6000, "max": 8000,
                                                     "above_median": False}  # exactly +50 %
    assert domain.reference_prices(peers, 10_501)["above_median"] is True
    # Free activities are no reference for a paid price.
    assert domain.reference_prices([0, 0, 0, *peers], 10_501)["median"] == 7000
    assert domain.reference_prices([], 99_999) == {"count": 0, "median": None, "min": None, "max": None,
                                                  "above_median": False}


async def _world(price_cents: int) -> dict:
    doc = document(
        counties=[county("org-a"), county("org-b")],
        categories=[category("sport-riding"), category("culture-art")],
        providers=[provider("p1", "1572860-0", "Talli Kavio Oy", approved_by=("org-a", "org-b"))],
        listings=[
            listing("l1", "p1", "sport-riding", price_cents=6000),
            listing("l2", "p1", "sport-riding", price_cents=7000),
            listing("l3", "p1", "sport-riding", price_cents=9000),
            listing("l4", "p1", "sport-riding", price_cents=8000),
            # Not peers: another unit, another category, another county, not approved.
            listing("x-unit", "p1", "sport-riding", price_cents=100, unit="hour"),
            listing("x-cat", "p1", "culture-art", price_cents=100),
            listing("x-county", "p1", "sport-riding", price_cents=100, approved_by=("org-b",)),
            listing("x-rejected", "p1", "sport-riding", price_cents=100, approved_by={"org-a": "rejected"}),
            listing("new", "p1", "sport-riding", price_cents=price_cents, approved_by={"org-a": "pending"}),
        ])
    refs = (await load(doc))["refs"]
    review = await ListingReview.select(ListingReview.id).where(ListingReview.listing == refs["new"]).first().run()
    admin = await person("organiser_admin", organiser_id=refs["org-a"], password=None)
    return {"refs": refs, "review": str(review["id"]), "admin": admin}


async def test_the_review_page_shows_median_range_and_flag(db, client):
    w = await _world(price_cents=11_300)  # over 112,50 €
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w["admin"].actor.user_id, 1))
    page = await client.get(f"/organiser/reviews/listing/{w['review']}")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    # Peers 60, 70, 80, 90 € a session: median 75 €, range 60–90 €.
    assert "Vertailuhinnat alueella" in text and "4 hyväksyttyä palvelua" in text
    assert "75,00" in text and "60,00 € – 90,00 €" in text.replace("\xa0", " ")
    assert "Hinta on yli 50 % yli alueen mediaanin." in text


async def test_a_price_near_the_median_is_not_flagged_and_no_peers_is_said(db, client):
    w = await _world(price_cents=7500)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w["admin"].actor.user_id, 1))
    text = (await client.get(f"/organiser/reviews/listing/{w['review']}")).text
    assert "Vertailuhinnat alueella" in text and "yli alueen mediaanin" not in text
    lonely = document(counties=[county("org-a")], categories=[category("day-activities")],
                      providers=[provider("p2", "0112038-9", "Päivä Oy")],
                      listings=[listing("solo", "p2", "day-activities", approved_by={"org-a": "pending"})])
    refs = (await load(lonely))["refs"]
    review = await ListingReview.select(ListingReview.id).where(ListingReview.listing == refs["solo"]).first().run()
    text = (await client.get(f"/organiser/reviews/listing/{review['id']}")).text
    assert "Ei vertailuhintoja" in text
