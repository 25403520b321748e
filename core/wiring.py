"""Where the packages meet: what a lower package asks of a higher one, handed over once.

The booking (marketplace) holds money in the voucher, which sits above it: the booking names what
it needs (``marketplace.booking.ports.Voucher``) and ``wire`` installs the voucher's
implementation. The app factory calls ``wire`` when it builds the app, the ``hb`` command before
it runs a subcommand, and the test suite when it starts.
"""

from marketplace.booking import ports as booking_ports
from voucher.for_bookings import VoucherForBookings


def wire() -> None:
    booking_ports.install(VoucherForBookings())
