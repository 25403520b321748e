"""The booking slice, whole: a client books a listing's slot, its price is held on their budget,
and the booking moves to paid, voided or cancelled.

    tables.py         Piccolo tables (mp_slot, mp_booking, … ; the marketplace app finds them here)
    domain.py         pure rules: states and transitions, slots, fees, the dispute window, ratings
    services/         use cases, one module each: book, transitions, dispute_window, queries
    availability.py, reviews.py, proxies.py, privacy.py   the other use cases of the slice
    ports.py          what a booking asks of the voucher (a Protocol the composition fills in)
    people.py         whom a booking tells (core.identity's users, the client's proxies)
    schemas.py        HTTP bodies; controllers.py the JSON API; pages.py, staff_pages.py and
    templates/        the server-rendered pages; messages.py their texts (fi, sv, en)
"""
