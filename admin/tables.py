"""Tables of this package (columns only)."""
