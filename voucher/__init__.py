"""Voucher: budget decisions, the double-entry ledger, HB cards, authorisation and settlement."""
