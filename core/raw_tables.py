"""What the platform's raw-table admin (piccolo_admin, mounted by admin.raw) may show of each
package's tables, declared by the package that owns them.

Each package lists its tables as ``RAW_ADMIN_TABLES`` of ``RawTable``: the table itself, or a view
of it without its secrets (a Piccolo class over the same database table with fewer columns, never
migrated); what a platform admin may change there (nothing unless it says so); and where a row
names the client it belongs to, so that every read of a client's data goes to the access log. The
raw admin shows what the packages list and nothing else, so a table with secrets or a ledger stays
out of reach (or read-only) by its owner's say, next to its columns.

Core lists its users (without password hashes) and the audit log.
"""

import uuid
from collections.abc import Awaitable, Callable

import msgspec
from piccolo.columns import UUID, Boolean, Timestamptz, Varchar
from piccolo.table import Table

from core.tables import AuditEvent


class RawTable(msgspec.Struct, frozen=True, kw_only=True):
    # A Piccolo table class: the package's own, or a view of it without secrets.
    table: type[Table]
    # A platform admin may insert, change and delete its rows (catalogue settings only).
    writable: bool = False
    # Otherwise: the columns a platform admin may change in an existing row (and nothing else).
    editable: frozenset[str] = frozenset()
    # The column that names the client a row belongs to ...
    client_column: str | None = None
    # ... or, for rows that name their client only through another row, what finds the clients
    # behind a page of rows (called with the rows as piccolo_admin returned them).
    clients_of: Callable[[list[dict]], Awaitable[list]] | None = None

    @property
    def name(self) -> str:
        return self.table._meta.tablename


def ids_in(rows: list[dict], *columns: str) -> list[uuid.UUID]:
    """The ids in these columns of the rows (anything else is left out), sorted."""
    found = set()
    for row in rows:
        for column in columns:
            try:
                found.add(uuid.UUID(str(row.get(column))))
            except (TypeError, ValueError):
                continue
    return sorted(found)


class UserView(Table, tablename="hb_user"):
    """Users without their password hashes."""

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


async def _clients_in_audit(rows: list[dict]) -> list:
    return ids_in([r for r in rows if r.get("subject_type") == "client"], "subject_id")


RAW_ADMIN_TABLES = (
    RawTable(table=UserView, client_column="client_id"),
    RawTable(table=AuditEvent, clients_of=_clients_in_audit),
)
