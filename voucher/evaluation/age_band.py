"""A client's age band, recorded by the counsellor on the client's page: a quasi-identifier of the
research export and the comparison (voucher.evaluation.stats.AGE_BANDS); never a birth date."""

import datetime as dt
from typing import Any

from core import audit, db
from core.errors import FieldError, Invalid
from core.identity import Actor
from voucher import access
from voucher.evaluation.stats import AGE_BANDS
from voucher.tables import ClientAgeBand


async def age_band_of(client_id: Any) -> str:
    row = await ClientAgeBand.select(ClientAgeBand.age_band).where(ClientAgeBand.client_id == client_id).first().run()
    return row["age_band"] if row else ""


async def set_age_band(actor: Actor, client_id: str, band: str) -> None:
    client = await access.client_to_change(actor, client_id)
    if band not in AGE_BANDS:
        raise Invalid("error.invalid", field="age_band",
                      errors=[FieldError(field="age_band", key="field.choice", params={"choices": ", ".join(AGE_BANDS)})])

    async def write() -> None:
        if await ClientAgeBand.exists().where(ClientAgeBand.client_id == client["id"]).run():
            await ClientAgeBand.update({ClientAgeBand.age_band: band,
                                        ClientAgeBand.updated_at: dt.datetime.now(dt.timezone.utc)}).where(
                ClientAgeBand.client_id == client["id"]).run()
        else:
            await ClientAgeBand(client_id=client["id"], organiser_id=client["organiser_id"], age_band=band).save().run()
        await audit.record(actor, "evaluation.age_band.set", "client", client["id"], organiser_id=client["organiser_id"])

    await db.in_write_transaction(write)
