"""Texts of card payments where the marketplace shows them: the notifications of a capture, a
dispute and its resolution (marketplace.notifications renders them), the organiser's card-payment
disputes and the provider's payments waiting for settlement. Finnish first, Swedish, English."""

from core.i18n import register
from core.i18n import texts as _m


NOTIFY = {
    "notify.open": _m("Avaa", "Öppna", "Open"),
    "notify.path_link": _m("Avaa: {link}", "Öppna: {link}", "Open: {link}"),
    "notify.title_part": _m(" ({title})", " ({title})", " ({title})"),
    "notify.client_line": _m(" Maksu koskee asiakasta {client}.", " Betalningen gäller klienten {client}.",
                             " The payment is {client}'s."),
    "notify.card_captured.subject": _m("Korttimaksu {amount}: {provider}", "Kortbetalning {amount}: {provider}",
                                       "Card payment {amount}: {provider}"),
    "notify.card_captured.body": _m(
        "Budjetista maksettiin {amount} palveluntuottajalle {provider}{title_part}.{client_line} Jos maksu ei ole "
        "oikein, sen voi riitauttaa {until} asti maksun sivulla: maksua ei silloin tilitetä palveluntuottajalle "
        "ennen kuin järjestäjä on ratkaissut asian.",
        "Från budgeten betalades {amount} till producenten {provider}{title_part}.{client_line} Om betalningen inte "
        "stämmer kan den bestridas till {until} på betalningens sida: då redovisas den inte till producenten förrän "
        "anordnaren har avgjort saken.",
        "{amount} was paid from the budget to {provider}{title_part}.{client_line} If the payment is not right, it "
        "can be disputed until {until} on the payment's page: the provider is then not paid until the organiser "
        "has decided."),
    "notify.booking_captured.subject": _m("Varaus maksettu: {amount}, {provider}", "Bokningen betald: {amount}, {provider}",
                                          "Booking paid: {amount}, {provider}"),
    "notify.booking_captured.body": _m(
        "Varauksen maksu {amount} veloitettiin budjetista palveluntuottajalle {provider}{title_part}.{client_line}",
        "Bokningens betalning {amount} debiterades från budgeten till producenten {provider}{title_part}.{client_line}",
        "The booking's payment of {amount} was charged to the budget for {provider}{title_part}.{client_line}"),
    "notify.card_disputed.subject": _m("Riitautettu korttimaksu: {client}, {amount}",
                                       "Bestriden kortbetalning: {client}, {amount}",
                                       "Disputed card payment: {client}, {amount}"),
    "notify.card_disputed.body": _m(
        "{client} riitautti maksun {amount} palveluntuottajalle {provider}{title_part}. Maksua ei tilitetä ennen "
        "järjestäjän ratkaisua.",
        "{client} bestred betalningen {amount} till producenten {provider}{title_part}. Betalningen redovisas inte "
        "före anordnarens beslut.",
        "{client} disputed the payment of {amount} to {provider}{title_part}. It is not paid on before the "
        "organiser decides."),
    "notify.card_dispute_resolved.subject": _m("Riitautettu maksu ratkaistu: {amount}, {provider}",
                                               "Bestriden betalning avgjord: {amount}, {provider}",
                                               "Disputed payment decided: {amount}, {provider}"),
    "notify.card_dispute_resolved.body": _m(
        "Järjestäjä ratkaisi riitautetun maksun {amount}, palveluntuottaja {provider}{title_part}: {decision}."
        "{reason_line}{client_line}",
        "Anordnaren avgjorde den bestridna betalningen {amount}, producenten {provider}{title_part}: {decision}."
        "{reason_line}{client_line}",
        "The organiser decided on the disputed payment of {amount} to {provider}{title_part}: {decision}."
        "{reason_line}{client_line}"),
    "notify.decision.refunded": _m("koko maksu ({refund}) palautettiin budjettiin",
                                   "hela betalningen ({refund}) återbetalades till budgeten",
                                   "all of it ({refund}) was refunded to the budget"),
    "notify.decision.partly_refunded": _m("{refund} palautettiin budjettiin, loppu maksetaan palveluntuottajalle",
                                          "{refund} återbetalades till budgeten, resten betalas till producenten",
                                          "{refund} was refunded to the budget, the rest is paid to the provider"),
    "notify.decision.released": _m("maksu vapautettiin palveluntuottajalle", "betalningen frigavs till producenten",
                                   "the payment was released to the provider"),
}

ORGANISER = {
    "booking.disputes.kinds": _m("Riitojen lajit", "Typer av tvister", "Kinds of dispute"),
    "booking.disputes.kind.bookings": _m("Varaukset", "Bokningar", "Bookings"),
    "booking.disputes.kind.cards": _m("Korttimaksut", "Kortbetalningar", "Card payments"),
    "booking.card_disputes.intro": _m(
        "Asiakkaiden ja heidän omaistensa riitauttamat korttimaksut. Riitautettua maksua ei tilitetä "
        "palveluntuottajalle ennen ratkaisuasi; perustelusi näkyy asiakkaalle ja palveluntuottajalle.",
        "Kortbetalningar som klienter och deras anhöriga har bestridit. En bestriden betalning redovisas inte till "
        "producenten före ditt beslut; din motivering syns för klienten och producenten.",
        "Card payments clients and their proxies disputed. A disputed payment is not paid to the provider before "
        "your decision; your reason is shown to the client and the provider."),
    "booking.card_disputes.filter": _m("Näytä", "Visa", "Show"),
    "booking.card_disputes.status.open": _m("Avoimet", "Öppna", "Open"),
    "booking.card_disputes.status.resolved": _m("Ratkaistut", "Avgjorda", "Decided"),
    "booking.card_disputes.status.all": _m("Kaikki", "Alla", "All"),
    "booking.card_disputes.count": _m("{count} riitautettua maksua", "{count} bestridna betalningar",
                                      "{count} disputed payments"),
    "booking.card_disputes.count.one": _m("{count} riitautettu maksu", "{count} bestriden betalning",
                                          "{count} disputed payment"),
    "booking.card_disputes.none": _m("Ei riitautettuja korttimaksuja.", "Inga bestridna kortbetalningar.",
                                     "No disputed card payments."),
    "booking.card_disputes.provider": _m("Palveluntuottaja", "Producent", "Provider"),
    "booking.card_disputes.captured": _m("Veloitettu", "Debiterad", "Charged"),
    "booking.card_disputes.refunded_before": _m("palautettu jo {amount}", "redan återbetalt {amount}",
                                                "{amount} refunded already"),
    "booking.card_disputes.disputed": _m("Riitautettu", "Bestriden", "Disputed"),
    "booking.card_disputes.raised_as.client": _m("asiakas", "klienten", "the client"),
    "booking.card_disputes.raised_as.proxy": _m("omainen tai avustaja", "anhörig eller assistent", "a proxy"),
    "booking.card_disputes.reason": _m("Asiakkaan perustelu", "Klientens motivering", "The client's reason"),
    "booking.card_disputes.decision": _m("Ratkaisu", "Beslut", "Decision"),
    "booking.card_disputes.action.refund": _m("Palauta koko maksu asiakkaan budjettiin ({amount})",
                                              "Återbetala hela betalningen till klientens budget ({amount})",
                                              "Refund all of it to the client's budget ({amount})"),
    "booking.card_disputes.action.partial": _m("Palauta osa, loppu palveluntuottajalle",
                                               "Återbetala en del, resten till producenten",
                                               "Refund a part, the rest to the provider"),
    "booking.card_disputes.action.release": _m("Vapauta maksu palveluntuottajalle", "Frige betalningen till producenten",
                                               "Release the payment to the provider"),
    "booking.card_disputes.part": _m("Palautettava osa (€)", "Del som återbetalas (€)", "Part to refund (€)"),
    "booking.card_disputes.part_hint": _m("Vain osapalautukseen, esimerkiksi 12,50.",
                                          "Endast för en delåterbetalning, till exempel 12,50.",
                                          "For a partial refund only, for example 12.50."),
    "booking.card_disputes.resolution_reason": _m("Perustelu", "Motivering", "Reason"),
    "booking.card_disputes.resolution_hint": _m("Näkyy asiakkaalle, omaisille ja palveluntuottajalle.",
                                                "Syns för klienten, de anhöriga och producenten.",
                                                "Shown to the client, their proxies and the provider."),
    "booking.card_disputes.save": _m("Tallenna ratkaisu", "Spara beslutet", "Save the decision"),
    "booking.done.card_dispute_resolved": _m(
        "Ratkaisu on tallennettu. Asiakas, omaiset ja palveluntuottaja saivat siitä tiedon.",
        "Beslutet har sparats. Klienten, de anhöriga och producenten har fått veta det.",
        "The decision is saved. The client, their proxies and the provider have been told."),
}

PROVIDER = {
    "booking.payments.title": _m("Veloitetut maksut", "Debiterade betalningar", "Charged payments"),
    "booking.payments.intro": _m(
        "Jokainen veloitettu maksu ja milloin se tilitetään. Asiakas voi riitauttaa korttimaksun riitautusajan "
        "kuluessa; sitä ennen maksua ei tilitetä.",
        "Varje debiterad betalning och när den redovisas. Klienten kan bestrida en kortbetalning inom tiden för "
        "bestridande; före det redovisas den inte.",
        "Every charged payment and when it is settled. The client may dispute a card payment within the dispute "
        "window; it is not settled before that."),
    "booking.payments.unpaid_only": _m("Vain maksamatta olevat", "Endast obetalda", "Unpaid only"),
    "booking.payments.count": _m("{count} maksua", "{count} betalningar", "{count} payments"),
    "booking.payments.count.one": _m("{count} maksu", "{count} betalning", "{count} payment"),
    "booking.payments.none": _m("Ei maksuja.", "Inga betalningar.", "No payments."),
    "booking.payments.when": _m("Veloitettu", "Debiterad", "Charged"),
    "booking.payments.state": _m("Tila", "Status", "Status"),
    "booking.payments.refunded": _m("palautettu {amount}", "återbetalt {amount}", "{amount} refunded"),
    "booking.payments.says.disputable": _m("odottaa riitautusajan päättymistä ({until})",
                                           "väntar på att tiden för bestridande går ut ({until})",
                                           "waits for the dispute window to end ({until})"),
    "booking.payments.says.disputed": _m("asiakas riitautti maksun — järjestäjä ratkaisee",
                                         "klienten bestred betalningen — anordnaren avgör",
                                         "the client disputed the payment — the organiser decides"),
    "booking.payments.says.resolved": _m("vapautettu, maksetaan seuraavassa tilityksessä",
                                         "frigiven, betalas i nästa redovisning",
                                         "released, paid in the next settlement"),
    "booking.payments.says.due": _m("maksetaan seuraavassa tilityksessä", "betalas i nästa redovisning",
                                    "paid in the next settlement"),
    "booking.payments.says.in_batch": _m("odottaa maksua, viite {reference}", "väntar på betalning, referens {reference}",
                                         "waiting for payment, reference {reference}"),
    "booking.payments.says.paid": _m("maksettu {when}, viite {reference}", "betald {when}, referens {reference}",
                                     "paid on {when}, reference {reference}"),
    "booking.payments.says.card_network": _m("korttiverkko maksoi suoraan", "kortnätverket betalade direkt",
                                             "paid directly by the card network"),
    "booking.payments.says.refunded": _m("palautettu asiakkaalle", "återbetald till klienten", "refunded to the client"),
}

register(NOTIFY)
register(ORGANISER)
register(PROVIDER)
