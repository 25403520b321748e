"""Settlement with providers: batches per period, pain.001 files or Stripe Connect transfers, and
the remittance providers see."""

from voucher.settlement.remittance import remittance
from voucher.settlement.run import SettleSummary, gateway_from, settle

__all__ = ["SettleSummary", "gateway_from", "remittance", "settle"]
