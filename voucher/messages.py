"""Voucher messages in Finnish, Swedish and English (registered in core.i18n's catalogue)."""

from core.i18n import register

DECLINES = {
    "voucher.decline.card_inactive": {
        "fi": "Kortti ei ole käytössä. Ota yhteyttä asiakasohjaajaasi.",
        "sv": "Kortet är inte i bruk. Kontakta din klienthandledare.",
        "en": "The card is not active. Please contact your counsellor.",
    },
    "voucher.decline.outside_validity_period": {
        "fi": "Budjettipäätös ei ole voimassa tänään.",
        "sv": "Budgetbeslutet gäller inte i dag.",
        "en": "Your budget decision is not valid today.",
    },
    "voucher.decline.provider_not_approved": {
        "fi": "Tämä palveluntuottaja ei ole hyväksytty hyvinvointialueellasi.",
        "sv": "Denna tjänsteproducent är inte godkänd i ditt välfärdsområde.",
        "en": "This provider is not approved by your wellbeing services county.",
    },
    "voucher.decline.listing_not_approved": {
        "fi": "Tätä palvelua ei ole hyväksytty hyvinvointialueellasi.",
        "sv": "Denna tjänst är inte godkänd i ditt välfärdsområde.",
        "en": "This service is not approved by your wellbeing services county.",
    },
    "voucher.decline.category_not_in_plan": {
        "fi": "Budjettisi ei kata tätä palvelutyyppiä.",
        "sv": "Din budget omfattar inte denna typ av tjänst.",
        "en": "Your budget does not cover this kind of service.",
    },
    "voucher.decline.over_transaction_limit": {
        "fi": "Summa ylittää kortin kertaostorajan.",
        "sv": "Beloppet överstiger kortets gräns per köp.",
        "en": "The amount is over the card's limit per purchase.",
    },
    "voucher.decline.over_daily_limit": {
        "fi": "Summa ylittää kortin päivärajan.",
        "sv": "Beloppet överstiger kortets dagsgräns.",
        "en": "The amount is over the card's daily limit.",
    },
    "voucher.decline.proxy_is_provider_staff": {
        "fi": "Et voi varata asiakkaan puolesta palveluntuottajalta, jonka palveluksessa olet itse.",
        "sv": "Du kan inte boka för klienten hos en tjänsteproducent som du själv arbetar för.",
        "en": "You cannot book for the client with a provider you work for yourself.",
    },
    "voucher.decline.listing_required": {
        "fi": "Maksulle tarvitaan palvelu tai varaus: tämän palveluluokan maksua ei voi tehdä vapaalla summalla.",
        "sv": "Betalningen behöver en tjänst eller en bokning: i denna kategori kan man inte betala ett fritt belopp.",
        "en": "This payment needs a listing or a booking: this kind of service cannot be paid as an open amount.",
    },
    "voucher.decline.over_listing_price": {
        "fi": "Summa on suurempi kuin palvelun hinta (tai hyvinvointialueen enimmäissumma tälle maksulle).",
        "sv": "Beloppet är större än tjänstens pris (eller välfärdsområdets högsta belopp för denna betalning).",
        "en": "The amount is more than the service's price (or the county's maximum for this payment).",
    },
    # Also helper A1's (consent): the same key and code; the lead keeps one text.
    "voucher.decline.client_consent_required": {
        "fi": "Maksu tarvitsee asiakkaan hyväksynnän: kortin PIN-koodin tai kertakoodin.",
        "sv": "Betalningen behöver klientens godkännande: kortets PIN-kod eller en engångskod.",
        "en": "This payment needs the client's consent: the card's PIN or a one-time code.",
    },
    "voucher.decline.insufficient_funds": {
        "fi": "Budjetissasi ei ole tähän riittävästi rahaa.",
        "sv": "Det finns inte tillräckligt med pengar i din budget för detta.",
        "en": "There is not enough money left in your budget for this.",
    },
}

ERRORS = {
    "voucher.error.idempotency_key_reused": {
        "fi": "Idempotency-Key on jo käytetty toisenlaisen pyynnön kanssa.",
        "sv": "Idempotency-Key har redan använts med en annan begäran.",
        "en": "This Idempotency-Key was already used with a different request.",
    },
    "voucher.error.not_capturable": {
        "fi": "Katevarausta ei voi enää veloittaa (se on jo veloitettu, peruttu tai vanhentunut).",
        "sv": "Reservationen kan inte längre debiteras (redan debiterad, annullerad eller utgången).",
        "en": "The hold can no longer be captured (already captured, voided or expired).",
    },
    "voucher.error.not_voidable": {
        "fi": "Katevarausta ei voi enää perua.",
        "sv": "Reservationen kan inte längre annulleras.",
        "en": "The hold can no longer be voided.",
    },
    "voucher.error.card_network_hold": {
        "fi": "Tämä katevaraus on korttimaksu, jonka korttiverkko veloittaa tai vapauttaa itse. Sitä ei voi "
              "veloittaa eikä perua täällä.",
        "sv": "Denna reservation är en kortbetalning som kortnätverket själv debiterar eller frigör. Den kan "
              "inte debiteras eller annulleras här.",
        "en": "This hold is a card payment that the card network captures or releases itself. It cannot be "
              "captured or voided here.",
    },
    "voucher.error.booking_hold": {
        "fi": "Tämä katevaraus kuuluu varaukseen. Se veloitetaan tai vapautetaan vain varauksen omilla "
              "toiminnoilla: hylkäys, peruutus, saapumatta jääminen, asiakkaan hyväksyntä tai "
              "järjestäjän ratkaisu riitaan.",
        "sv": "Denna reservation hör till en bokning. Den debiteras eller frigörs bara genom bokningens "
              "egna åtgärder: avböjande, avbokning, uteblivet besök, kundens godkännande eller "
              "anordnarens beslut i en tvist.",
        "en": "This hold belongs to a booking. It is captured or released only through the booking's own "
              "actions: decline, cancel, no-show, the client's acceptance or the organiser's decision on "
              "a dispute.",
    },
    "voucher.error.capture_over_authorised": {
        "fi": "Veloitus voi olla enintään katevarauksen suuruinen ({max} senttiä).",
        "sv": "Debiteringen får vara högst reservationens belopp ({max} cent).",
        "en": "A capture may be at most the authorised amount ({max} cents).",
    },
    "voucher.error.refund_over_captured": {
        "fi": "Hyvitys voi olla enintään {max} senttiä.",
        "sv": "Återbetalningen får vara högst {max} cent.",
        "en": "A refund may be at most {max} cents.",
    },
    "voucher.error.provider_required": {
        "fi": "Kerro palveluntuottaja (provider_id) tai palvelu (listing_id).",
        "sv": "Ange tjänsteproducent (provider_id) eller tjänst (listing_id).",
        "en": "Name the provider (provider_id) or the listing (listing_id).",
    },
    "voucher.error.negative_amount": {
        "fi": "Summa ei voi olla negatiivinen.",
        "sv": "Beloppet kan inte vara negativt.",
        "en": "The amount cannot be negative.",
    },
    "voucher.error.amount_too_large": {
        "fi": "Summa on suurempi kuin yksikään alustan summa voi olla (10 miljardia euroa).",
        "sv": "Beloppet är större än något belopp på plattformen får vara (10 miljarder euro).",
        "en": "The amount is larger than any amount on the platform may be (10 billion euros).",
    },
    "voucher.error.unknown_category": {
        "fi": "Tuntematon palveluluokka.",
        "sv": "Okänd tjänstekategori.",
        "en": "Unknown service category.",
    },
    "voucher.error.may_fund_own_category": {
        "fi": "Rivi ei voi rahoittaa omaa luokkaansa vaihtona.",
        "sv": "En rad kan inte finansiera sin egen kategori som byte.",
        "en": "A line cannot list its own category in may_fund.",
    },
    "voucher.error.swap_cap_out_of_range": {
        "fi": "Vaihtokaton on oltava 0 ja rivin summan välillä.",
        "sv": "Bytestaket måste ligga mellan 0 och radens belopp.",
        "en": "The swap cap must be between 0 and the line's amount.",
    },
    "voucher.error.end_before_start": {
        "fi": "Päättymispäivä on ennen alkamispäivää.",
        "sv": "Slutdatumet är före startdatumet.",
        "en": "The end date is before the start date.",
    },
    "voucher.error.duplicate_line": {
        "fi": "Samalle palveluluokalle on jo rivi.",
        "sv": "Det finns redan en rad för samma kategori.",
        "en": "There is already a line for this category.",
    },
    "voucher.error.grant_below_used": {
        "fi": "Rivin summa ei voi olla pienempi kuin jo varattu ja käytetty raha.",
        "sv": "Radens belopp kan inte vara mindre än det som redan är reserverat och använt.",
        "en": "A line cannot be granted less than is already held and spent on it.",
    },
    "voucher.error.line_in_use": {
        "fi": "Riviä, jolla on varauksia tai veloituksia, ei voi poistaa.",
        "sv": "En rad med reservationer eller debiteringar kan inte tas bort.",
        "en": "A line with holds or captures cannot be removed.",
    },
    "voucher.error.reason_required": {
        "fi": "Kirjaa muutoksen peruste.",
        "sv": "Ange orsaken till ändringen.",
        "en": "Give the reason for the change.",
    },
    "voucher.error.card_closed": {
        "fi": "Kortti on suljettu.",
        "sv": "Kortet är stängt.",
        "en": "The card is closed.",
    },
    "voucher.error.unknown_ref": {
        "fi": "Tuntematon viite: {ref}.",
        "sv": "Okänd referens: {ref}.",
        "en": "Unknown reference: {ref}.",
    },
    "voucher.error.token_in_use": {
        "fi": "Korttitunniste on jo toisen kortin käytössä.",
        "sv": "Kortkoden används redan av ett annat kort.",
        "en": "This card token belongs to another card.",
    },
    "voucher.error.pseudonym_national_id": {
        "fi": "Nimimerkissä on henkilötunnus. Käytä nimimerkkiä, josta asiakasta ei tunnista (esim. Asiakas 0042).",
        "sv": "Pseudonymen innehåller en personbeteckning. Använd en pseudonym som inte identifierar klienten (t.ex. Klient 0042).",
        "en": "The pseudonym contains a personal identity code. Use a pseudonym that does not identify the client (e.g. Client 0042).",
    },
    "voucher.error.national_id_in_use": {
        "fi": "Henkilötunnuksella on jo asiakas tällä hyvinvointialueella.",
        "sv": "Personbeteckningen har redan en klient i detta välfärdsområde.",
        "en": "This wellbeing services county already has a client with this identity number.",
    },
    "voucher.error.bad_signature": {
        "fi": "Stripe-allekirjoitus ei kelpaa tai on vanhentunut.",
        "sv": "Stripe-signaturen är ogiltig eller för gammal.",
        "en": "The Stripe signature is invalid or too old.",
    },
    "voucher.error.gas_range": {
        "fi": "GAS-arvion on oltava −2…+2.",
        "sv": "GAS-bedömningen måste vara −2…+2.",
        "en": "A GAS score must be between −2 and +2.",
    },
    "voucher.error.language": {
        "fi": "Kielen on oltava fi, sv tai en.",
        "sv": "Språket måste vara fi, sv eller en.",
        "en": "The language must be fi, sv or en.",
    },
}

PAGES = {
    "voucher.nav.clients": {"fi": "Asiakkaat", "sv": "Klienter", "en": "Clients"},
    "voucher.nav.budget": {"fi": "Oma budjetti", "sv": "Min budget", "en": "My budget"},
    "voucher.nav.client_budget": {"fi": "Asiakkaan budjetti", "sv": "Klientens budget", "en": "The client's budget"},
    "voucher.budget.title_proxy": {"fi": "Asiakkaan budjetti", "sv": "Klientens budget", "en": "The client's budget"},
    "voucher.budget.intro_proxy": {"fi": "Budjetti, jonka käytössä asiakas on antanut sinulle oikeuksia. Summat ovat ajantasaisia.",
                                   "sv": "Budgeten som klienten har gett dig rätt att följa. Beloppen är aktuella.",
                                   "en": "The budget the client has given you rights to follow. The amounts are up to date."},
    "voucher.budget.choose": {"fi": "Kenen budjetin haluat nähdä?", "sv": "Vems budget vill du se?", "en": "Whose budget do you want to see?"},
    "voucher.budget.nobody": {"fi": "Kukaan asiakas ei ole antanut sinulle oikeutta nähdä budjettiaan. Asiakas tai hänen ohjaajansa voi antaa sen.",
                              "sv": "Ingen klient har gett dig rätt att se sin budget. Klienten eller hens handledare kan ge den.",
                              "en": "No client has given you the right to see their budget. The client or their counsellor can give it."},
    "voucher.budget.follow_up_proxy": {"fi": "Budjetin käyttö kuvaajina ja tavoitteet", "sv": "Budgetens användning i diagram och målen",
                                       "en": "The budget's use in charts, and the goals"},
    "voucher.clients.title": {"fi": "Asiakkaani", "sv": "Mina klienter", "en": "My clients"},
    "voucher.clients.new": {"fi": "Uusi asiakas", "sv": "Ny klient", "en": "New client"},
    "voucher.client.display_name": {"fi": "Tunnistenimi (ei oikea nimi)", "sv": "Pseudonym (inte riktigt namn)", "en": "Pseudonym (not the real name)"},
    "voucher.client.group": {"fi": "Asiakasryhmä", "sv": "Klientgrupp", "en": "Client group"},
    "voucher.client.municipality": {"fi": "Kotikunta", "sv": "Hemkommun", "en": "Home municipality"},
    "voucher.client.national_id": {"fi": "Henkilötunnus", "sv": "Personbeteckning", "en": "Personal identity code"},
    "voucher.client.national_id_hint": {
        "fi": "Vapaaehtoinen. Tallennetaan vain avainnettuna tiivisteenä: asiakas voi ottaa kutsun vastaan "
              "vahvalla tunnistautumisella, eikä tunnusta näytetä enää.",
        "sv": "Frivilligt. Sparas endast som en nyckelhash: klienten kan ta emot inbjudan med stark "
              "identifiering, och beteckningen visas inte igen.",
        "en": "Optional. Kept only as a keyed hash: the client can accept an invitation with a strong e-ID, "
              "and the code is never shown again.",
    },
    "voucher.client.language": {"fi": "Asiointikieli", "sv": "Språk", "en": "Language"},
    "voucher.budget.title": {"fi": "Budjetti", "sv": "Budget", "en": "Budget"},
    "voucher.budget.period": {"fi": "Päätöksen voimassaolo", "sv": "Beslutets giltighetstid", "en": "Decision valid"},
    "voucher.budget.category": {"fi": "Palveluluokka", "sv": "Tjänstekategori", "en": "Service category"},
    "voucher.budget.granted": {"fi": "Myönnetty", "sv": "Beviljat", "en": "Granted"},
    "voucher.budget.held": {"fi": "Varattu", "sv": "Reserverat", "en": "Held"},
    "voucher.budget.spent": {"fi": "Käytetty", "sv": "Använt", "en": "Spent"},
    "voucher.budget.available": {"fi": "Käytettävissä", "sv": "Tillgängligt", "en": "Available"},
    "voucher.budget.totals": {"fi": "Yhteensä", "sv": "Totalt", "en": "In total"},
    "voucher.budget.held_means": {
        "fi": "Varattu raha on varattu jo tilattuihin palveluihin: se veloitetaan, kun palvelu on toteutunut, ja palautuu "
              "käytettäväksi, jos varaus perutaan.",
        "sv": "Reserverade pengar är reserverade för redan beställda tjänster: de debiteras när tjänsten har utförts och "
              "blir tillgängliga igen om bokningen avbokas.",
        "en": "Held money is set aside for services already booked: it is charged once the service has taken place, and "
              "becomes available again if the booking is cancelled."},
    "voucher.budget.what_pays_h": {"fi": "Mihin rivien rahaa voi käyttää", "sv": "Vad radernas pengar kan användas till",
                                   "en": "What each line's money can pay for"},
    "voucher.budget.may_fund": {"fi": "{line}: myös palveluluokat {others}.", "sv": "{line}: även kategorierna {others}.",
                                "en": "{line}: also the categories {others}."},
    "voucher.budget.swap_cap_means": {
        "fi": "Niihin voi käyttää tältä riviltä enintään {cap} — siksi palvelun sivulla voi näkyä tätä pienempi summa kuin rivillä.",
        "sv": "Till dem kan högst {cap} av denna rad användas — därför kan tjänstens sida visa ett mindre belopp än raden.",
        "en": "At most {cap} of this line can go to them — which is why a service's page may show less than the line."},
    "voucher.budget.total_available": {"fi": "Käytettävissä yhteensä", "sv": "Tillgängligt totalt", "en": "Available in total"},
    "voucher.clients.filter": {"fi": "Rajaa asiakkaita", "sv": "Avgränsa klienter", "en": "Filter clients"},
    "voucher.clients.search": {"fi": "Nimimerkki tai viite", "sv": "Pseudonym eller referens", "en": "Pseudonym or reference"},
    "voucher.clients.count.one": {"fi": "{count} asiakas", "sv": "{count} klient", "en": "{count} client"},
    "voucher.clients.count": {"fi": "{count} asiakasta", "sv": "{count} klienter", "en": "{count} clients"},
    "voucher.budget.follow_up": {"fi": "Budjetin käyttö kuvaajina ja tavoitteesi", "sv": "Budgetens användning i diagram och dina mål",
                                 "en": "Your budget's use in charts, and your goals"},
    "voucher.budget.none": {"fi": "Voimassa olevaa budjettipäätöstä ei ole.", "sv": "Det finns inget gällande budgetbeslut.", "en": "There is no budget decision in force."},
    "voucher.budget.used_column": {"fi": "Käytetty tai varattu", "sv": "Använt eller reserverat", "en": "Spent or held"},
    "voucher.budget.used_share": {"fi": "{pct} % käytetty tai varattu", "sv": "{pct} % använt eller reserverat", "en": "{pct}% spent or held"},
    "event.voucher.decision.created": {"fi": "Päätös tehtiin", "sv": "Beslutet fattades", "en": "The decision was made"},
    "event.voucher.decision.changed": {"fi": "Päätöstä muutettiin", "sv": "Beslutet ändrades", "en": "The decision was changed"},
    "voucher.decision.title": {"fi": "Budjettipäätös", "sv": "Budgetbeslut", "en": "Budget decision"},
    "voucher.decision.new": {"fi": "Uusi budjettipäätös", "sv": "Nytt budgetbeslut", "en": "New budget decision"},
    "voucher.decision.edit": {"fi": "Muuta päätöstä", "sv": "Ändra beslutet", "en": "Change the decision"},
    "voucher.decision.start": {"fi": "Alkaa", "sv": "Börjar", "en": "Starts"},
    "voucher.decision.end": {"fi": "Päättyy", "sv": "Slutar", "en": "Ends"},
    "voucher.decision.lines_hint": {
        "fi": "Yksi rivi kullekin palveluluokalle: luokka, summa euroina koko kaudelle, muut luokat joihin rahaa saa vaihtaa, vaihtokatto euroina.",
        "sv": "En rad per tjänstekategori: kategori, belopp i euro för hela perioden, andra kategorier pengarna får bytas till, bytestak i euro.",
        "en": "One line per service category: category, amount in euros for the whole period, other categories the money may be swapped to, swap cap in euros.",
    },
    "voucher.decision.may_fund": {"fi": "Saa vaihtaa luokkiin", "sv": "Får bytas till", "en": "May be swapped to"},
    "voucher.decision.swap_cap": {"fi": "Vaihtokatto (€)", "sv": "Bytestak (€)", "en": "Swap cap (€)"},
    "voucher.decision.amount": {"fi": "Summa (€)", "sv": "Belopp (€)", "en": "Amount (€)"},
    "voucher.decision.reason": {"fi": "Muutoksen peruste", "sv": "Orsak till ändringen", "en": "Reason for the change"},
    "voucher.decision.history": {"fi": "Muutoshistoria", "sv": "Ändringshistorik", "en": "History of changes"},
    "voucher.decision.saved": {"fi": "Päätös tallennettu.", "sv": "Beslutet har sparats.", "en": "The decision was saved."},
    "voucher.history.who": {"fi": "Kuka", "sv": "Vem", "en": "Who"},
    "voucher.history.when": {"fi": "Milloin", "sv": "När", "en": "When"},
    "voucher.history.what": {"fi": "Mitä", "sv": "Vad", "en": "What"},
    "voucher.history.why": {"fi": "Miksi", "sv": "Varför", "en": "Why"},
    "voucher.cards.title": {"fi": "HB-kortit", "sv": "PB-kort", "en": "HB cards"},
    "voucher.cards.issue": {"fi": "Myönnä uusi kortti", "sv": "Utfärda nytt kort", "en": "Issue a new card"},
    "voucher.cards.issued": {
        "fi": "Uusi kortti. Tunniste ja QR-koodi näytetään vain tämän kerran: tulosta tai anna ne asiakkaalle nyt.",
        "sv": "Nytt kort. Koden och QR-koden visas bara nu: skriv ut eller ge dem till klienten nu.",
        "en": "New card. The token and QR code are shown only this once: print them or hand them to the client now.",
    },
    "voucher.cards.qr": {"fi": "Kortin QR-koodi", "sv": "Kortets QR-kod", "en": "The card's QR code"},
    "voucher.cards.freeze": {"fi": "Jäädytä", "sv": "Frys", "en": "Freeze"},
    "voucher.cards.unfreeze": {"fi": "Palauta käyttöön", "sv": "Återaktivera", "en": "Unfreeze"},
    "voucher.cards.replace": {"fi": "Korvaa uudella", "sv": "Ersätt med nytt", "en": "Replace"},
    "voucher.cards.per_transaction": {"fi": "Kertaostoraja (€)", "sv": "Gräns per köp (€)", "en": "Limit per purchase (€)"},
    "voucher.cards.daily": {"fi": "Päiväraja (€)", "sv": "Dagsgräns (€)", "en": "Daily limit (€)"},
    "voucher.cards.none": {"fi": "Ei kortteja.", "sv": "Inga kort.", "en": "No cards."},
    "voucher.card.status.active": {"fi": "Käytössä", "sv": "Aktivt", "en": "Active"},
    "voucher.card.status.frozen": {"fi": "Jäädytetty", "sv": "Fryst", "en": "Frozen"},
    "voucher.card.status.closed": {"fi": "Suljettu", "sv": "Stängt", "en": "Closed"},
    "voucher.card.ending": {"fi": "Tunnisteen loppu: {hint}", "sv": "Kodens slut: {hint}", "en": "Token ends: {hint}"},
}

GROUPS = {
    "voucher.group.disability_services": {"fi": "Vammaispalvelut", "sv": "Handikappservice", "en": "Disability services"},
    "voucher.group.family_carers": {"fi": "Omaishoitajat", "sv": "Närståendevårdare", "en": "Family carers"},
    "voucher.group.older_people": {"fi": "Ikäihmiset", "sv": "Äldre", "en": "Older people"},
    "voucher.group.families": {"fi": "Perheet", "sv": "Familjer", "en": "Families"},
    "voucher.group.young_adults": {"fi": "Nuoret aikuiset", "sv": "Unga vuxna", "en": "Young adults"},
    "voucher.group.other": {"fi": "Muu", "sv": "Annan", "en": "Other"},
    "voucher.lang.fi": {"fi": "suomi", "sv": "finska", "en": "Finnish"},
    "voucher.lang.sv": {"fi": "ruotsi", "sv": "svenska", "en": "Swedish"},
    "voucher.lang.en": {"fi": "englanti", "sv": "engelska", "en": "English"},
    "voucher.error.euros": {
        "fi": "Kirjoita summa euroina, esimerkiksi 1234,50.",
        "sv": "Skriv beloppet i euro, till exempel 1234,50.",
        "en": "Write the amount in euros, for example 1234.50.",
    },
    "voucher.error.date": {
        "fi": "Kirjoita päivämäärä muodossa VVVV-KK-PP.",
        "sv": "Skriv datumet som ÅÅÅÅ-MM-DD.",
        "en": "Write the date as YYYY-MM-DD.",
    },
    "voucher.client.open": {"fi": "Avaa asiakkaan tiedot", "sv": "Öppna klientens uppgifter", "en": "Open the client"},
    "voucher.client.create": {"fi": "Lisää asiakas", "sv": "Lägg till klient", "en": "Add client"},
    "voucher.client.pseudonym_hint": {
        "fi": "Älä kirjoita oikeaa nimeä tai henkilötunnusta.",
        "sv": "Skriv inte det riktiga namnet eller personbeteckningen.",
        "en": "Do not write the real name or the personal identity code.",
    },
    "voucher.decision.lines": {"fi": "Budjettirivit", "sv": "Budgetrader", "en": "Budget lines"},
    "voucher.decision.status": {"fi": "Päätöksen tila", "sv": "Beslutets status", "en": "Status of the decision"},
    "voucher.decision.status.active": {"fi": "Voimassa", "sv": "Gällande", "en": "In force"},
    "voucher.decision.status.revoked": {"fi": "Peruttu", "sv": "Återkallat", "en": "Revoked"},
    "voucher.decision.row": {"fi": "Rivi {n}", "sv": "Rad {n}", "en": "Line {n}"},
    "voucher.decision.no_category": {"fi": "(ei käytössä)", "sv": "(används inte)", "en": "(not used)"},
    "voucher.decision.none": {"fi": "Ei budjettipäätöksiä.", "sv": "Inga budgetbeslut.", "en": "No budget decisions."},
    "voucher.cards.back": {"fi": "Takaisin asiakkaan tietoihin", "sv": "Tillbaka till klienten", "en": "Back to the client"},
    "voucher.cards.token": {"fi": "Kortin tunniste", "sv": "Kortets kod", "en": "Card token"},
    "voucher.cards.reason": {"fi": "Peruste (kirjataan lokiin)", "sv": "Orsak (loggas)", "en": "Reason (logged)"},
    "voucher.cards.limits_hint": {
        "fi": "Jätä tyhjäksi, jos rajaa ei ole.",
        "sv": "Lämna tomt om det inte finns någon gräns.",
        "en": "Leave empty for no limit.",
    },
    "voucher.cards.no_limit": {"fi": "ei rajaa", "sv": "ingen gräns", "en": "no limit"},
    "voucher.budget.intro": {
        "fi": "Tässä näet, paljonko rahaa budjetissasi on nyt käytettävissä. Varattu raha on varattu jo tilattuihin palveluihin.",
        "sv": "Här ser du hur mycket pengar som finns tillgängligt i din budget nu. Reserverade pengar är bundna till redan beställda tjänster.",
        "en": "Here you see how much money is available in your budget right now. Held money is set aside for services already booked.",
    },
    "voucher.plan.title": {"fi": "Asiakassuunnitelma ja omat tavoitteet", "sv": "Klientplan och egna mål", "en": "Client plan and own goals"},
    "voucher.plan.goals": {"fi": "Tavoitteet", "sv": "Mål", "en": "Goals"},
    "voucher.plan.goal": {"fi": "Tavoite", "sv": "Mål", "en": "Goal"},
    "voucher.plan.latest": {"fi": "Viimeisin GAS-arvio", "sv": "Senaste GAS-bedömning", "en": "Latest GAS score"},
    "voucher.plan.history": {"fi": "Arviot", "sv": "Bedömningar", "en": "Scores"},
    "voucher.plan.score": {"fi": "Uusi arvio (−2…+2)", "sv": "Ny bedömning (−2…+2)", "en": "New score (−2…+2)"},
    "voucher.plan.save_score": {"fi": "Tallenna arvio", "sv": "Spara bedömning", "en": "Save score"},
    "voucher.plan.no_goals": {"fi": "Tavoitteita ei ole vielä kirjattu.", "sv": "Inga mål har antecknats ännu.", "en": "No goals yet."},
    "voucher.plan.new_goal": {"fi": "Uusi tavoite", "sv": "Nytt mål", "en": "New goal"},
    "voucher.plan.new_goal_hint": {
        "fi": "Asiakkaan omin sanoin, esimerkiksi ”käyn ratsastamassa kerran viikossa”.",
        "sv": "Med klientens egna ord, till exempel ”jag rider en gång i veckan”.",
        "en": "In the client's own words, for example “I go riding once a week”.",
    },
    "voucher.plan.add_goal": {"fi": "Lisää tavoite", "sv": "Lägg till mål", "en": "Add goal"},
    # Caseloads (voucher.caseload)
    "voucher.caseload.scope": {"fi": "Näytä", "sv": "Visa", "en": "Show"},
    "voucher.caseload.scope.mine": {"fi": "Omat asiakkaani", "sv": "Mina klienter", "en": "My clients"},
    "voucher.caseload.scope.unassigned": {"fi": "Asiakkaat ilman ohjaajaa", "sv": "Klienter utan handledare",
                                          "en": "Clients with no counsellor"},
    "voucher.caseload.scope.county": {"fi": "Kaikki alueen asiakkaat", "sv": "Alla klienter i området",
                                      "en": "All the county's clients"},
    "voucher.caseload.counsellor": {"fi": "Asiakasohjaaja", "sv": "Klienthandledare", "en": "Counsellor"},
    "voucher.caseload.nobody": {"fi": "ei ohjaajaa", "sv": "ingen handledare", "en": "no counsellor"},
    "voucher.caseload.nobody_long": {
        "fi": "Asiakkaalla ei ole vielä asiakasohjaajaa.", "sv": "Klienten har ännu ingen klienthandledare.",
        "en": "The client has no counsellor yet.",
    },
    "voucher.caseload.take_on": {"fi": "Ota asiakas omaksi", "sv": "Ta över klienten", "en": "Take on this client"},
    "voucher.caseload.hand_over_to": {"fi": "Siirrä asiakasohjaajalle", "sv": "Överför till klienthandledaren",
                                      "en": "Hand over to"},
    "voucher.caseload.choose": {"fi": "Valitse ohjaaja", "sv": "Välj handledare", "en": "Choose a counsellor"},
    "voucher.caseload.reason": {"fi": "Syy (valinnainen)", "sv": "Orsak (valfritt)", "en": "Reason (optional)"},
    "voucher.caseload.hand_over": {"fi": "Siirrä asiakas", "sv": "Överför klienten", "en": "Hand over"},
    "voucher.caseload.reassign": {"fi": "Vaihda ohjaaja", "sv": "Byt handledare", "en": "Reassign"},
    "voucher.caseload.release": {"fi": "Palauta asiakas ilman ohjaajaa", "sv": "Lämna klienten utan handledare",
                                 "en": "Leave the client with no counsellor"},
    "voucher.caseload.saved": {"fi": "Asiakasohjaaja vaihdettiin.", "sv": "Klienthandledaren byttes.",
                               "en": "The counsellor was changed."},
    "voucher.error.not_a_counsellor": {
        "fi": "Valittu henkilö ei ole tämän hyvinvointialueen aktiivinen asiakasohjaaja.",
        "sv": "Den valda personen är inte en aktiv klienthandledare i detta välfärdsområde.",
        "en": "The person chosen is not an active counsellor of this wellbeing services county.",
    },
    "voucher.error.caseload_not_yours": {
        "fi": "Asiakas on toisen asiakasohjaajan. Pääkäyttäjä voi vaihtaa ohjaajan.",
        "sv": "Klienten hör till en annan klienthandledare. Huvudanvändaren kan byta handledare.",
        "en": "The client is another counsellor's. The organiser admin can reassign them.",
    },
    "voucher.error.caseload_changed": {
        "fi": "Joku muu vaihtoi juuri asiakkaan ohjaajan. Lataa sivu ja yritä uudelleen.",
        "sv": "Någon annan bytte just klientens handledare. Ladda om sidan och försök igen.",
        "en": "Someone else just changed the client's counsellor. Reload the page and try again.",
    },
    "voucher.error.import_counsellor": {
        "fi": "Sähköpostiosoite ei ole asiakkaan hyvinvointialueen aktiivisen asiakasohjaajan.",
        "sv": "E-postadressen hör inte till en aktiv klienthandledare i klientens välfärdsområde.",
        "en": "The e-mail address is not an active counsellor's of the client's wellbeing services county.",
    },
}

register(DECLINES)
register(GROUPS)
register(ERRORS)
register(PAGES)


def decline_key(code: str) -> str:
    return f"voucher.decline.{code}"
