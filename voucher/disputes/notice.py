"""Who hears of a capture and of its dispute, in the transaction that made it (the notification
outbox of marketplace.notifications: in-app at once, e-mail when the person has an address).

* A capture: the client's own accounts and every proxy with a grant in force — provider, listing
  (when one was named), amount, and until when it may be disputed, with the link to the payment's
  page (``/budget/payments/<capture id>``, where the dispute form is). A proxy's message also names
  the client (by the pseudonym), since a proxy may act for several people.
* A dispute: the organiser's admins and the client's counsellor (the reason is on the pages only).
* A resolution: the client's side and the provider's staff, with the outcome and the organiser's
  reason.

Nothing else about the client goes into a message, and links carry ids only.
"""

import datetime as dt
from typing import Any

from core import identity
from core.identity import UserBrief
from marketplace import notifications
from voucher import marketplace_port, proxies
from voucher.tables import Client

CAPTURED = "card_captured"
BOOKING_CAPTURED = "booking_captured"
DISPUTED = "card_disputed"
RESOLVED = "card_dispute_resolved"


def payment_path(capture_id: Any) -> str:
    return f"/budget/payments/{capture_id}"


async def client_side(client_id: Any) -> tuple[list[UserBrief], set[str]]:
    """The client's own active accounts and their proxies' (grants in force); the proxies' ids."""
    own = await identity.users_with(None, client_id=client_id)
    own_ids = {u.id for u in own}
    proxy_ids = [i for i in await proxies.proxy_user_ids(client_id) if i not in own_ids]
    return own + (await identity.users_with(None, user_ids=proxy_ids) if proxy_ids else []), set(proxy_ids)


async def _facts(provider_id: Any, listing_id: Any) -> dict:
    provider = (await marketplace_port.provider_names([provider_id])).get(str(provider_id), "")
    title = (await marketplace_port.listing_titles([listing_id])).get(str(listing_id), {}) if listing_id else {}
    return {"provider": provider, "title": title}


async def _client_label(client_id: Any) -> str:
    row = await Client.select(Client.display_name).where(Client.id == client_id).first().run()
    return row["display_name"] if row else ""


async def _send(kind: str, users: list[UserBrief], params: dict, now: dt.datetime, client_id: Any, *,
                labelled: set[str] = frozenset(), label: str = "") -> None:
    seen: set[str] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        # Only those who act for someone else are told whose payment it is.
        own = {**params, "client": label} if user.id in labelled else params
        if own.get("client"):
            # Whose label it is, so pseudonymising the client (marketplace.booking.privacy) finds it.
            own = {**own, "client_id": str(client_id)}
        await notifications.notify_user(kind, {"id": user.id, "email": user.email, "language": user.language}, own,
                                        now=now)


async def captured(capture: Any, listing_id: Any, now: dt.datetime) -> None:
    """Tell the client's side of a capture (a ``Capture`` row object), in the caller's transaction."""
    if not capture.client_id:
        return
    users, proxy_ids = await client_side(capture.client_id)
    if not users:
        return
    disputable = capture.dispute_until is not None and capture.dispute_until > now
    params = {**await _facts(capture.provider_id, listing_id), "amount_cents": capture.amount_cents,
              "path": payment_path(capture.id)}
    if disputable:
        params["until"] = capture.dispute_until.isoformat()
    await _send(CAPTURED if disputable else BOOKING_CAPTURED, users, params, now, capture.client_id, labelled=proxy_ids,
                label=await _client_label(capture.client_id) if proxy_ids else "")


async def disputed(dispute: dict, capture: dict, listing_id: Any, counsellor_id: Any, now: dt.datetime) -> None:
    """Tell the organiser's admins and the client's counsellor that a payment waits for a decision."""
    admins = await identity.users_with("organiser_admin", organiser_id=dispute["organiser_id"])
    counsellors = await identity.users_with("counsellor", organiser_id=dispute["organiser_id"],
                                            user_ids=[counsellor_id]) if counsellor_id else []
    base = {**await _facts(capture["provider_id"], listing_id), "amount_cents": capture["amount_cents"],
            "client": await _client_label(dispute["client_id"])}
    await _send(DISPUTED, admins, {**base, "path": "/organiser/disputes?kind=cards"}, now, dispute["client_id"])
    await _send(DISPUTED, [c for c in counsellors if c.id not in {a.id for a in admins}],
                {**base, "path": f"/counsellor/clients/{dispute['client_id']}#disputes-h"}, now, dispute["client_id"])


async def resolved(dispute: dict, capture: dict, listing_id: Any, now: dt.datetime) -> None:
    """Tell the client's side and the provider's staff how the organiser decided, and why."""
    params = {**await _facts(capture["provider_id"], listing_id), "amount_cents": capture["amount_cents"],
              "decision": dispute["status"], "refund_cents": dispute["refund_cents"],
              "reason": dispute["resolution_reason"]}
    users, proxy_ids = await client_side(dispute["client_id"])
    await _send(RESOLVED, users, {**params, "path": payment_path(capture["id"])}, now, dispute["client_id"],
                labelled=proxy_ids,
                label=await _client_label(dispute["client_id"]) if proxy_ids else "")
    staff = await identity.users_with("provider_staff", provider_id=capture["provider_id"])
    await _send(RESOLVED, staff, {**params, "path": "/provider/settlements"}, now, dispute["client_id"])

