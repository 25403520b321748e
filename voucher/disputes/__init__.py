"""Notice and dispute of captured payments (issue 16, points 3 and 4): every capture is told to the
client's side at once (``notice``); the client or a proxy with ``pay`` may dispute it within its
window, and the organiser resolves the dispute by a refund, a partial refund or a release
(``services``); settlement takes a capture only after its window or its dispute's resolution
(voucher.settlement.run). ``queries`` reads payments and disputes for the pages; ``domain`` holds
the pure rules. The modules are imported by name (``voucher.authorisation`` uses ``notice``, and
``services`` uses the authorisation's refund), so this package's ``__init__`` imports none of them.
"""
