"""A county's questionnaires: the built-in ones (``defaults``) unless the county saved its own version,
and the county's own. The organiser's page changes them (``save``: each change a new version, audited)."""

import datetime as dt
from typing import Any

import msgspec

from core import audit
from core.db import in_write_transaction
from core.errors import Invalid, NotFound
from core.identity import Actor
from core.ids import require_uuid
from voucher import access
from voucher.evaluation import defaults, domain
from voucher.evaluation.domain import QuestionnaireDef
from voucher.tables import Questionnaire


def _from_row(row: dict) -> QuestionnaireDef:
    return msgspec.convert({
        "key": row["key"], "kind": row["kind"], "title": row["title"], "intro": row["intro"], "items": row["items"],
        "scale": row["scale"], "occasions": row["occasions"], "active": row["active"], "version": row["version"],
    }, QuestionnaireDef)


async def of_county(organiser_id: Any) -> list[QuestionnaireDef]:
    """Every questionnaire of the county, active or not: the built-in ones first (the county's version
    where it saved one), then its own by key."""
    rows = await Questionnaire.select().where(Questionnaire.organiser_id == require_uuid(organiser_id)).order_by(
        Questionnaire.key).output(load_json=True).run()
    saved = {row["key"]: _from_row(row) for row in rows}
    built_in = [saved.pop(key, definition) for key, definition in defaults.BUILT_IN.items()]
    return built_in + list(saved.values())


async def active_of_county(organiser_id: Any) -> list[QuestionnaireDef]:
    return [q for q in await of_county(organiser_id) if q.active]


async def one(organiser_id: Any, key: str) -> QuestionnaireDef:
    for definition in await of_county(organiser_id):
        if definition.key == key:
            return definition
    raise NotFound()


async def save(actor: Actor, organiser_id: Any, definition: QuestionnaireDef, now: dt.datetime) -> QuestionnaireDef:
    """The county's organiser admin saves a questionnaire (a built-in one's new version, or its own);
    the version goes up by one when anything changed. WHO-5 keeps its kind, items and scale; a
    built-in key keeps its kind. Audited."""
    oid = access.county_rules_of(actor, organiser_id)
    if errors := domain.definition_errors(definition):
        raise Invalid(errors=errors)
    built_in = defaults.BUILT_IN.get(definition.key)
    if built_in is not None and definition.kind != built_in.kind:
        raise Invalid("voucher.questionnaire.error.kind", field="kind")
    if built_in is None and definition.kind != "custom":
        raise Invalid("voucher.questionnaire.error.kind", field="kind")
    if definition.kind == "who5" and ([i.key for i in definition.items] != [i.key for i in built_in.items]
                                      or (definition.scale.min, definition.scale.max) != (0, 5)):
        raise Invalid("voucher.questionnaire.error.who5_fixed", field="items")

    async def op() -> QuestionnaireDef:
        current = next((q for q in await of_county(oid) if q.key == definition.key), None)
        unchanged = current is not None and msgspec.structs.replace(definition, version=current.version) == current
        if unchanged:
            return current
        version = (current.version + 1) if current is not None else 1
        saved = msgspec.structs.replace(definition, version=version)
        values = msgspec.to_builtins(saved)
        columns = {"kind": values["kind"], "title": values["title"], "intro": values["intro"],
                   "items": values["items"], "scale": values["scale"], "occasions": values["occasions"],
                   "active": values["active"], "version": version, "updated_by": actor.user_id, "updated_at": now}
        exists = await Questionnaire.exists().where((Questionnaire.organiser_id == oid)
                                                    & (Questionnaire.key == definition.key)).run()
        if exists:
            await Questionnaire.update({getattr(Questionnaire, k): v for k, v in columns.items()}).where(
                (Questionnaire.organiser_id == oid) & (Questionnaire.key == definition.key)).run()
        else:
            await Questionnaire.insert(Questionnaire(organiser_id=oid, key=definition.key, **columns)).run()
        await audit.record(actor, "voucher.questionnaire.saved", "organiser", oid, organiser_id=oid,
                           details={"key": definition.key, "version": version, "active": definition.active,
                                    "items": len(definition.items), "occasions": list(definition.occasions)})
        return saved

    return await in_write_transaction(op)
