from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-09T30:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "card authorisation in one database call on PostgreSQL: vc_decide (voucher.domain.decide) and vc_authorise"

# Issue 20 / docs/decisions/0046. PostgreSQL only: SQLite keeps the Python path
# (voucher.authorisation.authorise), which stays the readable specification. ``vc_decide`` is a
# line-by-line port of ``voucher.domain.decide`` over the same facts (as jsonb);
# tests/voucher/test_decide_in_database.py checks the two agree on generated facts.
# ``vc_authorise`` is ``authorise_once`` for the common payment (a card token, a listing or a
# provider, no booking, no PIN or code, no client-fee line, no expired-but-unswept hold on the
# decision's lines): it claims the Idempotency-Key, reads the snapshot and the seller's facts,
# decides, makes the decision true with the same conditional updates in the same order (card, its
# code-less total, a line), writes the authorisation, its pending HOLD transfer and the audit entry,
# and stores the response — one statement, one round trip. Anything else answers
# {"fallback": true} having written nothing, and the Python path runs.

DECIDE = r"""
CREATE OR REPLACE FUNCTION vc_with_tolerance(base numeric, bp numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$ SELECT base + floor(base * bp / 10000) $$;
-- next
CREATE OR REPLACE FUNCTION vc_line_available(l jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT (l->>'granted_cents')::numeric - ((l->>'held_cents')::numeric - COALESCE((l->>'expired_held_cents')::numeric, 0))
         - (l->>'spent_cents')::numeric $$;
-- next
CREATE OR REPLACE FUNCTION vc_line_room(l jsonb, swap boolean) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN NOT swap OR l->'swap_cap_cents' IS NULL OR jsonb_typeof(l->'swap_cap_cents') = 'null' THEN vc_line_available(l)
    ELSE GREATEST(0, LEAST(vc_line_available(l), (l->>'swap_cap_cents')::numeric
         - ((l->>'swap_used_cents')::numeric - COALESCE((l->>'expired_swap_cents')::numeric, 0)))) END $$;
-- next
-- voucher.domain.candidate_lines: own-category lines first, then the lines that may fund one of them.
CREATE OR REPLACE FUNCTION vc_candidates(lines jsonb, cats jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(jsonb_agg(jsonb_build_object('line_id', x.l->>'id', 'swap', x.swap, 'line', x.l)
                            ORDER BY x.swap, x.n), '[]'::jsonb)
  FROM (
    SELECT l, n, false AS swap FROM jsonb_array_elements(lines) WITH ORDINALITY AS t(l, n)
     WHERE cats ? (l->>'category')
    UNION ALL
    SELECT l, n, true FROM jsonb_array_elements(lines) WITH ORDINALITY AS t(l, n)
     WHERE NOT cats ? (l->>'category')
       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(l->'may_fund', '[]')) m(c) WHERE cats ? m.c)
  ) x $$;
-- next
-- voucher.domain.raw_fee_cents
CREATE OR REPLACE FUNCTION vc_raw_fee(fee jsonb, gross numeric, units numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN fee IS NULL OR jsonb_typeof(fee) = 'null' OR gross <= 0 THEN 0
    ELSE GREATEST(0, LEAST(gross, CASE fee->>'kind'
      WHEN 'per_unit' THEN (fee->>'value')::numeric * GREATEST(units, 0)
      WHEN 'percent' THEN floor((2 * gross * (fee->>'value')::numeric + 10000) / 20000)
      ELSE 0 END)) END $$;
-- next
-- voucher.domain.decide: the checks in order; the first that fails names the decline code.
-- Answers {"code": ...} (with "categories" for insufficient_funds: the priced ones) or
-- {"candidates": [{"line_id", "swap"}...], "categories": [...], "consent": ""|"exempt"|"code"}.
CREATE OR REPLACE FUNCTION vc_decide(f jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  amount numeric := (f->>'amount_cents')::numeric;
  today date := (f->>'today')::date;
  lines jsonb := COALESCE(f->'lines', '[]');
  rules jsonb := COALESCE(f->'rules', '{}');
  single numeric := COALESCE((rules->>'single_cents')::numeric, 5000);
  cumulative numeric := CASE WHEN rules ? 'cumulative_cents' THEN (rules->>'cumulative_cents')::numeric ELSE 15000 END;
  tolerance numeric := COALESCE((rules->>'tolerance_bp')::numeric, 0);
  open_amount jsonb := COALESCE(rules->'open_amount', '{}');
  purchase jsonb := COALESCE(f->'purchase_categories', '[]');
  quantity numeric := COALESCE((f->>'quantity')::numeric, 1);
  booking jsonb := CASE WHEN jsonb_typeof(f->'booking') = 'object' THEN f->'booking' END;
  consent jsonb := CASE WHEN jsonb_typeof(f->'consent') = 'object' THEN f->'consent' END;
  listing_approved boolean := (f->>'listing_approved')::boolean;
  cats jsonb;
  route text := '';
  floor_cents numeric;
  near boolean;
  fitting jsonb;
  cands jsonb;
BEGIN
  IF f->>'card_status' IS DISTINCT FROM 'active' THEN
    RETURN jsonb_build_object('code', 'card_inactive');
  END IF;
  IF f->>'decision_start' IS NULL OR f->>'decision_end' IS NULL
     OR NOT ((f->>'decision_start')::date <= today AND today <= (f->>'decision_end')::date) THEN
    RETURN jsonb_build_object('code', 'outside_validity_period');
  END IF;
  IF NOT COALESCE((f->>'provider_approved')::boolean, false) THEN
    RETURN jsonb_build_object('code', 'provider_not_approved');
  END IF;
  IF COALESCE((f->>'payer_is_provider_staff')::boolean, false) THEN
    RETURN jsonb_build_object('code', 'proxy_is_provider_staff');
  END IF;
  IF listing_approved IS FALSE THEN
    RETURN jsonb_build_object('code', 'listing_not_approved');
  END IF;
  cands := vc_candidates(lines, purchase);
  IF jsonb_array_length(cands) = 0 THEN
    RETURN jsonb_build_object('code', 'category_not_in_plan');
  END IF;
  -- voucher.domain.priced_categories
  IF booking IS NOT NULL THEN
    IF amount > GREATEST(0, vc_with_tolerance((booking->>'amount_cents')::numeric, tolerance)
                            - COALESCE((booking->>'taken_cents')::numeric, 0)) THEN
      RETURN jsonb_build_object('code', 'over_listing_price');
    END IF;
    cats := purchase;
  ELSIF listing_approved IS NOT NULL THEN
    IF f->>'listing_price_cents' IS NULL
       OR amount > vc_with_tolerance((f->>'listing_price_cents')::numeric * quantity, tolerance) THEN
      RETURN jsonb_build_object('code', 'over_listing_price');
    END IF;
    cats := purchase;
  ELSE
    SELECT COALESCE(jsonb_agg(c ORDER BY n), '[]') INTO cats
      FROM jsonb_array_elements_text(purchase) WITH ORDINALITY AS t(c, n)
     WHERE open_amount ? c AND jsonb_array_length(vc_candidates(lines, jsonb_build_array(c))) > 0;
    IF jsonb_array_length(cats) = 0 THEN
      RETURN jsonb_build_object('code', 'listing_required');
    END IF;
    SELECT COALESCE(jsonb_agg(c ORDER BY n), '[]') INTO cats
      FROM jsonb_array_elements_text(cats) WITH ORDINALITY AS t(c, n)
     WHERE amount <= (open_amount->>c)::numeric;
    IF jsonb_array_length(cats) = 0 THEN
      RETURN jsonb_build_object('code', 'over_listing_price');
    END IF;
  END IF;
  -- voucher.domain.cap_decline
  IF f->>'per_transaction_limit_cents' IS NOT NULL AND amount > (f->>'per_transaction_limit_cents')::numeric THEN
    RETURN jsonb_build_object('code', 'over_transaction_limit');
  END IF;
  IF f->>'daily_limit_cents' IS NOT NULL
     AND COALESCE((f->>'day_used_cents')::numeric, 0) + amount > (f->>'daily_limit_cents')::numeric THEN
    RETURN jsonb_build_object('code', 'over_daily_limit');
  END IF;
  -- voucher.domain.consent_route
  IF consent IS NOT NULL AND booking IS NULL THEN
    IF COALESCE((consent->>'code_given')::boolean, false) THEN
      route := 'code';
    ELSE
      floor_cents := ceil(single * 9000 / 10000);
      near := single > 0 AND floor_cents <= amount AND amount <= single
              AND COALESCE((f->>'earlier_near_exemption')::numeric, 0) + 1 >= 3;
      IF amount <= single
         AND (cumulative IS NULL OR COALESCE((consent->>'codeless_cents')::numeric, 0) + amount <= cumulative)
         AND NOT near THEN
        route := 'exempt';
      ELSE
        RETURN jsonb_build_object('code', 'client_consent_required');
      END IF;
    END IF;
  END IF;
  -- voucher.domain.fitting_candidates
  SELECT COALESCE(jsonb_agg(jsonb_build_object('line_id', c->>'line_id', 'swap', (c->>'swap')::boolean) ORDER BY n), '[]')
    INTO fitting
    FROM jsonb_array_elements(CASE WHEN cats = purchase THEN cands ELSE vc_candidates(lines, cats) END)
         WITH ORDINALITY AS t(c, n)
   WHERE vc_line_room(c->'line', (c->>'swap')::boolean)
         >= amount - vc_raw_fee(c->'line'->'fee', amount, quantity);
  IF jsonb_array_length(fitting) = 0 AND route <> 'code' THEN
    RETURN jsonb_build_object('code', 'insufficient_funds', 'categories', cats);
  END IF;
  RETURN jsonb_build_object('candidates', fitting, 'categories', cats, 'consent', route);
END $$;
"""

AUTHORISE = r"""
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
-- next
-- voucher.ledger.account_id: uuid5 of the account's code in the ledger's namespace.
CREATE OR REPLACE FUNCTION vc_account_id(account_code text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$ SELECT uuid_generate_v5('6f1d7f4e-2b1c-4a38-9d1e-7c0e5b8a9f10'::uuid, account_code) $$;
-- next
-- voucher.authorisation.authorise_once (with core.idempotency.run around it) in one call.
-- p: scope, key, request_hash (no key: no claim), check_key_id (a key the app's cache vouched for:
-- refused here if revoked since), api_key_id, actor_*, token_hash, amount_cents, listing_id, provider_id,
-- quantity, description, source, now, today, expires_at, expires_at_text, lang, messages, request_id.
CREATE OR REPLACE FUNCTION vc_authorise(p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  now_ts timestamptz := (p->>'now')::timestamptz;
  today date := (p->>'today')::date;
  amount bigint := (p->>'amount_cents')::bigint;
  qty integer := COALESCE((p->>'quantity')::integer, 1);
  v_listing uuid := (p->>'listing_id')::uuid;
  named_provider uuid := (p->>'provider_id')::uuid;
  claim_id uuid;
  prior record;
  card record;
  lines jsonb := '[]';
  line_row record;
  fallback boolean := false;
  rules jsonb;
  seller_ok boolean := false;
  v_provider uuid;
  provider_ok boolean := false;
  provider_cats jsonb := '[]';
  listing_ok boolean;
  listing_cat text;
  listing_price bigint;
  purchase jsonb := '[]';
  s record;
  earlier integer := 0;
  near boolean := false;
  facts jsonb;
  v_decision jsonb;
  again jsonb;
  v_code text;
  best numeric;
  cand record;
  chosen jsonb;
  available bigint;
  v_category text := '';
  consent_given text := '';
  merged boolean := false;
  auth_id uuid := gen_random_uuid();
  hold_id uuid;
  v_status text;
  msg text;
  v_body text;
  v_lang text;
BEGIN
  IF p->>'check_key_id' IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM hb_api_key WHERE id = (p->>'check_key_id')::uuid AND revoked_at IS NULL) THEN
    RETURN jsonb_build_object('revoked', true);
  END IF;

  -- The snapshot (authorise.py's _SNAPSHOT_SQL): the card, its client and county rules, the
  -- decision valid today and its lines with the holds that expired but were not swept.
  SELECT c.id, c.status, c.per_transaction_limit_cents AS per_tx, c.daily_limit_cents AS daily,
         CASE WHEN c.spend_day = today THEN c.spend_day_cents ELSE 0 END AS day_used, c.codeless_cents,
         cl.id AS client_id, cl.organiser_id, cl.language,
         cr.id AS rules_id, cr.single_cents, cr.cumulative_cents, cr.tolerance_bp, cr.open_amount,
         d.id AS decision_id, d.start AS decision_start, d."end" AS decision_end
    INTO card
    FROM vc_card c JOIN vc_client cl ON cl.id = c.client
    LEFT JOIN vc_card_rules cr ON cr.organiser_id = cl.organiser_id
    LEFT JOIN LATERAL (SELECT d.id, d.start, d."end" FROM vc_budget_decision d
                        WHERE d.client = cl.id AND d.status = 'active' AND d.start <= today AND d."end" >= today
                        ORDER BY d.start DESC LIMIT 1) d ON true
   WHERE c.token_hash = p->>'token_hash'
     -- an organiser may not use another organiser's clients' cards: to it there is no such card
     AND (p->>'actor_organiser_id' IS NULL OR p->>'actor_provider_id' IS NOT NULL
          OR cl.organiser_id = (p->>'actor_organiser_id')::uuid);
  IF card.id IS NOT NULL AND card.decision_id IS NOT NULL THEN
    FOR line_row IN
      SELECT l.id, l.category, l.granted_cents, l.held_cents, l.spent_cents, l.may_fund, l.swap_cap_cents,
             l.swap_used_cents, l.fee_rule,
             (SELECT COALESCE(SUM(a.amount_cents), 0) FROM vc_authorization a
               WHERE a.line_id = l.id AND a.status = 'approved' AND a.expires_at <= now_ts) AS expired_held
        FROM vc_budget_line l WHERE l.decision = card.decision_id ORDER BY l.position
    LOOP
      IF COALESCE(line_row.fee_rule, '') <> '' OR line_row.expired_held > 0 THEN
        fallback := true;  -- a client-fee rule or an unswept expired hold: the Python path
      END IF;
      lines := lines || jsonb_build_object(
        'id', line_row.id::text, 'category', line_row.category, 'granted_cents', line_row.granted_cents,
        'held_cents', line_row.held_cents, 'spent_cents', line_row.spent_cents,
        'may_fund', COALESCE(line_row.may_fund::jsonb, '[]'), 'swap_cap_cents', line_row.swap_cap_cents,
        'swap_used_cents', line_row.swap_used_cents);
    END LOOP;
  END IF;
  IF fallback THEN
    RETURN jsonb_build_object('fallback', true);
  END IF;

  -- The Idempotency-Key (core.idempotency): claimed in this transaction, or its stored answer.
  IF p->>'key' IS NOT NULL THEN
    INSERT INTO hb_idempotency (id, scope, key, request_hash, created_at)
    VALUES (gen_random_uuid(), p->>'scope', p->>'key', p->>'request_hash', CURRENT_TIMESTAMP)
    ON CONFLICT DO NOTHING RETURNING id INTO claim_id;
    IF claim_id IS NULL THEN
      SELECT request_hash, status_code, body INTO prior FROM hb_idempotency
       WHERE scope = p->>'scope' AND key = p->>'key';
      IF NOT FOUND OR prior.request_hash <> p->>'request_hash' OR prior.status_code IS NULL THEN
        RETURN jsonb_build_object('conflict', true);
      END IF;
      RETURN jsonb_build_object('status', prior.status_code, 'body', prior.body);
    END IF;
  END IF;

  rules := CASE WHEN card.rules_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
    'single_cents', card.single_cents, 'cumulative_cents', card.cumulative_cents,
    'tolerance_bp', card.tolerance_bp, 'open_amount', COALESCE(card.open_amount::jsonb, '{}')) END;

  -- The seller's facts (marketplace.catalogue.seller_facts), when the card may pay at all.
  v_provider := named_provider;
  IF card.status = 'active' AND card.decision_id IS NOT NULL THEN
    seller_ok := true;
    FOR s IN
      SELECT pr.id AS provider_id, pr.categories, pa.status AS provider_status, pa.valid_until,
             pc.category AS covered, l.id AS listing_id, l.provider AS listing_provider,
             la.status AS listing_status, r.content
        FROM mp_provider pr
        LEFT JOIN mp_provider_approval pa ON pa.provider = pr.id AND pa.organiser = card.organiser_id
        LEFT JOIN mp_provider_category_approval pc ON pc.approval = pa.id AND pc.status = 'approved'
        LEFT JOIN mp_listing l ON l.id = v_listing
        LEFT JOIN mp_listing_approval la ON la.listing = l.id AND la.organiser = card.organiser_id
        LEFT JOIN mp_listing_revision r ON r.id = la.live_revision
       WHERE pr.id = COALESCE(named_provider, (SELECT ml.provider FROM mp_listing ml WHERE ml.id = v_listing))
    LOOP
      IF provider_cats = '[]' AND NOT provider_ok AND listing_ok IS NULL AND s.provider_id IS NOT NULL THEN
        v_provider := s.provider_id;
        provider_ok := COALESCE(s.provider_status = 'approved' AND (s.valid_until IS NULL OR s.valid_until > clock_timestamp()), false);
        IF provider_ok THEN
          SELECT COALESCE(jsonb_agg(c ORDER BY n), '[]') INTO provider_cats
            FROM jsonb_array_elements_text(COALESCE(s.categories::jsonb, '[]')) WITH ORDINALITY t(c, n)
           WHERE c IN (SELECT pc2.category FROM mp_provider_category_approval pc2
                         JOIN mp_provider_approval pa2 ON pa2.id = pc2.approval
                        WHERE pa2.provider = s.provider_id AND pa2.organiser = card.organiser_id
                          AND pc2.status = 'approved');
        END IF;
        IF v_listing IS NOT NULL THEN
          listing_ok := COALESCE(provider_ok AND s.listing_id IS NOT NULL AND s.listing_provider = s.provider_id
                        AND s.listing_status = 'approved' AND s.content IS NOT NULL
                        AND s.content::jsonb <> '{}'::jsonb AND provider_cats ? (s.content::jsonb->>'category'), false);
          IF listing_ok THEN
            listing_cat := s.content::jsonb->>'category';
            listing_price := (s.content::jsonb->>'price_cents')::bigint;
          END IF;
        END IF;
      END IF;
      EXIT;
    END LOOP;
    IF v_listing IS NOT NULL AND listing_ok IS NULL THEN
      listing_ok := false;  -- no such provider: a named listing is not approved
    END IF;
    IF v_listing IS NULL THEN
      purchase := provider_cats;
    ELSIF listing_cat IS NOT NULL THEN
      purchase := jsonb_build_array(listing_cat);
    END IF;
    -- Repeated "just under the exemption" payments from this provider on this card (authorise.py's
    -- _earlier_near_exemption), asked only when this payment is one.
    near := COALESCE(card.single_cents, 5000) > 0
            AND ceil(COALESCE(card.single_cents, 5000) * 9000 / 10000.0) <= amount
            AND amount <= COALESCE(card.single_cents, 5000) AND v_provider IS NOT NULL;
  END IF;

  IF near THEN
    earlier := vc_earlier_near_exemption(card.id, v_provider, now_ts, COALESCE(card.single_cents, 5000));
  END IF;
  facts := jsonb_build_object(
    'amount_cents', amount, 'today', today, 'card_status', card.status,
    'decision_start', card.decision_start, 'decision_end', card.decision_end,
    'provider_approved', seller_ok AND provider_ok,
    'listing_approved', CASE WHEN seller_ok THEN to_jsonb(listing_ok) ELSE 'null'::jsonb END,
    'purchase_categories', purchase, 'lines', lines,
    'per_transaction_limit_cents', card.per_tx, 'daily_limit_cents', card.daily,
    'day_used_cents', COALESCE(card.day_used, 0), 'rules', rules,
    'listing_price_cents', listing_price, 'quantity', qty, 'earlier_near_exemption', earlier,
    'consent', CASE WHEN seller_ok THEN jsonb_build_object('code_given', false, 'codeless_cents', card.codeless_cents)
               ELSE 'null'::jsonb END);
  v_decision := vc_decide(facts);

  IF v_decision ? 'code' THEN
    v_code := v_decision->>'code';
    IF v_code = 'insufficient_funds' THEN
      SELECT max(vc_line_room(c->'line', (c->>'swap')::boolean)) INTO best
        FROM jsonb_array_elements(vc_candidates(lines, v_decision->'categories')) c;
    END IF;
  ELSE
    -- The card's day (authorise.py's _take_card_day): locks the card's row until commit. A payment
    -- not "just under" the exemption takes the exemption's code-less total (consent.py's _exempt)
    -- in the same statement, its condition after the card's as in the Python path.
    merged := NOT near AND v_decision->>'consent' = 'exempt';
    UPDATE vc_card SET spend_day = today,
           spend_day_cents = CASE WHEN spend_day = today THEN spend_day_cents ELSE 0 END + amount,
           codeless_cents = codeless_cents + CASE WHEN merged THEN amount ELSE 0 END
     WHERE id = card.id AND status = 'active'
       AND (per_transaction_limit_cents IS NULL OR per_transaction_limit_cents >= amount)
       AND (daily_limit_cents IS NULL OR CASE WHEN spend_day = today THEN spend_day_cents ELSE 0 END + amount <= daily_limit_cents)
       AND (NOT merged OR (card.cumulative_cents IS NULL AND card.rules_id IS NOT NULL)
            OR codeless_cents + amount <= COALESCE(card.cumulative_cents, 15000));
    IF NOT FOUND THEN
      SELECT CASE WHEN c.status <> 'active' THEN 'card_inactive'
                  WHEN c.per_transaction_limit_cents IS NOT NULL AND amount > c.per_transaction_limit_cents THEN 'over_transaction_limit'
                  WHEN c.daily_limit_cents IS NOT NULL
                       AND CASE WHEN c.spend_day = today THEN c.spend_day_cents ELSE 0 END + amount > c.daily_limit_cents
                       THEN 'over_daily_limit'
                  WHEN merged THEN 'client_consent_required'
                  ELSE 'over_daily_limit' END INTO v_code FROM vc_card c WHERE c.id = card.id;
      v_code := COALESCE(v_code, 'card_inactive');
    ELSIF merged THEN
      consent_given := 'exempt';
    END IF;
    IF v_code IS NULL AND near THEN
      -- The card is locked now: the count is read again (authorise.py's _history_facts).
      again := vc_decide(jsonb_set(facts, '{earlier_near_exemption}',
                         to_jsonb(vc_earlier_near_exemption(card.id, v_provider, now_ts, COALESCE(card.single_cents, 5000)))));
      IF again ? 'code' THEN
        v_code := again->>'code';
        UPDATE vc_card SET spend_day_cents = spend_day_cents - amount
         WHERE id = card.id AND spend_day = today AND spend_day_cents >= amount;
      END IF;
    END IF;
    IF v_code IS NULL AND v_decision->>'consent' = 'exempt' AND NOT merged THEN
      -- The exemption (consent.py's _exempt): the code-less total within the cumulative limit.
      UPDATE vc_card SET codeless_cents = codeless_cents + amount
       WHERE id = card.id AND (card.cumulative_cents IS NULL AND card.rules_id IS NOT NULL
                               OR codeless_cents + amount <= COALESCE(card.cumulative_cents, 15000));
      IF NOT FOUND THEN
        v_code := 'client_consent_required';
        UPDATE vc_card SET spend_day_cents = spend_day_cents - amount
         WHERE id = card.id AND spend_day = today AND spend_day_cents >= amount;
      ELSE
        consent_given := 'exempt';
      END IF;
    ELSIF v_code IS NULL AND v_decision->>'consent' NOT IN ('', 'exempt') THEN
      RAISE EXCEPTION 'vc_authorise: consent route % is not for this path', v_decision->>'consent';
    END IF;
    IF v_code IS NULL THEN
      -- A line (authorise.py's _hold_on_a_line, ledger.hold_line): the first candidate that has it.
      FOR cand IN SELECT c, n FROM jsonb_array_elements(v_decision->'candidates') WITH ORDINALITY t(c, n) ORDER BY n LOOP
        UPDATE vc_budget_line SET held_cents = held_cents + amount,
               swap_used_cents = swap_used_cents + CASE WHEN (cand.c->>'swap')::boolean THEN amount ELSE 0 END
         WHERE id = (cand.c->>'line_id')::uuid AND granted_cents - held_cents - spent_cents >= amount
           AND (NOT (cand.c->>'swap')::boolean OR swap_cap_cents IS NULL OR swap_cap_cents - swap_used_cents >= amount)
        RETURNING granted_cents - held_cents - spent_cents INTO available;
        IF FOUND THEN
          chosen := cand.c;
          EXIT;
        END IF;
      END LOOP;
      IF chosen IS NULL THEN
        v_code := 'insufficient_funds';
        UPDATE vc_card
           SET spend_day_cents = CASE WHEN spend_day = today AND spend_day_cents >= amount
                                      THEN spend_day_cents - amount ELSE spend_day_cents END,
               codeless_cents = CASE WHEN consent_given = 'exempt' AND codeless_cents >= amount
                                     THEN codeless_cents - amount ELSE codeless_cents END
         WHERE id = card.id;
        consent_given := '';
      ELSE
        SELECT CASE WHEN (chosen->>'swap')::boolean
                    THEN (SELECT c FROM jsonb_array_elements_text(v_decision->'categories') WITH ORDINALITY t(c, n)
                           WHERE (l->'may_fund') ? c ORDER BY n LIMIT 1)
                    ELSE l->>'category' END INTO v_category
          FROM jsonb_array_elements(lines) l WHERE l->>'id' = chosen->>'line_id';
      END IF;
    END IF;
  END IF;

  v_lang := COALESCE(card.language, p->>'lang');
  IF v_code IS NULL THEN
    v_status := 'approved';
    hold_id := gen_random_uuid();
    INSERT INTO vc_authorization (id, card_id, client_id, organiser_id, line_id, provider_id, listing_id, category,
        amount_cents, captured_cents, swap, status, decline_code, message, description, line_available_cents,
        expires_at, hold_transfer_id, source, api_key_id, actor_user_id, created_at, consent, quantity, booking_id,
        gross_cents, client_share_cents, fee_rule, fee_month)
    VALUES (auth_id, card.id, card.client_id, card.organiser_id, (chosen->>'line_id')::uuid, v_provider, v_listing,
        COALESCE(v_category, ''), amount, 0, (chosen->>'swap')::boolean, v_status, NULL, NULL, p->>'description', available,
        (p->>'expires_at')::timestamptz, hold_id, p->>'source', (p->>'api_key_id')::uuid,
        (p->>'actor_user_id')::uuid, now_ts, consent_given, qty, NULL, amount, 0, '', '');
    INSERT INTO vc_transfer (id, kind, debit_account_id, credit_account_id, amount_cents, status, expires_at,
        authorization_id, created_at)
    VALUES (hold_id, 'hold', vc_account_id('line:' || (chosen->>'line_id')), vc_account_id('payable:' || v_provider::text),
        amount, 'pending', (p->>'expires_at')::timestamptz, auth_id, now_ts);
    INSERT INTO hb_audit_event (id, at, actor_user_id, actor_role, actor_label, on_behalf_of, action, subject_type,
        subject_id, organiser_id, purpose, reason, details, request_id)
    VALUES (gen_random_uuid(), CURRENT_TIMESTAMP, (p->>'actor_user_id')::uuid, p->>'actor_role', p->>'actor_label',
        NULL, 'voucher.authorization.approved', 'authorization', auth_id::text, card.organiser_id, '', '',
        json_build_object('amount_cents', amount, 'line_id', chosen->>'line_id', 'provider_id', v_provider::text),
        COALESCE(p->>'request_id', ''));
  ELSE
    v_status := 'declined';
    msg := COALESCE(p->'messages'->v_lang->>v_code, p->'messages'->'fi'->>v_code, 'voucher.decline.' || v_code);
    available := best;
    INSERT INTO vc_authorization (id, card_id, client_id, organiser_id, line_id, provider_id, listing_id, category,
        amount_cents, captured_cents, swap, status, decline_code, message, description, line_available_cents,
        expires_at, hold_transfer_id, source, api_key_id, actor_user_id, created_at, consent, quantity, booking_id,
        gross_cents, client_share_cents, fee_rule, fee_month)
    VALUES (auth_id, card.id, card.client_id, card.organiser_id, NULL, v_provider, v_listing, '', amount, 0, false,
        v_status, v_code, msg, p->>'description', available, NULL, NULL, p->>'source', (p->>'api_key_id')::uuid,
        (p->>'actor_user_id')::uuid, now_ts, '', qty, NULL, amount, 0, '', '');
  END IF;

  -- The response as voucher.authorisation.common.to_read encodes it (msgspec's compact JSON).
  v_body := '{"id":' || to_json(auth_id::text)::text || ',"status":' || to_json(v_status)::text
    || ',"decline_code":' || COALESCE(to_json(v_code)::text, 'null')
    || ',"message":' || COALESCE(to_json(msg)::text, 'null')
    || ',"amount_cents":' || amount::text
    || ',"expires_at":' || CASE WHEN v_status = 'approved' THEN to_json(p->>'expires_at_text')::text ELSE 'null' END
    || ',"line_available_cents":' || COALESCE(available::text, 'null')
    || ',"captured_cents":0}';
  IF claim_id IS NOT NULL THEN
    UPDATE hb_idempotency SET status_code = 201, body = v_body WHERE id = claim_id;
  END IF;
  -- 'decided': this call made the decision (a replay above returns without it; metrics count it).
  RETURN jsonb_build_object('status', 201, 'body', v_body, 'decided', v_status, 'decline_code', v_code);
END $$;
"""

NEAR = r"""
-- authorise.py's _earlier_near_exemption: code-less payments "just under" the exemption from this
-- provider on this card in the last 24 hours.
CREATE OR REPLACE FUNCTION vc_earlier_near_exemption(card uuid, provider uuid, now_ts timestamptz, single bigint)
RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM vc_authorization a
   WHERE a.card_id = card AND a.provider_id = provider AND a.created_at > now_ts - interval '24 hours'
     AND a.status IN ('approved', 'captured', 'partially_captured')
     AND a.amount_cents >= ceil(single * 9000 / 10000.0) AND a.amount_cents <= single
     AND a.source <> 'booking_hold' AND a.booking_id IS NULL AND a.consent = 'exempt' $$;
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def functions():
        engine = engine_finder()
        if engine.engine_type != "postgres":
            return  # SQLite keeps the Python path
        for statement in (DECIDE + "\n-- next\n" + NEAR + "\n-- next\n" + AUTHORISE).split("\n-- next\n"):
            if statement.strip():
                await engine.run_ddl(statement)

    manager.add_raw(functions)
    return manager
