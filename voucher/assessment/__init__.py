"""A client's need assessment and suitability assessment (issue 17): versioned records a
counsellor keeps, the county's suitability criteria, and the rule that a budget decision waits for
a "suitable" outcome once the client has been assessed (docs/decisions/0031)."""
