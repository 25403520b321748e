"""Tables of the organiser console (columns only; rules live in admin.domain and the services).

Ids of other packages' rows (organiser, client, provider, settlement batch, user) are plain UUID
columns: this package never reads another package's tables. It keeps copies of the voucher's
payments and goal scores (``Movement``, ``GoalScoreRecord``), filled from the facts the voucher
publishes (admin.facts), and asks the owning packages' read functions for the rest.

* ``AnomalyFlag``: something an organiser admin should look at, with its evidence and review.
* ``PayoutConfirmation``: two organiser admins' say-so for a payout to a bank account that changed
  in the last 30 days.
* ``Movement`` and ``GoalScoreRecord``: every capture, refund and goal score of the voucher, as its
  fact said, with the dimensions the dashboard groups by.
* ``SpendMonth``, ``ClientMonth``, ``ClientGas`` and ``RollupState``: the follow-up's rollups of
  those (see admin.rollup for how they stay exact).
"""

import uuid

from piccolo.columns import JSON, UUID, BigInt, Date, Integer, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AnomalyFlag(Table, tablename="ad_anomaly_flag"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    # over_listing_price | many_captures_one_day | no_booking | proxy_is_provider_staff | changed_bank_account
    rule = Varchar(length=40, index=True)
    # What was found, stated so that a rescan finds the same key and never makes a second flag.
    key = Varchar(length=200, unique=True)
    # open | reviewed
    status = Varchar(length=16, default="open", index=True)
    provider_id = UUID(null=True, default=None, index=True)
    client_id = UUID(null=True, default=None, index=True)
    amount_cents = BigInt(default=0)
    # When the flagged thing happened (the capture, the payout), not when it was found.
    occurred_at = Timestamptz(index=True)
    evidence = JSON(default="{}")
    detected_at = Timestamptz(default=TimestamptzNow())
    reviewed_by = UUID(null=True, default=None)
    reviewed_by_label = Varchar(length=200, default="")
    reviewed_at = Timestamptz(null=True, default=None)
    review_note = Text(default="")


class PayoutConfirmation(Table, tablename="ad_payout_confirmation"):
    """A settlement batch to a provider whose bank account changed lately waits for two admins."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    organiser_id = UUID(index=True)
    batch_id = UUID(unique=True)
    provider_id = UUID(index=True)
    iban_changed_at = Timestamptz(null=True, default=None)
    first_by = UUID()
    first_label = Varchar(length=200, default="")
    first_at = Timestamptz(default=TimestamptzNow())
    second_by = UUID(null=True, default=None)
    second_label = Varchar(length=200, default="")
    second_at = Timestamptz(null=True, default=None)


class SpendMonth(Table, tablename="ad_spend_month"):
    """Captured and refunded money per organiser, Helsinki month and the dashboard's dimensions."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # A hash of organiser, month and the dimensions: the row's identity for upserts.
    key = Varchar(length=300, unique=True)
    organiser_id = UUID(index=True)
    month = Date(index=True)
    category = Varchar(length=64, default="")
    client_group = Varchar(length=64, default="")
    provider_id = UUID(null=True, default=None)
    # Where the service is (the listing's municipality) and where the client lives.
    municipality = Varchar(length=100, default="")
    client_municipality = Varchar(length=100, default="")
    captured_cents = BigInt(default=0)
    refunded_cents = BigInt(default=0)
    captures = Integer(default=0)
    refunds = Integer(default=0)


class ClientMonth(Table, tablename="ad_client_month"):
    """Which provider and category a client's money went to in a month (for outcomes per service)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    key = Varchar(length=200, unique=True)
    organiser_id = UUID(index=True)
    month = Date(index=True)
    client_id = UUID(index=True)
    provider_id = UUID(null=True, default=None)
    category = Varchar(length=64, default="")
    net_cents = BigInt(default=0)


class ClientGas(Table, tablename="ad_client_gas"):
    """A client's Goal Attainment Scaling change: mean over goals of (latest − first score)."""

    id = UUID(primary_key=True)  # the client's id
    organiser_id = UUID(index=True)
    client_group = Varchar(length=64, default="")
    goals = Integer(default=0)
    # Hundredths of a GAS point (integer, like money), e.g. 150 = +1.50.
    change_x100 = Integer(default=0)
    first_at = Timestamptz(null=True, default=None)
    last_at = Timestamptz(null=True, default=None)


class RollupState(Table, tablename="ad_rollup_state"):
    """How far each rollup has read its source: rows created before ``upto`` are in it."""

    name = Varchar(length=32, primary_key=True)
    upto = Timestamptz()


class Movement(Table, tablename="ad_movement"):
    """A capture or a refund of the voucher (voucher.facts), with what the figures group it by.

    A refund belongs to the category, client group, provider and municipalities of the capture it
    returns. The category is what was bought (the authorisation's), else the budget line's;
    "municipality" is where the service is (the listing's), "client municipality" where the client
    lives; '' when unknown. The client's group and municipality are as they were when the fact was
    applied."""

    id = UUID(primary_key=True)  # the capture's or the refund's id
    # capture | refund
    kind = Varchar(length=8)
    # The capture itself, or the one the refund returns.
    capture_id = UUID()
    authorization_id = UUID(null=True, default=None, index=True)
    # Read by organiser or client and time: two indexes over both (the migration's).
    organiser_id = UUID()
    client_id = UUID(null=True, default=None)
    provider_id = UUID()
    line_id = UUID(null=True, default=None)
    listing_id = UUID(null=True, default=None)
    category = Varchar(length=64, default="")
    client_group = Varchar(length=64, default="")
    municipality = Varchar(length=100, default="")
    client_municipality = Varchar(length=100, default="")
    # The authorisation's source and the capture's flag (voucher.tables.Authorization / Capture).
    source = Varchar(length=16, default="")
    flag = Varchar(length=64, default="")
    authorised_cents = BigInt(default=0)
    # Positive for both kinds: a refund takes it away.
    amount_cents = BigInt()
    created_at = Timestamptz(index=True)


class GoalScoreRecord(Table, tablename="ad_goal_score"):
    """A score of a client's goal (Goal Attainment Scaling, −2…+2), without the counsellor's note."""

    id = UUID(primary_key=True)  # the score's id
    goal_id = UUID()
    client_id = UUID(index=True)
    organiser_id = UUID()
    client_group = Varchar(length=64, default="")
    score = SmallInt()
    # When the goal was assessed, and when the score was written down (rollups read by this).
    scored_at = Timestamptz()
    recorded_at = Timestamptz(index=True)
