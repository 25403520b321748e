"""How a county's staff sign in: with a password, or only through the county's own identity
provider (``Organiser.staff_password_login``, read by ``core.eid.password_allowed``). The county's
admin (or a platform admin) turns it off and on; each change is audited."""

from typing import Any

from core import audit
from core.errors import Forbidden, NotFound
from core.identity import Actor, require
from core.ids import as_uuid
from marketplace.tables import Organiser


async def staff_password_login(organiser_id: Any) -> bool:
    """May the county's admins and counsellors sign in with a password? (Yes for an unknown county:
    this rule only ever takes a way away.)"""
    oid = as_uuid(organiser_id)
    if oid is None:
        return True
    row = await Organiser.select(Organiser.staff_password_login).where(Organiser.id == oid).first().run()
    return True if row is None else bool(row["staff_password_login"])


async def set_staff_password_login(actor: Actor, organiser_id: Any, allowed: bool) -> None:
    require(actor, "organiser_admin", "platform_admin")
    oid = as_uuid(organiser_id)
    if actor.role == "organiser_admin" and str(oid) != actor.organiser_id:
        raise Forbidden()
    rows = await Organiser.update({Organiser.staff_password_login: allowed}).where(Organiser.id == oid).returning(
        Organiser.id).run() if oid else []
    if not rows:
        raise NotFound()
    await audit.record(actor, "organiser.staff_password_login", "organiser", oid, organiser_id=oid,
                       details={"allowed": allowed})
