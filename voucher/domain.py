"""Pure rules of the voucher: no I/O, no Piccolo, no Litestar.

The services load facts from the database, ask these functions what the rules say, and then make
the change with conditional atomic updates (see voucher.ledger), so that what the rules decided on a
snapshot is still true when it is written.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Literal

import msgspec
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from core.clock import HELSINKI, UTC

# --- Decline codes, in the order the checks run ---------------------------------------------------

CARD_INACTIVE = "card_inactive"
OUTSIDE_VALIDITY_PERIOD = "outside_validity_period"
PROVIDER_NOT_APPROVED = "provider_not_approved"
# A booking made by a proxy of the client who works for the booked provider (issue 16, point 5).
PROXY_IS_PROVIDER_STAFF = "proxy_is_provider_staff"
LISTING_NOT_APPROVED = "listing_not_approved"
CATEGORY_NOT_IN_PLAN = "category_not_in_plan"
# No listing and no booking named, and no category of the purchase is "open amount" for the county.
LISTING_REQUIRED = "listing_required"
# Above the listing's price × quantity plus the tolerance, the booking's own ceiling, or an open
# amount category's cap.
OVER_LISTING_PRICE = "over_listing_price"
OVER_TRANSACTION_LIMIT = "over_transaction_limit"
OVER_DAILY_LIMIT = "over_daily_limit"
# A payment without a booking that the client has not agreed to (no PIN or one-time code, and the
# organiser's low-value exemption does not cover it — nor ever a third just-under-exemption payment
# from one provider in a day), and one whose PIN or code is wrong.
CLIENT_CONSENT_REQUIRED = "client_consent_required"
WRONG_CLIENT_CODE = "wrong_client_code"
INSUFFICIENT_FUNDS = "insufficient_funds"
# The line's client-fee rule leaves nothing for the budget to pay (docs/decisions/0033).
OWN_SHARE_COVERS_PRICE = "own_share_covers_price"

DECLINE_CODES: tuple[str, ...] = (
    CARD_INACTIVE,
    OUTSIDE_VALIDITY_PERIOD,
    PROVIDER_NOT_APPROVED,
    PROXY_IS_PROVIDER_STAFF,
    LISTING_NOT_APPROVED,
    CATEGORY_NOT_IN_PLAN,
    LISTING_REQUIRED,
    OVER_LISTING_PRICE,
    OVER_TRANSACTION_LIMIT,
    OVER_DAILY_LIMIT,
    CLIENT_CONSENT_REQUIRED,
    WRONG_CLIENT_CODE,
    INSUFFICIENT_FUNDS,
    OWN_SHARE_COVERS_PRICE,
)

# The most any one amount may be (ten billion euros): every money input is checked against it, far
# inside the BigInt columns' range (an amount beyond 2^63 made the database fail with a 500).
MAX_CENTS = 10**12

# Authorisation statuses as the API shows them (docs/api.md).
APPROVED = "approved"
DECLINED = "declined"
CAPTURED = "captured"
PARTIALLY_CAPTURED = "partially_captured"
VOIDED = "voided"
EXPIRED = "expired"

CARD_STATUSES = ("active", "frozen", "closed")
SETTLEMENT_PERIODS = ("daily", "weekly", "monthly")

# Who pays the provider for a capture (and takes a refund back): the platform's settlement (a
# pain.001 file or a Connect transfer), or the card network — a Stripe Issuing payment is paid to
# the merchant by its own acquirer from the platform's Issuing balance, so settlement leaves it out.
SETTLED_BY_PLATFORM = "platform"
SETTLED_BY_CARD_NETWORK = "card_network"
STRIPE_SOURCE = "stripe"  # Authorization.source of a hold Stripe Issuing asked for


def settled_by(source: str) -> str:
    """Who pays a capture of a hold from ``source``: a Stripe Issuing hold is paid by the card
    network whoever posts its capture; every other hold by the platform's settlement."""
    return SETTLED_BY_CARD_NETWORK if source == STRIPE_SOURCE else SETTLED_BY_PLATFORM
GAS_SCORES = range(-2, 3)


# --- Budget lines and balances -------------------------------------------------------------------


class LineState(msgspec.Struct, frozen=True, kw_only=True):
    """A budget line's counters as read in one snapshot.

    ``held_cents`` is the counter kept by the ledger; ``expired_held_cents`` is the part of it that
    belongs to holds whose expiry time has passed but which no sweeper has released yet. Such holds
    never count against the budget, so every balance below subtracts them.
    """

    id: str
    category: str
    granted_cents: int
    held_cents: int = 0
    spent_cents: int = 0
    may_fund: tuple[str, ...] = ()
    swap_cap_cents: int | None = None
    swap_used_cents: int = 0
    expired_held_cents: int = 0
    expired_swap_cents: int = 0
    # The line's client-fee rule (docs/decisions/0033): the code as the line names it, and the rule
    # itself once read (None: the budget pays the whole price).
    fee_rule_code: str | None = None
    fee: "FeeRule | None" = None

    @property
    def effective_held_cents(self) -> int:
        return self.held_cents - self.expired_held_cents

    @property
    def available_cents(self) -> int:
        return available_cents(self.granted_cents, self.effective_held_cents, self.spent_cents)

    @property
    def swap_room_cents(self) -> int:
        """How much of this line may still go to categories other than its own."""
        if self.swap_cap_cents is None:
            return self.available_cents
        used = self.swap_used_cents - self.expired_swap_cents
        return max(0, min(self.available_cents, self.swap_cap_cents - used))


def available_cents(granted_cents: int, held_cents: int, spent_cents: int) -> int:
    return granted_cents - held_cents - spent_cents


class Candidate(msgspec.Struct, frozen=True):
    """A line that may pay for a purchase; ``swap`` when the purchase is not the line's own category."""

    line_id: str
    swap: bool


def candidate_lines(lines: Sequence[LineState], categories: Iterable[str]) -> list[Candidate]:
    """Lines that may pay for a purchase in any of ``categories``, in the order to try them.

    A line's own category comes first (in the decision's line order), then lines whose ``may_fund``
    names one of the categories (the client swaps part of a granted service for another).
    """
    wanted = set(categories)
    own = [Candidate(line.id, False) for line in lines if line.category in wanted]
    swaps = [
        Candidate(line.id, True)
        for line in lines
        if line.category not in wanted and wanted.intersection(line.may_fund)
    ]
    return own + swaps


def room_cents(line: LineState, swap: bool) -> int:
    return line.swap_room_cents if swap else line.available_cents


def fitting_candidates(
    lines: Sequence[LineState], categories: Iterable[str], amount_cents: int, quantity: int = 1
) -> list[Candidate]:
    """Candidates whose room (balance, and the swap cap for a swap) covers what the line would pay:
    the whole amount, less the client's own share under the line's fee rule before any monthly cap
    (the least the budget pays; the hold itself counts the cap, voucher.own_share.take)."""
    by_id = {line.id: line for line in lines}
    return [c for c in candidate_lines(lines, categories)
            if room_cents(by_id[c.line_id], c.swap) >= amount_cents - raw_fee_cents(by_id[c.line_id].fee, amount_cents, quantity)]


# --- An organiser's card rules (voucher.card_rules keeps them) -----------------------------------

DEFAULT_SINGLE_CENTS = 5000
DEFAULT_CUMULATIVE_CENTS = 15000
BASIS_POINTS = 10_000  # 100 % in basis points
MAX_TOLERANCE_BP = 5_000  # a tolerance above 50 % would be no price ceiling at all


class CardRules(msgspec.Struct, frozen=True, kw_only=True):
    """An organiser's rules for card payments (issue 16; defaults where a county set none)."""

    # A payment up to this needs no consent code ...
    single_cents: int = DEFAULT_SINGLE_CENTS
    # ... while code-less payments since the last consented one stay within this (None: no limit).
    cumulative_cents: int | None = DEFAULT_CUMULATIVE_CENTS
    # How far over the listing's price × quantity a payment may go, in basis points (100 = 1 %).
    tolerance_bp: int = 0
    # Category code → the most one payment with no listing may be in it ("open amount", e.g. taxi by km).
    open_amount: dict[str, int] = {}


def card_rules_errors(rules: CardRules, known_categories: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(field, message key under ``voucher.error.``) for each problem with a county's card rules, by the
    import's field names."""
    errors: list[tuple[str, str]] = []
    if not 0 <= rules.single_cents <= MAX_CENTS:
        errors.append(("card_consent.single_cents", "card_rules_amount"))
    if rules.cumulative_cents is not None and not 0 <= rules.cumulative_cents <= MAX_CENTS:
        errors.append(("card_consent.cumulative_cents", "card_rules_amount"))
    elif rules.cumulative_cents is not None and rules.cumulative_cents < rules.single_cents:
        errors.append(("card_consent.cumulative_cents", "cumulative_below_single"))
    if not 0 <= rules.tolerance_bp <= MAX_TOLERANCE_BP:
        errors.append(("price_tolerance_bp", "tolerance_range"))
    known = set(known_categories) if known_categories is not None else None
    for i, (code, cap) in enumerate(rules.open_amount.items()):
        if known is not None and code not in known:
            errors.append((f"open_amount[{i}].category", "unknown_category"))
        if not 0 < cap <= MAX_CENTS:
            errors.append((f"open_amount[{i}].cap_cents", "open_amount_cap"))
    return errors


# --- The price ceiling (issue 16, point 2) -----------------------------------------------------------


def with_tolerance(base_cents: int, tolerance_bp: int) -> int:
    """``base_cents`` plus the organiser's tolerance, the tolerance rounded down to the whole cent
    (integer division: 2 % of 1 999 cents is 39 cents, not 39.98) — never a cent more than the rule."""
    return base_cents + base_cents * tolerance_bp // BASIS_POINTS


def listing_ceiling_cents(price_cents: int, quantity: int, tolerance_bp: int) -> int:
    """The most a payment against a listing may be: its price × quantity, plus the tolerance."""
    return with_tolerance(price_cents * quantity, tolerance_bp)


class BookingTerms(msgspec.Struct, frozen=True, kw_only=True):
    """A booking a payment names: its amount (the listing's price × its quantity), and what its own
    hold and earlier payments naming it hold or took already."""

    amount_cents: int
    taken_cents: int = 0


def held_or_taken_cents(status: str, amount_cents: int, captured_cents: int, expires_at: dt.datetime | None,
                        now: dt.datetime) -> int:
    """What one authorisation holds or took: a live hold its amount, a capture what it captured
    (the rest went back); a declined, voided or expired one nothing."""
    if status == APPROVED:
        return amount_cents if expires_at is not None and not is_expired(expires_at, now) else 0
    if status in (CAPTURED, PARTIALLY_CAPTURED):
        return captured_cents
    return 0


def booking_ceiling_cents(booking: BookingTerms, tolerance_bp: int) -> int:
    """The most one more payment for a booking may be: its amount plus the tolerance, less what is
    held or taken for it already (a booking's hold normally holds its whole amount: then only the
    tolerance is left)."""
    return max(0, with_tolerance(booking.amount_cents, tolerance_bp) - booking.taken_cents)


# --- Repeated just-under-exemption payments (issue 16, point 5) --------------------------------------

# A code-less payment of at least 90 % of the county's single exemption (and not above it) is "just
# under"; the third such from one provider on one card within 24 hours needs the client's consent.
NEAR_EXEMPTION_BP = 9_000
NEAR_EXEMPTION_REPEAT = 3
NEAR_EXEMPTION_WINDOW = dt.timedelta(hours=24)


def near_exemption_floor_cents(single_cents: int) -> int:
    """The smallest amount that is "just under" the exemption: 90 % of it, rounded up to the cent."""
    return -(-single_cents * NEAR_EXEMPTION_BP // BASIS_POINTS)


def is_near_exemption(amount_cents: int, single_cents: int) -> bool:
    return single_cents > 0 and near_exemption_floor_cents(single_cents) <= amount_cents <= single_cents


def near_exemption_needs_consent(amount_cents: int, single_cents: int, earlier_near: int) -> bool:
    """Does this code-less payment need consent because it repeats "just under the exemption"
    (``earlier_near``: such payments from the same provider on the same card in the window)?"""
    return is_near_exemption(amount_cents, single_cents) and earlier_near + 1 >= NEAR_EXEMPTION_REPEAT


# --- The client's consent to a payment without a booking (docs/decisions/0028) -------------------

# Wrong PINs or one-time codes, counted per card, that block consent on it until a new PIN is set.
MAX_CONSENT_FAILURES = 3
# How a payment gets the client's consent (``Approve.consent``):
CONSENT_NOT_NEEDED = ""  # a booking the client made
CONSENT_EXEMPT = "exempt"  # the organiser's low-value exemption covers it, and counts it
CONSENT_CODE = "code"  # the PIN or one-time code that came with it is checked (or the card network's own)


class ConsentFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the client's consent to a payment without their booking is judged on (the exemption's
    limits are the county's ``CardRules``)."""

    # A PIN or one-time code came with the payment (or the card network authenticated the cardholder).
    code_given: bool
    # What code-less payments on the card took since the last consented one, as read in the snapshot.
    codeless_cents: int = 0


def exemption_covers(amount_cents: int, single_cents: int, cumulative_cents: int | None, codeless_cents: int) -> bool:
    """PSD2's low-value idea: one payment up to ``single_cents``, and code-less payments since the last
    consented one up to ``cumulative_cents`` together."""
    return amount_cents <= single_cents and (cumulative_cents is None or codeless_cents + amount_cents <= cumulative_cents)


def consent_route(amount_cents: int, rules: CardRules, c: ConsentFacts, earlier_near_exemption: int = 0) -> str | None:
    """How the payment gets the client's consent; None: it has none (``client_consent_required``).

    A code that comes with a payment is always checked, even under the exemption: a wrong one declines
    (and counts), so the exemption never hides a guess. The exemption never covers a payment that
    repeats "just under" it (``near_exemption_needs_consent``)."""
    if c.code_given:
        return CONSENT_CODE
    if exemption_covers(amount_cents, rules.single_cents, rules.cumulative_cents, c.codeless_cents) and (
            not near_exemption_needs_consent(amount_cents, rules.single_cents, earlier_near_exemption)):
        return CONSENT_EXEMPT
    return None


_PIN = re.compile(r"^[0-9]{4,6}$")
# Well-known PINs that are no sequence or repetition: keypad columns and diagonals.
_KEYPAD_PINS = frozenset({"2580", "0852", "1470", "0741", "3690", "0963", "1379", "1397", "147258", "258369",
                          "369258", "159753", "357159", "789456", "456123", "852456"})


def pin_error(pin: str) -> str | None:
    """The message key of what is wrong with a PIN the client chose, or None."""
    if not _PIN.match(pin or ""):
        return "voucher.error.pin_format"
    if obvious_pin(pin):
        return "voucher.error.pin_obvious"
    return None


def obvious_pin(pin: str) -> bool:
    """A PIN anyone would try first: one digit again (0000), a run up or down by a constant step
    (1234, 9876, 2468), such a run with each digit doubled (112233), a repeated block (1212, 123123)
    or a keypad line (2580)."""
    if _constant_steps(pin) or (len(pin) % 2 == 0 and pin[0::2] == pin[1::2] and _constant_steps(pin[0::2])):
        return True
    if any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in (1, 2, 3)):
        return True
    return pin in _KEYPAD_PINS


def _constant_steps(digits: str) -> bool:
    return len({(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}) <= 1


# --- The authorisation decision ------------------------------------------------------------------


class AuthorisationFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the decision needs, read in one snapshot by the service."""

    amount_cents: int
    today: dt.date
    # None: no card has this token (also a replaced card's old token, which is closed).
    card_status: str | None
    # The client's decision valid today, if any (start and end inclusive).
    decision_start: dt.date | None = None
    decision_end: dt.date | None = None
    provider_approved: bool = False
    # None when the request names no listing.
    listing_approved: bool | None = None
    # The listing's category, or (with no listing) the categories the provider is approved for.
    purchase_categories: tuple[str, ...] = ()
    lines: tuple[LineState, ...] = ()
    per_transaction_limit_cents: int | None = None
    daily_limit_cents: int | None = None
    day_used_cents: int = 0
    # The client's county's card rules (tolerance, open-amount categories, exemption).
    rules: CardRules = CardRules()
    # The live listing's price (per its unit), and how many units the payment is for.
    listing_price_cents: int | None = None
    quantity: int = 1
    # The booking the payment names (its listing then is the payment's), if any.
    booking: BookingTerms | None = None
    # The person booking is a proxy of the client who works for the provider.
    payer_is_provider_staff: bool = False
    # Code-less "just under the exemption" payments from this provider on this card in the window.
    earlier_near_exemption: int = 0
    # What the client's consent is judged on; None when the payment needs none (the client's own
    # booking, or the booking's own hold).
    consent: ConsentFacts | None = None


class Approve(msgspec.Struct, frozen=True):
    """Approve on the first candidate whose atomic update succeeds; none → insufficient funds.
    ``categories``: what the purchase may be (the listing's, or the open-amount ones it fits).

    ``consent`` says how the client's consent is taken before any line is held (``consent_route``).
    With a code to check, the candidates may be empty: the code is checked first and the payment then
    declines for funds, so a wrong code never learns what the client's budget holds."""

    candidates: list[Candidate]
    categories: tuple[str, ...] = ()
    consent: str = ""


class Decline(msgspec.Struct, frozen=True):
    code: str


def within_validity(today: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return start is not None and end is not None and start <= today <= end


def cap_decline(amount_cents: int, per_transaction: int | None, daily: int | None, day_used: int) -> str | None:
    if per_transaction is not None and amount_cents > per_transaction:
        return OVER_TRANSACTION_LIMIT
    if daily is not None and day_used + amount_cents > daily:
        return OVER_DAILY_LIMIT
    return None


def priced_categories(f: AuthorisationFacts) -> tuple[str, ...] | Decline:
    """The price ceiling: the categories the purchase may be bought in, or the decline.

    * a booking named: at most its ceiling (``booking_ceiling_cents``);
    * a listing named: at most its price × quantity plus the tolerance;
    * neither: only in a category the provider is approved for, the client's plan can pay and the
      county marks "open amount" — the purchase is then in those categories only, and at most the
      category's cap (the categories whose cap the amount fits). No such category:
      ``listing_required``; over every cap: ``over_listing_price``.
    """
    if f.booking is not None:
        if f.amount_cents > booking_ceiling_cents(f.booking, f.rules.tolerance_bp):
            return Decline(OVER_LISTING_PRICE)
        return f.purchase_categories
    if f.listing_approved is not None:
        if f.listing_price_cents is None or f.amount_cents > listing_ceiling_cents(
                f.listing_price_cents, f.quantity, f.rules.tolerance_bp):
            return Decline(OVER_LISTING_PRICE)
        return f.purchase_categories
    open_ = [c for c in f.purchase_categories if c in f.rules.open_amount and candidate_lines(f.lines, [c])]
    if not open_:
        return Decline(LISTING_REQUIRED)
    fitting = tuple(c for c in open_ if f.amount_cents <= f.rules.open_amount[c])
    return fitting or Decline(OVER_LISTING_PRICE)


def decide(f: AuthorisationFacts) -> Approve | Decline:
    """The card authorisation decision: checks in order; the first that fails names the decline code."""
    if f.card_status != "active":
        return Decline(CARD_INACTIVE)
    if not within_validity(f.today, f.decision_start, f.decision_end):
        return Decline(OUTSIDE_VALIDITY_PERIOD)
    if not f.provider_approved:
        return Decline(PROVIDER_NOT_APPROVED)
    if f.payer_is_provider_staff:
        return Decline(PROXY_IS_PROVIDER_STAFF)
    if f.listing_approved is False:
        return Decline(LISTING_NOT_APPROVED)
    if not candidate_lines(f.lines, f.purchase_categories):
        return Decline(CATEGORY_NOT_IN_PLAN)
    categories = priced_categories(f)
    if isinstance(categories, Decline):
        return categories
    capped = cap_decline(f.amount_cents, f.per_transaction_limit_cents, f.daily_limit_cents, f.day_used_cents)
    if capped:
        return Decline(capped)
    # Consent (docs/decisions/0028): a payment for no booking of the client's needs their PIN or a
    # one-time code, unless the county's low-value exemption covers it (never a third payment "just
    # under" it from one provider in the window).
    route = CONSENT_NOT_NEEDED
    if f.consent is not None and f.booking is None:  # a payment bound to the client's booking needs none
        route = consent_route(f.amount_cents, f.rules, f.consent, f.earlier_near_exemption)
        if route is None:
            return Decline(CLIENT_CONSENT_REQUIRED)
    fitting = fitting_candidates(f.lines, categories, f.amount_cents, f.quantity)
    if not fitting and route != CONSENT_CODE:
        return Decline(INSUFFICIENT_FUNDS)
    return Approve(fitting, categories, consent=route)


# --- Holds, captures, refunds --------------------------------------------------------------------


def hold_expiry(now: dt.datetime, days: int) -> dt.datetime:
    return now + dt.timedelta(days=days)


def is_expired(expires_at: dt.datetime, now: dt.datetime) -> bool:
    """A hold is expired from the instant its expiry time is reached (the same rule everywhere)."""
    return expires_at <= now


class CaptureSplit(msgspec.Struct, frozen=True):
    captured_cents: int
    released_cents: int
    status: str


def split_capture(authorised_cents: int, capture_cents: int) -> CaptureSplit:
    """A capture posts up to the authorised amount; the rest of the hold is released."""
    if capture_cents <= 0 or capture_cents > authorised_cents:
        raise ValueError("capture amount must be between 1 and the authorised amount")
    status = CAPTURED if capture_cents == authorised_cents else PARTIALLY_CAPTURED
    return CaptureSplit(capture_cents, authorised_cents - capture_cents, status)


def swap_part(amount_cents: int, swap: bool) -> int:
    """The part of a movement that counts against the line's swap cap."""
    return amount_cents if swap else 0


def refundable_cents(captured_cents: int, refunded_cents: int) -> int:
    return captured_cents - refunded_cents


# --- Budget lines as a decision defines them (the API and the import alike) -----------------------


class LineSpec(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    amount_cents: int
    may_fund: tuple[str, ...] = ()
    swap_cap_cents: int | None = None
    # The organiser's client-fee rule the line follows (its code; checked by the service).
    fee_rule: str | None = None


def line_spec_errors(spec: LineSpec, known_categories: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(field, message key) for each problem with one line."""
    errors: list[tuple[str, str]] = []
    known = set(known_categories) if known_categories is not None else None
    if spec.amount_cents < 0:
        errors.append(("amount_cents", "negative_amount"))
    if spec.amount_cents > MAX_CENTS:
        errors.append(("amount_cents", "amount_too_large"))
    if known is not None and spec.category not in known:
        errors.append(("category", "unknown_category"))
    if known is not None and any(c not in known for c in spec.may_fund):
        errors.append(("may_fund", "unknown_category"))
    if spec.category in spec.may_fund:
        errors.append(("may_fund", "may_fund_own_category"))
    if spec.swap_cap_cents is not None and not 0 <= spec.swap_cap_cents <= spec.amount_cents:
        errors.append(("swap_cap_cents", "swap_cap_out_of_range"))
    return errors


def decision_errors(start: dt.date, end: dt.date, lines: Sequence[LineSpec]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if end < start:
        errors.append(("end", "end_before_start"))
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.category in seen:
            errors.append((f"lines[{i}].category", "duplicate_line"))
        seen.add(line.category)
    return errors


def regrant_error(new_granted_cents: int, held_cents: int, spent_cents: int) -> str | None:
    """A line's grant may shrink, but never below what is already held or spent on it."""
    if new_granted_cents < held_cents + spent_cents:
        return "grant_below_used"
    return None


def gas_score_valid(score: int) -> bool:
    return score in GAS_SCORES


# --- Money typed by people ---------------------------------------------------------------------

_HUNDREDTHS = re.compile(r"^(\d{1,10})(?:[.,](\d{1,2}))?$")


def _hundredths(text: str, sign: str) -> int:
    """A number as a person types it, with at most two decimals and an optional ``sign`` (€, %),
    in hundredths: cents of euros, basis points of a percentage."""
    compact = re.sub(r"[\s\u00a0" + re.escape(sign) + "]", "", text or "")
    match = _HUNDREDTHS.match(compact)
    if not match:
        raise ValueError(f"not a number with at most two decimals: {text!r}")
    whole, frac = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(whole) * 100 + int(frac)


def parse_euros(text: str) -> int:
    """Euros as a person types them in a form (``1 234,50``, ``1234.5``, ``80``) → integer cents."""
    return _hundredths(text, "€")


def parse_percent(text: str) -> int:
    """A percentage as a person types it (``2``, ``2,5``, ``0,25 %``) → basis points (100 = 1 %)."""
    return _hundredths(text, "%")


def euros_text(cents: int | None) -> str:
    """Cents back into the form's own format (``1234,50``), for re-editing."""
    if cents is None:
        return ""
    whole, frac = divmod(cents, 100)
    return f"{whole},{frac:02d}"


def percent_text(basis_points: int) -> str:
    """Basis points back into a form's percentage (``250`` → ``2,5``; ``0`` → ``0``)."""
    return euros_text(basis_points).rstrip("0").rstrip(",")


# --- Settlement --------------------------------------------------------------------------------


def rf_reference(batch_id: uuid.UUID | str) -> str:
    """A Finnish RF creditor reference (ISO 11649) derived from a settlement batch's id.

    The body is a Finnish national reference number (viitenumero: digits plus a 7-3-1 check
    digit) made from the batch id, so the same batch always gets the same reference.
    """
    digits = str(10**17 + uuid.UUID(str(batch_id)).int % 10**17)  # always 18 digits
    body = digits + national_reference_check_digit(digits)
    check = mod_97_10.calc_check_digits(body + "RF")
    return iso11649.validate("RF" + check + body)


def national_reference_check_digit(digits: str) -> str:
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


class Period(msgspec.Struct, frozen=True):
    """A settlement period: local dates, ``end`` exclusive."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def start_utc(self) -> dt.datetime:
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> dt.datetime:
        return local_midnight_utc(self.end)


def local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=HELSINKI).astimezone(UTC)


def helsinki_date(instant: dt.datetime) -> dt.date:
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(HELSINKI).date()


def period_containing(kind: Literal["daily", "weekly", "monthly"] | str, day: dt.date) -> Period:
    if kind == "daily":
        return Period(kind, day, day + dt.timedelta(days=1))
    if kind == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return Period(kind, start, start + dt.timedelta(days=7))
    if kind == "monthly":
        start = day.replace(day=1)
        end = (start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1))
        return Period(kind, start, end)
    raise ValueError(f"unknown settlement period {kind!r}")


def last_completed_period(kind: str, now: dt.datetime) -> Period:
    """The most recent period that has ended by ``now`` (Helsinki calendar)."""
    current = period_containing(kind, helsinki_date(now))
    return period_containing(kind, current.start - dt.timedelta(days=1))


# --- Own share: the client's fee (asiakasmaksu) beside the budget (docs/decisions/0033) -----------

FEE_NONE = "none"
FEE_PER_UNIT = "per_unit"
FEE_PERCENT = "percent"
FEE_KINDS = (FEE_NONE, FEE_PER_UNIT, FEE_PERCENT)
_FEE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class FeeRule(msgspec.Struct, frozen=True, kw_only=True):
    """An organiser's client-fee rule: ``value`` is cents per unit (``per_unit``) or basis points of
    the price (``percent``; 10 000 = 100 %); ``monthly_cap_cents`` is the most the client pays under
    the rule in one Helsinki calendar month (None: no cap)."""

    code: str
    kind: str = FEE_NONE
    value: int = 0
    monthly_cap_cents: int | None = None


class Share(msgspec.Struct, frozen=True):
    """A sum split between the budget and the client: ``budget_cents + client_cents == gross``."""

    budget_cents: int
    client_cents: int

    @property
    def gross_cents(self) -> int:
        return self.budget_cents + self.client_cents


def fee_rule_errors(rule: FeeRule) -> list[tuple[str, str]]:
    """(field, message key) for each problem with a rule as an organiser defines it."""
    errors: list[tuple[str, str]] = []
    if not _FEE_CODE.match(rule.code or ""):
        errors.append(("code", "fee_code"))
    if rule.kind not in FEE_KINDS:
        errors.append(("kind", "fee_kind"))
    elif rule.kind == FEE_PERCENT and not 0 <= rule.value <= BASIS_POINTS:
        errors.append(("value", "fee_percent_range"))
    elif rule.kind == FEE_PER_UNIT and not 0 <= rule.value <= MAX_CENTS:
        errors.append(("value", "fee_value_range"))
    if rule.monthly_cap_cents is not None and not 0 <= rule.monthly_cap_cents <= MAX_CENTS:
        errors.append(("monthly_cap_cents", "fee_cap_range"))
    return errors


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up to a whole number (both ≥ 0, denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def raw_fee_cents(rule: FeeRule | None, gross_cents: int, units: int) -> int:
    """The client's fee before any cap, never above the price: ``per_unit`` is value × units;
    ``percent`` is gross × value / 10 000 rounded half up to the whole cent."""
    if rule is None or gross_cents <= 0:
        return 0
    if rule.kind == FEE_PER_UNIT:
        fee = rule.value * max(units, 0)
    elif rule.kind == FEE_PERCENT:
        fee = _half_up(gross_cents * rule.value, BASIS_POINTS)
    else:
        fee = 0
    return max(0, min(fee, gross_cents))


def split_share(gross_cents: int, units: int, rule: FeeRule | None, used_this_month_cents: int = 0) -> Share:
    """Split a price between the budget and the client under ``rule``, given what the client has
    already paid under it this month: the client part is the raw fee, at most the price, at most
    what is left of the monthly cap (never below zero); the budget pays the rest. No rule (or
    ``none``): the budget pays it all."""
    client = raw_fee_cents(rule, gross_cents, units)
    if rule is not None and rule.monthly_cap_cents is not None:
        client = min(client, max(0, rule.monthly_cap_cents - max(used_this_month_cents, 0)))
    return Share(gross_cents - client, client)


def proportional_share(whole: Share, part_gross_cents: int) -> Share:
    """The split of a part of ``whole`` (a partial capture or a fee): the client part in proportion,
    ``whole.client × part / whole.gross`` rounded half up, the budget the rest — so each part is at
    most the whole's, and the whole again gives back exactly its parts. While the budget pays some of
    the whole it pays at least a cent of each part (a capture is never of nothing)."""
    gross = whole.gross_cents
    if part_gross_cents <= 0 or gross <= 0:
        return Share(0, 0)
    if part_gross_cents >= gross:
        return whole
    client = _half_up(whole.client_cents * part_gross_cents, gross)
    if whole.budget_cents > 0:
        client = min(client, part_gross_cents - 1)  # the budget's part of a part is never nothing
    return Share(part_gross_cents - client, client)


def client_part_of_budget(whole: Share, budget_part_cents: int) -> int:
    """The client part that goes with ``budget_part_cents`` of ``whole``'s budget part (a capture
    named in the budget's cents, a refund): in proportion, rounded half up; the whole budget part
    takes the whole client part."""
    if budget_part_cents >= whole.budget_cents:
        return whole.client_cents
    if budget_part_cents <= 0:
        return 0
    if whole.budget_cents <= 0:
        return whole.client_cents
    return min(whole.client_cents, _half_up(whole.client_cents * budget_part_cents, whole.budget_cents))


def fee_month(instant: dt.datetime) -> str:
    """The Helsinki calendar month a hold's client part counts in, as ``YYYY-MM``."""
    return instant.astimezone(HELSINKI).strftime("%Y-%m")
