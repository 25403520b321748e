"""The raw-table admin (piccolo_admin) at ``/admin/raw/``, for platform admins only.

* Who: the app's own sign-in. A guard lets only a platform admin (signed in as a person) through;
  piccolo_admin's own user tables and login are not used — its authentication backend is replaced
  by one that hands it the platform's actor.
* What it shows: the tables each package lists for it (``RAW_ADMIN_TABLES`` in core.raw_tables,
  marketplace.raw_tables, voucher.raw_tables and below), built once at import. Sessions, API keys,
  login identities, idempotency records, Stripe events and the console's rollups are not there at
  all. Users, clients and cards are shown through their owners' views without their secrets
  (password hash, national-id hash, card-token hash).
* What it may change: what the owning package allows and nothing else — the catalogue settings,
  and of a client only the counsellor (``counsellor_id``): personal fields stay read-only. Ledger
  tables (lines, authorisations, captures, refunds, transfers, settlement) are read-only — writes
  there would bypass the voucher's rules. Every refused write is a 403; every allowed one is audited.
* Every read is audited: one ``admin.raw.read`` event per data request, and for tables that hold a
  client's data one ``client_data.read`` per client whose rows were returned (each package says
  where its rows name their client).
"""

import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from litestar import asgi
from litestar.types import Receive, Scope, Send
from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.middleware.authentication import AuthenticationMiddleware

from admin import tables as admin_tables
from admin.access import require_platform_admin
from core import audit, db, http
from core import raw_tables as core_raw
from core.identity import Actor
from core.raw_tables import RawTable, ids_in
from core.web import get_actor
from marketplace import raw_tables as marketplace_raw
from voucher import raw_tables as voucher_raw

MOUNT = "/admin/raw"
# piccolo_admin's bundled app styles its icons and layout inline; its scripts stay 'self' only.
http.allow_inline_styles(MOUNT + "/")

# The console's own: flags (naming clients) and payout confirmations. Its rollups are not shown.
RAW_ADMIN_TABLES = (
    RawTable(table=admin_tables.AnomalyFlag, client_column="client_id"),
    RawTable(table=admin_tables.PayoutConfirmation),
)
SHOWN: dict[str, RawTable] = {
    spec.name: spec for spec in (*marketplace_raw.RAW_ADMIN_TABLES, *core_raw.RAW_ADMIN_TABLES,
                                 *voucher_raw.RAW_ADMIN_TABLES, *RAW_ADMIN_TABLES)
}


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

    app = create_admin([spec.table for spec in SHOWN.values()], site_name="HB – raakataulut", page_size=25, production=True,
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
        if parts[2] == "grouped":  # the list of tables by group, not a table
            return None, None
        row = parts[3] if len(parts) >= 4 and parts[3] not in ("new", "schema", "count", "ids", "references") else None
        return parts[2], row
    return None, None


def _is_data_read(sub_path: str) -> bool:
    parts = [p for p in sub_path.split("/") if p]
    return len(parts) in (3, 4) and parts[:2] == ["api", "tables"] and parts[2] != "grouped" and (len(parts) == 3 or parts[3] not in (
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
    spec = SHOWN.get(table) if table is not None else None
    if spec is None:
        # piccolo_admin's own login, logout, password change, media and forms are not used here.
        return False
    if spec.writable:
        return True
    if spec.editable and method == "PATCH" and row:
        try:
            fields = set(json.loads(body or b"{}"))
        except (ValueError, TypeError):
            return False
        return bool(fields) and fields <= spec.editable
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
    for spec in SHOWN.values():  # views are not in any app: bind every table shown to the engine in use
        spec.table._meta.db = db.engine()
    method = scope.get("method", "GET")
    table, row = _table_of(sub_path)
    if sub_path.startswith(("/public/login", "/api/change-password", "/api/mfa-setup", "/api/media")):
        await _refuse(send, 404, "Not used here: sign in to the platform instead.")
        return
    if table is not None and table not in SHOWN:
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
    spec = SHOWN[table]
    if spec.client_column is None and spec.clients_of is None:
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
    clients = ids_in(rows, spec.client_column) if spec.client_column else await spec.clients_of(rows)
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
