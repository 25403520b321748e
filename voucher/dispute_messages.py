"""Texts of the client's payments and their disputes (voucher.disputes): Finnish first, Swedish,
English."""

from core.i18n import register
from core.i18n import texts as _m


PAYMENTS = {
    "voucher.payments.title": _m("Maksut", "Betalningar", "Payments"),
    "voucher.payments.intro": _m(
        "Jokainen budjetista tehty maksu ja sen tila. Jos korttimaksu ei ole oikein, sen voi riitauttaa {days} "
        "päivän kuluessa: järjestäjä ratkaisee asian, eikä maksua tilitetä palveluntuottajalle sillä välin.",
        "Varje betalning från budgeten och dess status. Om en kortbetalning inte stämmer kan den bestridas inom "
        "{days} dagar: anordnaren avgör saken, och betalningen redovisas inte till producenten under tiden.",
        "Every payment from the budget and where it stands. If a card payment is not right, it can be disputed "
        "within {days} days: the organiser decides, and the provider is not paid meanwhile."),
    "voucher.payments.filter": _m("Näytä maksut", "Visa betalningar", "Show payments"),
    "voucher.payments.count": _m("{count} maksua", "{count} betalningar", "{count} payments"),
    "voucher.payments.count.one": _m("{count} maksu", "{count} betalning", "{count} payment"),
    "voucher.payments.none": _m("Ei maksuja.", "Inga betalningar.", "No payments."),
    "voucher.payments.card_payment": _m("Korttimaksu", "Kortbetalning", "Card payment"),
    "voucher.payments.service": _m("Palvelu", "Tjänst", "Service"),
    "voucher.payments.amount": _m("Summa", "Belopp", "Amount"),
    "voucher.payments.when": _m("Aika", "Tid", "When"),
    "voucher.payments.status": _m("Tila", "Status", "Status"),
    "voucher.payments.refunded_part": _m("palautettu {amount}", "återbetalt {amount}", "{amount} refunded"),
    "voucher.payments.state.held": _m("Varattu", "Reserverad", "Reserved"),
    "voucher.payments.state.disputable": _m("Veloitettu, riitautettavissa", "Debiterad, kan bestridas",
                                            "Charged, can be disputed"),
    "voucher.payments.state.disputed": _m("Riitautettu", "Bestriden", "Disputed"),
    "voucher.payments.state.resolved": _m("Riitautus ratkaistu", "Bestridandet avgjort", "Dispute resolved"),
    "voucher.payments.state.due": _m("Veloitettu", "Debiterad", "Charged"),
    "voucher.payments.state.settled": _m("Maksettu palveluntuottajalle", "Betald till producenten",
                                         "Paid to the provider"),
    "voucher.payments.state.refunded": _m("Palautettu", "Återbetald", "Refunded"),
    "voucher.payments.says.held": _m(
        "Varattu, ei vielä veloitettu. Varaus päättyy viimeistään {until}.",
        "Reserverad, inte debiterad ännu. Reservationen upphör senast {until}.",
        "Reserved, not charged yet. The reservation ends by {until} at the latest."),
    "voucher.payments.says.disputable": _m("Veloitettu — riitautettavissa {until} asti.",
                                           "Debiterad — kan bestridas till {until}.",
                                           "Charged — can be disputed until {until}."),
    "voucher.payments.says.disputed": _m(
        "Riitautettu {when} — järjestäjä ratkaisee. Maksua ei tilitetä palveluntuottajalle sillä välin.",
        "Bestriden {when} — anordnaren avgör. Betalningen redovisas inte till producenten under tiden.",
        "Disputed {when} — the organiser decides. The provider is not paid meanwhile."),
    "voucher.payments.says.resolved": _m("Riitautus ratkaistu; maksetaan palveluntuottajalle seuraavassa tilityksessä.",
                                         "Bestridandet avgjort; betalas till producenten i nästa redovisning.",
                                         "Dispute resolved; paid to the provider in the next settlement."),
    "voucher.payments.says.due": _m("Veloitettu — maksetaan palveluntuottajalle seuraavassa tilityksessä.",
                                    "Debiterad — betalas till producenten i nästa redovisning.",
                                    "Charged — paid to the provider in the next settlement."),
    "voucher.payments.says.settled": _m("Maksettu palveluntuottajalle.", "Betald till producenten.",
                                        "Paid to the provider."),
    "voucher.payments.says.refunded": _m("Palautettu budjettiin.", "Återbetald till budgeten.",
                                         "Refunded to the budget."),
    "voucher.payments.your_reason": _m("Riitautuksen perustelu: {reason}", "Motivering till bestridandet: {reason}",
                                       "Reason for the dispute: {reason}"),
    "voucher.payments.resolved": _m("Järjestäjä ratkaisi {when}: {decision}.", "Anordnaren avgjorde {when}: {decision}.",
                                    "The organiser decided on {when}: {decision}."),
    "voucher.payments.organiser_reason": _m("Perustelu: {reason}", "Motivering: {reason}", "Reason: {reason}"),
    "voucher.payments.dispute": _m("Riitauta maksu", "Bestrid betalningen", "Dispute the payment"),
    "voucher.payments.dispute_sure": _m(
        "Maksua ei tilitetä palveluntuottajalle ennen kuin järjestäjä on ratkaissut asian. Maksun voi riitauttaa "
        "vain kerran.",
        "Betalningen redovisas inte till producenten förrän anordnaren har avgjort saken. En betalning kan bestridas "
        "bara en gång.",
        "The provider is not paid until the organiser has decided. A payment can be disputed once only."),
    "voucher.payments.dispute_reason": _m("Miksi maksu ei ole oikein?", "Varför stämmer betalningen inte?",
                                          "Why is the payment not right?"),
    "voucher.payments.dispute_hint": _m(
        "Kerro lyhyesti, esimerkiksi: palvelua ei saatu, tai summa on väärä. Järjestäjä näkee perustelun.",
        "Berätta kort, till exempel: tjänsten uteblev, eller beloppet är fel. Anordnaren ser motiveringen.",
        "Say briefly, for example: the service was not given, or the amount is wrong. The organiser sees the reason."),
    "voucher.payments.dispute_needs_pay": _m(
        "Asiakas tai maksuoikeuden saanut omainen voi riitauttaa maksun {until} asti.",
        "Klienten eller en anhörig med rätt att betala kan bestrida betalningen till {until}.",
        "The client, or a proxy with the right to pay, can dispute the payment until {until}."),
    "voucher.payments.dispute_send": _m("Lähetä riitautus", "Skicka bestridandet", "Send the dispute"),
    "voucher.payments.disputed_done": _m(
        "Riitautus on lähetetty. Järjestäjä ratkaisee sen, ja saat tiedon ratkaisusta.",
        "Bestridandet har skickats. Anordnaren avgör det, och du får veta beslutet.",
        "The dispute has been sent. The organiser will decide on it, and you will be told the decision."),
    "voucher.payment.title": _m("Maksu", "Betalning", "Payment"),
    "voucher.payment.back": _m("Kaikki maksut", "Alla betalningar", "All payments"),
}

DISPUTES = {
    "voucher.disputes.title": _m("Riitautetut korttimaksut", "Bestridna kortbetalningar", "Disputed card payments"),
    "voucher.disputes.intro": _m("Järjestäjä ratkaisee riitautukset; asiakas saa tiedon ratkaisusta.",
                                 "Anordnaren avgör bestridandena; klienten får veta beslutet.",
                                 "The organiser decides on disputes; the client is told the decision."),
    "voucher.disputes.none": _m("Ei riitautettuja maksuja.", "Inga bestridna betalningar.", "No disputed payments."),
    "voucher.disputes.badge": _m("{count} riitautettua maksua", "{count} bestridna betalningar",
                                 "{count} disputed payments"),
    "voucher.disputes.badge.one": _m("{count} riitautettu maksu", "{count} bestriden betalning",
                                     "{count} disputed payment"),
    "voucher.disputes.raised": _m("Riitautettu", "Bestriden", "Disputed"),
    "voucher.disputes.raised_as.client": _m("asiakas", "klienten", "the client"),
    "voucher.disputes.raised_as.proxy": _m("omainen tai avustaja", "anhörig eller assistent", "a proxy"),
    "voucher.disputes.reason": _m("Perustelu", "Motivering", "Reason"),
    "voucher.disputes.open": _m("Avoin — järjestäjä ratkaisee", "Öppen — anordnaren avgör",
                                "Open — the organiser decides"),
    "voucher.disputes.resolution_reason": _m("Järjestäjän perustelu", "Anordnarens motivering",
                                             "The organiser's reason"),
}

ERRORS = {
    "voucher.dispute.error.already_disputed": _m(
        "Maksu on jo riitautettu. Järjestäjä ratkaisee sen.", "Betalningen är redan bestriden. Anordnaren avgör den.",
        "The payment has been disputed already. The organiser decides on it."),
    "voucher.dispute.error.window_closed": _m(
        "Riitautusaika päättyi {until}. Ota yhteyttä asiakasohjaajaasi, jos maksu ei ole oikein.",
        "Tiden för att bestrida gick ut {until}. Kontakta din klienthandledare om betalningen inte stämmer.",
        "The time to dispute ended on {until}. Contact your counsellor if the payment is not right."),
    "voucher.dispute.error.already_settled": _m(
        "Maksu on jo tilitetty palveluntuottajalle. Ota yhteyttä asiakasohjaajaasi.",
        "Betalningen har redan redovisats till producenten. Kontakta din klienthandledare.",
        "The payment has been settled with the provider already. Contact your counsellor."),
    "voucher.dispute.error.reason_required": _m("Kerro, miksi maksu ei ole oikein.",
                                                "Berätta varför betalningen inte stämmer.",
                                                "Say why the payment is not right."),
    "voucher.dispute.error.reason_long": _m("Perustelu on liian pitkä (enintään 2000 merkkiä).",
                                            "Motiveringen är för lång (högst 2000 tecken).",
                                            "The reason is too long (2000 characters at most)."),
    "voucher.dispute.error.proxy_right": _m(
        "Sinulla ei ole oikeutta riitauttaa maksuja tämän asiakkaan puolesta: siihen tarvitaan maksuoikeus.",
        "Du har inte rätt att bestrida betalningar för den här klienten: det kräver rätten att betala.",
        "You may not dispute payments for this client: that needs the right to pay."),
    "voucher.dispute.error.action": _m("Valitse ratkaisu.", "Välj ett beslut.", "Choose a decision."),
    "voucher.dispute.error.part_missing": _m("Kirjoita palautettava osuus euroina.",
                                             "Skriv den del som återbetalas i euro.",
                                             "Write the part to refund in euros."),
    "voucher.dispute.error.part_range": _m(
        "Osapalautus on enemmän kuin 0 ja enintään {max} €; koko maksun palautus on oma vaihtoehtonsa.",
        "En delåterbetalning är mer än 0 och högst {max} €; att återbetala hela betalningen är ett eget val.",
        "A partial refund is more than 0 and at most {max} €; refunding all of it is its own choice."),
    "voucher.dispute.error.resolved_already": _m("Riitautus on jo ratkaistu.", "Bestridandet är redan avgjort.",
                                                 "The dispute has been decided already."),
    "event.voucher.capture.disputed": _m("Maksu riitautettiin", "Betalningen bestreds", "Payment disputed"),
    "event.voucher.capture.dispute_resolved": _m("Riitautus ratkaistiin", "Bestridandet avgjordes",
                                                 "Dispute decided"),
}

register(PAYMENTS)
register(DISPUTES)
register(ERRORS)
