from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T13:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "the copies start with every payment and goal score already booked (from then on the voucher's facts "
    "keep them); indexes for reading them by organiser or client and time"
)

# What admin.facts makes of each fact, said once more in SQL over the rows already booked: a
# capture's category is its authorisation's, else its line's; a refund takes its capture's
# dimensions. Run once, in the migration's transaction, before the app can publish a fact.
CAPTURES = """
INSERT INTO ad_movement (id, kind, capture_id, authorization_id, organiser_id, client_id, provider_id, line_id,
    listing_id, category, client_group, municipality, client_municipality, source, flag, authorised_cents,
    amount_cents, created_at)
SELECT c.id, 'capture', c.id, c.authorization_id, c.organiser_id, c.client_id, c.provider_id, c.line_id,
    a.listing_id, COALESCE(NULLIF(a.category, ''), l.category, ''), COALESCE(cl.client_group, ''),
    COALESCE(li.municipality, ''), COALESCE(cl.municipality, ''), COALESCE(a.source, ''), COALESCE(c.flag, ''),
    COALESCE(a.amount_cents, 0), c.amount_cents, c.created_at
FROM vc_capture c
LEFT JOIN vc_authorization a ON a.id = c.authorization_id
LEFT JOIN vc_budget_line l ON l.id = c.line_id
LEFT JOIN vc_client cl ON cl.id = c.client_id
LEFT JOIN mp_listing li ON li.id = a.listing_id
"""
REFUNDS = """
INSERT INTO ad_movement (id, kind, capture_id, authorization_id, organiser_id, client_id, provider_id, line_id,
    listing_id, category, client_group, municipality, client_municipality, source, flag, authorised_cents,
    amount_cents, created_at)
SELECT r.id, 'refund', r.capture, m.authorization_id, r.organiser_id, m.client_id, r.provider_id, m.line_id,
    m.listing_id, m.category, m.client_group, m.municipality, m.client_municipality, m.source, '', m.authorised_cents,
    r.amount_cents, r.created_at
FROM vc_refund r JOIN ad_movement m ON m.id = r.capture
"""
SCORES = """
INSERT INTO ad_goal_score (id, goal_id, client_id, organiser_id, client_group, score, scored_at, recorded_at)
SELECT s.id, s.goal, cl.id, cl.organiser_id, cl.client_group, s.score, s.scored_at, s.recorded_at
FROM vc_goal_score s
JOIN vc_plan_goal g ON g.id = s.goal
JOIN vc_client_plan p ON p.id = g.plan
JOIN vc_client cl ON cl.id = p.client
"""
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ad_movement_organiser_at ON ad_movement (organiser_id, created_at)",
    "CREATE INDEX IF NOT EXISTS ad_movement_client_at ON ad_movement (client_id, created_at)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="admin", description=DESCRIPTION)

    async def copy_what_is_booked():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for sql in (CAPTURES, REFUNDS, SCORES, *INDEXES):
            await engine.run_ddl(sql)

    manager.add_raw(copy_what_is_booked)
    return manager
