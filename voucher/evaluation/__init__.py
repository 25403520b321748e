"""The pilot's evaluation (issue 19): outcomes, consent, comparison with usual care, administrative time, the research export."""
