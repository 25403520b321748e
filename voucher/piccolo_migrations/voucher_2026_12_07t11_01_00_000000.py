from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T11:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a settlement batch is in a payout exactly when it has left 'closed'"

# A batch leaves 'closed' only by being claimed for a payout (settlement's conditional update), and
# is never in a payout while closed. PostgreSQL gets a CHECK constraint; SQLite cannot add one to an
# existing table, so it gets triggers that abort the offending INSERT or UPDATE.
NAME = "vc_settlement_batch_in_payout"
CONDITION = "({n}status = 'closed') = ({n}payout_id IS NULL)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def batch_in_payout():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("INSERT", "UPDATE"):
                await engine.run_ddl(
                    f"CREATE TRIGGER IF NOT EXISTS {NAME}_{op.lower()} BEFORE {op} ON vc_settlement_batch "
                    f"FOR EACH ROW WHEN NOT ({CONDITION.format(n='NEW.')}) "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}'); END"
                )
        else:
            await engine.run_ddl(f"ALTER TABLE vc_settlement_batch ADD CONSTRAINT {NAME} CHECK ({CONDITION.format(n='')})")

    manager.add_raw(batch_in_payout)
    return manager
