"""The voucher's tables in the platform's raw-table admin (core.raw_tables).

Clients and cards are shown through views without their secrets (national-id hash, card-token
hash). Nothing may be changed there but a client's counsellor: a client's personal fields stay
read-only, and the ledger (lines, authorisations, captures, refunds, transfers, settlement) is
read-only — a write there would bypass the voucher's rules. Idempotency records and Stripe events
are not shown at all. Each table says where its rows name their client, for the access log.
"""

from piccolo.columns import UUID, Integer, Timestamptz, Varchar
from piccolo.table import Table

from core.raw_tables import RawTable, ids_in
from voucher.tables import (
    Account,
    Authorization,
    BudgetDecision,
    BudgetLine,
    Capture,
    ClientClass,
    ClientPlan,
    GoalScore,
    HbClass,
    HbTariff,
    Payout,
    PlanGoal,
    ProxyGrant,
    Refund,
    SettlementBatch,
    SettlementItem,
    Transfer,
)


class ClientView(Table, tablename="vc_client"):
    """Clients without the national-id hash."""

    id = UUID(primary_key=True)
    ref = Varchar(length=100, null=True)
    organiser_id = UUID()
    display_name = Varchar(length=200)
    client_group = Varchar(length=64)
    counsellor_id = UUID(null=True)
    language = Varchar(length=2)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CardView(Table, tablename="vc_card"):
    """Cards without the token hash."""

    id = UUID(primary_key=True)
    client = UUID()
    token_hint = Varchar(length=8)
    status = Varchar(length=16)
    per_transaction_limit_cents = Integer(null=True)
    daily_limit_cents = Integer(null=True)
    created_at = Timestamptz()
    closed_at = Timestamptz(null=True)


async def _clients_of_goals(rows: list[dict]) -> list:
    ids = ids_in(rows, "goal")
    return [r["goal.plan.client"] for r in await PlanGoal.select(PlanGoal.plan.client.as_alias("goal.plan.client")).where(
        PlanGoal.id.is_in(ids)).run()] if ids else []


async def _clients_of_plans(rows: list[dict]) -> list:
    ids = ids_in(rows, "plan")
    return [r["client"] for r in await ClientPlan.select(ClientPlan.client).where(ClientPlan.id.is_in(ids)).run()] if ids else []


async def _clients_of_captures(ids: list) -> list:
    return [r["client_id"] for r in await Capture.select(Capture.client_id).where(Capture.id.is_in(ids)).run()] if ids else []


async def _clients_of_refunds(ids: list) -> list:
    return [r["capture.client_id"] for r in await Refund.select(Refund.capture.client_id).where(
        Refund.id.is_in(ids)).run()] if ids else []


async def _clients_of_refund_rows(rows: list[dict]) -> list:
    return await _clients_of_captures(ids_in(rows, "capture"))


async def _clients_of_items(rows: list[dict]) -> list:
    return await _clients_of_captures(ids_in(rows, "capture_id")) + await _clients_of_refunds(ids_in(rows, "refund_id"))


async def _clients_of_transfers(rows: list[dict]) -> list:
    codes = [r["code"] for r in await Account.select(Account.code).where(
        Account.id.is_in(ids_in(rows, "debit_account_id", "credit_account_id") or [None])).run()]
    lines = ids_in([{"line": code.removeprefix("line:")} for code in codes if code.startswith("line:")], "line")
    return [r["client_id"] for r in await BudgetLine.select(BudgetLine.client_id).where(
        BudgetLine.id.is_in(lines)).run()] if lines else []


RAW_ADMIN_TABLES = (
    # A client's counsellor may be reassigned; the client's personal fields may not be changed here.
    RawTable(table=ClientView, editable=frozenset({"counsellor_id"}), client_column="id"),
    RawTable(table=CardView, client_column="client"),
    RawTable(table=ProxyGrant, client_column="client"),
    RawTable(table=ClientPlan, client_column="client"),
    RawTable(table=PlanGoal, clients_of=_clients_of_plans),
    RawTable(table=GoalScore, clients_of=_clients_of_goals),
    RawTable(table=BudgetDecision, client_column="client"),
    RawTable(table=BudgetLine, client_column="client_id"),
    RawTable(table=HbClass),
    RawTable(table=HbTariff),
    RawTable(table=ClientClass, client_column="client_id"),
    RawTable(table=Authorization, client_column="client_id"),
    RawTable(table=Capture, client_column="client_id"),
    RawTable(table=Refund, clients_of=_clients_of_refund_rows),
    RawTable(table=Account),
    RawTable(table=Transfer, clients_of=_clients_of_transfers),
    RawTable(table=Payout),
    RawTable(table=SettlementBatch),
    RawTable(table=SettlementItem, clients_of=_clients_of_items),
)
