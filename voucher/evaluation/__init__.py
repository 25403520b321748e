"""Client-reported outcomes and research consent (issue 19; docs/decisions/0041 and 0042).

* ``scoring`` — the scores, pure (WHO-5 raw × 4 → 0–100; satisfaction the mean on 1–5);
* ``outcomes`` — the read side other parts of the platform use (the consenting clients, every answer
  with its score);
* ``answers`` — writing a filled questionnaire (``record_answers``), the client's open questionnaires;
* ``consent`` — the research consent's append-only history.

The comparison with usual care, administrative time and the research export (issue 19, 3–5):

* ``comparison`` — the comparison group's CSV import and the county's minimum group size;
* ``admin_time`` — the time log; ``age_band`` — a client's age band;
* ``stats`` — pure: bootstrap intervals, suppression, k-anonymity, per-export pseudonyms;
* ``reads`` — every read of the evaluation dashboard, report and export (the replica's seam);
* ``export`` — the pseudonymised research export (CSV, Parquet).
"""
