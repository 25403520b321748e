"""An organiser's rules for card payments: the low-value consent exemption, the price tolerance
and the categories that may be paid without a listing ("open amount"), each with its own cap.

(Stub with the defaults of issue 16; the organiser's own settings and the import come next.)
"""

from typing import Any

import msgspec

DEFAULT_SINGLE_CENTS = 5000
DEFAULT_CUMULATIVE_CENTS = 15000


class CardRules(msgspec.Struct, frozen=True, kw_only=True):
    # A payment up to this needs no consent code ...
    single_cents: int = DEFAULT_SINGLE_CENTS
    # ... while code-less payments since the last consented one stay within this (None: no limit).
    cumulative_cents: int | None = DEFAULT_CUMULATIVE_CENTS
    # How far over the listing's price × quantity a payment may go, in basis points (100 = 1 %).
    tolerance_bp: int = 0
    # Category code → the most one payment with no listing may be in it.
    open_amount: dict[str, int] = {}


async def rules_for(organiser_id: Any) -> CardRules:
    return CardRules()
