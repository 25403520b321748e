"""The read API the console's comparison and research export use (voucher.evaluation.outcomes), on
both databases: answers written with ``record_answers`` come back scored; only clients whose latest
research consent is "given" are consenting."""

import asyncio
import datetime as dt

import pytest

from core.errors import Conflict, Invalid
from core.tables import AuditEvent
from tests.voucher.evaluation_world import NOW, build, proxy_for
from voucher.evaluation import consent, outcomes
from voucher.evaluation.answers import record_answers
from voucher.tables import ResearchConsent


async def test_answers_come_back_with_their_scores(db):
    w = await build(db.settings.secret_key)
    day = dt.date(2026, 1, 3)
    who5 = await record_answers(w.client_id, "who5", "start", [3, 2, 4, 1, 0], answered_on=day,
                                decision_id=w.decision_id)
    assert who5.score == 40.0 and not who5.by_proxy
    await record_answers(w.client_id, "satisfaction", "end", [4, 5, 3, 4, 5], answered_on=dt.date(2026, 12, 30),
                         due_on=dt.date(2026, 12, 31), decision_id=w.decision_id, by_proxy=True)
    got = await outcomes.outcome_answers(w.organiser_id)
    assert [(a.client_id, a.questionnaire_key, a.occasion, a.answered_on, a.score, a.by_proxy) for a in got] == [
        (w.client_id, "who5", "start", day, 40.0, False),
        (w.client_id, "satisfaction", "end", dt.date(2026, 12, 30), 4.2, True)]
    # The same round once only; answers that do not fit are refused before anything is written.
    with pytest.raises(Conflict):
        await record_answers(w.client_id, "who5", "start", [5, 5, 5, 5, 5], answered_on=day, decision_id=w.decision_id)
    with pytest.raises(ValueError):
        await record_answers(w.client_id, "who5", "follow_up", [5, 5, 5, 5, 6], answered_on=day)
    assert len(await outcomes.outcome_answers(w.organiser_id)) == 2
    # Another county's answers are not this one's.
    other = await build(db.settings.secret_key, county_ref="org-b", name="Asiakas 0002")
    assert await outcomes.outcome_answers(other.organiser_id) == []


async def test_only_the_latest_given_consent_counts(db):
    w = await build(db.settings.secret_key)
    second = await build(db.settings.secret_key, county_ref="org-a", name="Asiakas 0002")
    assert await outcomes.consenting_client_ids(w.organiser_id) == set()
    await consent.append(w.client_id, "given", recorded_as="counsellor", how="paper")
    await consent.append(second.client_id, "given", recorded_as="client", how="in_app")
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id, second.client_id}
    await consent.append(second.client_id, "withdrawn", recorded_as="client", how="in_app")
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}
    # The history keeps both entries, newest first; the database refuses to change one.
    state = await consent.state_of(second.client_id)
    assert [(e.seq, e.state) for e in state.history] == [(2, "withdrawn"), (1, "given")] and not state.given
    with pytest.raises(Exception, match="append-only"):
        await ResearchConsent.update({ResearchConsent.state: "given"}).where(
            ResearchConsent.client == second.client_id).run()
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}


async def test_entries_written_at_once_take_turns(db):
    w = await build(db.settings.secret_key)
    await asyncio.gather(*(consent.append(w.client_id, state, recorded_as="client", how="in_app")
                           for state in ("given", "withdrawn", "given", "withdrawn")))
    history = (await consent.state_of(w.client_id)).history
    assert sorted(e.seq for e in history) == [1, 2, 3, 4]


async def test_a_proxy_gives_consent_for_the_client_and_it_says_so(db):
    w = await build(db.settings.secret_key)
    proxy = await proxy_for(w)
    state = await consent.set_own(proxy, w.client_id, "given", NOW)
    assert state.given and state.history[0].recorded_as == "proxy" and state.history[0].recorded_by == proxy.user_id
    event = await AuditEvent.select().where(AuditEvent.action == "voucher.research_consent.given").first().run()
    assert str(event["on_behalf_of"]) == w.client_id
    # Giving again changes nothing; the counsellor cannot give it "in the app" for the client.
    assert len((await consent.set_own(proxy, w.client_id, "given", NOW)).history) == 1
    with pytest.raises(Invalid):
        await consent.record_for(w.counsellor, w.client_id, "withdrawn", "in_app", NOW)
