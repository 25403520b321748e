"""Pure rules of evidence documents (no I/O): what a file is by its content, how long an approval
holds given its documents, and which expiry message is due. Decision record 0038."""

import datetime as dt

MAX_BYTES = 10 * 1024 * 1024
# The only kinds accepted, told by their first bytes (never by the file's name or declared type).
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
REMINDER_DAYS = (30, 7)


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (PDF, JPEG or PNG), or None for anything else."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def check_upload(data: bytes, valid_from: dt.date | None, valid_until: dt.date | None) -> tuple[str | None, list[tuple[str, str]]]:
    """(content type, errors as (field, message key)) for an upload."""
    errors: list[tuple[str, str]] = []
    kind = None
    if not data:
        errors.append(("file", "document.file_missing"))
    elif len(data) > MAX_BYTES:
        errors.append(("file", "document.too_large"))
    else:
        kind = sniff(data)
        if kind is None:
            errors.append(("file", "document.wrong_type"))
    if valid_from is None:
        errors.append(("valid_from", "document.date_missing"))
    if valid_until is None:
        errors.append(("valid_until", "document.date_missing"))
    elif valid_from is not None and valid_until < valid_from:
        errors.append(("valid_until", "document.until_before_from"))
    return kind, errors


def validity(required: list[str], best_until: dict[str, dt.datetime]) -> dt.datetime | None:
    """An approval's valid_until: the earliest end among its required documents, each requirement
    represented by its longest-running document. None when no required requirement has a
    document (the approval then rests on the provider's statement and the reviewer alone)."""
    ends = [best_until[r] for r in required if r in best_until]
    return min(ends) if ends else None


def due(valid_until: dt.datetime | None, now: dt.datetime, markers: dict[str, dt.datetime | None]) -> str | None:
    """Which expiry message is due now for an approval valid until ``valid_until``: ``expired``,
    ``remind_7``, ``remind_30`` or None. ``markers`` hold the valid_until each was already sent for
    (``expired``, ``remind_7``, ``remind_30``), so each is sent once per validity; only the most
    urgent one is due (a 7-day reminder makes the 30-day one moot)."""
    if valid_until is None:
        return None
    if now >= valid_until:
        return None if markers.get("expired") == valid_until else "expired"
    for days in sorted(REMINDER_DAYS):
        if now >= valid_until - dt.timedelta(days=days):
            key = f"remind_{days}"
            sent = any(markers.get(f"remind_{d}") == valid_until for d in REMINDER_DAYS if d <= days)
            return None if sent else key
    return None
