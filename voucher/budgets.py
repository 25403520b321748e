"""Clients, budget decisions and the budget read API (docs/api.md).

Counsellors create and change decisions; every change is audited with who, when and why, and
every change of a line's grant is a ledger transfer between the organiser's funding account and
the line, so the ledger always explains the counters.
"""

import datetime as dt
import re
from typing import Any

from piccolo.querystring import QueryString

from core import audit, db
from core.clock import utcnow
from core.errors import Conflict, FieldError, Invalid, NotFound, field_errors
from core.identity import Actor, keyed_hash
from core.ids import as_uuid, require_uuid
from core.text import text_error
from voucher import access, caseload, domain, hb_classes, ledger, marketplace_port, own_share
from voucher.assessment import services as assessments
from core.db import in_write_transaction
from voucher.schemas import (
    BudgetLineRead,
    BudgetRead,
    ClientCreate,
    ClientRead,
    DecisionCreate,
    DecisionLineRead,
    DecisionRead,
    DecisionUpdate,
    LineInput,
    Period,
)
from voucher.tables import BudgetDecision, BudgetLine, Client

CLIENT_GROUPS = ("disability_services", "family_carers", "older_people", "families", "young_adults", "other")


def national_id_hash(secret: str, organiser_id: Any, national_id: str) -> str:
    """Per county: each county keeps its own record of a person (it decides its own budgets), a
    county finds its own duplicates by this hash, and nothing links one person's records in two
    counties, nor tells one county that the person is another's client."""
    return keyed_hash(secret, f"national-id:{organiser_id}:{national_id.strip().upper()}")


# A Finnish personal identity code anywhere in a text: six digits, the century sign (+ - A–F, or
# the newer U–Y), three digits and the check character. Matched by its shape, valid or not: a
# pseudonym that looks like one is refused either way.
_NATIONAL_ID_SHAPE = re.compile(r"\d{6}\s*[-+A-FU-Y]\s*\d{3}[0-9A-Y]", re.IGNORECASE)


def pseudonym_error(value: str | None, field: str = "display_name") -> FieldError | None:
    """The first problem with a client's pseudonym: the text rules, then no national identity
    number (it would travel to every list, export and e-mail that names the client)."""
    if err := text_error(value, field, 200, required=True):
        return err
    if _NATIONAL_ID_SHAPE.search(value or ""):
        return FieldError(field=field, key="voucher.error.pseudonym_national_id")
    return None


def client_read(row: dict) -> ClientRead:
    return ClientRead(
        id=str(row["id"]),
        display_name=row["display_name"],
        client_group=row["client_group"],
        language=row["language"],
        organiser_id=str(row["organiser_id"]),
        counsellor_id=str(row["counsellor_id"]) if row["counsellor_id"] else None,
        municipality=row["municipality"],
    )


# --- Budget read -------------------------------------------------------------------------------

_BUDGET_SQL = (
    """
SELECT d.id AS decision_id, d.start AS d_start, d."end" AS d_end, d.organiser_id AS d_organiser,"""
    + ledger.LINE_STATE_SQL
    + """FROM vc_budget_decision d
LEFT JOIN vc_budget_line l ON l.decision = d.id
WHERE d.client = {} AND d.status = 'active' AND d.start <= {} AND d."end" >= {}
ORDER BY d.start DESC, l.position
"""
)


async def current_lines(client_id: Any, now: dt.datetime) -> tuple[dict | None, list[domain.LineState]]:
    """The decision valid today (Helsinki) and its lines, exact at ``now`` (expired holds excluded)."""
    today = domain.helsinki_date(now)
    rows = await db.engine().run_querystring(QueryString(_BUDGET_SQL, now, now, client_id, today, today))
    if not rows:
        return None, []
    decision_id = rows[0]["decision_id"]
    lines = [ledger.line_state(r) for r in rows if r["decision_id"] == decision_id and r["line_id"] is not None]
    return rows[0], lines


def budget_of(client_id: Any, decision: dict | None, lines: list[domain.LineState]) -> BudgetRead:
    reads = [
        BudgetLineRead(
            category=line.category,
            granted_cents=line.granted_cents,
            held_cents=line.effective_held_cents,
            spent_cents=line.spent_cents,
            available_cents=line.available_cents,
            may_fund=list(line.may_fund),
            swap_cap_cents=line.swap_cap_cents,
        )
        for line in lines
    ]
    period = None
    if decision:
        period = Period(start=str(decision["d_start"])[:10], end=str(decision["d_end"])[:10])
    return BudgetRead(
        client_id=str(client_id),
        period=period,
        lines=reads,
        total_available_cents=sum(r.available_cents for r in reads),
    )


async def budget(actor: Actor, client_id: Any, now: dt.datetime | None = None) -> BudgetRead:
    client = await access.client_to_read(actor, client_id, "budget")
    return await budget_for(client["id"], now or utcnow())


async def budget_for(client_id: Any, now: dt.datetime) -> BudgetRead:
    """The budget of a client the caller has already been allowed to read."""
    decision, lines = await current_lines(client_id, now)
    read = budget_of(client_id, decision, lines)
    if any(line.fee_rule_code for line in lines):
        # Own share (docs/decisions/0033): each line says its client-fee rule, by name.
        names = {r.code: r.name for r in await own_share.rules_of(decision["d_organiser"])}
        for out, line in zip(read.lines, lines):
            if line.fee_rule_code:
                out.fee_rule = line.fee_rule_code
                out.fee_rule_name = names.get(line.fee_rule_code) or {"fi": line.fee_rule_code}
    return read


# --- Clients -------------------------------------------------------------------------------


async def create_client(actor: Actor, data: ClientCreate, secret: str) -> ClientRead:
    access.require_staff(actor)
    if err := pseudonym_error(data.display_name):
        field_errors([err])
    if data.client_group not in CLIENT_GROUPS:
        raise Invalid("field.choice", field="client_group", choices=", ".join(CLIENT_GROUPS))

    counsellor_id = data.counsellor_id or (actor.user_id if actor.role == "counsellor" else None)
    if data.counsellor_id and (err := await caseload.counsellor_error(actor.organiser_id, data.counsellor_id)):
        field_errors([err])

    async def op() -> ClientRead:
        client = Client(
            organiser_id=actor.organiser_id,
            display_name=data.display_name.strip(),
            client_group=data.client_group,
            language=data.language,
            municipality=data.municipality.strip(),
            counsellor_id=as_uuid(counsellor_id) if counsellor_id else None,
            national_id_hash=national_id_hash(secret, actor.organiser_id, data.national_id) if data.national_id else None,
        )
        # The hash is unique: a record of the same person in this county already exists.
        if not await Client.insert(client).on_conflict(action="DO NOTHING").returning(Client.id).run():
            raise Conflict("voucher.error.national_id_in_use", field="national_id")
        await audit.record(actor, "voucher.client.created", "client", client.id, organiser_id=actor.organiser_id)
        return client_read((await Client.select().where(Client.id == client.id).first().run()))

    return await in_write_transaction(op)


async def clients_of(actor: Actor, *, q: str = "", client_group: str | None = None, page: int = 1,
                     per_page: int = 50, scope: str | None = None) -> tuple[list[ClientRead], int]:
    """One page of the clients the actor works with, by name, and how many match in all.

    ``scope`` is ``mine``, ``unassigned`` or ``county`` (voucher.caseload.scope_for: a counsellor's
    own caseload by default, the county's for an organiser admin), the same choice the follow-up
    of caseloads offers. ``q`` matches the pseudonym or the organiser's reference. Every client
    shown is a read of their data: one access-log entry each."""
    access.require_staff(actor)
    where = Client.organiser_id == actor.organiser_id
    chosen = caseload.scope_for(actor, scope)
    if chosen.counsellor_id is not None:
        where &= Client.counsellor_id == as_uuid(chosen.counsellor_id)
    elif chosen.unassigned:
        where &= Client.counsellor_id.is_null()
    if q.strip():
        pattern = "%" + q.strip().replace("\\", "").replace("%", "").replace("_", "") + "%"
        # SQLite's LIKE ignores case already (and it has no ILIKE).
        match = (lambda column: column.like(pattern)) if db.is_sqlite() else (lambda column: column.ilike(pattern))
        where &= match(Client.display_name) | match(Client.ref)
    if client_group:
        where &= Client.client_group == client_group
    total = await Client.count().where(where).run()
    rows = await Client.select().where(where).order_by(Client.display_name).order_by(Client.id).limit(per_page).offset(
        (page - 1) * per_page).run()
    for row in rows:
        await audit.client_data_read(actor, row["id"], "client_list", organiser_id=row["organiser_id"])
    return [client_read(r) for r in rows], total


# --- Decisions ----------------------------------------------------------------------------


def _specs(lines: list[LineInput]) -> list[domain.LineSpec]:
    return [
        domain.LineSpec(
            category=line.category,
            amount_cents=line.amount_cents,
            may_fund=tuple(line.may_fund),
            swap_cap_cents=line.swap_cap_cents,
            fee_rule=line.fee_rule or None,
        )
        for line in lines
    ]


async def _check_fee_rules(organiser_id: Any, specs: list[domain.LineSpec]) -> None:
    """A line's client-fee rule must be one of the organiser's (docs/decisions/0033): else a 400
    naming ``lines[i].fee_rule``."""
    named = {s.fee_rule for s in specs if s.fee_rule}
    if not named:
        return
    known = await own_share.rules_by_code(organiser_id, named)
    _raise([FieldError(field=f"lines[{i}].fee_rule", key="voucher.error.unknown_fee_rule")
            for i, s in enumerate(specs) if s.fee_rule and s.fee_rule not in known])


def decision_field_errors(
    start: dt.date, end: dt.date, specs: list[domain.LineSpec], known: set[str], prefix: str = ""
) -> list[FieldError]:
    errors = [FieldError(field=prefix + f, key=f"voucher.error.{k}") for f, k in domain.decision_errors(start, end, specs)]
    for i, spec in enumerate(specs):
        errors += [
            FieldError(field=f"{prefix}lines[{i}].{f}", key=f"voucher.error.{k}")
            for f, k in domain.line_spec_errors(spec, known)
        ]
    return errors


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)


async def _decision_read(decision_id: Any) -> DecisionRead:
    d = await BudgetDecision.select().where(BudgetDecision.id == decision_id).first().run()
    lines = await BudgetLine.select().where(BudgetLine.decision == decision_id).order_by(BudgetLine.position).output(
        load_json=True
    ).run()
    return DecisionRead(
        id=str(d["id"]),
        client_id=str(d["client"]),
        start=d["start"],
        end=d["end"],
        status=d["status"],
        lines=[
            DecisionLineRead(
                id=str(l["id"]),
                category=l["category"],
                amount_cents=l["granted_cents"],
                may_fund=list(l["may_fund"] or []),
                swap_cap_cents=l["swap_cap_cents"],
                fee_rule=l["fee_rule"],
                held_cents=l["held_cents"],
                spent_cents=l["spent_cents"],
                hb_class=l["hb_class"],
                computed_cents=l["computed_cents"],
                override_reason=l["override_reason"] or "",
            )
            for l in lines
        ],
    )


async def _grant(organiser_id: Any, line_id: Any, delta: int, decision_id: Any) -> None:
    if delta > 0:
        await ledger.record(ledger.GRANT, ledger.funding_account(organiser_id), ledger.line_account(line_id), delta)
    elif delta < 0:
        await ledger.record(
            ledger.GRANT_REDUCTION, ledger.line_account(line_id), ledger.funding_account(organiser_id), -delta
        )


async def add_line(organiser_id: Any, client_id: Any, decision_id: Any, spec: domain.LineSpec, position: int,
                   hb: dict | None = None) -> Any:
    """``hb``: the line's class columns (``voucher.hb_classes.line_columns``), when it has a class."""
    line = BudgetLine(
        **(hb or {}),
        decision=decision_id,
        client_id=client_id,
        category=spec.category,
        position=position,
        granted_cents=spec.amount_cents,
        may_fund=list(spec.may_fund),
        swap_cap_cents=spec.swap_cap_cents,
        fee_rule=spec.fee_rule,
    )
    await BudgetLine.insert(line).run()
    await ledger.ensure_accounts(("line", line.id, organiser_id), ("funding", organiser_id, organiser_id))
    await _grant(organiser_id, line.id, spec.amount_cents, decision_id)
    return line.id


async def insert_decision(
    actor: Actor | None, client: dict, data: DecisionCreate, *, ref: str | None = None
) -> Any:
    """Write a new decision and its lines (validated by the caller) in the caller's transaction."""
    decision = BudgetDecision(
        client=client["id"],
        organiser_id=client["organiser_id"],
        start=data.start,
        end=data.end,
        carry_over=data.carry_over,
        co_payment_rule=data.co_payment_rule,
        decided_by=actor.user_id if actor else None,
        reason=data.reason,
        ref=ref,
    )
    await _check_fee_rules(client["organiser_id"], _specs(data.lines))
    hb = await hb_classes.line_columns(client["organiser_id"], data.lines, data.start, data.end)
    await BudgetDecision.insert(decision).run()
    for position, spec in enumerate(_specs(data.lines)):
        await add_line(client["organiser_id"], client["id"], decision.id, spec, position, hb[position])
    await audit.record(
        actor,
        "voucher.decision.created",
        "decision",
        decision.id,
        organiser_id=client["organiser_id"],
        reason=data.reason,
        details={"client_id": str(client["id"]), "start": str(data.start), "end": str(data.end),
                 "lines": [_line_detail(line) for line in data.lines]},
    )
    return decision.id


def _line_detail(line: LineInput) -> dict:
    return {
        "category": line.category,
        "amount_cents": line.amount_cents,
        "may_fund": list(line.may_fund),
        "swap_cap_cents": line.swap_cap_cents,
        **({"hb_class": line.hb_class, "override_reason": line.override_reason} if line.hb_class else {}),
    }


async def create_decision(actor: Actor, client_id: Any, data: DecisionCreate) -> DecisionRead:
    known = await marketplace_port.category_codes()
    _raise(decision_field_errors(data.start, data.end, _specs(data.lines), known))

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        await assessments.require_decision_allowed(client["id"])  # latest suitability: none or "suitable"
        return await insert_decision(actor, client, data)

    return await _decision_read(await in_write_transaction(op))


async def update_decision(actor: Actor, decision_id: Any, data: DecisionUpdate) -> DecisionRead:
    if not data.reason.strip():
        raise Invalid("voucher.error.reason_required", field="reason")
    known = await marketplace_port.category_codes()

    async def op() -> Any:
        row = await BudgetDecision.select().where(BudgetDecision.id == require_uuid(decision_id)).first().run()
        if not row:
            raise NotFound()
        client = await access.client_to_change(actor, row["client"])
        return await apply_decision_change(actor, client, row, data, known)

    return await _decision_read(await in_write_transaction(op))


async def apply_decision_change(
    actor: Actor | None, client: dict, row: dict, data: DecisionUpdate, known: set[str]
) -> Any:
    """Change a decision in the caller's transaction: dates, status, and its full set of lines."""
    from msgspec import UNSET

    start = row["start"] if data.start is UNSET else data.start
    end = row["end"] if data.end is UNSET else data.end
    specs = None if data.lines is UNSET else _specs(data.lines)
    _raise(decision_field_errors(start, end, specs or [], known))
    changes: dict = {}
    values: dict = {BudgetDecision.updated_at: utcnow()}
    if start != row["start"] or end != row["end"]:
        values.update({BudgetDecision.start: start, BudgetDecision.end: end})
        changes["period"] = {"from": [str(row["start"]), str(row["end"])], "to": [str(start), str(end)]}
    if data.status is not UNSET and data.status != row["status"]:
        values[BudgetDecision.status] = data.status
        changes["status"] = {"from": row["status"], "to": data.status}
    await BudgetDecision.update(values).where(BudgetDecision.id == row["id"]).run()
    if specs is not None:
        await _check_fee_rules(client["organiser_id"], specs)
        changes["lines"] = await _replace_lines(client, row["id"], specs, data.lines, start, end,
                                                same_period=(start, end) == (row["start"], row["end"]))
    await audit.record(
        actor, "voucher.decision.changed", "decision", row["id"], organiser_id=client["organiser_id"],
        reason=data.reason, details=changes,
    )
    return row["id"]


async def _replace_lines(client: dict, decision_id: Any, specs: list[domain.LineSpec], lines: list[LineInput],
                         start: dt.date, end: dt.date, same_period: bool) -> list[dict]:
    """Make the decision's lines exactly ``specs``; each grant change is a ledger transfer. A line
    whose class and period stay keeps the amount it was computed as (a later tariff never moves it)."""
    current = {
        r["category"]: r
        for r in await BudgetLine.select().where(BudgetLine.decision == decision_id).output(load_json=True).run()
    }
    hb = await hb_classes.line_columns(client["organiser_id"], lines, start, end, kept=current if same_period else None)
    diff: list[dict] = []
    wanted = {spec.category for spec in specs}
    for category, line in sorted(current.items()):
        if category in wanted:
            continue
        if line["held_cents"] or line["spent_cents"]:
            raise Invalid("voucher.error.line_in_use", field="lines")
        await _grant(client["organiser_id"], line["id"], -line["granted_cents"], decision_id)
        await BudgetLine.delete().where(BudgetLine.id == line["id"]).run()
        diff.append({"category": category, "removed": True, "amount_cents": line["granted_cents"]})
    for position, spec in enumerate(specs):
        line = current.get(spec.category)
        if line is None:
            await add_line(client["organiser_id"], client["id"], decision_id, spec, position, hb[position])
            diff.append({"category": spec.category, "added": True, "amount_cents": spec.amount_cents,
                         **({k: v for k, v in hb[position].items() if v} if hb[position]["hb_class"] else {})})
            continue
        delta = await ledger.regrant_line(line["id"], spec.amount_cents)
        if delta is None:
            raise Invalid("voucher.error.grant_below_used", field=f"lines[{position}].amount_cents")
        await _grant(client["organiser_id"], line["id"], delta, decision_id)
        where = BudgetLine.id == line["id"]
        if spec.swap_cap_cents is not None:
            where &= BudgetLine.swap_used_cents <= spec.swap_cap_cents  # never below what was swapped
        ok = await BudgetLine.update(
            {BudgetLine.may_fund: list(spec.may_fund), BudgetLine.swap_cap_cents: spec.swap_cap_cents,
             BudgetLine.position: position, BudgetLine.fee_rule: spec.fee_rule, **{getattr(BudgetLine, k): v for k, v in hb[position].items()}}
        ).where(where).returning(BudgetLine.id).run()
        if not ok:
            raise Invalid("voucher.error.swap_cap_out_of_range", field=f"lines[{position}].swap_cap_cents")
        if delta or list(spec.may_fund) != list(line["may_fund"] or []) or spec.swap_cap_cents != line["swap_cap_cents"] \
                or spec.fee_rule != line["fee_rule"] \
                or any(line[k] != v for k, v in hb[position].items() if k != "override_reason"):
            diff.append(
                {"category": spec.category, "amount_cents": {"from": line["granted_cents"], "to": spec.amount_cents},
                 "may_fund": list(spec.may_fund), "swap_cap_cents": spec.swap_cap_cents,
                 **({k: v for k, v in hb[position].items() if v} if hb[position]["hb_class"] else {}),
                 **({"fee_rule": {"from": line["fee_rule"], "to": spec.fee_rule}} if spec.fee_rule != line["fee_rule"] else {})}
            )
    return diff


async def decisions_of(actor: Actor, client_id: Any) -> list[DecisionRead]:
    client = await access.client_to_read(actor, client_id, "decisions")
    return await decisions_for(client["id"])


async def decisions_for(client_id: Any) -> list[DecisionRead]:
    rows = await BudgetDecision.select(BudgetDecision.id).where(BudgetDecision.client == client_id).order_by(
        BudgetDecision.start, ascending=False
    ).run()
    return [await _decision_read(r["id"]) for r in rows]


async def decision_to_change(actor: Actor, decision_id: Any) -> tuple[DecisionRead, dict]:
    row = await BudgetDecision.select(BudgetDecision.client).where(
        BudgetDecision.id == require_uuid(decision_id)
    ).first().run()
    if not row:
        raise NotFound()
    client = await access.client_to_change(actor, row["client"])
    return await _decision_read(require_uuid(decision_id)), client


async def decision_history(actor: Actor, decision_id: Any) -> list[dict]:
    """Who changed the decision, when and why (from the audit log)."""
    row = await BudgetDecision.select(BudgetDecision.client).where(
        BudgetDecision.id == require_uuid(decision_id)
    ).first().run()
    if not row:
        raise NotFound()
    await access.client_to_read(actor, row["client"], "decision_history")
    return await audit.history("decision", decision_id)
