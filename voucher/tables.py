"""Voucher tables: columns only. Rules live in voucher.domain, use cases in the service modules.

Unique and CHECK constraints over several columns are created by the migration
``voucher_2026_11_28t04_22_39_000000`` in plain SQL (Piccolo adds constraints with ``ALTER TABLE``,
which SQLite does not have); on SQLite the checks are triggers. They are listed there.

Ids of other packages' rows (organiser, provider, listing, user) are plain UUID columns: a package
never depends on another package's tables. Money is integer cents in ``BigInt`` columns.
"""

import uuid

from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

# --- Clients ----------------------------------------------------------------------------------


class Client(Table, tablename="vc_client"):
    """A budget holder, pseudonymous: no name or national ID number in clear text."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    organiser_id = UUID(index=True)
    # A pseudonym chosen by the counsellor (e.g. "Asiakas 0001"), never the person's name.
    display_name = Varchar(length=200)
    # disability_services | family_carers | older_people | families | young_adults | ...
    client_group = Varchar(length=64, index=True)
    counsellor_id = UUID(null=True, default=None, index=True)
    language = Varchar(length=2, default="fi")
    # Home municipality (for reporting by where clients live; not an address).
    municipality = Varchar(length=100, default="")
    # Keyed hash of the county and the national ID number (voucher.budgets.national_id_hash), for
    # finding the county's own duplicates only.
    national_id_hash = Varchar(length=64, unique=True, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProxyGrant(Table, tablename="vc_proxy_grant"):
    """A proxy (relative or HB assistant) acting for a client with delegated rights."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    proxy_user_id = UUID(index=True)
    # view | book | pay
    rights = JSON(default='["view"]')
    granted_by = UUID(null=True, default=None)
    granted_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    reason = Text(default="")


class ClientPlan(Table, tablename="vc_client_plan"):
    """Asiakassuunnitelma: the client's needs, own goals and follow-up."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    needs = Text(default="")
    responsible_user_id = UUID(null=True, default=None)
    follow_up_dates = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PlanGoal(Table, tablename="vc_plan_goal"):
    """One of the client's own goals, followed by Goal Attainment Scaling (−2…+2)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    plan = ForeignKey(references=ClientPlan, index=True)
    title = Text()
    # What each level means for this client, e.g. {"-2": "...", "0": "expected", "2": "..."}.
    levels = JSON(default="{}")
    position = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class GoalScore(Table, tablename="vc_goal_score"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    goal = ForeignKey(references=PlanGoal, index=True)
    score = SmallInt()
    # When the goal was assessed (may be a past follow-up meeting) and when it was written down.
    scored_at = Timestamptz(default=TimestamptzNow(), index=True)
    recorded_at = Timestamptz(default=TimestamptzNow(), index=True)
    scored_by = UUID(null=True, default=None)
    note = Text(default="")


class PlanItem(Table, tablename="vc_plan_item"):
    """A part of the plan besides goals: a need, a means (keino: how a goal is pursued, maybe with a
    service category) or a close person and their task. Never edited in place: a change removes the
    row (``removed_at``) and adds another, so the plan's history keeps every version."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    # need | means | close_person (voucher.plan_domain.ITEM_KINDS)
    kind = Varchar(length=16)
    # The need, the means, or the close person's task.
    text = Text(default="")
    # A means: the goal it serves and the service category it may use ("" none).
    goal_id = UUID(null=True, default=None)
    category = Varchar(length=64, default="")
    # A close person: the name or role the client chose (personal data: never in logs, search or URLs).
    person_label = Varchar(length=200, default="")
    proposal_id = UUID(null=True, default=None)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    removed_by = UUID(null=True, default=None)
    removed_at = Timestamptz(null=True, default=None)


class PlanConsent(Table, tablename="vc_plan_consent"):
    """The client's consent to share plan data with a named provider, or to research use; given and
    withdrawn by dates, each with who recorded it."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    # provider | research
    kind = Varchar(length=16)
    provider_id = UUID(null=True, default=None)
    given_on = Date()
    given_by = UUID(null=True, default=None)
    withdrawn_on = Date(null=True, default=None)
    withdrawn_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PlanProposal(Table, tablename="vc_plan_proposal"):
    """What the client or a proxy proposes to the plan (a goal, need, means, close person's task) or
    a comment on one of its items; the counsellor accepts it into the plan or declines with a reason."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    # goal | need | means | close_person | comment
    kind = Varchar(length=16)
    text = Text(default="")
    person_label = Varchar(length=200, default="")
    # A comment: the goal or item it is about.
    target_kind = Varchar(length=16, default="")
    target_id = UUID(null=True, default=None)
    proposed_by = UUID(null=True, default=None)
    # client | proxy
    proposed_as = Varchar(length=16, default="client")
    # open | accepted | declined
    status = Varchar(length=16, default="open", index=True)
    decided_by = UUID(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decline_reason = Text(default="")
    # The goal or item an accepted proposal became.
    result_id = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PlanTask(Table, tablename="vc_plan_task"):
    """A task for the client's responsible counsellor: a plan follow-up on a date. One per client,
    kind and date (a unique index); the client is reminded once (``reminded_at``)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    # follow_up
    kind = Varchar(length=16, default="follow_up")
    due_on = Date(index=True)
    assignee_id = UUID(null=True, default=None, index=True)
    done_at = Timestamptz(null=True, default=None)
    done_by = UUID(null=True, default=None)
    note = Text(default="")
    # The date was taken off the plan before the task was done.
    cancelled_at = Timestamptz(null=True, default=None)
    reminded_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


# --- Budget decisions -------------------------------------------------------------------------


class BudgetDecision(Table, tablename="vc_budget_decision"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    # Validity period, both days inclusive (Helsinki calendar).
    start = Date()
    end = Date()
    # active | revoked
    status = Varchar(length=16, default="active", index=True)
    carry_over = Boolean(default=True)
    co_payment_rule = Text(default="")
    decided_by = UUID(null=True, default=None)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class BudgetLine(Table, tablename="vc_budget_line"):
    """One line of a decision, with the ledger's counters for it.

    The counters change only through conditional atomic updates (voucher.ledger); the checks in
    the migration (granted − held − spent ≥ 0, counters ≥ 0, swap used ≤ cap) are the database's
    own last word that a line never goes below zero.
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    decision = ForeignKey(references=BudgetDecision, index=True)
    client_id = UUID(index=True)
    category = Varchar(length=64)
    position = Integer(default=0)
    granted_cents = BigInt(default=0)
    held_cents = BigInt(default=0)
    spent_cents = BigInt(default=0)
    may_fund = JSON(default="[]")
    # None: the whole line may go to the may_fund categories.
    swap_cap_cents = BigInt(null=True, default=None)
    # Held or spent on may_fund categories (counts against swap_cap_cents).
    swap_used_cents = BigInt(default=0)
    # The HB class the line was computed from (voucher.tariffs), what the computation gave when the
    # decision was made (None: not computed) and why the granted amount differs from it, if it does.
    hb_class = Varchar(length=16, null=True, default=None)
    computed_cents = BigInt(null=True, default=None)
    override_reason = Text(default="")
    # The code of the organiser's client-fee rule (FeeRule) this line's purchases follow; None: the
    # budget pays the whole price (docs/decisions/0033).
    fee_rule = Varchar(length=64, null=True, default=None)


# --- Cards ------------------------------------------------------------------------------------


class Card(Table, tablename="vc_card"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    client = ForeignKey(references=Client, index=True)
    # keyed_hash(secret, token, "card"): the token itself is shown once and never stored.
    token_hash = Varchar(length=64, unique=True)
    # Last characters of the token, so people can tell cards apart.
    token_hint = Varchar(length=8, default="")
    # active | frozen | closed
    status = Varchar(length=16, default="active", index=True)
    per_transaction_limit_cents = BigInt(null=True, default=None)
    daily_limit_cents = BigInt(null=True, default=None)
    # The per-day cap's counter: approved amounts on the Helsinki day ``spend_day``.
    spend_day = Date(null=True, default=None)
    spend_day_cents = BigInt(default=0)
    stripe_card_id = Varchar(length=100, unique=True, null=True, default=None)
    replaced_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)
    # The client's consent to payments without a booking (voucher.card_consent, docs/decisions/0028):
    # the PIN the client or a proxy with ``pay`` set, as argon2id over a keyed hash of card and PIN
    # (never the PIN itself; None: no PIN yet), and when it was set; wrong PINs and one-time codes
    # tried since (3 blocks consent on the card until a new PIN is set); and what code-less payments
    # took under the organiser's exemption since the last consented payment.
    pin_hash = Varchar(length=200, null=True, default=None)
    pin_set_at = Timestamptz(null=True, default=None)
    consent_failures = SmallInt(default=0)
    codeless_cents = BigInt(default=0)


class ClientCode(Table, tablename="vc_client_code"):
    """A one-time payment code the client (or a proxy with ``pay``) made at /client/pay: six digits,
    kept only as a keyed hash bound to the client, good for one payment up to ``ceiling_cents``
    until ``expires_at``. ``used_at`` and the authorisation it paid are set once."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    code_hash = Varchar(length=64, index=True)
    ceiling_cents = BigInt()
    # The account that made it: the client's own, or the proxy's.
    made_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    used_at = Timestamptz(null=True, default=None)
    authorization_id = UUID(null=True, default=None)


class FeeRule(Table, tablename="vc_fee_rule"):
    """An organiser's client-fee rule (asiakasmaksu, docs/decisions/0033), by its code; written only by
    ``voucher.own_share.save_rule`` (the admin's page and the import). (organiser_id, code) is unique."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    code = Varchar(length=64)
    # {"fi": …, "sv": …, "en": …}
    name = JSON(default="{}")
    # none | per_unit (value: cents per unit) | percent (value: basis points of the price)
    kind = Varchar(length=16, default="none")
    value = BigInt(default=0)
    # The most a client pays under the rule in one Helsinki calendar month (None: no cap).
    monthly_cap_cents = BigInt(null=True, default=None)
    # The organiser's fee decision the rule follows (its reference, e.g. "Ytla 12.11.2026 § 85").
    decision_ref = Text(default="")
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class FeeUsage(Table, tablename="vc_fee_usage"):
    """What a client's own share under a rule took in one Helsinki month: the monthly cap's counter,
    changed only by conditional atomic updates (voucher.own_share). (client_id, rule_code, month) is
    unique; the database refuses a negative count."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    rule_code = Varchar(length=64)
    # YYYY-MM (Helsinki)
    month = Varchar(length=7)
    used_cents = BigInt(default=0)


class CardRules(Table, tablename="vc_card_rules"):
    """An organiser's rules for card payments (voucher.card_rules); a county without a row has the
    defaults. Written only by ``voucher.card_rules.save`` (the admin's page and the import)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(unique=True)
    # A code-less payment up to this needs no consent (PSD2 art. 11 in spirit) …
    single_cents = BigInt(default=5000)
    # … while code-less payments since the last consented one stay within this (None: no limit).
    cumulative_cents = BigInt(null=True, default=15000)
    # How far over the listing's price × quantity a payment may go, in basis points (100 = 1 %).
    tolerance_bp = Integer(default=0)
    # Category code → the most one payment with no listing may be in it ("open amount", cents).
    open_amount = JSON(default="{}")
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


# --- HB classes and tariffs (voucher.tariffs, voucher.hb_classes) --------------------------------


class HbClass(Table, tablename="vc_hb_class"):
    """An organiser's class of a service (category): units per month of a unit, and its criteria.
    Unique per (organiser_id, category, code) (migration voucher_2026_12_08t02_00_00)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    category = Varchar(length=64)
    code = Varchar(length=16)
    names = JSON(default="{}")
    criteria = Text(default="")
    units_per_month = Integer(default=1)
    # day | hour | trip | km | session | visit
    unit = Varchar(length=16, default="day")
    active = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class HbTariff(Table, tablename="vc_hb_tariff"):
    """Cents per unit from ``valid_from`` for a class ("" = the whole service). Never updated: a new
    price is a new row. Unique per (organiser_id, category, class_code, valid_from)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    category = Varchar(length=64)
    class_code = Varchar(length=16, default="")
    valid_from = Date()
    cents_per_unit = BigInt()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ClientClass(Table, tablename="vc_client_class"):
    """The client's class of a service from a date, with the reason (the history is every row;
    class_code "" = no class from that date)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    category = Varchar(length=64)
    class_code = Varchar(length=16, default="")
    valid_from = Date()
    reason = Text(default="")
    set_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


# --- Ledger -----------------------------------------------------------------------------------


class Account(Table, tablename="vc_account"):
    """A ledger account. Ids are derived from ``code`` (voucher.ledger.account_id)."""

    id = UUID(primary_key=True)
    # funding:<organiser> | line:<line> | payable:<provider> | clearing:<organiser> | bank:<organiser>
    code = Varchar(length=100, unique=True)
    kind = Varchar(length=16, index=True)
    organiser_id = UUID(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Transfer(Table, tablename="vc_transfer"):
    """One balanced movement: ``amount_cents`` leaves the debit account and enters the credit one.

    ``kind = hold`` is a two-phase (pending) transfer: status pending → posted | voided | expired,
    resolved at most once; its amount counts only while pending and unexpired. A capture posts a new
    transfer pointing at the hold (``pending_id``). Every other kind is posted at once.
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    kind = Varchar(length=16, index=True)
    debit_account_id = UUID(index=True)
    credit_account_id = UUID(index=True)
    amount_cents = BigInt()
    # pending | posted | voided | expired
    status = Varchar(length=16, default="posted", index=True)
    pending_id = UUID(null=True, default=None, index=True)
    expires_at = Timestamptz(null=True, default=None)
    authorization_id = UUID(null=True, default=None, index=True)
    capture_id = UUID(null=True, default=None)
    batch_id = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    resolved_at = Timestamptz(null=True, default=None)


# --- Authorisation, capture, refund -------------------------------------------------------------


class Authorization(Table, tablename="vc_authorization"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    card_id = UUID(null=True, default=None, index=True)
    client_id = UUID(null=True, default=None, index=True)
    organiser_id = UUID(null=True, default=None, index=True)
    line_id = UUID(null=True, default=None, index=True)
    provider_id = UUID(null=True, default=None, index=True)
    listing_id = UUID(null=True, default=None)
    # The category bought: the listing's, or the line's own when no listing is named.
    category = Varchar(length=64, default="")
    amount_cents = BigInt()
    captured_cents = BigInt(default=0)
    # True when the line pays for a category in its may_fund (counts against swap_cap_cents).
    swap = Boolean(default=False)
    # approved | declined | captured | partially_captured | voided | expired
    status = Varchar(length=24, index=True)
    decline_code = Varchar(length=40, null=True, default=None)
    message = Text(null=True, default=None)
    description = Text(null=True, default=None)
    line_available_cents = BigInt(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    hold_transfer_id = UUID(null=True, default=None)
    # api (a provider's terminal) | booking (an organiser's booking flow, through the API) |
    # booking_hold (a hold a booking on this platform made: only the booking moves it) | stripe
    source = Varchar(length=16, default="api")
    stripe_authorization_id = Varchar(length=100, unique=True, null=True, default=None)
    api_key_id = UUID(null=True, default=None)
    actor_user_id = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    resolved_at = Timestamptz(null=True, default=None)
    # How the client agreed to a payment without their booking (docs/decisions/0028): pin | code |
    # network (Stripe's 3-D Secure) | exempt (the county's low-value exemption); "" when none was
    # asked (a booking's) or the payment was declined. Never the PIN or code itself.
    consent = Varchar(length=8, default="")
    # How many units (sessions, hours, km…) of the listing the payment is for (price ceiling).
    quantity = Integer(default=1)
    # The booking a card payment named (its hold is the booking's own; this is a payment beside it).
    booking_id = UUID(null=True, default=None, index=True)
    # Own share (docs/decisions/0033): amount_cents is what the budget holds; the price asked was
    # gross_cents = amount_cents + client_share_cents, the client part the provider collects itself
    # under fee_rule, counted in the client's fee_month (YYYY-MM, Helsinki) towards its monthly cap.
    gross_cents = BigInt(default=0)
    client_share_cents = BigInt(default=0)
    fee_rule = Varchar(length=64, default="")
    fee_month = Varchar(length=7, default="")


class Capture(Table, tablename="vc_capture"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    # None for a Stripe force capture that no authorisation preceded (flagged).
    authorization_id = UUID(null=True, default=None, index=True)
    provider_id = UUID(index=True)
    organiser_id = UUID(index=True)
    client_id = UUID(null=True, default=None, index=True)
    line_id = UUID(null=True, default=None, index=True)
    amount_cents = BigInt()
    refunded_cents = BigInt(default=0)
    swap = Boolean(default=False)
    transfer_id = UUID(null=True, default=None)
    stripe_transaction_id = Varchar(length=100, unique=True, null=True, default=None)
    # Why an accountant should look at it (over-capture, force capture, ...); empty when fine.
    flag = Varchar(length=64, default="")
    # platform (settlement pays the provider) | card_network (Stripe Issuing: never settled here)
    settled_by = Varchar(length=16, default="platform")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # Until when the client (or a proxy with ``pay``) may dispute it (voucher.disputes): the capture
    # time plus ``Settings.dispute_window_days``; a booking's own capture gets its capture time (the
    # booking had its dispute window before). Never null once written; a row without one is never
    # settled (fail closed).
    dispute_until = Timestamptz(null=True, default=None, index=True)
    # '' (never disputed) | open | resolved: the dispute's state on the capture row itself, so a
    # dispute, its resolution and settlement claim the same row by conditional updates (row locks on
    # PostgreSQL). The dispute's outcome and reasons are in CaptureDispute.
    dispute_state = Varchar(length=16, default="", index=True)
    # The client's own share that goes with this capture (the provider collects it; amount_cents is
    # the budget's part only).
    client_share_cents = BigInt(default=0)


class Refund(Table, tablename="vc_refund"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    capture = ForeignKey(references=Capture, index=True)
    provider_id = UUID(index=True)
    organiser_id = UUID(index=True)
    amount_cents = BigInt()
    transfer_id = UUID(null=True, default=None)
    stripe_transaction_id = Varchar(length=100, unique=True, null=True, default=None)
    # platform (netted in the provider's next batch) | card_network (came back through Stripe Issuing)
    settled_by = Varchar(length=16, default="platform")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # The client's own share the provider returns to the client with this refund (amount_cents is
    # what goes back to the budget).
    client_share_cents = BigInt(default=0)


class CaptureDispute(Table, tablename="vc_capture_dispute"):
    """A client's (or proxy's) dispute of a capture, at most one per capture, and the organiser's
    resolution: open → refunded | partly_refunded | released (voucher.disputes)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    capture_id = UUID(unique=True)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    provider_id = UUID(index=True)
    # The account that disputed (the client's own or a proxy's), and as which.
    raised_by = UUID(null=True, default=None)
    raised_as = Varchar(length=16, default="client")
    reason = Text(default="")
    # open | refunded | partly_refunded | released
    status = Varchar(length=24, default="open", index=True)
    refund_cents = BigInt(default=0)
    resolution_reason = Text(default="")
    resolved_by = UUID(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


# --- Webhooks ---------------------------------------------------------------------------------


class StripeEvent(Table, tablename="vc_stripe_event"):
    """Each Stripe event id is booked once; the row is written in the same transaction as its effect."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    event_id = Varchar(length=100, unique=True)
    type = Varchar(length=100)
    object_id = Varchar(length=100, default="")
    outcome = JSON(default="{}")
    received_at = Timestamptz(default=TimestamptzNow())


# --- Settlement -------------------------------------------------------------------------------


class Payout(Table, tablename="vc_payout"):
    """A payment instruction: a pain.001 file for an organiser's bank, or one Stripe Connect transfer."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    # sepa | stripe
    method = Varchar(length=16)
    # produced → paid
    status = Varchar(length=16, default="produced", index=True)
    total_cents = BigInt(default=0)
    # The pain.001 document (sepa), kept so a rerun writes the very same file again.
    document = Text(default="")
    file_name = Varchar(length=200, default="")
    stripe_transfer_id = Varchar(length=100, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None)


class SettlementBatch(Table, tablename="vc_settlement_batch"):
    """One provider's captures (less refunds) for one period with one organiser.

    closed (items written) → produced (in a payout) → paid.
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    provider_id = UUID(index=True)
    period_kind = Varchar(length=16)
    period_start = Date()
    period_end = Date()
    total_cents = BigInt(default=0)
    item_count = Integer(default=0)
    status = Varchar(length=16, default="closed", index=True)
    # sepa | stripe
    method = Varchar(length=16)
    reference = Varchar(length=25, unique=True)
    payout_id = UUID(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None)


class SettlementItem(Table, tablename="vc_settlement_item"):
    """A capture (positive) or refund (negative) settled in a batch — each in at most one batch."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    batch = ForeignKey(references=SettlementBatch, index=True)
    capture_id = UUID(unique=True, null=True, default=None)
    refund_id = UUID(unique=True, null=True, default=None)
    amount_cents = BigInt()


# --- Need and suitability assessments (voucher.assessment) -------------------------------------


class NeedAssessment(Table, tablename="vc_need_assessment"):
    """One version of a client's need assessment: each save is a new row (``version`` 1, 2, …;
    unique per client by the migration ``voucher_2026_12_08t01_00_01``), never changed after."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    version = Integer(default=1)
    assessed_on = Date()
    # [{"category": code, "level": none|some|substantial|extensive, "need": text}]
    areas = JSON(default="[]")
    client_view = Text(default="")
    # Who took part, as the counsellor wrote them ("asiakas", "äiti", "asiakasohjaaja", …).
    participants = JSON(default="[]")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class SuitabilityAssessment(Table, tablename="vc_suitability_assessment"):
    """One version of a client's suitability assessment: the county's criteria as they were then,
    each met or not with its grounds, and the outcome with the reason the client sees."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(index=True)
    organiser_id = UUID(index=True)
    version = Integer(default=1)
    assessed_on = Date()
    # [{"criterion": text, "met": bool, "grounds": text}], in the county's order
    criteria = JSON(default="[]")
    # suitable | not_now | not_suitable
    outcome = Varchar(length=16)
    reason = Text(default="")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class SuitabilityCriteria(Table, tablename="vc_suitability_criteria"):
    """A county's suitability criteria (one row per county; a county without one has the defaults
    of ``voucher.assessment.domain.DEFAULT_CRITERIA``)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(unique=True)
    criteria = JSON(default="[]")
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
# --- Supported purchasing and the client's messages (voucher.support) ----------------------------


class PurchaseConsent(Table, tablename="vc_purchase_consent"):
    """The client's consent to a counsellor booking services for them (docs/decisions/0035): a
    standing one the client (or a proxy with ``book``) gives in the app and may revoke, or one given
    for a single booking (in person, by phone, in a message) that the counsellor records with it."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    # standing | booking
    kind = Varchar(length=16)
    # in_app | in_person | phone | message
    given_how = Varchar(length=16)
    given_at = Timestamptz()
    # Who recorded it, and as which role (client, proxy, counsellor).
    recorded_by = UUID(null=True, default=None)
    recorded_as = Varchar(length=16)
    # A booking's consent: the booking it was given for.
    booking_id = UUID(null=True, default=None, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = UUID(null=True, default=None)


class ClientMessage(Table, tablename="vc_client_message"):
    """One message of a client's thread with the county's counsellors (voucher.support.thread).

    ``side`` is the writer's: ``client`` (the client or a proxy) or ``staff`` (a counsellor);
    ``read_at`` is when the other side first opened the thread after it."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    author_id = UUID(null=True, default=None)
    # client | proxy | counsellor
    author_role = Varchar(length=16)
    # The writer's name as it was (like a booking's history): staff and proxies by name, the client
    # by their pseudonym.
    author_label = Varchar(length=200, default="")
    side = Varchar(length=8)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)


# --- Evaluation: comparison group, administrative time, research settings (issue 19, 3–5) -------


class ComparisonClient(Table, tablename="vc_comparison_client"):
    """A client of the county's traditional services in the pilot's comparison group, as the
    county's systems export them (voucher.evaluation.comparison): a pseudonym of theirs, never a
    person's name or identity number, the quasi-identifiers and the outcomes at start and end."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # "<organiser id>:<pseudonym>": the import finds a row again by it (idempotent).
    key = Varchar(length=120, unique=True)
    organiser_id = UUID(index=True)
    pseudonym = Varchar(length=64)
    client_group = Varchar(length=64)
    municipality = Varchar(length=100, default="")
    age_band = Varchar(length=16, default="")
    # WHO-5 as 0–100 (raw sum × 4), satisfaction as hundredths of its 1–5 mean (voucher.evaluation.
    # scoring), GAS change in hundredths; None = not given.
    who5_start = Integer(null=True, default=None)
    who5_end = Integer(null=True, default=None)
    satisfaction_x100 = Integer(null=True, default=None)
    gas_change_x100 = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class ComparisonMonth(Table, tablename="vc_comparison_month"):
    """One comparison client's month: what their traditional services cost and how many minutes of
    administrative work they took (from the same CSV)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # "<organiser id>:<pseudonym>:<YYYY-MM>"
    key = Varchar(length=130, unique=True)
    organiser_id = UUID(index=True)
    comparison_client_id = UUID(index=True)
    month = Date(index=True)
    service_cost_cents = BigInt(default=0)
    admin_minutes = Integer(default=0)


class TimeEntry(Table, tablename="vc_time_entry"):
    """Minutes of administrative work a counsellor or an organiser's staff logged, for one client
    contact or a task without a client (voucher.evaluation.admin_time)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    client_id = UUID(null=True, default=None, index=True)
    user_id = UUID(index=True)
    # The worker's name as it was when logged (like a booking's history).
    user_label = Varchar(length=200, default="")
    worked_on = Date(index=True)
    minutes = Integer()
    # contact | meeting | decision | plan | payments | other
    kind = Varchar(length=16)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class EvaluationSettings(Table, tablename="vc_evaluation_settings"):
    """A county's evaluation settings: below ``min_group_size`` clients a figure is suppressed."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(unique=True)
    min_group_size = Integer(default=5)
    updated_at = Timestamptz(default=TimestamptzNow())


class ClientAgeBand(Table, tablename="vc_client_age_band"):
    """A client's age band (a quasi-identifier of the research export; never a birth date)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client_id = UUID(unique=True)
    organiser_id = UUID(index=True)
    age_band = Varchar(length=16)
    updated_at = Timestamptz(default=TimestamptzNow())
# --- Client-reported outcomes and research consent (voucher.evaluation) --------------------------


class Questionnaire(Table, tablename="vc_questionnaire"):
    """A county's own version of a questionnaire (docs/decisions/0041). The built-in defaults (WHO-5,
    client satisfaction) live in ``voucher.evaluation.defaults``; a row here is written when the
    organiser changes one or adds their own. One per county and key (a unique index)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    # who5 | satisfaction | a county's own key (lower-case letters, digits, _)
    key = Varchar(length=40)
    # who5 | satisfaction | custom: how it is scored (voucher.evaluation.scoring)
    kind = Varchar(length=16)
    # {"fi": ..., "sv": ..., "en": ...}
    title = JSON(default="{}")
    intro = JSON(default="{}")
    # [{"key": "q1", "text": {"fi": ..., "sv": ..., "en": ...}}, ...]
    items = JSON(default="[]")
    # {"min": 1, "max": 5, "labels": {"fi": [...], "sv": [...], "en": [...]}}
    scale = JSON(default="{}")
    # which of start | follow_up | end it is asked at
    occasions = JSON(default="[]")
    active = Boolean(default=True)
    version = Integer(default=1)
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class QuestionnaireAnswer(Table, tablename="vc_questionnaire_answer"):
    """One filled questionnaire: the client's (or their proxy's, ``by_proxy``) answers at one
    occasion of a budget decision, with the score the domain computed when it was saved. One per
    client, decision, questionnaire, occasion and date (a unique index)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    decision_id = UUID(null=True, default=None, index=True)
    questionnaire_key = Varchar(length=40)
    questionnaire_version = Integer(default=1)
    # start | follow_up | end
    occasion = Varchar(length=16)
    # The date of the occasion it answers (the decision's start, a follow-up date, the end).
    due_on = Date()
    answered_on = Date()
    answered_at = Timestamptz(default=TimestamptzNow())
    # The items' values in order (integers on the questionnaire's scale).
    answers = JSON(default="[]")
    # WHO-5: 0–100; satisfaction and a county's own: the mean on its scale (e.g. 1–5). Null: unscored.
    score = DoublePrecision(null=True, default=None)
    by_proxy = Boolean(default=False)
    answered_by = UUID(null=True, default=None)


class QuestionnaireReminder(Table, tablename="vc_questionnaire_reminder"):
    """A reminder sent for one occasion of a decision; the unique index (decision, occasion, date)
    makes it once."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    decision_id = UUID()
    occasion = Varchar(length=16)
    due_on = Date()
    sent_at = Timestamptz(default=TimestamptzNow())


class ResearchConsent(Table, tablename="vc_research_consent"):
    """The client's consent to the use of their data in the pilot's research (docs/decisions/0042):
    an append-only history (the database refuses UPDATE), the latest entry (highest ``seq``) in force."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    client = ForeignKey(references=Client, index=True)
    organiser_id = UUID(index=True)
    # 1, 2, ... per client (unique with the client): the order of the history
    seq = Integer()
    # given | withdrawn
    state = Varchar(length=16)
    # client | proxy | counsellor
    recorded_as = Varchar(length=16)
    recorded_by = UUID(null=True, default=None)
    # in_app | in_person | paper | phone
    how = Varchar(length=16)
    at = Timestamptz(default=TimestamptzNow())
