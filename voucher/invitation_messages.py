"""Texts of invitations (voucher.invitations and its pages), in Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    "error.gone": _m("Linkki ei ole enää voimassa.", "Länken gäller inte längre.", "The link is no longer valid."),
    # Refusals and conflicts
    "invitation.not_allowed": _m(
        "Et voi kutsua tähän rooliin tai tälle asiakkaalle, järjestäjälle tai palveluntuottajalle.",
        "Du kan inte bjuda in till denna roll eller för denna klient, anordnare eller producent.",
        "You may not invite to this role or for this client, organiser or provider."),
    "invitation.email_taken": _m(
        "Tällä sähköpostiosoitteella on jo tili.", "Det finns redan ett konto med denna e-postadress.",
        "This e-mail address already has an account."),
    "invitation.client_has_account": _m(
        "Asiakkaalla on jo tili.", "Klienten har redan ett konto.", "The client already has an account."),
    "invitation.rights_only_for_proxy": _m(
        "Oikeudet annetaan vain omaiselle tai avustajalle.", "Rättigheter ges bara till en anhörig eller assistent.",
        "Rights are given to a proxy only."),
    "invitation.unknown": _m(
        "Kutsua ei löytynyt. Tarkista linkki.", "Inbjudan hittades inte. Kontrollera länken.",
        "The invitation was not found. Check the link."),
    "invitation.accepted": _m(
        "Kutsu on jo otettu vastaan. Kirjaudu sisään.", "Inbjudan har redan tagits emot. Logga in.",
        "The invitation has been accepted already. Please sign in."),
    "invitation.revoked": _m(
        "Kutsu on peruttu. Pyydä kutsujalta uusi kutsu.", "Inbjudan har återkallats. Be om en ny inbjudan.",
        "The invitation was revoked. Ask the person who invited you for a new one."),
    "invitation.expired": _m(
        "Kutsu on vanhentunut. Pyydä kutsujalta uusi linkki.", "Inbjudan har gått ut. Be om en ny länk.",
        "The invitation has expired. Ask the person who invited you for a new link."),
    "invitation.password_or_identity": _m(
        "Anna salasana tai tunnistaudu vahvasti.", "Ange ett lösenord eller identifiera dig starkt.",
        "Give a password or identify yourself strongly."),
    "invitation.identity_taken": _m(
        "Tällä tunnistuksella on jo tili. Kirjaudu sisään.", "Det finns redan ett konto med denna identifiering. Logga in.",
        "This identity already has an account. Please sign in."),
    "invitation.identity_mismatch": _m(
        "Tunnistautunut henkilö ei ole kutsuttu asiakas. Tiliä ei luotu.",
        "Den identifierade personen är inte den inbjudna klienten. Inget konto skapades.",
        "The person identified is not the client invited. No account was created."),
    # E-mail
    "invitation.mail_subject": _m(
        "Kutsu HB-palveluun", "Inbjudan till PB-tjänsten", "Invitation to the HB service"),
    "invitation.mail_body": _m(
        "{inviter} kutsuu sinut HB-palveluun rooliin: {role}.\n\nOta kutsu vastaan tästä linkistä:\n{link}\n\n"
        "Linkki on voimassa {expires} asti ja toimii kerran. Jos et odottanut kutsua, voit jättää viestin huomiotta.",
        "{inviter} bjuder in dig till PB-tjänsten i rollen: {role}.\n\nTa emot inbjudan via länken:\n{link}\n\n"
        "Länken gäller till {expires} och fungerar en gång. Om du inte väntade dig inbjudan kan du lämna meddelandet utan åtgärd.",
        "{inviter} invites you to the HB service as: {role}.\n\nAccept the invitation through this link:\n{link}\n\n"
        "The link is valid until {expires} and works once. If you did not expect this, you may ignore this message."),
    # Navigation
    "nav.invitations": _m("Kutsut", "Inbjudningar", "Invitations"),
    # The inviter's page
    "invitation.title": _m("Kutsut", "Inbjudningar", "Invitations"),
    "invitation.intro": _m(
        "Kutsu henkilö palveluun. Hän saa sähköpostiin kertakäyttöisen linkin, jolla hän asettaa salasanan "
        "tai tunnistautuu vahvasti.",
        "Bjud in en person till tjänsten. Hen får en engångslänk per e-post för att välja lösenord eller "
        "identifiera sig starkt.",
        "Invite a person to the service. They get a single-use link by e-mail to set a password or identify "
        "themselves strongly."),
    "invitation.new": _m("Uusi kutsu", "Ny inbjudan", "New invitation"),
    "invitation.email": _m("Sähköpostiosoite", "E-postadress", "E-mail address"),
    "invitation.display_name": _m("Nimi", "Namn", "Name"),
    "invitation.display_name_hint": _m(
        "Vapaaehtoinen. Kutsuttu voi muuttaa sen.", "Frivilligt. Den inbjudna kan ändra det.",
        "Optional. The person invited may change it."),
    "invitation.language": _m("Viestin kieli", "Meddelandets språk", "Language of the message"),
    "invitation.role": _m("Rooli", "Roll", "Role"),
    "invitation.organiser": _m("Järjestäjä", "Anordnare", "Organiser"),
    "invitation.provider": _m("Palveluntuottaja", "Tjänsteproducent", "Provider"),
    "invitation.provider_hint": _m(
        "Vain palveluntuottajan ensimmäinen käyttäjä: myöhemmät kutsuu palveluntuottaja itse.",
        "Endast producentens första användare: de följande bjuder producenten själv in.",
        "Only a provider's first user: the provider invites the next ones."),
    "invitation.client": _m("Asiakas", "Klient", "Client"),
    "invitation.client_hint": _m(
        "Asiakkaan tai hänen läheisensä kutsut tehdään asiakkaan sivulta (Asiakkaat).",
        "Inbjudningar för en klient eller en anhörig görs från klientens sida (Klienter).",
        "Invite a client or their close one from the client's page (Clients)."),
    "invitation.rights": _m("Oikeudet (omainen tai avustaja)", "Rättigheter (anhörig eller assistent)",
                            "Rights (proxy)"),
    "invitation.right.view": _m("katselu", "visning", "view"),
    "invitation.right.book": _m("varaaminen", "bokning", "book"),
    "invitation.right.pay": _m("toteutuman vahvistus", "bekräftelse", "confirm"),
    "invitation.send": _m("Lähetä kutsu", "Skicka inbjudan", "Send the invitation"),
    "invitation.created": _m(
        "Kutsu on tehty. Linkki näytetään vain nyt: jos sähköposti ei ole käytössä, toimita se kutsutulle itse.",
        "Inbjudan är skapad. Länken visas bara nu: om e-post inte används, ge den till personen själv.",
        "The invitation is made. The link is shown only now: if e-mail is not in use, give it to the person yourself."),
    "invitation.expires": _m("Voimassa asti", "Giltig till", "Valid until"),
    "invitation.sent_list": _m("Lähettämäsi kutsut", "Dina inbjudningar", "Your invitations"),
    "invitation.filter": _m("Rajaa kutsuja", "Filtrera inbjudningar", "Filter invitations"),
    "invitation.search": _m("Sähköpostiosoitteen osa", "Del av e-postadressen", "Part of the e-mail address"),
    "invitation.status": _m("Tila", "Status", "Status"),
    "invitation.status.pending": _m("Odottaa", "Väntar", "Pending"),
    "invitation.status.accepted": _m("Otettu vastaan", "Mottagen", "Accepted"),
    "invitation.status.revoked": _m("Peruttu", "Återkallad", "Revoked"),
    "invitation.status.expired": _m("Vanhentunut", "Utgången", "Expired"),
    "invitation.created_at": _m("Kutsuttu", "Inbjuden", "Invited"),
    "invitation.sent_count": _m("Lähetetty sähköpostina", "Skickad per e-post", "E-mailed"),
    "invitation.none": _m("Ei kutsuja.", "Inga inbjudningar.", "No invitations."),
    "invitation.resend": _m("Uusi linkki", "Ny länk", "New link"),
    "invitation.revoke": _m("Peru", "Återkalla", "Revoke"),
    "invitation.done.revoked": _m("Kutsu on peruttu.", "Inbjudan är återkallad.", "The invitation is revoked."),
    "invitation.actions": _m("Toiminnot", "Åtgärder", "Actions"),
    "invitation.invite_client": _m("Kutsu asiakas palveluun", "Bjud in klienten till tjänsten",
                                   "Invite the client to the service"),
    "invitation.invite_proxy": _m("Kutsu omainen tai avustaja", "Bjud in en anhörig eller assistent",
                                  "Invite a proxy"),
    # The accept page
    "invitation.accept_title": _m("Kutsu HB-palveluun", "Inbjudan till PB-tjänsten", "Invitation to the HB service"),
    "invitation.accept_intro": _m(
        "{inviter} kutsuu sinut rooliin: {role}.", "{inviter} bjuder in dig i rollen: {role}.",
        "{inviter} invites you as: {role}."),
    "invitation.for_organiser": _m("Järjestäjä: {name}", "Anordnare: {name}", "Organiser: {name}"),
    "invitation.for_provider": _m("Palveluntuottaja: {name}", "Tjänsteproducent: {name}", "Provider: {name}"),
    "invitation.for_client": _m("Asiakas: {name}", "Klient: {name}", "Client: {name}"),
    "invitation.rights_given": _m("Oikeutesi: {rights}", "Dina rättigheter: {rights}", "Your rights: {rights}"),
    "invitation.account_email": _m("Tilisi sähköpostiosoite: {email}", "Ditt kontos e-postadress: {email}",
                                   "Your account's e-mail address: {email}"),
    "invitation.valid_until": _m("Kutsu on voimassa {when} asti.", "Inbjudan gäller till {when}.",
                                 "The invitation is valid until {when}."),
    "invitation.with_password": _m("Ota kutsu vastaan salasanalla", "Ta emot inbjudan med ett lösenord",
                                   "Accept with a password"),
    "invitation.accept": _m("Ota kutsu vastaan", "Ta emot inbjudan", "Accept the invitation"),
    "invitation.with_eid": _m("Tai tunnistaudu vahvasti", "Eller identifiera dig starkt", "Or identify yourself strongly"),
    "invitation.eid_button": _m("Tunnistaudu pankkitunnuksilla tai mobiilivarmenteella",
                                "Identifiera dig med bankkoder eller mobilcertifikat",
                                "Identify with online banking codes or a mobile certificate"),
}

register(MESSAGES)
