"""Who may write what through an import (`hb-import/1`): one rule, checked record by record while
the file is validated, before anything is written.

The operator's `hb import` (and `hb demo`) and a platform admin may write everything. An organiser
admin (`POST /api/v1/imports`) may write only its own county's records:

- **Its own**: its clients with their budget decisions and HB cards (the client's organiser is the
  admin's county), the county's own approvals of providers and listings, the card rules in its own
  organiser record (``card_consent``, ``price_tolerance_bp``, ``open_amount``: the admin sets them on
  ``/organiser/card-rules`` too), and providers that are not on the platform yet, with their listings (a county moving a pilot brings its providers). One
  admin then both wrote a provider's account and approved it, so the provider is paid as after a
  change of account: payouts in its first 30 days wait for a second admin (``admin.payouts``).
- **Another county's**: refused wherever it appears, changed or not: any organiser record other than
  the admin's own (a new organiser too), another county's clients, decisions and cards (also a ref
  the platform already holds for another county, whatever the file says about it) and another
  county's approvals.
- **Shared**: everything else may appear only exactly as stored, as a reference. Creating one or
  changing any field is refused: service categories (the whole platform's), the admin's own
  organiser record (bank details and settlement period change under the operator's dual control,
  never by a file), providers and listings already on the platform (their details, bank account,
  evidence, categories and listings are the provider's), and API keys (``issue_api_key``: a provider
  makes its own).

A refused file is answered 403 with every refused record as ``{ref, field, message}``, and nothing
is written. The rule is strict on purpose: whose a record is decides, never what the change would
do; another county's record is refused even unchanged, so a file cannot confirm what it holds.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any

from core.errors import FieldError, Forbidden
from core.identity import Actor
from marketplace.tables import Organiser


class Owner(Enum):
    OWN = "own"  # the importing county's record (or, for the operator, anyone's)
    OTHER = "other"  # another county's: refused wherever it appears
    SHARED = "shared"  # the platform's or a provider's: may appear only unchanged


@dataclass(frozen=True)
class Write:
    """What one record (or one part of it) of the file would write, and whose it is."""

    ref: str
    field: str
    owner: Owner
    changes: tuple[str, ...] = ()  # for a shared record: the fields the file would create or change


@dataclass(frozen=True)
class ImportScope:
    everything: bool
    organiser_id: str | None = None
    organiser_ref: str | None = None

    def owner(self, organiser_ref: Any = None, *, organiser_id: Any = None) -> Owner:
        """OWN when the record belongs to the importing county (by its ref or its id), else OTHER."""
        if organiser_ref is not None and self.organiser_ref is not None and organiser_ref == self.organiser_ref:
            return Owner.OWN
        if organiser_id is not None and self.organiser_id is not None and str(organiser_id) == self.organiser_id:
            return Owner.OWN
        return Owner.OTHER

    def refusals(self, writes: list[Write]) -> list[FieldError]:
        if self.everything:
            return []
        out = []
        for w in writes:
            if w.owner is Owner.OTHER:
                out.append(FieldError(field=w.field, key="import.scope.other_county", ref=w.ref))
            elif w.owner is Owner.SHARED:
                out.extend(FieldError(field=name, key="import.scope.shared", ref=w.ref) for name in w.changes)
        return out


OPERATOR = ImportScope(everything=True)


async def scope_of(actor: Actor) -> ImportScope:
    """The operator and platform admins write everything; an organiser admin its own county's
    records; nobody else imports."""
    if actor.role == "platform_admin":
        return OPERATOR
    if actor.role != "organiser_admin" or not actor.organiser_id:
        raise Forbidden()
    row = await Organiser.select(Organiser.ref).where(Organiser.id == actor.organiser_id).first().run()
    return ImportScope(everything=False, organiser_id=str(actor.organiser_id), organiser_ref=row["ref"] if row else None)
