"""Text people type into names, titles and other short texts: one check for every such field.

Bidirectional controls are refused: in a name or a title they reorder what a reader sees (a
right-to-left override makes "Talli ‮exe.txt" read as "Talli txt.exe") and the platform's
languages (Finnish, Swedish, English) never need them.
"""

import re

from core.errors import FieldError

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; the Arabic letter mark.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def text_error(value: str | None, field: str, max_len: int, required: bool = False) -> FieldError | None:
    """The first problem with a text field, or None."""
    text = (value or "").strip()
    if required and not text:
        return FieldError(field=field, key="field.required")
    if len(text) > max_len:
        return FieldError(field=field, key="field.too_long", params={"max": max_len})
    if BIDI_CONTROLS.search(text):
        return FieldError(field=field, key="field.bidi_control")
    return None
