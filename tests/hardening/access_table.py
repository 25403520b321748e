"""THE access-control table: one row per route (method and path, as the app mounts it), saying which
roles get past access control. Every other role must be refused (401/403/404, or a page's redirect
to the sign-in page). ``test_access_matrix`` fails when the app has a route without a row here, or a
row for a route that is gone — a new route is not done until someone decides who may call it.

Row fields:
  allowed      roles that pass (names from tests.hardening.roles.ROLES); PUBLIC = every person, signed
               in or not. An API key (``provider_key``, a terminal key) passes only the rows that name it
               — the card payment API — and is refused everywhere else, public routes included
  params       path parameter → key of the world's ids (default: the parameter's own name)
  query        query parameter → key of the world's ids
  body         world → JSON body (API) or form fields (pages); a write needs a well-formed body so
               that "refused" cannot hide behind "malformed"
  reads_client the route shows the world's client's data: each allowed call must leave an audit
               entry (actor, subject, purpose) — the audit-completeness test walks these rows
  audit_gap    a known read without its audit entry; the text says why (checked, not failed)
  missing      the world cannot hold the resource yet: allowed roles get 404 (no row needs it now)
"""

from dataclasses import dataclass, field
from typing import Callable

from tests.hardening.roles import KEY_ROLES, ROLES
from voucher.assessment.domain import DEFAULT_CRITERIA

PUBLIC = frozenset(ROLES) - frozenset(KEY_ROLES)


@dataclass(frozen=True)
class Row:
    allowed: frozenset
    params: dict = field(default_factory=dict)
    body: Callable | None = None
    query: dict = field(default_factory=dict)
    reads_client: bool = False
    audit_gap: str = ""
    missing: bool = False


def only(roles: str, **kw) -> Row:
    names = frozenset(roles.split())
    assert names <= frozenset(ROLES), names - frozenset(ROLES)
    return Row(allowed=names, **kw)


def public(**kw) -> Row:
    return Row(allowed=PUBLIC, **kw)


STAFF_A = "counsellor org_admin"
SIGNED_IN = " ".join(r for r in PUBLIC if r != "anonymous")
CLIENT_SIDE = "client proxy"
# Who may invite someone (voucher.invitations.roles_for): not a proxy, not an API key.
INVITERS = "client other_client provider other_provider counsellor org_admin other_org_admin platform_admin"
LINES = [{"category": "sport-riding", "amount_cents": 100_000, "may_fund": []}]
DECISION = lambda W: {"start": "2027-01-01", "end": "2027-06-30", "lines": LINES, "reason": "matriisi"}  # noqa: E731
LISTING = lambda W: {"category": "sport-riding", "title": {"fi": "Maastoratsastus"}, "price_cents": 6000,  # noqa: E731
                     "unit": "session", "delivery_mode": "at_provider", "municipality": "Tuusula"}
CSV = "missing"
NEED = lambda W: {"assessed_on": "2025-01-02", "participants": ["asiakas"],  # noqa: E731
                  "areas": [{"category": "sport-riding", "level": "some", "need": "matriisi"}]}
SUITABILITY = lambda W: {"assessed_on": "2025-01-02", "outcome": "suitable", "reason": "matriisi",  # noqa: E731
                         "criteria": [{"criterion": c, "met": True} for c in DEFAULT_CRITERIA]}

ACCESS: dict[str, Row] = {
    # --- foundation -------------------------------------------------------------------------------
    "GET /health": public(),
    # Prometheus metrics: not a person's route but the scraper's, with its own check (a bearer token
    # or an allowed network, core.metrics). The matrix's app has no HB_METRICS_*, so /metrics is off
    # and 404 for everyone; with a token it is tests/core/test_metrics.py's.
    "GET /metrics": public(missing=True),
    "GET /": public(),
    "GET /login": public(),
    "POST /login": public(body=lambda W: {"email": "nobody@matrix.example", "password": "x", "next": "/"}),
    # e-ID: public by nature (the person is not signed in yet). The matrix's app has no HB_OIDC_*,
    # so starting answers 404 for everyone; a callback without its sign-in's state is 400. The real
    # flow, against a running identity provider, is tests/oidc.
    "GET /login/eid": public(missing=True),
    "GET /login/eid/callback": public(),
    "GET /password/forgot": public(),
    "POST /password/forgot": public(body=lambda W: {"email": "nobody@matrix.example"}),
    "GET /password/reset": public(),
    "POST /password/reset": public(body=lambda W: {"token": "x", "password": "p" * 12, "password_confirm": "p" * 12}),
    "GET /static/{file_path}": public(params={"file_path": "site.css"}),
    "GET /schema": public(),
    "GET /schema/openapi.json": public(),
    "GET /schema/openapi.yml": public(),
    "GET /schema/openapi.yaml": public(),
    "GET /schema/swagger": public(),
    "GET /schema/redoc": public(),
    "GET /schema/rapidoc": public(),
    "GET /schema/elements": public(),
    "GET /schema/oauth2-redirect.html": public(),
    "GET /schema/{path}": public(params={"path": "redoc"}),
    # --- marketplace API ----------------------------------------------------------------------------
    "GET /api/v1/categories": public(),
    "GET /api/v1/organisers": public(),
    "POST /api/v1/providers": public(body=lambda W: {"name": "x"}),
    "GET /api/v1/providers/{provider_id}": only("provider counsellor org_admin platform_admin"),
    "PATCH /api/v1/providers/{provider_id}": only("provider", body=lambda W: {"phone": "+358401111111"}),
    "GET /api/v1/providers/{provider_id}/listings": only("provider"),
    "GET /api/v1/providers/{provider_id}/api-keys": only("provider"),
    "POST /api/v1/providers/{provider_id}/api-keys": only("provider", body=lambda W: {"label": "m"}),
    "DELETE /api/v1/providers/{provider_id}/api-keys/{key_id}": only("provider"),
    "POST /api/v1/provider-approvals/{approval_id}/decision": only(
        "org_admin", body=lambda W: {"action": "request_changes", "reason": "matriisi"}),
    "POST /api/v1/provider-approvals/{approval_id}/resubmit": only("provider", body=lambda W: {}),
    "POST /api/v1/category-applications/{application_id}/decision": only(
        "org_admin", params={"application_id": "category_application_id"},
        body=lambda W: {"action": "reject", "reason": "matriisi"}),
    "POST /api/v1/listings": only("provider other_provider", body=LISTING),
    "GET /api/v1/listings/{listing_id}": only("provider org_admin platform_admin"),
    "PATCH /api/v1/listings/{listing_id}": only("provider", body=lambda W: {"price_cents": 7600}),
    "POST /api/v1/listings/{listing_id}/submit": only("provider", body=lambda W: {}),
    "POST /api/v1/listings/{listing_id}/organisers/{organiser_id}/decision": only(
        "org_admin", params={"listing_id": "pending_listing_id"},
        body=lambda W: {"action": "approve"}),
    "POST /api/v1/listing-reviews/{review_id}/decision": only(
        "org_admin", params={"review_id": "review_id"}, body=lambda W: {"action": "approve"}),
    "GET /api/v1/organisers/{organiser_id}/review-queue": only("org_admin"),
    # Who may call it; what each caller's file may write (per record kind × own/other county) is
    # IMPORT_SCOPE in test_attack_import.py.
    "POST /api/v1/imports": only("org_admin other_org_admin platform_admin", body=lambda W: {"format": "hb-import/1"}),
    # --- marketplace pages ----------------------------------------------------------------------------
    "GET /providers/register": public(),
    "POST /providers/register": public(body=lambda W: {"name": ""}),
    "GET /provider": only("provider other_provider"),
    "GET /provider/profile": only("provider other_provider"),
    "POST /provider/profile": only("provider other_provider", body=lambda W: {"name": ""}),
    "POST /provider/approvals/{approval_id}/resubmit": only("provider"),
    "POST /provider/api-keys": only("provider other_provider", body=lambda W: {"label": "m"}),
    "POST /provider/api-keys/{key_id}/revoke": only("provider", params={"key_id": "page_key_id"}),
    "GET /provider/listings/new": only("provider other_provider"),
    "POST /provider/listings/new": only("provider other_provider", body=lambda W: {"category": ""}),
    "GET /provider/listings/{listing_id}": only("provider"),
    "POST /provider/listings/{listing_id}": only("provider", body=lambda W: {"category": ""}),
    "POST /provider/listings/{listing_id}/submit": only("provider"),
    "GET /organiser/reviews": only("org_admin other_org_admin"),
    "GET /organiser/reviews/{kind}/{item_id}": only("org_admin", params={"kind": "provider", "item_id": "approval_id"}),
    "POST /organiser/reviews/{kind}/{item_id}": only(
        "org_admin", params={"kind": "provider", "item_id": "approval_id"},
        body=lambda W: {"action": "request_changes", "reason": "matriisi"}),
    # Registry checks (issue 18): only the county the approval is with may ask for one.
    "POST /organiser/registry-checks/{approval_id}": only("org_admin", body=lambda W: {}),
    "GET /organiser/providers": only("org_admin other_org_admin"),
    "GET /organiser/sign-in": only("org_admin other_org_admin"),
    "POST /organiser/sign-in": only("org_admin other_org_admin", body=lambda W: {"staff_password_login": "on"}),
    # A county's card rules (issue 16): its admin sets them, its counsellors read them; each their own county's.
    "GET /organiser/card-rules": only("counsellor org_admin other_org_admin"),
    "GET /organiser/client-fees": only("counsellor org_admin other_org_admin"),
    "POST /organiser/client-fees": only("org_admin other_org_admin", body=lambda W: {
        "code": "matrix", "name_fi": "Matriisi", "kind": "percent", "value": "10", "cap": "", "decision_ref": ""}),
    "GET /api/v1/organisers/own-share": only("org_admin other_org_admin"),
    "POST /organiser/card-rules": only("org_admin other_org_admin", body=lambda W: {"single": "50", "cumulative": "150",
                                                                                     "tolerance": "0"}),
    # Need and suitability assessments (issue 17): the county's staff record versions; the client side reads
    # (a proxy with view); the county admin sets the criteria, its counsellors read them.
    "GET /api/v1/clients/{client_id}/need-assessments": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "POST /api/v1/clients/{client_id}/need-assessments": only(STAFF_A, body=NEED),
    "GET /api/v1/clients/{client_id}/suitability": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "POST /api/v1/clients/{client_id}/suitability": only(STAFF_A, body=SUITABILITY),
    "GET /api/v1/suitability-criteria": only("counsellor org_admin other_org_admin"),
    "PUT /api/v1/suitability-criteria": only("org_admin other_org_admin", body=lambda W: {"criteria": list(DEFAULT_CRITERIA)}),
    "GET /counsellor/clients/{client_id}/assessment": only(STAFF_A, reads_client=True),
    "POST /counsellor/clients/{client_id}/need-assessments": only(STAFF_A, body=lambda W: {"need_on": ""}),
    "POST /counsellor/clients/{client_id}/suitability": only(STAFF_A, body=lambda W: {"suit_on": ""}),
    "GET /organiser/suitability-criteria": only("counsellor org_admin other_org_admin"),
    "POST /organiser/suitability-criteria": only("org_admin other_org_admin",
                                                 body=lambda W: {"criteria": "\n".join(DEFAULT_CRITERIA)}),
    # Guidance for clients and providers: public.
    "GET /guide/client": public(),
    "GET /guide/provider": public(),
    # HB classes and tariffs (issue 17): the county's admin sets them, its counsellors read them.
    "GET /organiser/hb-classes": only("counsellor org_admin other_org_admin"),
    "POST /organiser/hb-classes": only("org_admin other_org_admin", body=lambda W: {"category": "", "code": ""}),
    "POST /organiser/hb-classes/tariffs": only("org_admin other_org_admin", body=lambda W: {"t_class": ""}),
    # The console's budgets by class and overrides (issue 17): the county's admin.
    "GET /organiser/budgets": only("org_admin other_org_admin"),
    # Evidence documents (issue 18, decision 0038): a provider's own staff upload and list; a document
    # is given to its provider's staff and the admins of a county the provider applied to — 404 to
    # everyone else (another provider, a client, another county, the platform admin).
    "GET /provider/documents": only("provider other_provider"),
    "POST /provider/documents": only("provider other_provider", body=lambda W: {"requirement": "liability_insurance"}),
    "GET /provider/documents/{document_id}": only("provider org_admin"),
    # --- search -------------------------------------------------------------------------------------
    "GET /api/v1/search/listings": public(),
    "GET /search": public(),
    "GET /listings/{listing_id}": public(),
    # --- voucher API --------------------------------------------------------------------------------
    # The card payment API: the only routes a terminal's API key may call (core.identity.TERMINAL).
    "POST /api/v1/authorizations": only("provider provider_key other_provider org_admin other_org_admin",
                                        body=lambda W: {"card_token": "hbc_unknown", "amount_cents": 100,
                                                        "listing_id": None}),
    "GET /api/v1/authorizations/{authorization_id}": only("provider provider_key org_admin"),
    # Capture and void belong to whoever made the authorisation (here the provider's terminal); the
    # client's organiser may still refund (docs/decisions/0010).
    "POST /api/v1/authorizations/{authorization_id}/capture": only(
        "provider provider_key", params={"authorization_id": "open_authorization_id"},
        body=lambda W: {"amount_cents": 100}),
    "POST /api/v1/authorizations/{authorization_id}/void": only(
        "provider provider_key", params={"authorization_id": "open_authorization_id"}),
    "POST /api/v1/captures/{capture_id}/refunds": only("provider provider_key org_admin",
                                                       body=lambda W: {"amount_cents": 100}),
    # Disputing a payment: the client, or a proxy holding "pay" (the world's proxy holds only "view").
    "POST /api/v1/captures/{capture_id}/dispute": only("client", body=lambda W: {"reason": "matriisi"}),
    "GET /api/v1/clients/{client_id}/budget": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "GET /api/v1/clients": only("counsellor org_admin other_org_admin"),
    "POST /api/v1/clients": only("counsellor org_admin other_org_admin", body=lambda W: {
        "display_name": "Asiakas M", "client_group": "older_people"}),
    "GET /api/v1/clients/{client_id}/decisions": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "POST /api/v1/clients/{client_id}/decisions": only(STAFF_A, body=DECISION),
    "PATCH /api/v1/decisions/{decision_id}": only(STAFF_A, body=lambda W: {"reason": "tarkistus"}),
    "GET /api/v1/clients/{client_id}/decision-proposal": only(STAFF_A, reads_client=True),
    "GET /api/v1/decisions/{decision_id}/history": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "GET /api/v1/clients/{client_id}/cards": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "POST /api/v1/clients/{client_id}/cards": only(STAFF_A, body=lambda W: {}),
    "PATCH /api/v1/cards/{card_id}": only(STAFF_A, body=lambda W: {"daily_limit_cents": 50_000, "reason": "m"}),
    "POST /api/v1/cards/{card_id}/replace": only(STAFF_A),
    "GET /api/v1/clients/{client_id}/plan": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "PUT /api/v1/clients/{client_id}/plan": only(STAFF_A, body=lambda W: {"needs": "Liikuntaa ja ulkoilua"}),
    "POST /api/v1/clients/{client_id}/plan/goals": only(STAFF_A, body=lambda W: {"title": "Uusi tavoite"}),
    "POST /api/v1/goals/{goal_id}/scores": only(STAFF_A, body=lambda W: {"score": 1}),
    # The plan as a working document (docs/decisions/0034): the client's side proposes (a proxy with any
    # grant: the world's proxy holds "view"), the county's staff decide and write.
    "POST /api/v1/clients/{client_id}/plan/proposals": only(CLIENT_SIDE, body=lambda W: {"kind": "need", "text": "m"}),
    "POST /api/v1/plan-proposals/{proposal_id}/accept": only(STAFF_A, body=lambda W: {}),
    "POST /api/v1/plan-proposals/{proposal_id}/decline": only(STAFF_A, body=lambda W: {"reason": "matriisi"}),
    "POST /api/v1/clients/{client_id}/plan/items": only(STAFF_A, body=lambda W: {"kind": "need", "text": "m"}),
    "POST /api/v1/plan-items/{item_id}/remove": only(STAFF_A, params={"item_id": "plan_item_id"}, body=lambda W: {}),
    "POST /api/v1/clients/{client_id}/plan/consents": only(STAFF_A, body=lambda W: {"kind": "research"}),
    "POST /api/v1/plan-consents/{consent_id}/withdraw": only(STAFF_A, body=lambda W: {}),
    "GET /api/v1/clients/{client_id}/plan/history": only(STAFF_A, reads_client=True),
    "GET /api/v1/plan-tasks": only("counsellor org_admin other_org_admin"),
    "POST /api/v1/plan-tasks/{task_id}/done": only(STAFF_A, body=lambda W: {"note": "m"}),
    "GET /api/v1/clients/{client_id}/proxies": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "POST /api/v1/clients/{client_id}/proxies": only(STAFF_A, body=lambda W: {"proxy_user_id": W["users"]["other_client"]}),
    "POST /api/v1/proxies/{grant_id}/revoke": only(STAFF_A),
    "GET /api/v1/settlements": only("provider other_provider org_admin other_org_admin"),
    "POST /webhooks/stripe": public(body=lambda W: {}),
    # --- voucher pages ------------------------------------------------------------------------------
    "GET /counsellor/clients": only("counsellor org_admin other_org_admin"),
    "POST /counsellor/clients": only("counsellor org_admin other_org_admin", body=lambda W: {"display_name": ""}),
    "GET /counsellor/clients/{client_id}": only(STAFF_A, reads_client=True),
    "GET /counsellor/clients/{client_id}/decisions/new": only(STAFF_A),
    "POST /counsellor/clients/{client_id}/classes": only(STAFF_A, body=lambda W: {"hb_class": ""}),
    "POST /counsellor/clients/{client_id}/decisions": only(STAFF_A, body=lambda W: {"start": ""}),
    "GET /counsellor/decisions/{decision_id}/edit": only(STAFF_A, reads_client=True),
    "POST /counsellor/decisions/{decision_id}": only(STAFF_A, body=lambda W: {"reason": ""}),
    "POST /counsellor/clients/{client_id}/cards": only(STAFF_A),
    "POST /counsellor/cards/{card_id}/status": only(STAFF_A, body=lambda W: {"status": "active", "reason": "m"}),
    "POST /counsellor/cards/{card_id}/replace": only(STAFF_A),
    # --- data-subject rights (core.privacy) ------------------------------------------------------------
    "GET /api/v1/clients/{client_id}/data-export": only("org_admin", reads_client=True),
    # Allowed means "past access control": within the retention period the answer is a 409.
    "POST /api/v1/clients/{client_id}/pseudonymise": only("org_admin", body=lambda W: {"reason": "matriisi"}),
    "POST /counsellor/clients/{client_id}/goals": only(STAFF_A, body=lambda W: {"title": "Sivulta lisätty tavoite"}),
    "POST /counsellor/goals/{goal_id}/scores": only(STAFF_A, body=lambda W: {"score": "0", "note": ""}),
    "GET /counsellor/clients/{client_id}/plan": only(STAFF_A, reads_client=True),
    "POST /counsellor/clients/{client_id}/plan": only(STAFF_A, body=lambda W: {"needs": "m"}),
    "POST /counsellor/clients/{client_id}/plan/items": only(STAFF_A, body=lambda W: {"kind": "need", "need_text": "m"}),
    "POST /counsellor/plan-items/{item_id}/remove": only(STAFF_A, params={"item_id": "plan_item_id"}),
    "POST /counsellor/clients/{client_id}/plan/consents": only(STAFF_A, body=lambda W: {"kind": "research"}),
    "POST /counsellor/plan-consents/{consent_id}/withdraw": only(STAFF_A),
    "POST /counsellor/plan-proposals/{proposal_id}/accept": only(STAFF_A),
    "POST /counsellor/plan-proposals/{proposal_id}/decline": only(STAFF_A, body=lambda W: {"reason": "matriisi"}),
    "POST /counsellor/plan-tasks/{task_id}/done": only(STAFF_A, body=lambda W: {"note": "m"}),
    "GET /plan": only("client proxy other_client", query={"client": "client_id"}, reads_client=True),
    "POST /plan/proposals": only("client proxy other_client", body=lambda W: {"kind": "need", "text": "m",
                                                                                "client": W["client_id"]}),
    "GET /budget": only("client proxy other_client", query={"client": "client_id"}, reads_client=True),
    # One payment of the client's (the link in its notification): their side reads it; the dispute
    # form is the client's (after the API row above, a 409: disputed already).
    "GET /budget/payments/{capture_id}": only(CLIENT_SIDE, reads_client=True),
    "POST /budget/payments/{capture_id}/dispute": only("client", body=lambda W: {"reason": "matriisi"}),
    # --- organiser console --------------------------------------------------------------------------
    "GET /follow-up/caseload": only("counsellor org_admin other_org_admin"),
    "GET /follow-up/caseload.csv": only("counsellor org_admin other_org_admin"),
    "GET /follow-up/clients/{client_id}": only(f"{CLIENT_SIDE} {STAFF_A}", reads_client=True),
    "GET /organiser/dashboard": only("org_admin other_org_admin"),
    "GET /organiser/dashboard/export/{figure_id}": only("org_admin other_org_admin", params={"figure_id": "by_category"}),
    "GET /organiser/anomalies": only("org_admin other_org_admin"),
    "POST /organiser/anomalies/scan": only("org_admin other_org_admin"),
    # The flag is the first county's (the terminal's capture with no booking behind it).
    "GET /organiser/anomalies/{flag_id}": only("org_admin", reads_client=True),
    "POST /organiser/anomalies/{flag_id}/review": only("org_admin", body=lambda W: {"note": "matriisi"}),
    "GET /organiser/payouts": only("org_admin other_org_admin"),
    "POST /organiser/payouts/{batch_id}/confirm": only("org_admin"),
    "GET /admin/raw": only("platform_admin"),
    # --- bookings (marketplace/booking*): the world's client's bookings on the riding listing ------------
    "GET /api/v1/listings/{listing_id}/availability": only(SIGNED_IN),
    "GET /api/v1/listings/{listing_id}/reviews": only(SIGNED_IN),
    "GET /api/v1/listings/{listing_id}/availability/rules": only("provider"),
    "POST /api/v1/listings/{listing_id}/availability/rules": only("provider", body=lambda W: {"weekday": 2, "start_time": "12:00"}),
    "DELETE /api/v1/listings/{listing_id}/availability/rules/{rule_id}": only("provider", params={"rule_id": "booking_rule_id"}),
    "POST /api/v1/listings/{listing_id}/availability/exceptions": only("provider", body=lambda W: {"day": "2027-01-05"}),
    "DELETE /api/v1/listings/{listing_id}/availability/exceptions/{exception_id}": only("provider", params={"exception_id": "booking_exception_id"}),
    "PUT /api/v1/listings/{listing_id}/booking-policy": only("provider", body=lambda W: {"cancellation_hours": 24}),
    # Booking for the world's client: its proxy holds only "view", so it is refused like strangers
    # (and the other client may not book in its name).
    "POST /api/v1/bookings": only("client", body=lambda W: {"listing_id": W["listing_id"], "client_id": W["client_id"],
                                                            "starts_at": W["booking_slot"]}),
    "GET /api/v1/bookings": only("client other_client provider other_provider org_admin other_org_admin"),
    # A booking is its client's (and their proxy's), its provider's and its client's organiser's.
    "GET /api/v1/bookings/{booking_id}": only("client proxy provider counsellor org_admin", reads_client=True),
    "POST /api/v1/bookings/{booking_id}/actions/{action}": only("provider", params={"action": "confirm"}, body=lambda W: {}),
    # A review speaks for the client: a proxy needs "pay" (the right to confirm the delivery).
    "POST /api/v1/bookings/{booking_id}/review": only("client", params={"booking_id": "completed_booking_id"},
                                                      body=lambda W: {"stars": 5, "recommend": 9}),
    "POST /api/v1/reviews/{review_id}/visibility": only("org_admin", params={"review_id": "booking_review_id"},
                                                        body=lambda W: {"hidden": True, "reason": "matriisi"}),
    "GET /api/v1/notifications": only(SIGNED_IN),
    "POST /api/v1/notifications/{notification_id}/read": only("provider", params={"notification_id": "provider_notification_id"}),
    "POST /bookings": only("client", body=lambda W: {"listing_id": W["listing_id"], "client_id": W["client_id"],
                                                     "starts_at": W["booking_slot"], "form_key": "matrix"}),
    "GET /bookings/{booking_id}": only("client proxy provider counsellor org_admin", reads_client=True),
    # After the API row: the booking is confirmed already (409) and the review written (409).
    "POST /bookings/{booking_id}/actions/{action}": only("provider", params={"action": "confirm"}),
    "POST /bookings/{booking_id}/review": only("client", params={"booking_id": "completed_booking_id"},
                                               body=lambda W: {"stars": "5", "recommend": "9"}),
    "GET /client": only("client proxy other_client", reads_client=True),
    "GET /client/bookings": only("client proxy other_client", reads_client=True),
    "GET /client/proxies": only("client other_client", reads_client=True),
    "POST /client/proxies": only("client other_client", body=lambda W: {"proxy_email": "proxy@matrix.example", "rights": "view"}),
    # The client's own grant to a second proxy ("grant_id" is revoked by the staff row above).
    "POST /client/proxies/{grant_id}/revoke": only("client", params={"grant_id": "client_grant_id"}),
    # The card's PIN and one-time codes: the client themself (a client always acts for their own card,
    # whatever the form names), or a proxy with "pay" — the matrix's proxy holds only "view".
    "GET /client/pay": only("client other_client", query={"client": "client_id"}, reads_client=True),
    "POST /client/pay/pin": only("client other_client", body=lambda W: {"client_id": W["client_id"], "pin": "4729",
                                                                       "pin_again": "4729"}),
    "POST /client/pay/codes": only("client other_client", body=lambda W: {"client_id": W["client_id"], "ceiling": "20"}),
    "GET /api/v1/clients/{client_id}/card-consent": only("client", reads_client=True),
    # Supported purchasing and the client's message thread (voucher.support, decision 0035). The
    # standing consent is the client's, or a proxy's with "book" (the matrix's holds only "view"); the
    # thread is the client's side's (any grant) and the county's counsellors' — not its admins'.
    "POST /budget/purchase-consent": only("client other_client", body=lambda W: {"action": "give", "client": W["client_id"]}),
    "GET /messages": only("client proxy other_client", query={"client": "client_id"}, reads_client=True),
    "POST /messages": only("client proxy other_client", query={"client": "client_id"}, body=lambda W: {"body": "matriisi"}),
    # Questionnaires and the research consent (voucher.evaluation). The matrix's decision has no round
    # open on the day the suite runs (its start round closed in January): a form is not there (404).
    "GET /questionnaires": only("client proxy other_client", query={"client": "client_id"}, reads_client=True),
    "GET /questionnaires/{form_id}": only("client proxy other_client", params={"form_id": "decision_id"},
                                          query={"client": "client_id"}, missing=True),
    "POST /questionnaires/{form_id}": only("client proxy other_client", params={"form_id": "decision_id"},
                                           query={"client": "client_id"}, body=lambda W: {"cheerful": "3"},
                                           missing=True),
    "POST /research-consent": only("client proxy other_client", body=lambda W: {"state": "given", "client": W["client_id"]}),
    "POST /counsellor/clients/{client_id}/research-consent": only(STAFF_A, body=lambda W: {"state": "given",
                                                                                          "how": "paper"}),
    "GET /organiser/questionnaires": only("counsellor org_admin other_org_admin"),
    "GET /organiser/questionnaires/{key}": only("org_admin other_org_admin", params={"key": "who5"}),
    "POST /organiser/questionnaires/{key}": only("org_admin other_org_admin", params={"key": "new"}, body=lambda W: {
        "key": "matriisi", "occasions": ["start"], "active": "1", "scale_min": "1", "scale_max": "2",
        **{f"{field}_{lang}": "matriisi" for field in ("title", "new_0") for lang in ("fi", "sv", "en")},
        **{f"labels_{lang}": "ei\nkyllä" for lang in ("fi", "sv", "en")}}),
    "GET /counsellor/clients/{client_id}/messages": only("counsellor", reads_client=True),
    "POST /counsellor/clients/{client_id}/messages": only("counsellor", body=lambda W: {"body": "matriisi"}),
    "GET /api/v1/clients/{client_id}/messages": only("client proxy counsellor", reads_client=True),
    "POST /api/v1/clients/{client_id}/messages": only("client proxy counsellor", body=lambda W: {"body": "matriisi"}),
    "PUT /api/v1/clients/{client_id}/card-pin": only("client", body=lambda W: {"pin": "4729"}),
    "POST /api/v1/clients/{client_id}/codes": only("client", body=lambda W: {"ceiling_cents": 2000}),
    "GET /notifications": only(SIGNED_IN),
    "POST /notifications/read": only(SIGNED_IN, body=lambda W: {}),
    "GET /provider/bookings": only("provider other_provider"),
    "GET /provider/listings/{listing_id}/availability": only("provider"),
    "POST /provider/listings/{listing_id}/availability/{what}": only("provider", params={"what": "policy"}, body=lambda W: {"cancellation_hours": "24"}),
    "GET /provider/settlements": only("provider other_provider"),
    "GET /organiser/disputes": only("org_admin other_org_admin"),
    # The client's disputed card payment is the first county's to decide.
    "POST /organiser/disputes/cards/{dispute_id}": only("org_admin", params={"dispute_id": "card_dispute_id"},
                                                         body=lambda W: {"action": "release", "resolution_reason": "matriisi"}),
    "GET /organiser/ratings": only("org_admin other_org_admin"),
    "POST /organiser/ratings/{review_id}": only("org_admin", params={"review_id": "booking_review_id"},
                                                body=lambda W: {"action": "hide", "reason": "matriisi"}),
    # --- accounts (core.account, admin.users) and caseloads (voucher.caseload) ---------------------------
    "GET /account": only(SIGNED_IN),
    "GET /api/v1/account": only(SIGNED_IN),
    "GET /api/v1/account/sessions": only(SIGNED_IN),
    # Only one's own sessions can be ended: no role holds the made-up one (404 past access control).
    "POST /account/sessions/{session_id}/end": only(SIGNED_IN, params={"session_id": "nothing"}, missing=True),
    "DELETE /api/v1/account/sessions/{session_id}": only(SIGNED_IN, params={"session_id": "nothing"}, missing=True),
    "POST /account/sessions/end-others": only(SIGNED_IN),
    "POST /api/v1/account/sessions/end-others": only(SIGNED_IN),
    # A wrong current password: 400 past access control, nothing changed.
    "POST /account/password": only(SIGNED_IN, body=lambda W: {"current_password": "x", "new_password": "p" * 12,
                                                              "new_password_confirm": "p" * 12}),
    "POST /api/v1/account/password": only(SIGNED_IN, body=lambda W: {"current_password": "x", "new_password": "p" * 12}),
    "GET /users": only("org_admin other_org_admin platform_admin"),
    "GET /api/v1/users": only("org_admin other_org_admin platform_admin"),
    # The first county's spare counsellor: the other county's admin is not told it exists.
    "POST /api/v1/users/{user_id}/deactivate": only("org_admin platform_admin", params={"user_id": "spare_counsellor_id"},
                                                    body=lambda W: {"reason": "matriisi"}),
    "POST /api/v1/users/{user_id}/reactivate": only("org_admin platform_admin", params={"user_id": "spare_counsellor_id"},
                                                    body=lambda W: {"reason": "matriisi"}),
    "POST /users/{user_id}/deactivate": only("org_admin platform_admin", params={"user_id": "spare_counsellor_id"}),
    "POST /users/{user_id}/reactivate": only("org_admin platform_admin", params={"user_id": "spare_counsellor_id"}),
    "PUT /api/v1/clients/{client_id}/counsellor": only(STAFF_A, body=lambda W: {"counsellor_id": W["users"]["counsellor"]}),
    "POST /counsellor/clients/{client_id}/counsellor": only(STAFF_A, body=lambda W: {"counsellor_id": W["users"]["counsellor"]}),
    # --- accounts: invitations and organisers (voucher.invitations, marketplace.organisers) ---------------
    # Who may invite whom, every inviter × role × scope, is tests/hardening/test_invitations.py; here
    # one invitation the client, its counsellor and its county's admin may send.
    "POST /api/v1/invitations": only("client counsellor org_admin", body=lambda W: {
        "email": "invitee@matrix.example", "role": "proxy", "client_id": W["client_id"], "rights": ["view"]}),
    "GET /api/v1/invitations": only(INVITERS),
    # The counsellor's own invitation: anyone else's is not found.
    "POST /api/v1/invitations/{invitation_id}/resend": only("counsellor"),
    "DELETE /api/v1/invitations/{invitation_id}": only("counsellor"),
    # Public (the link is the credential); a used link is 410 for everyone, so no call here makes an account.
    "POST /api/v1/invitations/{token}/accept": public(params={"token": "used_invitation_token"},
                                                      body=lambda W: {"password": "matriisin-salasana"}),
    "GET /invitations": only(INVITERS),
    "POST /invitations": only("client counsellor org_admin", body=lambda W: {
        "email": "page-invitee@matrix.example", "role": "proxy", "client_id": W["client_id"], "rights": "view"}),
    "POST /invitations/{invitation_id}/resend": only("counsellor", params={"invitation_id": "page_invitation_id"}),
    "POST /invitations/{invitation_id}/revoke": only("counsellor", params={"invitation_id": "page_invitation_id"}),
    "GET /invitations/{token}": public(params={"token": "used_invitation_token"}),
    "POST /invitations/{token}": public(params={"token": "used_invitation_token"},
                                        body=lambda W: {"password": "matriisin-salasana",
                                                        "password_confirm": "matriisin-salasana"}),
    "POST /api/v1/organisers": only("platform_admin", body=lambda W: {
        "name": "Matriisin hyvinvointialue", "business_id": "0201256-6", "municipalities": ["Matriisi"]}),
    "GET /platform/organisers": only("platform_admin"),
    "POST /platform/organisers": only("platform_admin", body=lambda W: {"name": ""}),
    # Issue 19 (3–5): the evaluation, the comparison group, the research export, the time log.
    "GET /organiser/evaluation": only("org_admin other_org_admin"),
    "POST /organiser/evaluation/settings": only("org_admin other_org_admin", body=lambda W: {"min_group_size": "5"}),
    "POST /organiser/evaluation/export": only("org_admin other_org_admin", body=lambda W: {"format": "csv"}),
    "GET /organiser/evaluation/comparison": only("org_admin other_org_admin"),
    "POST /organiser/evaluation/comparison": only("org_admin other_org_admin", body=lambda W: {"file": ""}),
    "GET /organiser/evaluation/report": only("org_admin other_org_admin"),
    "GET /time-log": only("counsellor org_admin other_org_admin"),
    "POST /time-log": only("counsellor org_admin other_org_admin", body=lambda W: {"minutes": "5", "kind": "contact"}),
    "POST /counsellor/clients/{client_id}/age-band": only(STAFF_A, body=lambda W: {"age_band": "25-34"}),
    # Last: it ends the caller's session.
    "POST /logout": public(),
}
