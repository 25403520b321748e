import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-09T10:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = ("the research consents recorded on plans before the research consent's own history "
               "(vc_plan_consent, kind research) become its first entries")

HELSINKI = ZoneInfo("Europe/Helsinki")


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _noon(day: dt.date) -> str:
    """A day's noon in Helsinki as a UTC timestamp literal both engines read."""
    return dt.datetime.combine(day, dt.time(12), HELSINKI).astimezone(dt.timezone.utc).isoformat(sep=" ")


def entries(rows: list) -> list[tuple]:
    """(client, organiser, seq, state, recorded_by, at) for each given and withdrawn date of the plan
    rows (client_id, organiser_id, given_on, given_by, withdrawn_on, withdrawn_by), in date order per
    client: a given date before a withdrawn one on the same day."""
    events: dict[str, list[tuple]] = {}
    for row in rows:
        client = str(row["client_id"])
        events.setdefault(client, []).append((_day(row["given_on"]), 0, "given", row["given_by"], row["organiser_id"]))
        if row["withdrawn_on"] is not None:
            events[client].append((_day(row["withdrawn_on"]), 1, "withdrawn", row["withdrawn_by"], row["organiser_id"]))
    out = []
    for client, items in events.items():
        for seq, (day, _, state, by, organiser) in enumerate(sorted(items, key=lambda e: e[:2]), start=1):
            out.append((client, str(organiser), seq, state, str(by) if by else None, _noon(day)))
    return out


async def copy_plan_consents() -> int:
    engine = engine_finder()
    done = await engine.run_ddl("SELECT count(*) AS n FROM vc_research_consent")
    if done and done[0]["n"]:
        return 0  # the history has its own entries already: nothing to copy
    rows = await engine.run_ddl(
        "SELECT p.client_id AS client_id, c.organiser_id AS organiser_id, p.given_on AS given_on, "
        "p.given_by AS given_by, p.withdrawn_on AS withdrawn_on, p.withdrawn_by AS withdrawn_by "
        "FROM vc_plan_consent p JOIN vc_client c ON c.id = p.client_id "
        "WHERE p.kind = 'research' ORDER BY p.client_id, p.given_on, p.created_at")
    made = entries(rows)
    for client, organiser, seq, state, by, at in made:
        # Every value is a UUID, a number, a known word or a timestamp made above: no text of anyone's.
        by_sql = f"'{uuid.UUID(by)}'" if by else "NULL"
        await engine.run_ddl(
            "INSERT INTO vc_research_consent (id, client, organiser_id, seq, state, recorded_as, recorded_by, how, at) "
            f"VALUES ('{uuid.uuid4()}', '{uuid.UUID(client)}', '{uuid.UUID(organiser)}', {int(seq)}, "
            f"'{'given' if state == 'given' else 'withdrawn'}', 'counsellor', {by_sql}, 'in_person', '{at}')")
    return len(made)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    manager.add_raw(copy_plan_consents)
    return manager
