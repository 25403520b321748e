"""Own share (asiakasmaksu): the organiser's client-fee rules, the monthly cap's counters, and the
totals the organiser's dashboard shows (docs/decisions/0033).

A budget line may name a rule by its code (``vc_budget_line.fee_rule``). A purchase paid from such a
line is split by the pure ``voucher.domain.split_share``: the budget holds and is charged only its
part; the client part is written beside it on the authorisation, the capture, the refund and the
booking, and the provider collects it from the client itself.

The monthly cap, safe under concurrency on SQLite and PostgreSQL
----------------------------------------------------------------
What a client's share under one rule took in one Helsinki month is one row of ``vc_fee_usage``
(unique on client, rule, month; created by ``INSERT … ON CONFLICT DO NOTHING``), changed only by a
compare-and-set::

    UPDATE vc_fee_usage SET used_cents = used_cents + :share WHERE id = :row AND used_cents = :seen RETURNING id

where ``:share`` was computed from ``:seen``. On PostgreSQL a concurrent update of the row waits for
the first one's lock and then re-checks ``used_cents = :seen`` against the committed row; it finds
it changed, gets no row back, and reads and computes again — so two bookings never both take the
last of the cap. SQLite's writers take turns (``BEGIN IMMEDIATE``). Giving back (a hold released,
voided, expired or captured for less, a refund) is ``used_cents - n WHERE used_cents >= n``; the
database refuses a negative counter (CHECK / trigger). Both run in the caller's write transaction,
beside the ledger's own updates.
"""

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import msgspec
from piccolo.querystring import QueryString

import voucher.own_share_messages  # noqa: F401 - registers the texts of its checks and page
from core import audit, db
from core.clock import utcnow
from core.errors import Conflict, FieldError, Forbidden, Invalid
from core.identity import Actor, require
from core.ids import as_uuid
from voucher import access, domain
from voucher.domain import FeeRule, Share
from voucher.tables import FeeRule as FeeRuleRow
from voucher.tables import Client, FeeUsage

__all__ = ["RuleView", "Total", "give_back", "rules_by_code", "rules_of", "save_rule", "take", "totals"]

LANGS = ("fi", "sv", "en")
MAX_TRIES = 50


class RuleView(msgspec.Struct, frozen=True, kw_only=True):
    """A rule as the organiser's page, the API and the import see it."""

    code: str
    name: dict[str, str] = {}
    kind: str = domain.FEE_NONE
    value: int = 0
    monthly_cap_cents: int | None = None
    decision_ref: str = ""

    @property
    def rule(self) -> FeeRule:
        return FeeRule(code=self.code, kind=self.kind, value=self.value, monthly_cap_cents=self.monthly_cap_cents)


def _names(value: Any) -> dict[str, str]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return {str(k): str(v) for k, v in (loaded or {}).items()}


def _view(row: dict) -> RuleView:
    return RuleView(code=row["code"], name=_names(row["name"]), kind=row["kind"], value=int(row["value"]),
                    monthly_cap_cents=None if row["monthly_cap_cents"] is None else int(row["monthly_cap_cents"]),
                    decision_ref=row["decision_ref"] or "")


async def rules_of(organiser_id: Any) -> list[RuleView]:
    """The organiser's rules, by code."""
    oid = as_uuid(organiser_id)
    if oid is None:
        return []
    rows = await FeeRuleRow.select().where(FeeRuleRow.organiser_id == oid).order_by(FeeRuleRow.code).run()
    return [_view(r) for r in rows]


async def rules_by_code(organiser_id: Any, codes: Any) -> dict[str, FeeRule]:
    """The organiser's rules named in ``codes`` (one query; none asked: none read)."""
    wanted = sorted({c for c in codes if c})
    oid = as_uuid(organiser_id)
    if not wanted or oid is None:
        return {}
    rows = await FeeRuleRow.select().where((FeeRuleRow.organiser_id == oid) & FeeRuleRow.code.is_in(wanted)).run()
    return {r["code"]: _view(r).rule for r in rows}


def rule_errors(view: RuleView, prefix: str = "") -> list[FieldError]:
    """The rule's problems as field errors (``prefix`` + the field)."""
    errors = [FieldError(field=prefix + f, key=f"voucher.error.{k}") for f, k in domain.fee_rule_errors(view.rule)]
    if not (view.name.get("fi") or "").strip():
        errors.append(FieldError(field=prefix + "name.fi", key="voucher.error.fee_name"))
    if any(lang not in LANGS or len(text) > 200 for lang, text in view.name.items()):
        errors.append(FieldError(field=prefix + "name", key="voucher.error.fee_name"))
    if len(view.decision_ref) > 500:
        errors.append(FieldError(field=prefix + "decision_ref", key="voucher.error.fee_decision_ref"))
    return errors


async def save_rule(actor: Actor, organiser_id: Any, view: RuleView, *, now: dt.datetime | None = None,
                    reason: str = "") -> bool:
    """Add or change one rule (by its code) inside the caller's write transaction; True when anything
    changed. The county's own admin or the operator; a problem is a 400 naming the field; an
    unchanged rule writes nothing; a change is audited with the previous and the new values. A rule's
    change applies to holds made after it (a hold keeps the split it was made with)."""
    oid = access.county_rules_of(actor, organiser_id)
    view = msgspec.structs.replace(view, code=view.code.strip(), decision_ref=view.decision_ref.strip(),
                                   name={k: v.strip() for k, v in view.name.items() if v.strip()},
                                   value=0 if view.kind == domain.FEE_NONE else view.value)
    errors = rule_errors(view)
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    row = await FeeRuleRow.select().where((FeeRuleRow.organiser_id == oid) & (FeeRuleRow.code == view.code)).first().run()
    before = _view(row) if row else None
    if before == view:
        return False
    values = {FeeRuleRow.name: view.name, FeeRuleRow.kind: view.kind, FeeRuleRow.value: view.value,
              FeeRuleRow.monthly_cap_cents: view.monthly_cap_cents, FeeRuleRow.decision_ref: view.decision_ref,
              FeeRuleRow.updated_by: as_uuid(actor.user_id), FeeRuleRow.updated_at: now or utcnow()}
    if row:
        await FeeRuleRow.update(values).where(FeeRuleRow.id == row["id"]).run()
    else:
        await FeeRuleRow.insert(FeeRuleRow(organiser_id=oid, code=view.code,
                                           **{column._meta.name: v for column, v in values.items()})).run()
    await audit.record(actor, "voucher.fee_rule.changed" if before else "voucher.fee_rule.added", "fee_rule", view.code,
                       organiser_id=oid, reason=reason,
                       details={"from": msgspec.to_builtins(before) if before else None, "to": msgspec.to_builtins(view)})
    return True


def readable_by(actor: Actor) -> str:
    """The county whose rules ``actor`` may read: a county admin's or counsellor's own."""
    require(actor, "organiser_admin", "counsellor")
    if not actor.organiser_id:
        raise Forbidden()
    return str(actor.organiser_id)


# --- The monthly cap's counters (inside the caller's write transaction) -------------------------


async def take(client_id: Any, rule: FeeRule | None, gross_cents: int, units: int, month: str) -> Share:
    """Split ``gross_cents`` under ``rule`` and count the client part in the client's month (see the
    module's docstring: a compare-and-set, retried on a concurrent change). No rule, or no client
    part: nothing is counted."""
    if rule is None or domain.raw_fee_cents(rule, gross_cents, units) == 0:
        return Share(gross_cents, 0)
    cid = as_uuid(client_id)
    await FeeUsage.insert(FeeUsage(client_id=cid, rule_code=rule.code, month=month, used_cents=0)).on_conflict(
        action="DO NOTHING").run()
    key = (FeeUsage.client_id == cid) & (FeeUsage.rule_code == rule.code) & (FeeUsage.month == month)
    # Each miss means another transaction changed the count and committed; the client's holds already
    # wait for each other at the card's row, so a miss is rare and a run of them means something is wrong.
    for _attempt in range(MAX_TRIES):
        row = await FeeUsage.select(FeeUsage.id, FeeUsage.used_cents).where(key).first().run()
        share = domain.split_share(gross_cents, units, rule, int(row["used_cents"]))
        if share.client_cents == 0:
            return share
        done = await FeeUsage.update({FeeUsage.used_cents: FeeUsage.used_cents + share.client_cents}).where(
            (FeeUsage.id == row["id"]) & (FeeUsage.used_cents == row["used_cents"])
        ).returning(FeeUsage.id).run()
        if done:
            return share
    raise Conflict("error.conflict")


async def give_back(client_id: Any, rule_code: str, month: str, cents: int) -> None:
    """Return ``cents`` of a client part to its month's counter (a hold released or captured for
    less, a refund)."""
    if cents <= 0 or not rule_code or not month:
        return
    await FeeUsage.update({FeeUsage.used_cents: FeeUsage.used_cents - cents}).where(
        (FeeUsage.client_id == as_uuid(client_id)) & (FeeUsage.rule_code == rule_code) & (FeeUsage.month == month)
        & (FeeUsage.used_cents >= cents)
    ).run()


async def used_cents(client_id: Any, rule_code: str, month: str) -> int:
    row = await FeeUsage.select(FeeUsage.used_cents).where(
        (FeeUsage.client_id == as_uuid(client_id)) & (FeeUsage.rule_code == rule_code) & (FeeUsage.month == month)
    ).first().run()
    return int(row["used_cents"]) if row else 0


# --- Totals for the organiser's dashboard ------------------------------------------------------


class Total(msgspec.Struct, frozen=True, kw_only=True):
    """Captures less refunds in a period, for one category and client group: the price (gross), the
    budget's part and the client's part (gross = budget + client)."""

    category: str
    client_group: str
    gross_cents: int
    budget_cents: int
    client_cents: int


_TOTALS_SQL = """
SELECT a.category AS category, COALESCE(cl.client_group, '') AS client_group,
       c.amount_cents AS budget, c.client_share_cents AS client,
       COALESCE((SELECT SUM(r.amount_cents) FROM vc_refund r WHERE r.capture = c.id AND r.created_at < {}), 0) AS r_budget,
       COALESCE((SELECT SUM(r.client_share_cents) FROM vc_refund r WHERE r.capture = c.id AND r.created_at < {}), 0) AS r_client
FROM vc_capture c
JOIN vc_authorization a ON a.id = c.authorization_id
JOIN vc_client cl ON cl.id = c.client_id
WHERE c.organiser_id = {} AND c.created_at >= {} AND c.created_at < {}
"""


async def totals(organiser_id: Any, start: dt.date, end: dt.date) -> list[Total]:
    """Own-share totals of the organiser's captures made from ``start`` to ``end`` (inclusive,
    Helsinki days), less their refunds made before the period's end, by category and client group
    (sorted). The dashboard (``/organiser/budgets``) and ``GET /api/v1/organisers/own-share`` show them."""
    since = domain.local_midnight_utc(start)
    until = domain.local_midnight_utc(end + dt.timedelta(days=1))
    rows = await db.engine().run_querystring(QueryString(_TOTALS_SQL, until, until, as_uuid(organiser_id), since, until))
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        key = (r["category"] or "", r["client_group"] or "")
        sums[key][0] += int(r["budget"]) - int(r["r_budget"])
        sums[key][1] += int(r["client"]) - int(r["r_client"])
    return [Total(category=c, client_group=g, gross_cents=b + k, budget_cents=b, client_cents=k)
            for (c, g), (b, k) in sorted(sums.items())]


class Preview(msgspec.Struct, frozen=True, kw_only=True):
    share: Share
    name: dict[str, str] = {}


async def preview(client_id: Any, rule_code: str | None, gross_cents: int, units: int, now: dt.datetime) -> Preview:
    """How ``gross_cents`` would split now under the line's rule, given what the client's share took
    under it this month (for the listing, the booking form and search; the hold decides again)."""
    if not rule_code or gross_cents <= 0:
        return Preview(share=Share(max(gross_cents, 0), 0))
    client = await Client.select(Client.organiser_id).where(Client.id == as_uuid(client_id)).first().run()
    row = client and await FeeRuleRow.select().where(
        (FeeRuleRow.organiser_id == client["organiser_id"]) & (FeeRuleRow.code == rule_code)).first().run()
    if not row:
        return Preview(share=Share(gross_cents, 0))
    view = _view(row)
    used = await used_cents(client_id, rule_code, domain.fee_month(now))
    return Preview(share=domain.split_share(gross_cents, units, view.rule, used), name=view.name)


async def splits(client_id: Any, items: list[tuple[str, str, int]], now: dt.datetime) -> dict[str, Share]:
    """How each ``(key, category, price)`` would split for the client now (search's hits): under the
    rule of the line its category's hold would come from first (own category, then ``may_fund``), with
    what the client's share under that rule took this month. Items whose line has no rule, or whose
    category no line pays, are left out. A few queries whatever the number of items."""
    from voucher import budgets  # budgets writes lines with their rules: it imports this module

    _decision, lines = await budgets.current_lines(client_id, now)
    if not any(line.fee_rule_code for line in lines):
        return {}
    client = await Client.select(Client.organiser_id).where(Client.id == as_uuid(client_id)).first().run()
    rules = await rules_by_code(client["organiser_id"], (line.fee_rule_code for line in lines)) if client else {}
    month = domain.fee_month(now)
    used = {code: await used_cents(client_id, code, month) for code in rules}
    by_id = {line.id: line for line in lines}
    out: dict[str, Share] = {}
    for key, category, price in items:
        candidates = domain.candidate_lines(lines, [category])
        if not candidates:
            continue
        rule = rules.get(by_id[candidates[0].line_id].fee_rule_code or "")
        if rule is not None:
            out[key] = domain.split_share(price, 1, rule, used[rule.code])
    return out
