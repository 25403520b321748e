"""The counsellor's follow-up: the caseload (each client's lines, pace and alerts) and one client's
page (burn-down per line, forecast in plain words, goals with GAS scores over time, recent payments).

Every client whose data is shown is written to the audit log (core.audit.client_data_read).
"""

import asyncio
import datetime as dt
from typing import Any

import msgspec
from babel.dates import format_date

import admin.messages  # noqa: F401 - the texts these words come from
from admin import access, domain, facts, movements
from admin.figures import Column, Figure
from admin.rows import as_date
from core import audit, db, i18n
from core.clock import HELSINKI
from core.identity import Actor
from core.web import Pager
from marketplace import catalogue, directory
from voucher import access as voucher_access
from voucher import budgets, plans
from voucher import caseload as caseloads
from voucher import reporting as voucher_reporting
from voucher.pace import Forecast, LineFigures, forecast


class LineView(msgspec.Struct, kw_only=True):
    line_id: str
    category: str
    name: str
    granted_cents: int
    held_cents: int
    spent_cents: int
    available_cents: int
    start: dt.date
    end: dt.date
    forecast: Forecast
    sentence: str
    alerts: list[str]  # alert sentences


class ClientSummary(msgspec.Struct, kw_only=True):
    id: str
    display_name: str
    client_group: str
    group_name: str
    start: dt.date | None
    end: dt.date | None
    lines: list[LineView]
    alert_count: int

    @property
    def granted_cents(self) -> int:
        return sum(line.granted_cents for line in self.lines)

    @property
    def available_cents(self) -> int:
        return sum(line.available_cents for line in self.lines)


# --- Words ---------------------------------------------------------------------------------------


def short_date(day: dt.date, lang: str) -> str:
    """"14.6." in Finnish, "14 juni" / "14 June" otherwise (the year is the period's)."""
    if lang == "fi":
        return f"{day.day}.{day.month}."
    return format_date(day, format="d MMMM", locale=i18n.LOCALES.get(lang, "fi_FI"))


def line_phrase(category: str, name: str, lang: str) -> str:
    """The line as a sentence needs it (Finnish genitive: "kuljetuspalveluiden")."""
    key = f"admin.line.{category}"
    return i18n.t(key, lang) if i18n.has(key) else i18n.t("admin.line.other", lang, name=name)


def describe(category: str, name: str, f: Forecast, line: LineFigures, today: dt.date,
             lang: str) -> tuple[str, list[str]]:
    """The line's state in one plain sentence, and its alerts as sentences."""
    phrase = line_phrase(category, name, lang)
    alerts: list[str] = []
    if today < line.start:
        return i18n.t("admin.pace.not_started", lang, date=short_date(line.start, lang)), alerts
    if f.remaining_days == 0:
        sentence = i18n.t("admin.pace.ended", lang, line=phrase, money=i18n.money(f.available_cents, lang))
    elif f.runs_out_on is not None:
        if f.available_cents <= 0:
            sentence = i18n.t("admin.pace.empty", lang, line=phrase)
        else:
            sentence = i18n.t("admin.pace.runs_out", lang, line=phrase, date=short_date(f.runs_out_on, lang))
    elif f.used_cents == 0:
        sentence = i18n.t("admin.pace.nothing_used", lang, line=phrase)
    else:
        sentence = i18n.t("admin.pace.lasts", lang, line=phrase, money=i18n.money(f.forecast_unused_cents, lang))
    sentence = _capital(sentence)
    if "runs_out" in f.alerts:
        alerts.append(sentence)
    if "unused" in f.alerts:
        alerts.append(_capital(i18n.t("admin.alert.unused", lang, line=phrase, days=f.elapsed_days)))
    if "underused" in f.alerts:
        alerts.append(i18n.t("admin.alert.underused", lang, line=phrase, money=i18n.money(f.forecast_unused_cents, lang)))
    return sentence, alerts


def _capital(text: str) -> str:
    """A sentence starts with a capital and ends with one full stop (a Finnish date "14.6." has its own)."""
    text = text[:-1] if text.endswith("..") else text
    return text[:1].upper() + text[1:]


async def _category_names(lang: str) -> dict[str, str]:
    return {code: i18n.pick(catalogue.category_names(row), lang) for code, row in (await catalogue.category_map()).items()}


def _line_view(line_id: str, category: str, figures: LineFigures, names: dict[str, str], today: dt.date,
               lang: str) -> LineView:
    f = forecast(figures, today)
    name = names.get(category, category)
    sentence, alerts = describe(category, name, f, figures, today, lang)
    return LineView(
        line_id=line_id, category=category, name=name, granted_cents=figures.granted_cents,
        held_cents=figures.held_cents, spent_cents=figures.spent_cents, available_cents=f.available_cents,
        start=figures.start, end=figures.end, forecast=f, sentence=sentence, alerts=alerts,
    )


# --- The caseload --------------------------------------------------------------------------------


class CaseloadQuery(msgspec.Struct, kw_only=True):
    group: str = ""
    q: str = ""
    alerts_only: bool = False
    # mine | unassigned | county; empty: the role's default (voucher.caseload.scope_for)
    scope: str = ""
    page: int = 1
    per_page: int = 20


async def caseload(actor: Actor, now: dt.datetime, lang: str, query: CaseloadQuery) -> tuple[list[ClientSummary], Pager]:
    organiser_id = access.organiser_of_staff(actor)
    today = domain.helsinki_date(now)
    found = await voucher_reporting.caseload_page(
        organiser_id, now, today, scope=caseloads.scope_for(actor, query.scope or None), client_group=query.group or None, name_like=query.q or None,
        alerts_only=query.alerts_only, limit=query.per_page, offset=(max(1, query.page) - 1) * query.per_page,
    )
    total, page_ids = found.total, found.client_ids
    rows = await voucher_reporting.caseload_lines(page_ids, now, today) if page_ids else []
    names = await _category_names(lang)
    clients: dict[str, ClientSummary] = {}
    decision_of: dict[str, str] = {}
    for row in rows:
        cid = row.client_id
        summary = clients.get(cid)
        if summary is None:
            summary = clients[cid] = ClientSummary(
                id=cid, display_name=row.display_name, client_group=row.client_group,
                group_name=i18n.t(f"voucher.group.{row.client_group}", lang), start=None, end=None, lines=[],
                alert_count=0,
            )
        if row.line_id is None:
            continue
        # With two valid decisions (an overlap), the later one is the client's budget (as voucher's).
        if decision_of.get(cid) not in (None, row.decision_id):
            summary.lines.clear()  # rows come ordered by the decision's start: this one is later
        decision_of[cid] = row.decision_id
        line = _line_view(row.line_id, row.category, LineFigures(
            granted_cents=row.granted_cents, held_cents=row.held_cents, spent_cents=row.spent_cents,
            start=row.start, end=row.end), names, today, lang)
        summary.start, summary.end = line.start, line.end
        summary.lines.append(line)
    for summary in clients.values():
        summary.alert_count = sum(len(line.alerts) for line in summary.lines)
    pager = Pager(page=query.page, per_page=query.per_page, total=total)
    shown = [clients[i] for i in page_ids if i in clients]
    async with db.write_transaction():  # one commit for the page's access-log rows
        for summary in shown:
            await audit.client_data_read(actor, summary.id, "follow_up.caseload", organiser_id=organiser_id)
    return shown, pager


# --- One client --------------------------------------------------------------------------------------


class GoalView(msgspec.Struct, kw_only=True):
    id: str
    title: str
    scores: list[dict]  # {"at": datetime, "score": int, "note": str}
    change: int | None  # latest − first


class ClientView(msgspec.Struct, kw_only=True):
    client: dict
    group_name: str
    start: dt.date | None
    end: dt.date | None
    lines: list[LineView]
    burn_down: dict[str, list[tuple[dt.date, int]]]  # line id → (day, left)
    goals: list[GoalView]
    payments: Figure
    today: dt.date


async def client_view(actor: Actor, client_id: Any, now: dt.datetime, lang: str) -> ClientView:
    """One client's follow-up, for their counsellors and organiser admins (and the client or their
    proxy, who may read their own). The read is audited by voucher.access."""
    client = await voucher_access.client_to_read(actor, client_id, "follow_up.client")
    today = domain.helsinki_date(now)
    await facts.drain()  # the payments below include every one committed before this read
    # Independent reads, side by side (as the dashboard's).
    (decision, states), names, goals = await asyncio.gather(
        budgets.current_lines(client["id"], now), _category_names(lang), _goals(client["id"]))
    lines: list[LineView] = []
    burn: dict[str, list[tuple[dt.date, int]]] = {}
    start = end = None
    recent_since = period_start = now - dt.timedelta(days=400)
    if decision:
        start, end = as_date(decision["d_start"]), as_date(decision["d_end"])
        period_start = dt.datetime.combine(start, dt.time(), tzinfo=HELSINKI).astimezone(dt.timezone.utc)
    # One read for both: the burn-down since the period started, the payments of the last 400 days.
    paid = await movements.client_movements(client["id"], min(recent_since, period_start))
    if decision:
        for state in states:
            figures = LineFigures(granted_cents=state.granted_cents, held_cents=state.effective_held_cents,
                                  spent_cents=state.spent_cents, start=start, end=end)
            lines.append(_line_view(state.id, state.category, figures, names, today, lang))
            burn[state.id] = domain.burn_down(
                state.granted_cents, start, end,
                [(domain.helsinki_date(m["at"]), m["amount_cents"]) for m in paid
                 if m["at"] >= period_start and str(m["line_id"]) == state.id],
                today,
            )
    recent = sorted((m for m in paid if m["at"] >= recent_since), key=lambda m: m["at"], reverse=True)[:15]
    providers, listings = await asyncio.gather(
        directory.provider_names({m["provider_id"] for m in recent if m["provider_id"]}),
        directory.listing_places({m["listing_id"] for m in recent if m["listing_id"]}))
    payments = Figure(
        id="payments", title="admin.fig.payments",
        columns=[Column("at", "admin.col.date", "date"), Column("provider", "admin.col.provider"),
                 Column("category", "admin.col.category"), Column("what", "admin.col.what"),
                 Column("amount_cents", "admin.col.amount", "money")],
        rows=[{"key": str(m["capture_id"]), "at": domain.helsinki_date(m["at"]),
               "provider": providers.get(str(m["provider_id"]), ""), "category": names.get(m["category"], m["category"]),
               "what": _listing_title(listings, m["listing_id"])
               + ("" if m["kind"] == "capture" else " – " + i18n.t("admin.refund", lang)),
               "amount_cents": m["amount_cents"]} for m in recent],
        empty="admin.payments.none",
    )
    return ClientView(
        client=client, group_name=i18n.t(f"voucher.group.{client['client_group']}", lang), start=start, end=end,
        lines=lines, burn_down=burn, goals=goals, payments=payments, today=today,
    )


def _listing_title(listings: dict[str, directory.ListingPlace], listing_id: Any) -> str:
    place = listings.get(str(listing_id)) if listing_id else None
    return place.title if place else ""


async def _goals(client_id: Any) -> list[GoalView]:
    """The client's goals (from their plan) with their scores, oldest score first."""
    out = []
    for goal in (await plans.plan_for(client_id)).goals:
        scores = sorted(({"at": s.scored_at, "score": int(s.score), "note": s.note or ""} for s in goal.scores),
                        key=lambda s: s["at"])
        out.append(GoalView(id=goal.id, title=goal.title, scores=scores,
                            change=scores[-1]["score"] - scores[0]["score"] if len(scores) >= 2 else None))
    return out
