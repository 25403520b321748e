"""Graded relevance of the embedded backend on the fixture listings: mean nDCG@10 must be ≥ 0.85.

Labels say what a person typing the query would want, whatever any engine returns: 3 = exactly
that, 2 = clearly relevant, 1 = somewhat relevant, unlisted = not relevant. Some labelled
listings cannot be found by word matching at all ("uinti" → "Uimaopetus"); they stay labelled.
"""

import math

import pytest
import pytest_asyncio

from search.documents import SearchQuery
from search.embedded import EmbeddedBackend

RIDING = {"ride-special-groups": 3, "ride-therapeutic": 3, "ride-accessible": 3,
          "ride-therapy-kids": 2, "ride-therapy-adults": 2, "horse-activities": 1}
PEER = {"peer-mental": 3, "peer-youth": 3, "peer-swedish": 3, "peer-carers": 3, "peer-online": 3}
PHYSIO = {"physio-home": 3, "ride-therapy-kids": 1, "massage": 1}
CERAMICS = {"ceramics": 3, "art-lessons-disabled": 2}
INVATAXI = {"invataxi-jarvenpaa": 3, "invataxi-escort": 3, "ride-transport": 2, "taxi-doctor": 1,
            "accessible-transport-day": 1}
RESPITE = {"respite-home": 3, "respite-family-home": 3, "respite-care-unit": 3, "substitute-carer": 2,
           "carer-camp": 2}

# (query, filters, labels)
JUDGEMENTS: list[tuple[str, dict, dict[str, int]]] = [
    # exact words
    ("ratsastusterapia", {}, {"ride-therapy-kids": 3, "ride-therapy-adults": 3, "ride-therapeutic": 2,
                              "ride-accessible": 1, "ride-special-groups": 1, "horse-activities": 1}),
    ("invataksi", {}, INVATAXI),
    ("päivätoiminta", {}, {"day-elderly": 3, "day-memory": 3, "day-disabled-adults": 3, "work-activity": 3,
                           "day-swedish": 3, "day-aurinko": 3, "care-farm-day": 3, "accessible-transport-day": 1}),
    ("vertaistuki", {}, {**PEER, "carer-camp": 1}),
    ("fysioterapia", {}, PHYSIO),
    ("siivous", {}, {"cleaning": 3}),
    ("puheterapia", {}, {"speech-therapy": 3}),
    ("jalkahoito", {}, {"foot-care": 3}),
    ("saattajapalvelu", {}, {"escort-service": 3, "invataxi-escort": 3, "museum-visits": 1}),
    # inflected forms
    ("ratsastusta", {}, RIDING),
    ("terapiaa lapsille", {}, {"ride-therapy-kids": 3, "speech-therapy": 2, "art-therapy-youth": 1}),
    ("kotiin", {}, {"physio-home": 3, "art-lessons-home": 3, "meals-home": 3, "substitute-carer": 3,
                    "respite-home": 2, "music-lessons-home": 2, "foot-care": 2, "home-care-personal": 2,
                    "occupational-therapy": 1, "cleaning": 1, "digital-support": 1}),
    ("omaishoitajille", {}, {"peer-carers": 3, "carer-camp": 3, "peer-swedish": 3, "respite-home": 2,
                             "respite-family-home": 2, "respite-care-unit": 2, "substitute-carer": 1}),
    ("ikäihmisille", {}, {"day-elderly": 3, "painting-elderly": 3, "sauna-service": 3, "digital-support": 3,
                          "day-swedish": 2, "day-aurinko": 2, "day-memory": 1}),
    ("kuljetusta päivätoimintaan", {}, {"accessible-transport-day": 3, "invataxi-jarvenpaa": 1, "errand-ride": 1}),
    ("hevosten kanssa", {}, {"horse-activities": 3, "ride-therapeutic": 3, "green-care-farm": 2,
                             "ride-therapy-kids": 2, "ride-special-groups": 2, "ride-accessible": 2,
                             "ride-therapy-adults": 1}),
    ("muistisairaille", {}, {"day-memory": 3, "art-lessons-home": 1}),
    # typos
    ("ratsastsu", {}, RIDING),
    ("fysiotrepia", {}, PHYSIO),
    ("vertaistku", {}, PEER),
    ("invatasi", {}, INVATAXI),
    ("keramikka", {}, CERAMICS),
    ("musiikiterapia", {}, {"music-therapy": 3, "music-group": 1, "music-lessons-home": 1}),
    ("omaishoitjan vapaa", {}, RESPITE),
    # prefixes
    ("rats", {}, {"ride-special-groups": 3, "ride-therapeutic": 3, "ride-accessible": 3, "ride-therapy-kids": 3,
                  "ride-therapy-adults": 3, "horse-activities": 1, "ride-transport": 1}),
    ("fysio", {}, PHYSIO),
    ("vertais", {}, PEER),
    ("digi", {}, {"digital-support": 3, "online-exercise": 2, "video-calls": 2, "photo-online": 1,
                  "translator-sign": 1}),
    ("asiointi", {}, {"errand-ride": 3, "shopping-help": 3, "escort-service": 3, "translator-sign": 1}),
    ("keramiikka", {}, CERAMICS),
    # compound parts
    ("taksi", {}, {"invataxi-jarvenpaa": 3, "invataxi-escort": 3, "taxi-doctor": 3, "ride-transport": 1,
                   "accessible-transport-day": 1}),
    ("terapia", {}, {"physio-home": 3, "speech-therapy": 3, "music-therapy": 3, "occupational-therapy": 3,
                     "dog-therapy": 3, "art-therapy-youth": 3, "psychotherapy-online": 3, "pool-therapy": 3,
                     "ride-therapy-kids": 3, "ride-therapy-adults": 3, "garden-therapy": 3,
                     "ride-therapeutic": 2, "massage": 1, "spa-rehab": 1}),
    ("opetus", {}, {"art-lessons-home": 3, "art-lessons-disabled": 3, "music-lessons-home": 3,
                    "swimming-lessons": 3}),
    ("kyyti", {}, {"errand-ride": 3, "shared-ride": 3, "accessible-transport-day": 1, "invataxi-jarvenpaa": 1}),
    ("valmennus", {}, {"coaching-youth": 3, "everyday-skills": 3, "job-coaching": 3, "coaching-english": 3,
                       "cooking-course": 1}),
    ("paja", {}, {"ceramics": 3, "art-youth": 3}),
    ("maatila", {}, {"green-care-farm": 3, "social-farming": 3, "care-farm-day": 3}),
    # Swedish
    ("ridterapi", {}, {"ride-therapy-kids": 3, "ride-therapy-adults": 3, "ride-therapeutic": 1}),
    ("målning", {}, {"painting-swedish": 3, "painting-elderly": 3, "art-lessons-home": 2}),
    ("kamratstöd", {}, {"peer-swedish": 3, "peer-mental": 2, "peer-youth": 2, "peer-carers": 2, "peer-online": 2}),
    ("dagverksamhet för äldre", {}, {"day-swedish": 3, "day-elderly": 3, "day-memory": 2, "day-aurinko": 2,
                                     "day-disabled-adults": 1, "work-activity": 1, "care-farm-day": 1}),
    ("närståendevårdare", {}, {"peer-swedish": 3, "respite-care-unit": 3, "respite-home": 2,
                               "respite-family-home": 2, "carer-camp": 2, "substitute-carer": 2}),
    # English
    ("riding therapy", {}, {"ride-therapy-kids": 3, "ride-therapy-adults": 3, "ride-therapeutic": 2}),
    ("physiotherapy at home", {}, {"physio-home": 3, "occupational-therapy": 1}),
    ("wheelchair taxi", {}, INVATAXI),
    ("art lessons", {}, {"art-lessons-home": 3, "art-lessons-disabled": 3, "painting-elderly": 2,
                         "painting-swedish": 2, "ceramics": 1, "art-youth": 1}),
    ("peer support", {}, PEER),
    # with filters
    ("terapia", {"municipalities": ["Kerava"]}, {"pool-therapy": 3, "physio-home": 3, "art-therapy-youth": 3,
                                                 "massage": 1}),
    ("", {"categories": ["transport"], "accessible": True},
     {"invataxi-jarvenpaa": 3, "invataxi-escort": 3, "accessible-transport-day": 3, "ride-transport": 3}),
    ("ratsastus", {"max_price_cents": 5000}, {"ride-special-groups": 3, "ride-therapeutic": 3,
                                             "horse-activities": 1, "ride-transport": 1}),
    ("päivätoiminta", {"language": "sv"}, {"day-swedish": 3}),
    ("kuljetus", {"delivery_mode": "at_client_home"},
     {"accessible-transport-day": 3, "ride-transport": 3, "invataxi-jarvenpaa": 2, "taxi-doctor": 2,
      "errand-ride": 2, "shared-ride": 2, "invataxi-escort": 2, "escort-service": 1}),
    ("vertaistuki", {"organiser": "org-vantaa-kerava"}, {"peer-carers": 3, "peer-online": 3}),
    ("taide", {"accessible": True}, {"art-lessons-home": 3, "art-lessons-disabled": 3, "painting-elderly": 2,
                                     "ceramics": 2, "theatre-group": 1, "music-group": 1, "museum-visits": 1}),
    # everyday phrasing
    ("taksi pyörätuoli", {}, {"invataxi-jarvenpaa": 3, "invataxi-escort": 3, "ride-transport": 2,
                              "accessible-transport-day": 1}),
    ("musiikki", {}, {"music-therapy": 3, "music-group": 3, "music-lessons-home": 3, "art-youth": 1}),
    ("koira", {}, {"dog-therapy": 3, "dog-activities": 3}),
    ("uinti", {}, {"swimming-lessons": 3, "pool-therapy": 2}),
    ("green care", {}, {"green-care-farm": 3, "social-farming": 2, "nature-trips": 2, "care-farm-day": 2,
                        "garden-therapy": 2, "dog-activities": 2, "horse-activities": 2}),
]
THRESHOLD = 0.85


def ndcg_at_10(ranked: list[str], labels: dict[str, int]) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:10]))

    ideal = dcg(sorted(labels.values(), reverse=True))
    return dcg([labels.get(doc_id, 0) for doc_id in ranked]) / ideal


def test_the_judgements_are_a_real_set(fixture_docs):
    known = {d.id for d in fixture_docs}
    assert len(JUDGEMENTS) >= 40
    for query, _, labels in JUDGEMENTS:
        assert labels and set(labels) <= known, query
        assert max(labels.values()) == 3, query


def test_ndcg_rewards_the_ideal_order_only():
    labels = {"a": 3, "b": 1}
    assert ndcg_at_10(["a", "b"], labels) == pytest.approx(1.0)
    assert ndcg_at_10(["b", "a"], labels) < 0.8
    assert ndcg_at_10(["x", "y"], labels) == 0.0


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def embedded(fixture_docs):
    backend = EmbeddedBackend()
    await backend.upsert(fixture_docs)
    yield backend
    await backend.close()


async def test_mean_ndcg_at_10_on_the_labelled_queries(embedded):
    scores = []
    for query, filters, labels in JUDGEMENTS:
        result = await embedded.search(SearchQuery(q=query, per_page=10, **filters))
        scores.append((ndcg_at_10([h.id for h in result.hits], labels), query, filters))
    mean = sum(score for score, _, _ in scores) / len(scores)
    worst = ", ".join(f"{q!r}{f or ''}={s:.2f}" for s, q, f in sorted(scores, key=lambda x: x[0])[:8])
    print(f"\nnDCG@10 = {mean:.3f} over {len(scores)} queries; lowest: {worst}")
    assert mean >= THRESHOLD, f"nDCG@10 {mean:.3f} < {THRESHOLD}; lowest: {worst}"


async def test_a_category_name_never_outranks_the_listings_own_words(embedded, fixture_docs):
    # "Liikunta ja ratsastus" names swimming and gym classes too: "ratsastus" must list every listing
    # that speaks of riding in its own title or text before any listing found only through its
    # category's name; "invataksi" must not reach a gym because its text mentions a wheelchair.
    by_id = {d.id: d for d in fixture_docs}

    def own_words(doc_id: str) -> str:
        doc = by_id[doc_id]
        return " ".join([*doc.title.values(), *doc.description.values()]).lower()

    hits = [h.id for h in (await embedded.search(SearchQuery(q="ratsastus", per_page=50))).hits]
    riding = [any(w in own_words(h) for w in ("ratsast", "hevo", "rid")) for h in hits]
    assert any(riding) and not all(riding), hits  # the set has both kinds, so the order is tested
    first_category_only = riding.index(False)
    assert all(not r for r in riding[first_category_only:]), hits
    taxi = [h.id for h in (await embedded.search(SearchQuery(q="invataksi", per_page=50))).hits]
    assert taxi and all(any(w in own_words(h) for w in ("taksi", "kuljet", "kyyti", "saatta")) or
                        by_id[h].category == "transport" for h in taxi), taxi
