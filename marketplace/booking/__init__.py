"""Booking: availability, the booking state machine's rules, reviews, proxies, and the one port to
the voucher (holds) and identity. The use cases are in marketplace.bookings."""
