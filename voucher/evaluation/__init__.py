"""Client-reported outcomes and research consent (issue 19; docs/decisions/0041 and 0042).

* ``scoring`` — the scores, pure (WHO-5 raw × 4 → 0–100; satisfaction the mean on 1–5);
* ``outcomes`` — the read side other parts of the platform use (the consenting clients, every answer
  with its score);
* ``answers`` — writing a filled questionnaire (``record_answers``), the client's open questionnaires;
* ``consent`` — the research consent's append-only history.
"""
