"""The audit log: every approval decision, every money movement, every read of a client's data.

Rows are append-only (database triggers refuse UPDATE and DELETE). ``record`` joins the caller's
transaction when there is one, so a decision and its audit entry are written together or not at all.

Because no row can be changed later, none may name a client: a client acting for themself is
labelled by the platform's pseudonymous client id, never their name (``actor_user_id`` still says
which account acted), so pseudonymising a client leaves nothing in the log that names them.
"""

import contextvars
from typing import Any

from core.identity import Actor
from core.tables import AuditEvent

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("hb_request_id", default="")


async def record(
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: Any,
    *,
    organiser_id: Any = None,
    purpose: str = "",
    reason: str = "",
    details: dict | None = None,
    on_behalf_of: Any = None,
) -> None:
    actor = actor or Actor(role="system", display_name="system")
    label = f"client {actor.client_id}" if actor.role == "client" else actor.display_name
    await AuditEvent.insert(
        AuditEvent(
            actor_user_id=actor.user_id,
            actor_role=actor.role,
            actor_label=label[:200],
            on_behalf_of=on_behalf_of,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            organiser_id=organiser_id,
            purpose=purpose,
            reason=reason or "",
            details=details or {},
            request_id=request_id_var.get(),
        )
    ).run()


async def client_data_read(actor: Actor, client_id: Any, purpose: str, organiser_id: Any = None) -> None:
    """Finnish law requires a log of every access to a client's data: call this on every read."""
    await record(actor, "client_data.read", "client", client_id, organiser_id=organiser_id, purpose=purpose)


async def history(subject_type: str, subject_id: Any, *, organiser_id: Any = None, limit: int = 50) -> list[dict]:
    """What happened to a subject, newest first (reads of client data are left out)."""
    query = AuditEvent.select(
        AuditEvent.at, AuditEvent.actor_label, AuditEvent.actor_role, AuditEvent.action, AuditEvent.reason, AuditEvent.details
    ).where(
        (AuditEvent.subject_type == subject_type) & (AuditEvent.subject_id == str(subject_id))
        & (AuditEvent.action != "client_data.read")
    )
    if organiser_id is not None:
        query = query.where((AuditEvent.organiser_id == organiser_id) | AuditEvent.organiser_id.is_null())
    return await query.order_by(AuditEvent.at, ascending=False).limit(limit).output(load_json=True).run()
