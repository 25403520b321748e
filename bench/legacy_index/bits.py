"""Sets of document slots held as Python ints: bit i is set when slot i is in the set.

AND, OR and popcount on an int of 100 000 bits take microseconds in CPython, which is what makes
filters, facet counts and ranking buckets cheap without any native dependency.
"""

import re
from collections.abc import Iterable, Iterator, Sequence

_NONZERO_BYTE = re.compile(rb"[^\x00]")
_SMALL = 64


def from_slots(slots: Sequence[int], size: int) -> int:
    """The set of `slots` (each < size)."""
    if not slots:
        return 0
    if len(slots) < _SMALL:
        packed = bytearray((size + 7) // 8)
        for slot in slots:
            packed[slot >> 3] |= 1 << (slot & 7)
        return int.from_bytes(packed, "little")
    # One ASCII digit per slot, parsed in C: faster than setting bits one by one from Python.
    digits = bytearray(b"0") * size
    for slot in slots:
        digits[slot] = 49
    digits.reverse()
    return int(digits, 2)


def union(sets: Iterable[int]) -> int:
    out = 0
    for bits in sets:
        out |= bits
    return out


def iter_slots(bits: int) -> Iterator[int]:
    """Slots in ascending order."""
    if bits <= 0:
        return
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for match in _NONZERO_BYTE.finditer(data):
        base = match.start() * 8
        byte = data[match.start()]
        for bit in range(8):
            if byte >> bit & 1:
                yield base + bit
