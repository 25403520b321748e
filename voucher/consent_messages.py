"""Texts of the client's consent to card payments (voucher.card_consent, /client/pay, the two
declines), in Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # Declines (voucher.domain), as the provider's terminal shows them to the client.
    "voucher.decline.client_consent_required": _m(
        "Maksu tarvitsee asiakkaan hyväksynnän: kortin PIN-koodin tai kertakoodin.",
        "Betalningen behöver klientens godkännande: kortets PIN-kod eller en engångskod.",
        "The payment needs the client's approval: the card's PIN or a one-time code."),
    "voucher.decline.wrong_client_code": _m(
        "Koodi on väärä tai ei enää voimassa. Kolmen väärän koodin jälkeen koodit estetään, kunnes asiakas "
        "asettaa uuden PIN-koodin.",
        "Koden är fel eller gäller inte längre. Efter tre felaktiga koder spärras koderna tills klienten "
        "väljer en ny PIN-kod.",
        "The code is wrong or no longer valid. After three wrong codes, codes are blocked until the client "
        "sets a new PIN."),
    # Form errors
    "voucher.error.pin_format": _m("PIN-koodissa on 4–6 numeroa.", "PIN-koden har 4–6 siffror.",
                                   "A PIN has 4 to 6 digits."),
    "voucher.error.pin_obvious": _m(
        "Valitse PIN-koodi, jota on vaikea arvata: ei samoja numeroita (0000), peräkkäisiä numeroita (1234) "
        "eikä toistuvaa kuviota (1212).",
        "Välj en PIN-kod som är svår att gissa: inte samma siffra (0000), siffror i följd (1234) eller ett "
        "upprepat mönster (1212).",
        "Choose a PIN that is hard to guess: not one digit repeated (0000), digits in a row (1234) or a "
        "repeating pattern (1212)."),
    "voucher.error.pin_mismatch": _m("PIN-koodit eivät ole samat. Kirjoita sama koodi kahdesti.",
                                     "PIN-koderna är inte lika. Skriv samma kod två gånger.",
                                     "The PINs are not the same. Type the same PIN twice."),
    "voucher.error.no_card": _m("Asiakkaalla ei ole käytössä olevaa HB-korttia.", "Klienten har inget HB-kort i bruk.",
                                "The client has no HB card in use."),
    "voucher.error.consent_blocked": _m(
        "Kortin koodit on estetty. Aseta ensin uusi PIN-koodi, niin esto poistuu.",
        "Kortets koder är spärrade. Välj först en ny PIN-kod, så hävs spärren.",
        "The card's codes are blocked. Set a new PIN first to unblock them."),
    # The page
    "voucher.nav.pay": _m("Maksaminen", "Betalning", "Paying"),
    "voucher.pay.link": _m("Kortin PIN-koodi ja kertakoodit maksamiseen", "Kortets PIN-kod och engångskoder för betalning",
                           "The card's PIN and one-time codes for paying"),
    "voucher.pay.title": _m("Maksaminen HB-kortilla", "Betala med HB-kortet", "Paying with the HB card"),
    "voucher.pay.title_proxy": _m("Asiakkaan maksut HB-kortilla", "Klientens betalningar med HB-kortet",
                                  "The client's HB card payments"),
    "voucher.pay.intro": _m(
        "Kun maksat HB-kortilla palvelusta, jota et ole varannut, palveluntuottaja kysyy koodia: kortin "
        "PIN-koodia tai kertakoodia. Näin kukaan ei voi käyttää budjettiasi ilman lupaasi.",
        "När du betalar med HB-kortet för en tjänst som du inte har bokat frågar tjänsteproducenten efter en "
        "kod: kortets PIN-kod eller en engångskod. Så kan ingen använda din budget utan ditt lov.",
        "When you pay with the HB card for a service you have not booked, the provider asks for a code: the "
        "card's PIN or a one-time code. That way nobody can use your budget without your say."),
    "voucher.pay.intro_proxy": _m(
        "Asiakas on antanut sinulle oikeuden hyväksyä maksuja. Voit asettaa kortin PIN-koodin ja luoda "
        "kertakoodeja asiakkaan puolesta.",
        "Klienten har gett dig rätt att godkänna betalningar. Du kan välja kortets PIN-kod och skapa "
        "engångskoder för klientens räkning.",
        "The client has let you approve payments. You can set the card's PIN and make one-time codes on the "
        "client's behalf."),
    "voucher.pay.choose": _m("Kenen maksuja haluat hoitaa?", "Vems betalningar vill du sköta?",
                             "Whose payments do you want to handle?"),
    "voucher.pay.nobody": _m(
        "Kukaan asiakas ei ole antanut sinulle oikeutta hyväksyä maksuja. Asiakas voi antaa sen "
        "valtuutussivullaan.",
        "Ingen klient har gett dig rätt att godkänna betalningar. Klienten kan ge den på sin sida för ombud.",
        "No client has let you approve payments. The client can do so on their proxies page."),
    "voucher.pay.no_card": _m("Sinulla ei ole käytössä olevaa HB-korttia. Kortin myöntää asiakasohjaaja.",
                              "Du har inget HB-kort i bruk. Klienthandledaren beviljar kortet.",
                              "You have no HB card in use. Your counsellor issues the card."),
    "voucher.pay.pin_h": _m("Kortin PIN-koodi", "Kortets PIN-kod", "The card's PIN"),
    "voucher.pay.pin_none": _m(
        "Kortilla ei ole vielä PIN-koodia. Siihen asti yli {single} maksut hyväksytään kertakoodilla.",
        "Kortet har ännu ingen PIN-kod. Tills vidare godkänns betalningar över {single} med en engångskod.",
        "The card has no PIN yet. Until it has, payments over {single} are approved with a one-time code."),
    "voucher.pay.pin_since": _m("PIN-koodi on asetettu {date}. Voit vaihtaa sen milloin tahansa.",
                                "PIN-koden valdes {date}. Du kan byta den när som helst.",
                                "The PIN was set on {date}. You can change it at any time."),
    "voucher.pay.blocked": _m(
        "Kortin koodit on estetty, koska PIN-koodi tai kertakoodi annettiin väärin kolme kertaa. Maksut, "
        "joihin tarvitaan koodi, hylätään. Aseta alla uusi PIN-koodi, niin esto poistuu heti.",
        "Kortets koder är spärrade, eftersom PIN-koden eller en engångskod angavs fel tre gånger. Betalningar "
        "som kräver en kod avvisas. Välj en ny PIN-kod nedan, så hävs spärren genast.",
        "The card's codes are blocked because a PIN or one-time code was typed wrong three times. Payments "
        "that need a code are declined. Set a new PIN below and the block ends at once."),
    "voucher.pay.pin": _m("Uusi PIN-koodi", "Ny PIN-kod", "New PIN"),
    "voucher.pay.pin_hint": _m("4–6 numeroa. Älä käytä helposti arvattavaa koodia, kuten 1234 tai 0000.",
                               "4–6 siffror. Använd inte en kod som är lätt att gissa, som 1234 eller 0000.",
                               "4 to 6 digits. Do not use one that is easy to guess, such as 1234 or 0000."),
    "voucher.pay.pin_again": _m("PIN-koodi uudelleen", "PIN-koden igen", "The PIN again"),
    "voucher.pay.save_pin": _m("Tallenna PIN-koodi", "Spara PIN-koden", "Save the PIN"),
    "voucher.pay.pin_saved": _m("PIN-koodi on tallennettu. Kortin koodit toimivat.",
                                "PIN-koden har sparats. Kortets koder fungerar.",
                                "The PIN is saved. The card's codes work."),
    "voucher.pay.code_h": _m("Kertakoodi", "Engångskod", "One-time code"),
    "voucher.pay.code_intro": _m(
        "Kertakoodilla hyväksyt yhden maksun. Valitse, kuinka suuri maksu saa enintään olla. Koodi on "
        "voimassa {minutes} minuuttia.",
        "Med en engångskod godkänner du en betalning. Välj hur stor betalningen högst får vara. Koden gäller "
        "i {minutes} minuter.",
        "A one-time code approves one payment. Choose how large the payment may be at most. The code is "
        "valid for {minutes} minutes."),
    "voucher.pay.ceiling": _m("Maksu enintään (euroa)", "Betalning högst (euro)", "Payment at most (euros)"),
    "voucher.pay.ceiling_hint": _m("Esimerkiksi 75 tai 42,50", "Till exempel 75 eller 42,50", "For example 75 or 42.50"),
    "voucher.pay.make_code": _m("Luo kertakoodi", "Skapa en engångskod", "Make a one-time code"),
    "voucher.pay.your_code": _m("Kertakoodisi", "Din engångskod", "Your one-time code"),
    "voucher.pay.code_ceiling": _m("Maksu enintään {amount}", "Betalning högst {amount}", "Payment at most {amount}"),
    "voucher.pay.code_until": _m("Voimassa klo {time} asti", "Gäller till kl. {time}", "Valid until {time}"),
    "voucher.pay.code_use": _m(
        "Näytä koodi palveluntuottajalle maksun yhteydessä. Koodi toimii yhden kerran, vain sinun kortillasi.",
        "Visa koden för tjänsteproducenten när du betalar. Koden fungerar en gång, bara med ditt kort.",
        "Show the code to the provider when you pay. It works once, and only with your card."),
    "voucher.pay.code_use_proxy": _m(
        "Anna koodi asiakkaalle tai palveluntuottajalle maksun yhteydessä. Koodi toimii yhden kerran, vain "
        "asiakkaan kortilla.",
        "Ge koden till klienten eller tjänsteproducenten vid betalningen. Koden fungerar en gång, bara med "
        "klientens kort.",
        "Give the code to the client or the provider when paying. It works once, and only with the client's card."),
    "voucher.pay.live_codes": _m("Voimassa olevat kertakoodit", "Engångskoder som gäller", "One-time codes still valid"),
    "voucher.pay.live_code": _m("enintään {amount}, klo {time} asti", "högst {amount}, till kl. {time}",
                                "at most {amount}, until {time}"),
    "voucher.pay.exempt_h": _m("Pienet maksut ilman koodia", "Små betalningar utan kod", "Small payments without a code"),
    "voucher.pay.exempt": _m(
        "Hyvinvointialueesi sallii enintään {single} maksut ilman koodia, kunnes niitä on yhteensä {cumulative} "
        "edellisen koodilla hyväksytyn maksun jälkeen. Nyt ilman koodia on maksettu {used}.",
        "Ditt välfärdsområde tillåter betalningar på högst {single} utan kod, tills de sammanlagt uppgår till "
        "{cumulative} efter den senaste betalningen som godkändes med kod. Hittills har {used} betalats utan kod.",
        "Your wellbeing services county allows payments of up to {single} without a code, until they add up to "
        "{cumulative} since the last payment approved with a code. So far {used} has been paid without one."),
    "voucher.pay.exempt_no_total": _m(
        "Hyvinvointialueesi sallii enintään {single} maksut ilman koodia.",
        "Ditt välfärdsområde tillåter betalningar på högst {single} utan kod.",
        "Your wellbeing services county allows payments of up to {single} without a code."),
    "voucher.pay.bookings_free": _m(
        "Varatut palvelut maksetaan varauksen kautta ilman koodia: hyväksyit ne jo varatessasi.",
        "Bokade tjänster betalas via bokningen utan kod: du godkände dem redan när du bokade.",
        "Booked services are paid through the booking without a code: you approved them when you booked."),
    # The audit log's words
    "event.voucher.card.pin_set": _m("Kortin PIN-koodi asetettiin", "Kortets PIN-kod valdes", "The card's PIN was set"),
    "event.voucher.card.pin_changed": _m("Kortin PIN-koodi vaihdettiin", "Kortets PIN-kod byttes",
                                         "The card's PIN was changed"),
    "event.voucher.card.consent_blocked": _m("Kortin koodit estettiin kolmen väärän yrityksen jälkeen",
                                             "Kortets koder spärrades efter tre felaktiga försök",
                                             "The card's codes were blocked after three wrong tries"),
    "event.voucher.client_code.made": _m("Kertakoodi luotiin", "En engångskod skapades", "A one-time code was made"),
}

register(MESSAGES)
