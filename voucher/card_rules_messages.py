"""Texts of a county's card rules (voucher.card_rules, its page and the import's checks) and of the
price ceiling's refusals, in Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # The page
    "voucher.nav.card_rules": _m("Korttimaksujen säännöt", "Regler för kortbetalningar", "Card payment rules"),
    "voucher.card_rules.county_link": _m("Hyvinvointialueen korttimaksujen säännöt", "Välfärdsområdets regler för kortbetalningar",
                                         "The county's card payment rules"),
    "voucher.card_rules.title": _m("Korttimaksujen säännöt", "Regler för kortbetalningar", "Card payment rules"),
    "voucher.card_rules.intro": _m(
        "Nämä säännöt koskevat hyvinvointialueen asiakkaiden HB-korttimaksuja palveluntuottajien päätteillä. "
        "Varaukseen perustuva maksu on aina asiakkaan itse hyväksymä.",
        "Dessa regler gäller välfärdsområdets klienters betalningar med HB-kortet vid tjänsteproducenternas "
        "terminaler. En betalning för en bokning har klienten alltid själv godkänt.",
        "These rules apply to the county's clients' HB card payments at providers' terminals. A payment for a "
        "booking is always one the client agreed to themself."),
    "voucher.card_rules.saved": _m("Säännöt tallennettiin. Ne ovat voimassa heti.",
                                   "Reglerna sparades. De gäller genast.",
                                   "The rules were saved. They apply at once."),
    "voucher.card_rules.consent_legend": _m("Maksut ilman asiakkaan koodia", "Betalningar utan klientens kod",
                                            "Payments without the client's code"),
    "voucher.card_rules.consent_hint": _m(
        "Pienen maksun voi tehdä ilman PIN-koodia tai kertakoodia. Suurempiin maksuihin tarvitaan asiakkaan hyväksyntä.",
        "En liten betalning kan göras utan PIN-kod eller engångskod. För större betalningar behövs klientens godkännande.",
        "A small payment can be made without the PIN or a one-time code. Larger payments need the client's consent."),
    "voucher.card_rules.single": _m("Yksittäinen maksu enintään (€)", "En enskild betalning högst (€)",
                                    "One payment at most (€)"),
    "voucher.card_rules.single_hint": _m("Oletus 50 €.", "Standard 50 €.", "Default €50."),
    "voucher.card_rules.cumulative": _m("Koodittomat maksut yhteensä enintään (€)",
                                        "Betalningar utan kod sammanlagt högst (€)",
                                        "Payments without a code together at most (€)"),
    "voucher.card_rules.cumulative_hint": _m(
        "Edellisen hyväksytyn maksun jälkeen. Oletus 150 €. Tyhjä: ei yhteisrajaa.",
        "Sedan den senaste godkända betalningen. Standard 150 €. Tomt: ingen sammanlagd gräns.",
        "Since the last payment the client consented to. Default €150. Empty: no limit together."),
    "voucher.card_rules.price_legend": _m("Palvelun hinta", "Tjänstens pris", "The service's price"),
    "voucher.card_rules.tolerance": _m("Hintajousto (%)", "Prisflexibilitet (%)", "Price tolerance (%)"),
    "voucher.card_rules.tolerance_hint": _m(
        "Kuinka paljon maksu saa ylittää palvelun hinnan kertaa määrän (0–50 %). Jousto pyöristetään alaspäin "
        "täyteen senttiin. Oletus 0 %.",
        "Hur mycket en betalning får överstiga tjänstens pris gånger mängden (0–50 %). Flexibiliteten avrundas "
        "nedåt till hel cent. Standard 0 %.",
        "How far a payment may go over the service's price times the quantity (0–50 %). The tolerance is rounded "
        "down to the whole cent. Default 0 %."),
    "voucher.card_rules.open_legend": _m("Vapaan summan palveluluokat", "Kategorier med fritt belopp",
                                         "Open-amount categories"),
    "voucher.card_rules.open_hint": _m(
        "Näissä luokissa maksun voi tehdä ilman palvelua tai varausta (esimerkiksi taksi kilometrien mukaan), "
        "enintään tähän summaan kerralla (€). Tyhjä: maksuun tarvitaan palvelu tai varaus.",
        "I dessa kategorier kan man betala utan tjänst eller bokning (till exempel taxi per kilometer), högst "
        "detta belopp åt gången (€). Tomt: betalningen behöver en tjänst eller en bokning.",
        "In these categories a payment may be made with no listing or booking (a taxi by the kilometre, say), at "
        "most this much at a time (€). Empty: a payment needs a listing or a booking."),
    "voucher.card_rules.no_limit": _m("ei rajaa", "ingen gräns", "no limit"),
    "voucher.card_rules.none": _m("ei yhtään", "inga", "none"),
    "voucher.card_rules.at_most": _m("enintään {amount}", "högst {amount}", "at most {amount}"),
    "voucher.card_rules.unknown_category": _m("poistettu palveluluokka", "borttagen kategori", "a removed category"),
    "voucher.card_rules.history": _m("Muutokset", "Ändringar", "Changes"),
    "voucher.card_rules.no_changes": _m("Sääntöjä ei ole muutettu: oletukset ovat voimassa.",
                                        "Reglerna har inte ändrats: standardvärdena gäller.",
                                        "The rules have not been changed: the defaults apply."),
    "voucher.card_rules.rule.single_cents": _m("Yksittäinen maksu ilman koodia", "En betalning utan kod",
                                               "One payment without a code"),
    "voucher.card_rules.rule.cumulative_cents": _m("Koodittomat maksut yhteensä", "Betalningar utan kod sammanlagt",
                                                   "Payments without a code together"),
    "voucher.card_rules.rule.tolerance_bp": _m("Hintajousto", "Prisflexibilitet", "Price tolerance"),
    "voucher.card_rules.rule.open_amount": _m("Vapaan summan palveluluokat", "Kategorier med fritt belopp",
                                              "Open-amount categories"),
    "event.voucher.card_rules.changed": _m("Korttimaksujen sääntöjä muutettiin", "Reglerna för kortbetalningar ändrades",
                                           "The card payment rules were changed"),
    # Checks (the page's and the import's)
    "voucher.error.percent": _m("Kirjoita prosentti numeroina, esimerkiksi 2 tai 2,5.",
                                "Skriv procenten med siffror, till exempel 2 eller 2,5.",
                                "Write the percentage in figures, e.g. 2 or 2.5."),
    "voucher.error.card_rules_amount": _m("Summan on oltava 0 tai suurempi ja enintään 10 miljardia euroa.",
                                          "Beloppet måste vara minst 0 och högst 10 miljarder euro.",
                                          "The amount must be at least 0 and at most 10 billion euros."),
    "voucher.error.cumulative_below_single": _m(
        "Yhteisraja ei voi olla pienempi kuin yksittäisen maksun raja.",
        "Den sammanlagda gränsen kan inte vara mindre än gränsen för en betalning.",
        "The limit together cannot be less than the limit for one payment."),
    "voucher.error.tolerance_range": _m("Hintajouston on oltava 0–50 % (0–5000 peruspistettä).",
                                        "Prisflexibiliteten måste vara 0–50 % (0–5000 baspunkter).",
                                        "The price tolerance must be 0–50 % (0–5000 basis points)."),
    "voucher.error.open_amount_cap": _m("Enimmäissumman on oltava suurempi kuin 0 ja enintään 10 miljardia euroa.",
                                        "Det högsta beloppet måste vara större än 0 och högst 10 miljarder euro.",
                                        "The cap must be more than 0 and at most 10 billion euros."),
    "voucher.error.duplicate_open_amount": _m("Sama palveluluokka on luettelossa kahdesti.",
                                              "Samma kategori finns två gånger i listan.",
                                              "The same category is in the list twice."),
    # A payment naming a booking (API §8)
    "voucher.error.booking_not_payable": _m(
        "Varausta ei voi maksaa tällä maksulla: sitä ei ole, se ei ole tämän kortin asiakkaan varaus tällä "
        "palveluntuottajalla, tai se on jo peruttu, riidassa tai päättynyt.",
        "Bokningen kan inte betalas med denna betalning: den finns inte, är inte denna korts klients bokning hos "
        "denna producent, eller är redan avbokad, omtvistad eller avslutad.",
        "The booking cannot be paid with this payment: there is no such booking, it is not this card's client's "
        "booking with this provider, or it is cancelled, disputed or closed already."),
}

register(MESSAGES)
