"""An organiser's rules for card payments: the low-value consent exemption, the price tolerance
and the categories that may be paid without a listing ("open amount"), each with its own cap.

One row per county in ``vc_card_rules``; a county without one has the defaults (50 € a payment,
150 € cumulative, 0 % tolerance, no open-amount category). The authorisation reads a county's rules
in its own snapshot query (``FROM_SNAPSHOT``: no query of its own on the hot path); everyone else
asks ``rules_for``. They change only through ``save`` — the county admin's page
``/organiser/card-rules`` and the import's ``organisers[]`` — which writes only a real change and
audits it with the previous and the new values.
"""

import datetime as dt
import json
from typing import Any

import voucher.card_rules_messages  # noqa: F401 - registers the texts of its checks and page
from core import audit
from core.clock import utcnow
from core.errors import FieldError, Forbidden, Invalid
from core.identity import Actor, require
from core.ids import as_uuid
from voucher import access
from voucher.domain import CardRules, card_rules_errors
from voucher.tables import CardRules as CardRulesRow

__all__ = ["CardRules", "FROM_SNAPSHOT", "from_row", "rules_for", "save", "to_dict", "readable_by", "changes_of"]

# The columns the authorisation's snapshot query selects (its ``LEFT JOIN vc_card_rules cr``).
FROM_SNAPSHOT = """cr.id AS rules_id, cr.single_cents AS rules_single, cr.cumulative_cents AS rules_cumulative,
       cr.tolerance_bp AS rules_tolerance, cr.open_amount AS rules_open,"""


def _open_amount(value: Any) -> dict[str, int]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return {str(code): int(cap) for code, cap in (loaded or {}).items()}


def _rules(single: Any, cumulative: Any, tolerance: Any, open_amount: Any) -> CardRules:
    return CardRules(single_cents=int(single), cumulative_cents=None if cumulative is None else int(cumulative),
                     tolerance_bp=int(tolerance), open_amount=_open_amount(open_amount))


def from_row(row: dict | None) -> CardRules:
    """The rules from a snapshot row (``FROM_SNAPSHOT``'s names); the defaults when the county has none."""
    if not row or row.get("rules_id") is None:
        return CardRules()
    return _rules(row["rules_single"], row["rules_cumulative"], row["rules_tolerance"], row["rules_open"])


async def rules_for(organiser_id: Any) -> CardRules:
    """The county's card rules (one indexed query; the defaults for a county with none)."""
    oid = as_uuid(organiser_id)
    row = await CardRulesRow.select().where(CardRulesRow.organiser_id == oid).first().run() if oid else None
    if row is None:
        return CardRules()
    return _rules(row["single_cents"], row["cumulative_cents"], row["tolerance_bp"], row["open_amount"])


def to_dict(rules: CardRules) -> dict:
    """The rules as the audit log keeps them (open-amount categories sorted)."""
    return {"single_cents": rules.single_cents, "cumulative_cents": rules.cumulative_cents,
            "tolerance_bp": rules.tolerance_bp, "open_amount": dict(sorted(rules.open_amount.items()))}


def changes_of(before: CardRules, after: CardRules) -> list[str]:
    """The names of the rules that differ."""
    old, new = to_dict(before), to_dict(after)
    return [name for name in old if old[name] != new[name]]


def readable_by(actor: Actor) -> str:
    """The county whose rules ``actor`` may read: a county admin's or counsellor's own."""
    require(actor, "organiser_admin", "counsellor")
    if not actor.organiser_id:
        raise Forbidden()
    return str(actor.organiser_id)


async def save(actor: Actor, organiser_id: Any, rules: CardRules, *, known_categories: set[str] | None = None,
               reason: str = "", now: dt.datetime | None = None) -> bool:
    """Set the county's rules inside the caller's write transaction; True when anything changed.

    Who may: the county's own admin, or the operator (a platform admin, the import's `hb import`).
    Checked by ``voucher.domain.card_rules_errors`` (a problem: 400 naming the field). An unchanged
    set writes nothing (an import run twice changes nothing); a change is audited
    ``voucher.card_rules.changed`` with the previous and the new values."""
    oid = access.county_rules_of(actor, organiser_id)
    errors = [FieldError(field=f, key=f"voucher.error.{k}") for f, k in card_rules_errors(rules, known_categories)]
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    before = await rules_for(oid)
    if before == rules:
        return False
    values = {CardRulesRow.single_cents: rules.single_cents, CardRulesRow.cumulative_cents: rules.cumulative_cents,
              CardRulesRow.tolerance_bp: rules.tolerance_bp, CardRulesRow.open_amount: to_dict(rules)["open_amount"],
              CardRulesRow.updated_by: as_uuid(actor.user_id), CardRulesRow.updated_at: now or utcnow()}
    await CardRulesRow.insert(CardRulesRow(organiser_id=oid, **{column._meta.name: v for column, v in values.items()})).on_conflict(
        target=CardRulesRow.organiser_id, action="DO UPDATE", values=list(values)).run()
    await audit.record(actor, "voucher.card_rules.changed", "card_rules", oid, organiser_id=oid, reason=reason,
                       details={"changed": changes_of(before, rules), "from": to_dict(before), "to": to_dict(rules)})
    return True
