from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T04:22:39:000000"
VERSION = "1.38.0"
DESCRIPTION = "voucher constraints (unique keys, money checks) and indexes, on SQLite and PostgreSQL"

# Unique keys over several columns: a unique index means the same on both databases.
UNIQUE = {
    "vc_budget_line_decision_category": ("vc_budget_line", "decision, category"),
    "vc_idempotency_scope_key": ("vc_idempotency", "scope, key"),
    "vc_settlement_batch_period": ("vc_settlement_batch", "organiser_id, provider_id, period_start"),
}

# Checks that keep money sane whatever code runs. PostgreSQL gets CHECK constraints; SQLite cannot
# add them to an existing table, so it gets triggers that abort the offending INSERT or UPDATE.
# ``{n}`` stands for the row: nothing in a CHECK, ``NEW.`` in a trigger.
CHECKS = {
    "vc_budget_line": {
        "vc_line_counters_non_negative": "{n}held_cents >= 0 AND {n}spent_cents >= 0 AND {n}swap_used_cents >= 0",
        "vc_line_never_below_zero": "{n}granted_cents - {n}held_cents - {n}spent_cents >= 0",
        "vc_line_swap_within_cap": "{n}swap_cap_cents IS NULL OR {n}swap_used_cents <= {n}swap_cap_cents",
    },
    "vc_card": {
        "vc_card_status": "{n}status IN ('active', 'frozen', 'closed')",
    },
    "vc_transfer": {
        "vc_transfer_positive": "{n}amount_cents > 0",
        "vc_transfer_two_accounts": "{n}debit_account_id <> {n}credit_account_id",
    },
    "vc_authorization": {
        "vc_authorization_amount_positive": "{n}amount_cents > 0",
        "vc_authorization_capture_within_hold": "{n}captured_cents >= 0 AND {n}captured_cents <= {n}amount_cents",
    },
    "vc_capture": {
        "vc_capture_amount_positive": "{n}amount_cents > 0",
        "vc_capture_refunds_within": "{n}refunded_cents >= 0 AND {n}refunded_cents <= {n}amount_cents",
    },
    "vc_refund": {
        "vc_refund_amount_positive": "{n}amount_cents > 0",
    },
    "vc_goal_score": {
        "vc_goal_score_gas_range": "{n}score BETWEEN -2 AND 2",
    },
}

# Plain SQL that means the same on SQLite and PostgreSQL (both have partial indexes).
INDEXES = (
    # Holds still counting against a line: the lazy-expiry sum and the sweeper read these.
    "CREATE INDEX IF NOT EXISTS vc_authorization_live_hold "
    "ON vc_authorization (line_id, expires_at) WHERE status = 'approved'",
    "CREATE INDEX IF NOT EXISTS vc_authorization_expiring ON vc_authorization (expires_at) WHERE status = 'approved'",
    "CREATE INDEX IF NOT EXISTS vc_budget_decision_client_status ON vc_budget_decision (client, status, start)",
    "CREATE INDEX IF NOT EXISTS vc_capture_provider_created ON vc_capture (organiser_id, provider_id, created_at)",
    "CREATE INDEX IF NOT EXISTS vc_refund_provider_created ON vc_refund (organiser_id, provider_id, created_at)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def constraints_and_indexes():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for name, (table, columns) in UNIQUE.items():
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        for table, checks in CHECKS.items():
            for name, condition in checks.items():
                if engine.engine_type == "sqlite":
                    for op in ("INSERT", "UPDATE"):
                        await engine.run_ddl(
                            f"CREATE TRIGGER IF NOT EXISTS {name}_{op.lower()} BEFORE {op} ON {table} "
                            f"FOR EACH ROW WHEN NOT ({condition.format(n='NEW.')}) "
                            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                        )
                else:
                    await engine.run_ddl(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition.format(n='')})")
        for ddl in INDEXES:
            await engine.run_ddl(ddl)

    manager.add_raw(constraints_and_indexes)
    return manager

