"""Availability: the weekly times, exceptions and cancellation rule a provider publishes for a
listing, and the slots (with free places) they give."""

import datetime as dt
from typing import Any

import msgspec

from core import audit
from core.clock import HELSINKI, utcnow
from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import require_uuid
from marketplace import catalogue
from marketplace.booking import domain
from marketplace.booking.schemas import (
    AvailabilityRead,
    ExceptionInput,
    ExceptionRead,
    PolicyInput,
    PolicyRead,
    RuleInput,
    RuleRead,
    SlotRead,
)
from marketplace.booking.tables import AvailabilityException, AvailabilityRule, BookingPolicy, Slot

# How many days the listing page shows.
DAYS_SHOWN = 14


async def own_listing(actor: Actor, listing_id: Any) -> str:
    """The listing's id if ``actor`` is staff of its provider."""
    if actor.is_anonymous:
        raise Unauthenticated()
    lid = require_uuid(listing_id)
    provider = await catalogue.listing_provider(lid)
    if provider is None:
        raise NotFound()
    if actor.role != "provider_staff" or str(actor.provider_id) != provider:
        raise Forbidden()
    return str(lid)


def _rules(rows: list[dict]) -> list[domain.Rule]:
    return msgspec.convert(rows, list[domain.Rule], strict=False)


def _exceptions(rows: list[dict]) -> list[domain.Exception_]:
    return msgspec.convert(rows, list[domain.Exception_], strict=False)


def _rule_read(row: dict) -> RuleRead:
    return msgspec.convert({**row, "start_time": domain.hhmm(row["start_minute"])}, RuleRead, strict=False)


def _exception_read(row: dict) -> ExceptionRead:
    start = row["start_minute"]
    return msgspec.convert({**row, "start_time": domain.hhmm(start) if start is not None else None}, ExceptionRead,
                           strict=False)


async def rules_and_exceptions(listing_id: Any, first: dt.date, last: dt.date) -> tuple[list[dict], list[dict]]:
    rules = await AvailabilityRule.select().where(AvailabilityRule.listing == listing_id).order_by(
        AvailabilityRule.weekday).order_by(AvailabilityRule.start_minute).run()
    exceptions = await AvailabilityException.select().where(
        (AvailabilityException.listing == listing_id) & (AvailabilityException.day >= first)
        & (AvailabilityException.day <= last)
    ).order_by(AvailabilityException.day).run()
    return rules, exceptions


async def offer_at(listing_id: Any, starts_at: dt.datetime) -> domain.SlotOffer | None:
    day = starts_at.astimezone(HELSINKI).date()
    rules, exceptions = await rules_and_exceptions(listing_id, day, day)
    return domain.offer_at(_rules(rules), _exceptions(exceptions), starts_at)


async def policy(listing_id: Any) -> PolicyRead:
    row = await BookingPolicy.select().where(BookingPolicy.listing == listing_id).first().run()
    return msgspec.convert(row, PolicyRead, strict=False) if row else PolicyRead()


async def slots(listing_id: Any, now: dt.datetime, days: int = DAYS_SHOWN) -> list[SlotRead]:
    """The slots still to come in the next ``days`` days, with how many places each has left."""
    first = now.astimezone(HELSINKI).date()
    last = first + dt.timedelta(days=days - 1)
    rules, exceptions = await rules_and_exceptions(listing_id, first, last)
    offers = [o for o in domain.offers(_rules(rules), _exceptions(exceptions), first, last) if o.starts_at > now]
    if not offers:
        return []
    booked = {
        domain.slot_key(str(listing_id), r["starts_at"]): r["booked"]
        for r in await Slot.select(Slot.starts_at, Slot.booked).where(
            (Slot.listing == listing_id) & (Slot.starts_at >= offers[0].starts_at)
            & (Slot.starts_at <= offers[-1].starts_at)
        ).run()
    }
    out = []
    for o in offers:
        taken = booked.get(domain.slot_key(str(listing_id), o.starts_at), 0)
        out.append(SlotRead(starts_at=o.starts_at, ends_at=o.ends_at, capacity=o.capacity, booked=taken,
                            free=max(0, o.capacity - taken)))
    return out


async def read(listing_id: Any, now: dt.datetime, *, with_rules: bool = False) -> AvailabilityRead:
    lid = require_uuid(listing_id)
    result = AvailabilityRead(listing_id=lid, policy=await policy(lid), slots=await slots(lid, now))
    if with_rules:
        today = now.astimezone(HELSINKI).date()
        rules, exceptions = await rules_and_exceptions(lid, today, today + dt.timedelta(days=366))
        result.rules = [_rule_read(r) for r in rules]
        result.exceptions = [_exception_read(e) for e in exceptions]
    return result


def _minute(text: str | None, field: str) -> int:
    minute = domain.parse_hhmm(text or "")
    if minute is None:
        raise Invalid("error.validation", field=field, errors=[FieldError(field=field, key="booking.error.time")])
    return minute


async def add_rule(actor: Actor, listing_id: Any, data: RuleInput) -> RuleRead:
    lid = await own_listing(actor, listing_id)
    rule = domain.Rule(weekday=data.weekday, start_minute=_minute(data.start_time, "start_time"),
                       duration_minutes=data.duration_minutes, capacity=data.capacity, valid_from=data.valid_from,
                       valid_until=data.valid_until)
    errors = [FieldError(field=f, key=k) for f, k in domain.rule_errors(rule)]
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)

    async def op() -> RuleRead:
        row = AvailabilityRule(listing=lid, weekday=rule.weekday, start_minute=rule.start_minute,
                               duration_minutes=rule.duration_minutes, capacity=rule.capacity,
                               valid_from=rule.valid_from, valid_until=rule.valid_until, created_by=actor.user_id)
        await AvailabilityRule.insert(row).run()
        await audit.record(actor, "booking.availability.rule_added", "listing", lid,
                           details={"weekday": rule.weekday, "start": domain.hhmm(rule.start_minute),
                                    "minutes": rule.duration_minutes, "capacity": rule.capacity})
        return _rule_read(row.to_dict())

    return await in_write_transaction(op)


async def remove_rule(actor: Actor, listing_id: Any, rule_id: Any) -> None:
    lid = await own_listing(actor, listing_id)

    async def op() -> None:
        gone = await AvailabilityRule.delete().where(
            (AvailabilityRule.id == require_uuid(rule_id)) & (AvailabilityRule.listing == lid)
        ).returning(AvailabilityRule.id).run()
        if not gone:
            raise NotFound()
        await audit.record(actor, "booking.availability.rule_removed", "listing", lid, details={"rule_id": str(rule_id)})

    await in_write_transaction(op)


async def add_exception(actor: Actor, listing_id: Any, data: ExceptionInput) -> ExceptionRead:
    lid = await own_listing(actor, listing_id)
    minute = _minute(data.start_time, "start_time") if data.start_time else None

    async def op() -> ExceptionRead:
        row = AvailabilityException(listing=lid, day=data.day, start_minute=minute, capacity=data.capacity,
                                    reason=data.reason, created_by=actor.user_id)
        await AvailabilityException.insert(row).run()
        await audit.record(actor, "booking.availability.exception_added", "listing", lid, reason=data.reason,
                           details={"day": str(data.day), "start": data.start_time, "capacity": data.capacity})
        return _exception_read(row.to_dict())

    return await in_write_transaction(op)


async def remove_exception(actor: Actor, listing_id: Any, exception_id: Any) -> None:
    lid = await own_listing(actor, listing_id)

    async def op() -> None:
        gone = await AvailabilityException.delete().where(
            (AvailabilityException.id == require_uuid(exception_id)) & (AvailabilityException.listing == lid)
        ).returning(AvailabilityException.id).run()
        if not gone:
            raise NotFound()
        await audit.record(actor, "booking.availability.exception_removed", "listing", lid,
                           details={"exception_id": str(exception_id)})

    await in_write_transaction(op)


async def set_policy(actor: Actor, listing_id: Any, data: PolicyInput, now: dt.datetime | None = None) -> PolicyRead:
    """The listing's cancellation rule; bookings already made keep the rule they were made under."""
    lid = await own_listing(actor, listing_id)
    now = now or utcnow()

    async def op() -> PolicyRead:
        values = {BookingPolicy.cancellation_hours: data.cancellation_hours,
                  BookingPolicy.late_cancellation_fee_percent: data.late_cancellation_fee_percent,
                  BookingPolicy.no_show_fee_percent: data.no_show_fee_percent,
                  BookingPolicy.updated_by: actor.user_id, BookingPolicy.updated_at: now}
        changed = await BookingPolicy.update(values).where(BookingPolicy.listing == lid).returning(BookingPolicy.id).run()
        if not changed:
            await BookingPolicy.insert(BookingPolicy(listing=lid, **{c._meta.name: v for c, v in values.items()})).run()
        await audit.record(actor, "booking.policy.changed", "listing", lid, details={
            "cancellation_hours": data.cancellation_hours,
            "late_cancellation_fee_percent": data.late_cancellation_fee_percent,
            "no_show_fee_percent": data.no_show_fee_percent})
        return msgspec.convert(data, PolicyRead, from_attributes=True)

    return await in_write_transaction(op)
