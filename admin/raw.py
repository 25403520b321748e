"""The raw-table admin (piccolo_admin) at ``/admin/raw/``, for platform admins only.

* Who: the app's own sign-in. A guard lets only a platform admin (signed in as a person) through;
  piccolo_admin's own user tables and login are not used — its authentication backend is replaced
  by one that hands it the platform's actor.
* What it shows: the business tables, built once at import. Sessions, API keys, login identities,
  idempotency records, Stripe events and the console's rollups are not there at all. Users, clients
  and cards are shown through views without their secrets (password hash, national-id hash,
  card-token hash).
* What it may change: nothing but the tables in ``WRITABLE`` (catalogue settings), and of a client
  only the counsellor (``counsellor_id``): personal fields stay read-only. Ledger tables (lines,
  authorisations, captures, refunds, transfers, settlement) are read-only — writes there would
  bypass the voucher's rules. Every refused write is a 403; every allowed one is audited.
* Every read is audited: one ``admin.raw.read`` event per data request, and for tables that hold a
  client's data one ``client_data.read`` per client whose rows were returned.
"""

import json
import uuid
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from litestar import asgi
from litestar.types import Receive, Scope, Send
from piccolo.columns import UUID, Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table
from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.middleware.authentication import AuthenticationMiddleware

from admin import tables as admin_tables
from admin.access import require_platform_admin
from core import audit, db
from core.identity import Actor
from core.tables import AuditEvent
from core.web import get_actor
from marketplace import tables as mp
from voucher import tables as vc

MOUNT = "/admin/raw"


# --- Views without secrets (same database tables, fewer columns; never migrated) -----------------


class UserView(Table, tablename="hb_user"):
    id = UUID(primary_key=True)
    email = Varchar(length=254)
    display_name = Varchar(length=200)
    role = Varchar(length=32)
    language = Varchar(length=2)
    organiser_id = UUID(null=True)
    provider_id = UUID(null=True)
    client_id = UUID(null=True)
    active = Boolean()
    created_at = Timestamptz()


class ClientView(Table, tablename="vc_client"):
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
    id = UUID(primary_key=True)
    client = UUID()
    token_hint = Varchar(length=8)
    status = Varchar(length=16)
    per_transaction_limit_cents = Integer(null=True)
    daily_limit_cents = Integer(null=True)
    created_at = Timestamptz()
    closed_at = Timestamptz(null=True)


VIEWS = (UserView, ClientView, CardView)
SHOWN = (
    mp.Organiser, mp.ServiceCategory, mp.Provider, mp.ProviderEvidence, mp.ProviderApproval, mp.ProviderCategoryApproval,
    mp.Listing,
    mp.ListingRevision, mp.ListingApproval, mp.ListingReview,
    UserView, ClientView, CardView, vc.ProxyGrant, vc.ClientPlan, vc.PlanGoal, vc.GoalScore,
    vc.BudgetDecision, vc.BudgetLine, vc.Authorization, vc.Capture, vc.Refund, vc.Account, vc.Transfer,
    vc.Payout, vc.SettlementBatch, vc.SettlementItem,
    AuditEvent, admin_tables.AnomalyFlag, admin_tables.PayoutConfirmation,
)
# Catalogue settings a platform admin may edit here; everything else is read-only.
WRITABLE = {mp.ServiceCategory._meta.tablename, mp.Organiser._meta.tablename}
# A client's counsellor may be reassigned; the client's personal fields may not be changed here.
CLIENT_EDITABLE = {"counsellor_id"}
# Where each table keeps the client a row belongs to (for the access log).
CLIENT_COLUMN = {
    "vc_client": "id", "vc_proxy_grant": "client", "vc_client_plan": "client", "vc_budget_decision": "client",
    "vc_budget_line": "client_id", "vc_card": "client", "vc_authorization": "client_id", "vc_capture": "client_id",
    "ad_anomaly_flag": "client_id", "hb_user": "client_id",
}


def _ids(rows: list[dict], *columns: str) -> list[uuid.UUID]:
    found = set()
    for row in rows:
        for column in columns:
            try:
                found.add(uuid.UUID(str(row.get(column))))
            except (TypeError, ValueError):
                continue
    return sorted(found)


async def _clients_of_goals(rows: list[dict]) -> list:
    ids = _ids(rows, "goal")
    return [r["goal.plan.client"] for r in await vc.PlanGoal.select(vc.PlanGoal.plan.client.as_alias("goal.plan.client")).where(
        vc.PlanGoal.id.is_in(ids)).run()] if ids else []


async def _clients_of_plans(rows: list[dict]) -> list:
    ids = _ids(rows, "plan")
    return [r["client"] for r in await vc.ClientPlan.select(vc.ClientPlan.client).where(
        vc.ClientPlan.id.is_in(ids)).run()] if ids else []


async def _clients_of_captures(ids: list) -> list:
    return [r["client_id"] for r in await vc.Capture.select(vc.Capture.client_id).where(
        vc.Capture.id.is_in(ids)).run()] if ids else []


async def _clients_of_refunds(ids: list) -> list:
    return [r["capture.client_id"] for r in await vc.Refund.select(vc.Refund.capture.client_id).where(
        vc.Refund.id.is_in(ids)).run()] if ids else []


async def _clients_of_items(rows: list[dict]) -> list:
    return await _clients_of_captures(_ids(rows, "capture_id")) + await _clients_of_refunds(_ids(rows, "refund_id"))


async def _clients_of_transfers(rows: list[dict]) -> list:
    codes = [r["code"] for r in await vc.Account.select(vc.Account.code).where(
        vc.Account.id.is_in(_ids(rows, "debit_account_id", "credit_account_id") or [None])).run()]
    lines = _ids([{"line": code.removeprefix("line:")} for code in codes if code.startswith("line:")], "line")
    return [r["client_id"] for r in await vc.BudgetLine.select(vc.BudgetLine.client_id).where(
        vc.BudgetLine.id.is_in(lines)).run()] if lines else []


async def _clients_in_audit(rows: list[dict]) -> list:
    return _ids([r for r in rows if r.get("subject_type") == "client"], "subject_id")


# Tables whose rows name their client only through another row: what finds the clients behind them.
CLIENT_VIA = {
    "vc_plan_goal": _clients_of_plans,
    "vc_goal_score": _clients_of_goals,
    "vc_refund": lambda rows: _clients_of_captures(_ids(rows, "capture")),
    "vc_settlement_item": _clients_of_items,
    "vc_transfer": _clients_of_transfers,
    "hb_audit_event": _clients_in_audit,
}
TABLE_NAMES = {t._meta.tablename for t in SHOWN}


# --- piccolo_admin, built once -----------------------------------------------------------------------


class PlatformUser(BaseUser):
    """What piccolo_admin sees as its user: the platform admin, never a superuser of its own."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.user = SimpleNamespace(id=actor.user_id, username=actor.display_name, admin=True, superuser=False,
                                    active=True)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.actor.display_name

    @property
    def user_id(self) -> str:
        return str(self.actor.user_id)

    @property
    def identity(self) -> str:
        return str(self.actor.user_id)


class PlatformAuth(AuthenticationBackend):
    async def authenticate(self, conn):
        actor = conn.scope.get("hb_actor")
        if actor is None or actor.role != "platform_admin":
            return None
        return AuthCredentials(["authenticated"]), PlatformUser(actor)


def _build() -> Any:
    from piccolo_admin.endpoints import create_admin

    app = create_admin(list(SHOWN), site_name="HB – raakataulut", page_size=25, production=True,
                       allowed_hosts=[], default_language_code="fi")
    for route in app.router.routes:
        inner = getattr(route, "app", None)
        while inner is not None and not isinstance(inner, AuthenticationMiddleware):
            inner = getattr(inner, "app", None)
        if inner is not None:
            inner.backend = PlatformAuth()
    return app


_ADMIN: dict[str, Any] = {}


def admin_app() -> Any:
    if "app" not in _ADMIN:
        _ADMIN["app"] = _build()
    return _ADMIN["app"]


# --- The mount: guard, policy, audit -----------------------------------------------------------------


async def platform_admin_only(connection, handler) -> None:
    require_platform_admin(await get_actor(connection))


def _table_of(sub_path: str) -> tuple[str | None, str | None]:
    """``/api/tables/<table>/<row>/`` → (table, row id or None)."""
    parts = [p for p in sub_path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "api" and parts[1] == "tables":
        row = parts[3] if len(parts) >= 4 and parts[3] not in ("new", "schema", "count", "ids", "references") else None
        return parts[2], row
    return None, None


def _is_data_read(sub_path: str) -> bool:
    parts = [p for p in sub_path.split("/") if p]
    return len(parts) in (3, 4) and parts[:2] == ["api", "tables"] and (len(parts) == 3 or parts[3] not in (
        "new", "schema", "count", "ids", "references"))


async def _refuse(send: Send, status: int = 403, detail: str = "Read-only in the platform's raw-table admin.") -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = {"done": False}

    async def receive() -> dict:
        if not sent["done"]:
            sent["done"] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _write_allowed(method: str, table: str | None, row: str | None, body: bytes, sub_path: str) -> bool:
    if table is None:
        # piccolo_admin's own login, logout, password change, media and forms are not used here.
        return False
    if table in WRITABLE:
        return True
    if table == "vc_client" and method == "PATCH" and row:
        try:
            fields = set(json.loads(body or b"{}"))
        except (ValueError, TypeError):
            return False
        return bool(fields) and fields <= CLIENT_EDITABLE
    return False


@asgi(MOUNT, is_mount=True, is_static=True, copy_scope=True, guards=[platform_admin_only], include_in_schema=False)
async def mount(scope: Scope, receive: Receive, send: Send) -> None:
    raw = scope.get("raw_path") or scope["path"].encode()
    full_path = unquote(raw.decode("latin-1").split("?", 1)[0])
    if full_path == MOUNT:
        await send({"type": "http.response.start", "status": 308, "headers": [(b"location", f"{MOUNT}/".encode())]})
        await send({"type": "http.response.body", "body": b""})
        return
    sub_path = full_path[len(MOUNT):] or "/"
    actor: Actor = scope["hb_actor"]
    for view in VIEWS:  # the views are not in any app, so bind them to the engine in use
        view._meta.db = db.engine()
    method = scope.get("method", "GET")
    table, row = _table_of(sub_path)
    if sub_path.startswith(("/public/login", "/api/change-password", "/api/mfa-setup", "/api/media")):
        await _refuse(send, 404, "Not used here: sign in to the platform instead.")
        return
    if table is not None and table not in TABLE_NAMES:
        await _refuse(send, 404, "No such table.")
        return
    if method not in ("GET", "HEAD", "OPTIONS"):
        body = await _read_body(receive)
        if sub_path.startswith("/public/logout"):
            await _refuse(send, 200, "Sign out of the platform to end the session.")
            return
        if not _write_allowed(method, table, row, body, sub_path):
            await audit.record(actor, "admin.raw.write_refused", "table", table or sub_path[:64],
                               details={"method": method, "row": row})
            await _refuse(send)
            return
        await audit.record(actor, "admin.raw.write", "table", table, details={"method": method, "row": row,
                                                                               "fields": _field_names(body)})
        receive = _replay(body)
    inner = {**scope, "path": full_path, "raw_path": raw, "root_path": MOUNT}
    if method != "GET" or not _is_data_read(sub_path):
        await admin_app()(inner, receive, send)
        return
    await audit.record(actor, "admin.raw.read", "table", table, details={"row": row})
    if table not in CLIENT_COLUMN and table not in CLIENT_VIA:
        await admin_app()(inner, receive, send)
        return
    # Read the answer on its way out to log which clients' data it showed.
    chunks: list[bytes] = []

    async def send_and_keep(message: dict) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    await admin_app()(inner, receive, send_and_keep)
    rows = _rows_in(b"".join(chunks))
    if table in CLIENT_COLUMN:
        clients = _ids(rows, CLIENT_COLUMN[table])
    else:
        clients = await CLIENT_VIA[table](rows)
    for client_id in sorted({str(c) for c in clients}):
        await audit.client_data_read(actor, client_id, "raw_admin")


def _field_names(body: bytes) -> list[str]:
    try:
        data = json.loads(body or b"{}")
    except (ValueError, TypeError):
        return []
    return sorted(data) if isinstance(data, dict) else []


def _rows_in(body: bytes) -> list[dict]:
    """The rows of a piccolo_admin answer: a page of rows, or one row."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, TypeError):
        return []
    rows = data.get("rows") if isinstance(data, dict) and "rows" in data else [data]
    return [row for row in rows or [] if isinstance(row, dict)]
