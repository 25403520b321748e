"""Supported purchasing and the client's messages (issue 17, part E; docs/decisions/0035).

``consent`` keeps the client's consents to a counsellor booking for them (a standing one given in
the app, or one given for a single booking and recorded with it); the marketplace asks through its
booking port (``voucher.for_bookings``). ``thread`` is the client's message thread with the county's
counsellors, with an e-mail notice that never carries the text. ``domain`` holds their pure rules.
"""
