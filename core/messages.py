"""Messages of the shared foundation (errors, login, navigation), in Finnish, Swedish and English."""

from core.i18n import register

MESSAGES = {
    "error.invalid": {"fi": "Virheellinen pyyntö.", "sv": "Ogiltig begäran.", "en": "Invalid request."},
    "error.validation": {
        "fi": "Tarkista merkityt kentät.",
        "sv": "Kontrollera de markerade fälten.",
        "en": "Please check the marked fields.",
    },
    "error.unauthenticated": {
        "fi": "Kirjaudu sisään jatkaaksesi.",
        "sv": "Logga in för att fortsätta.",
        "en": "Please sign in to continue.",
    },
    "error.forbidden": {
        "fi": "Sinulla ei ole oikeutta tähän toimintoon.",
        "sv": "Du har inte behörighet till denna åtgärd.",
        "en": "You are not allowed to do this.",
    },
    "error.not_found": {"fi": "Ei löytynyt.", "sv": "Hittades inte.", "en": "Not found."},
    "error.conflict": {
        "fi": "Toiminto ei ole mahdollinen nykyisessä tilassa.",
        "sv": "Åtgärden är inte möjlig i nuvarande tillstånd.",
        "en": "This is not possible in the current state.",
    },
    "error.rate_limited": {
        "fi": "Liian monta yritystä. Odota hetki ja yritä uudelleen.",
        "sv": "För många försök. Vänta en stund och försök igen.",
        "en": "Too many attempts. Wait a moment and try again.",
    },
    "error.unavailable": {
        "fi": "Palvelu on tilapäisesti poissa käytöstä. Yritä hetken kuluttua uudelleen.",
        "sv": "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
        "en": "The service is temporarily unavailable. Try again shortly.",
    },
    "error.internal": {
        "fi": "Odottamaton virhe. Virhe on kirjattu.",
        "sv": "Ett oväntat fel. Felet har loggats.",
        "en": "An unexpected error. It has been logged.",
    },
    "error.api_key_scope": {
        "fi": "API-avaimella voi käyttää vain korttimaksujen rajapintaa (katevaraus, veloitus, peruutus, "
              "hyvitys ja omien katevarausten luku). Muuhun tarvitaan kirjautuminen.",
        "sv": "En API-nyckel ger bara tillgång till kortbetalningarnas gränssnitt (reservation, debitering, "
              "annullering, återbetalning och läsning av egna reservationer). För annat krävs inloggning.",
        "en": "An API key may only use the card payment API (authorise, capture, void, refund and read its "
              "own authorisations). Everything else needs a signed-in person.",
    },
    "error.csrf": {
        "fi": "Lomakkeen tarkiste puuttuu tai on vanhentunut. Lataa sivu uudelleen.",
        "sv": "Formulärets kontrollkod saknas eller har gått ut. Ladda om sidan.",
        "en": "The form's check code is missing or expired. Reload the page.",
    },
    "field.required": {"fi": "Pakollinen tieto puuttuu.", "sv": "Obligatoriskt fält saknas.", "en": "This field is required."},
    "field.unknown": {"fi": "Tuntematon kenttä.", "sv": "Okänt fält.", "en": "Unknown field."},
    "field.too_short": {"fi": "Vähintään {min} merkkiä.", "sv": "Minst {min} tecken.", "en": "At least {min} characters."},
    "field.too_few": {"fi": "Valitse tai anna vähintään {min}.", "sv": "Välj eller ange minst {min}.", "en": "Choose or give at least {min}."},
    "field.too_many": {"fi": "Enintään {max} kappaletta.", "sv": "Högst {max} stycken.", "en": "At most {max} items."},
    "field.min": {"fi": "Pienin sallittu arvo on {min}.", "sv": "Minsta tillåtna värde är {min}.", "en": "The smallest allowed value is {min}."},
    "field.above": {"fi": "Arvon on oltava suurempi kuin {min}.", "sv": "Värdet måste vara större än {min}.", "en": "The value must be greater than {min}."},
    "field.max": {"fi": "Suurin sallittu arvo on {max}.", "sv": "Största tillåtna värde är {max}.", "en": "The largest allowed value is {max}."},
    "field.below": {"fi": "Arvon on oltava pienempi kuin {max}.", "sv": "Värdet måste vara mindre än {max}.", "en": "The value must be less than {max}."},
    "field.surrounding_spaces": {"fi": "Poista välilyönnit alusta ja lopusta.", "sv": "Ta bort mellanslagen i början och slutet.", "en": "Remove the spaces at the start and the end."},
    "field.range": {"fi": "Anna arvo väliltä {min}–{max}.", "sv": "Ange ett värde mellan {min} och {max}.", "en": "Give a value from {min} to {max}."},
    "field.whole_number": {"fi": "Anna kokonaisluku, esimerkiksi 3.", "sv": "Ange ett heltal, till exempel 3.", "en": "Give a whole number, such as 3."},
    "field.number": {"fi": "Anna luku, esimerkiksi 12,50.", "sv": "Ange ett tal, till exempel 12,50.", "en": "Give a number, such as 12.50."},
    "field.yes_no": {"fi": "Valitse kyllä tai ei.", "sv": "Välj ja eller nej.", "en": "Choose yes or no."},
    "field.not_allowed": {"fi": "Arvo ei ole sallittu. Valitse jokin tarjotuista.", "sv": "Värdet är inte tillåtet. Välj ett av alternativen.", "en": "This value is not allowed. Choose one of the options."},
    "field.date": {"fi": "Päivämäärä ei kelpaa. Anna se muodossa 31.12.2026 tai 2026-12-31.", "sv": "Datumet är ogiltigt. Ange det som 2026-12-31.", "en": "The date is not valid. Give it as 2026-12-31."},
    "field.time": {"fi": "Kellonaika ei kelpaa. Anna se muodossa 14:30.", "sv": "Klockslaget är ogiltigt. Ange det som 14:30.", "en": "The time is not valid. Give it as 14:30."},
    "field.datetime": {"fi": "Ajankohta ei kelpaa. Anna päivä ja kellonaika, esimerkiksi 2026-12-31T14:30:00+02:00.", "sv": "Tidpunkten är ogiltig. Ange datum och klockslag, till exempel 2026-12-31T14:30:00+02:00.", "en": "The date and time are not valid. Give both, such as 2026-12-31T14:30:00+02:00."},
    "field.identifier": {"fi": "Tunniste ei kelpaa.", "sv": "Identifieraren är ogiltig.", "en": "The identifier is not valid."},
    "field.structure": {"fi": "Tiedon rakenne ei kelpaa (odotettiin luetteloa tai tietuetta).", "sv": "Uppgiftens struktur är ogiltig (en lista eller post väntades).", "en": "The value's structure is not valid (a list or an object was expected)."},
    "field.text": {"fi": "Anna teksti.", "sv": "Ange en text.", "en": "Give a text."},
    "field.empty": {"fi": "Jätä kenttä tyhjäksi.", "sv": "Lämna fältet tomt.", "en": "Leave this field empty."},
    "field.invalid_value": {"fi": "Arvo ei kelpaa. Tarkista se.", "sv": "Värdet är ogiltigt. Kontrollera det.", "en": "The value is not valid. Check it."},

    "field.bidi_control": {
        "fi": "Tekstissä ei voi olla sen suuntaa muuttavia ohjausmerkkejä (esimerkiksi U+202E).",
        "sv": "Texten får inte innehålla styrtecken som ändrar dess riktning (till exempel U+202E).",
        "en": "The text cannot hold control characters that change its direction (such as U+202E).",
    },
    "field.nul_character": {
        "fi": "Kentässä {name} on NUL-merkki, jota ei voi tallentaa.",
        "sv": "Fältet {name} innehåller ett NUL-tecken som inte kan sparas.",
        "en": "The field {name} holds a NUL character, which cannot be stored.",
    },
    "error.too_deep": {
        "fi": "Pyynnön JSON on liian syvälle sisäkkäinen (enintään {max} tasoa).",
        "sv": "Begärans JSON är för djupt nästlad (högst {max} nivåer).",
        "en": "The request's JSON is nested too deeply (at most {max} levels).",
    },
    "field.too_long": {
        "fi": "Enintään {max} merkkiä.",
        "sv": "Högst {max} tecken.",
        "en": "At most {max} characters.",
    },
    "field.choice": {
        "fi": "Valitse jokin sallituista arvoista: {choices}.",
        "sv": "Välj ett av de tillåtna värdena: {choices}.",
        "en": "Choose one of the allowed values: {choices}.",
    },
    "field.email": {
        "fi": "Sähköpostiosoite ei ole kelvollinen.",
        "sv": "E-postadressen är ogiltig.",
        "en": "The e-mail address is not valid.",
    },
    "field.positive": {
        "fi": "Arvon on oltava positiivinen kokonaisluku.",
        "sv": "Värdet måste vara ett positivt heltal.",
        "en": "The value must be a positive whole number.",
    },
    "login.failed": {
        "fi": "Sähköposti tai salasana on väärin.",
        "sv": "Fel e-postadress eller lösenord.",
        "en": "Wrong e-mail address or password.",
    },
    "login.password_off": {
        "fi": "Organisaatiosi henkilöstö kirjautuu organisaation omalla tunnistuksella, ei salasanalla. "
              "Valitse \"Henkilöstö: kirjaudu organisaation tunnuksella\".",
        "sv": "Din organisations personal loggar in med organisationens egen identifiering, inte med lösenord. "
              "Välj \"Personal: logga in med organisationens konto\".",
        "en": "Your organisation's staff sign in with the organisation's own identification, not a password. "
              "Choose \"Staff: sign in with your organisation's account\".",
    },
    "login.or": {"fi": "tai", "sv": "eller", "en": "or"},
    "eid.button": {
        "fi": "Tunnistaudu vahvasti (pankkitunnukset, mobiilivarmenne)",
        "sv": "Identifiera dig starkt (bankkoder, mobilcertifikat)",
        "en": "Identify strongly (bank ID, mobile certificate)",
    },
    "eid.hint": {
        "fi": "Asiakkaat ja heidän läheisensä kirjautuvat Suomi.fi-tunnistuksella.",
        "sv": "Klienter och deras närstående loggar in med Suomi.fi-identifikation.",
        "en": "Clients and their close ones sign in with Suomi.fi identification.",
    },
    "eid.staff_button": {
        "fi": "Henkilöstö: kirjaudu organisaation tunnuksella",
        "sv": "Personal: logga in med organisationens konto",
        "en": "Staff: sign in with your organisation's account",
    },
    "eid.refused.title": {
        "fi": "Kirjautuminen ei onnistunut",
        "sv": "Inloggningen lyckades inte",
        "en": "Signing in did not succeed",
    },
    "eid.refused.no_account": {
        "fi": "Tunnistautuminen onnistui, mutta sinulla ei ole vielä tiliä tässä palvelussa. Pyydä "
              "asiakasohjaajaltasi kutsu palveluun. Tietojasi ei tallennettu.",
        "sv": "Identifieringen lyckades, men du har ännu inget konto i tjänsten. Be din klienthandledare "
              "om en inbjudan till tjänsten. Dina uppgifter sparades inte.",
        "en": "You were identified, but you do not have an account in this service yet. Ask your counsellor "
              "for an invitation. Nothing about you was stored.",
    },
    "eid.refused.no_staff_account": {
        "fi": "Tunnistautuminen onnistui, mutta tällä tunnuksella ei ole henkilöstön tiliä tässä palvelussa. "
              "Pyydä organisaatiosi pääkäyttäjältä kutsu.",
        "sv": "Identifieringen lyckades, men det finns inget personalkonto för detta konto i tjänsten. Be "
              "din organisations huvudanvändare om en inbjudan.",
        "en": "You were identified, but there is no staff account for this identity in the service. Ask your "
              "organisation's admin for an invitation.",
    },
    "eid.refused.inactive": {
        "fi": "Tilisi on poistettu käytöstä. Ota yhteyttä asiakasohjaajaasi.",
        "sv": "Ditt konto har inaktiverats. Kontakta din klienthandledare.",
        "en": "Your account has been deactivated. Contact your counsellor.",
    },
    "eid.refused.state": {
        "fi": "Kirjautuminen vanheni tai sitä yritettiin käyttää uudelleen. Aloita kirjautuminen alusta.",
        "sv": "Inloggningen gick ut eller försökte användas på nytt. Börja om inloggningen.",
        "en": "The sign-in expired or was used again. Start signing in from the beginning.",
    },
    "eid.refused.cancelled": {
        "fi": "Tunnistautuminen keskeytettiin. Voit aloittaa alusta.",
        "sv": "Identifieringen avbröts. Du kan börja om.",
        "en": "Identification was cancelled. You can start again.",
    },
    "eid.refused.failed": {
        "fi": "Tunnistuspalvelun vastausta ei voitu varmentaa. Mitään ei tallennettu. Aloita alusta.",
        "sv": "Identifieringstjänstens svar kunde inte verifieras. Ingenting sparades. Börja om.",
        "en": "The identification service's answer could not be verified. Nothing was stored. Start again.",
    },
    "eid.refused.unavailable": {
        "fi": "Tunnistuspalveluun ei juuri nyt saada yhteyttä. Yritä hetken kuluttua uudelleen.",
        "sv": "Identifieringstjänsten kan inte nås just nu. Försök igen om en stund.",
        "en": "The identification service cannot be reached right now. Try again shortly.",
    },
    "eid.refused.not_configured": {
        "fi": "Vahva tunnistautuminen ei ole käytössä tässä palvelussa.",
        "sv": "Stark identifiering används inte i den här tjänsten.",
        "en": "Strong identification is not in use in this service.",
    },
    "eid.refused.invitation": {
        "fi": "Kutsua ei löytynyt tai sitä ei voi enää käyttää.",
        "sv": "Inbjudan hittades inte eller kan inte längre användas.",
        "en": "The invitation was not found or can no longer be used.",
    },
    "eid.refused.already_linked": {
        "fi": "Tunnistautumisesi on jo liitetty toiseen tiliin tässä palvelussa, eikä kutsua hyväksytty. "
              "Kirjaudu sillä tilillä tai pyydä kutsujaa ottamaan yhteyttä asiakasohjaajaan.",
        "sv": "Din identifiering är redan kopplad till ett annat konto i tjänsten, och inbjudan godkändes inte. "
              "Logga in med det kontot eller be den som bjöd in dig att kontakta klienthandledaren.",
        "en": "Your identification is already linked to another account in this service, so the invitation "
              "was not accepted. Sign in to that account, or ask whoever invited you to contact the counsellor.",
    },
    "eid.refused.identify_not_needed": {
        "fi": "Tätä tiliä ei tarvitse tunnistaa vahvasti. Vahva tunnistus koskee kevytyrittäjiä ja yksityishenkilöitä.",
        "sv": "Det här kontot behöver inte identifieras starkt. Stark identifiering gäller lättföretagare och privatpersoner.",
        "en": "This account does not need strong identification. It is for light entrepreneurs and private persons.",
    },
    "eid.refused.identify_other_account": {
        "fi": "Tunnistautumisesi on jo liitetty toiseen tiliin tässä palvelussa. Mitään ei muutettu. "
              "Kirjaudu sillä tilillä tai ota yhteyttä hyvinvointialueeseen.",
        "sv": "Din identifiering är redan kopplad till ett annat konto i tjänsten. Ingenting ändrades. "
              "Logga in med det kontot eller kontakta välfärdsområdet.",
        "en": "Your identification is already linked to another account in this service. Nothing was changed. "
              "Sign in to that account or contact the county.",
    },
    "eid.try_again": {"fi": "Takaisin kirjautumiseen", "sv": "Tillbaka till inloggningen", "en": "Back to signing in"},
    "login.title": {"fi": "Kirjaudu sisään", "sv": "Logga in", "en": "Sign in"},
    "login.email": {"fi": "Sähköposti", "sv": "E-post", "en": "E-mail"},
    "login.password": {"fi": "Salasana", "sv": "Lösenord", "en": "Password"},
    "login.submit": {"fi": "Kirjaudu", "sv": "Logga in", "en": "Sign in"},
    "logout": {"fi": "Kirjaudu ulos", "sv": "Logga ut", "en": "Sign out"},
    "nav.home": {"fi": "Etusivu", "sv": "Startsida", "en": "Home"},
    "nav.skip": {"fi": "Siirry pääsisältöön", "sv": "Gå till huvudinnehållet", "en": "Skip to main content"},
    "nav.main": {"fi": "Päävalikko", "sv": "Huvudmeny", "en": "Main menu"},
    "nav.language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "site.name": {
        "fi": "Henkilökohtainen budjetti",
        "sv": "Personlig budget",
        "en": "Personal budget",
    },
    "site.tagline": {
        "fi": "Valitse itse tukesi ja palveluntuottajasi.",
        "sv": "Välj själv ditt stöd och din tjänsteproducent.",
        "en": "Choose your own support and who provides it.",
    },
    "role.client": {"fi": "Asiakas", "sv": "Klient", "en": "Client"},
    "role.proxy": {"fi": "Omainen tai HB-avustaja", "sv": "Anhörig eller PB-assistent", "en": "Proxy or HB assistant"},
    "role.provider_staff": {"fi": "Palveluntuottaja", "sv": "Tjänsteproducent", "en": "Provider"},
    "role.counsellor": {"fi": "Asiakasohjaaja", "sv": "Klienthandledare", "en": "Counsellor"},
    "role.organiser_admin": {"fi": "Järjestäjän pääkäyttäjä", "sv": "Anordnarens huvudanvändare", "en": "Organiser admin"},
    "role.platform_admin": {"fi": "Alustan ylläpitäjä", "sv": "Plattformsadministratör", "en": "Platform admin"},
    "signed_in_as": {"fi": "Kirjautuneena: {name}", "sv": "Inloggad: {name}", "en": "Signed in: {name}"},
    "pager.previous": {"fi": "Edellinen sivu", "sv": "Föregående sida", "en": "Previous page"},
    "pager.next": {"fi": "Seuraava sivu", "sv": "Nästa sida", "en": "Next page"},
    "pager.page": {"fi": "Sivu {page} / {pages}", "sv": "Sida {page} / {pages}", "en": "Page {page} of {pages}"},
    "filter.apply": {"fi": "Suodata", "sv": "Filtrera", "en": "Filter"},
    "common.save": {"fi": "Tallenna", "sv": "Spara", "en": "Save"},
    "common.none": {"fi": "Ei merkintöjä.", "sv": "Inga poster.", "en": "Nothing here."},
    "apikey.title": {"fi": "API-avaimet", "sv": "API-nycklar", "en": "API keys"},
    "apikey.created": {
        "fi": "Uusi API-avain. Kopioi se nyt: sitä ei näytetä uudelleen.",
        "sv": "Ny API-nyckel. Kopiera den nu: den visas inte igen.",
        "en": "New API key. Copy it now: it will not be shown again.",
    },
    "apikey.revoked": {"fi": "Avain on mitätöity.", "sv": "Nyckeln har återkallats.", "en": "The key has been revoked."},
    "nav.raw_tables": {"fi": "Raakataulut", "sv": "Rådata", "en": "Raw tables"},
    "nav.search": {"fi": "Hae palveluita", "sv": "Sök tjänster", "en": "Find services"},
    "nav.provider": {"fi": "Palveluntuottajan sivut", "sv": "Producentens sidor", "en": "Provider pages"},
    "nav.reviews": {"fi": "Hyväksyntäjono", "sv": "Granskningskö", "en": "Review queue"},
    "nav.register_provider": {
        "fi": "Rekisteröidy palveluntuottajaksi",
        "sv": "Registrera dig som tjänsteproducent",
        "en": "Register as a provider",
    },
    # The footer's links to the guidance pages (served by the voucher: /guide/client, /guide/provider).
    "nav.guides": {"fi": "Ohjeet", "sv": "Anvisningar", "en": "Guides"},
    "nav.guide_client": {"fi": "Ohje asiakkaalle", "sv": "Anvisning för klienter", "en": "Guide for clients"},
    "nav.guide_provider": {"fi": "Ohje palveluntuottajalle", "sv": "Anvisning för tjänsteproducenter",
                           "en": "Guide for providers"},
    "site.footer": {
        "fi": "Henkilökohtaisen budjetin palvelualusta. Saavutettavuus: WCAG 2.1 AA.",
        "sv": "Tjänsteplattform för personlig budget. Tillgänglighet: WCAG 2.1 AA.",
        "en": "Personal budget service platform. Accessibility: WCAG 2.1 AA.",
    },
    "form.required": {"fi": "pakollinen", "sv": "obligatorisk", "en": "required"},
    "search.label": {"fi": "Mitä palvelua etsit?", "sv": "Vilken tjänst söker du?", "en": "What service are you looking for?"},
    "search.submit": {"fi": "Hae", "sv": "Sök", "en": "Search"},
    "home.for_providers": {"fi": "Palveluntuottajille", "sv": "För tjänsteproducenter", "en": "For providers"},
    "home.for_providers_text": {
        "fi": "Rekisteröi yrityksesi tai yhdistyksesi kerran ja hae hyväksyntää niiltä hyvinvointialueilta, joita haluat palvella.",
        "sv": "Registrera ditt företag eller din förening en gång och ansök om godkännande hos de välfärdsområden du vill betjäna.",
        "en": "Register your company or association once and apply for approval from each wellbeing services county you want to serve.",
    },
    "status.draft": {"fi": "Luonnos", "sv": "Utkast", "en": "Draft"},
    "status.submitted": {"fi": "Lähetetty", "sv": "Inskickad", "en": "Submitted"},
    "status.pending": {"fi": "Odottaa käsittelyä", "sv": "Väntar på behandling", "en": "Pending"},
    "status.approved": {"fi": "Hyväksytty", "sv": "Godkänd", "en": "Approved"},
    "status.rejected": {"fi": "Hylätty", "sv": "Avslagen", "en": "Rejected"},
    "status.changes_requested": {"fi": "Muutoksia pyydetty", "sv": "Ändringar begärda", "en": "Changes requested"},
    "status.suspended": {"fi": "Keskeytetty", "sv": "Avstängd", "en": "Suspended"},
    "status.superseded": {"fi": "Korvattu uudemmalla", "sv": "Ersatt", "en": "Superseded"},
    "password.forgot_link": {"fi": "Unohditko salasanan?", "sv": "Glömt lösenordet?", "en": "Forgot your password?"},
    "password.forgot_title": {"fi": "Salasanan vaihtaminen", "sv": "Byt lösenord", "en": "Reset your password"},
    "password.forgot_help": {
        "fi": "Kirjoita sähköpostiosoitteesi. Lähetämme siihen linkin, jolla voit asettaa uuden salasanan.",
        "sv": "Skriv din e-postadress. Vi skickar en länk där du kan välja ett nytt lösenord.",
        "en": "Enter your e-mail address. We will send you a link for choosing a new password.",
    },
    "password.send_link": {"fi": "Lähetä linkki", "sv": "Skicka länken", "en": "Send the link"},
    "password.sent": {
        "fi": "Jos osoitteella on tili, lähetimme siihen linkin. Linkki on voimassa 30 minuuttia ja toimii kerran.",
        "sv": "Om adressen har ett konto har vi skickat en länk dit. Länken gäller i 30 minuter och fungerar en gång.",
        "en": "If the address has an account, we have sent a link to it. The link works once, for 30 minutes.",
    },
    "password.reset_title": {"fi": "Uusi salasana", "sv": "Nytt lösenord", "en": "New password"},
    "password.new": {"fi": "Uusi salasana", "sv": "Nytt lösenord", "en": "New password"},
    "password.confirm": {"fi": "Uusi salasana uudelleen", "sv": "Nytt lösenord igen", "en": "New password again"},
    "password.rule": {"fi": "Vähintään {min} merkkiä.", "sv": "Minst {min} tecken.", "en": "At least {min} characters."},
    "password.save": {"fi": "Vaihda salasana", "sv": "Byt lösenord", "en": "Change the password"},
    "password.too_short": {
        "fi": "Salasana on liian lyhyt: vähintään 12 merkkiä.",
        "sv": "Lösenordet är för kort: minst 12 tecken.",
        "en": "The password is too short: at least 12 characters.",
    },
    "password.too_long": {"fi": "Salasana on liian pitkä.", "sv": "Lösenordet är för långt.", "en": "The password is too long."},
    "password.mismatch": {
        "fi": "Salasanat eivät ole samat.",
        "sv": "Lösenorden är inte likadana.",
        "en": "The two passwords are not the same.",
    },
    "password.link_invalid": {
        "fi": "Linkki on vanhentunut tai jo käytetty.",
        "sv": "Länken har gått ut eller redan använts.",
        "en": "The link has expired or has already been used.",
    },
    "password.ask_again": {"fi": "Pyydä uusi linkki", "sv": "Begär en ny länk", "en": "Ask for a new link"},
    "password.changed": {
        "fi": "Salasana on vaihdettu. Kirjaudu sisään uudella salasanalla.",
        "sv": "Lösenordet är bytt. Logga in med det nya lösenordet.",
        "en": "Your password has been changed. Sign in with the new password.",
    },
    "password.mail_subject": {
        "fi": "Salasanan vaihtaminen – Henkilökohtainen budjetti",
        "sv": "Byt lösenord – Personlig budget",
        "en": "Reset your password – Personal budget",
    },
    "password.mail_body": {
        "fi": "Hei,\n\nvoit asettaa uuden salasanan tästä linkistä:\n{link}\n\nLinkki on voimassa {minutes} minuuttia ja toimii kerran. Jos et pyytänyt tätä, voit jättää viestin huomiotta.",
        "sv": "Hej,\n\ndu kan välja ett nytt lösenord via den här länken:\n{link}\n\nLänken gäller i {minutes} minuter och fungerar en gång. Om du inte bad om detta kan du strunta i meddelandet.",
        "en": "Hello,\n\nyou can choose a new password with this link:\n{link}\n\nThe link works once, for {minutes} minutes. If you did not ask for this, you can ignore this message.",
    },
    "privacy.retention_not_over": {
        "fi": "Säilytysaika ei ole vielä päättynyt: asiakkaan tiedot voi pseudonymisoida {date} alkaen.",
        "sv": "Lagringstiden har inte gått ut: klientens uppgifter kan pseudonymiseras från och med {date}.",
        "en": "The retention period is not over: the client can be pseudonymised from {date}.",
    },
}


# A person's own account (core.account) and the administrators' account lists (admin.users).
ACCOUNT_MESSAGES = {
    "nav.account": {"fi": "Oma tili", "sv": "Mitt konto", "en": "My account"},
    "account.title": {"fi": "Oma tili", "sv": "Mitt konto", "en": "My account"},
    "account.who": {"fi": "Kuka olet palvelussa", "sv": "Vem du är i tjänsten", "en": "Who you are here"},
    "account.name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "account.role": {"fi": "Rooli", "sv": "Roll", "en": "Role"},
    "account.scope.organiser": {"fi": "Hyvinvointialue", "sv": "Välfärdsområde", "en": "Wellbeing services county"},
    "account.scope.provider": {"fi": "Palveluntuottaja", "sv": "Tjänsteproducent", "en": "Provider"},
    "account.scope.client": {"fi": "Asiakas", "sv": "Klient", "en": "Client"},
    "account.scope.proxy_for": {"fi": "Asioi asiakkaan puolesta", "sv": "Sköter ärenden för klienten",
                                "en": "Acts for the client"},
    "account.sessions": {"fi": "Kirjautumiset", "sv": "Inloggningar", "en": "Sessions"},
    "account.sessions_help": {
        "fi": "Nämä kirjautumiset ovat voimassa. Jos et tunnista jotakin, lopeta se ja vaihda salasana.",
        "sv": "Dessa inloggningar är giltiga. Om du inte känner igen någon, avsluta den och byt lösenord.",
        "en": "These sessions are open. If you do not recognise one, end it and change your password.",
    },
    "account.session.started": {"fi": "Kirjautunut", "sv": "Inloggad", "en": "Signed in"},
    "account.session.last_seen": {"fi": "Viimeksi käytetty", "sv": "Senast använd", "en": "Last used"},
    "account.session.expires": {"fi": "Vanhenee", "sv": "Går ut", "en": "Expires"},
    "account.session.actions": {"fi": "Toiminnot", "sv": "Åtgärder", "en": "Actions"},
    "account.session.this": {"fi": "tämä laite", "sv": "den här enheten", "en": "this device"},
    "account.session.end": {"fi": "Lopeta", "sv": "Avsluta", "en": "End"},
    "account.session.end_this": {"fi": "Kirjaudu ulos", "sv": "Logga ut", "en": "Sign out"},
    "account.session.end_others": {"fi": "Lopeta kaikki muut kirjautumiset", "sv": "Avsluta alla andra inloggningar",
                                   "en": "End all other sessions"},
    "account.password": {"fi": "Vaihda salasana", "sv": "Byt lösenord", "en": "Change your password"},
    "account.password_help": {
        "fi": "Muut kirjautumisesi päättyvät, kun salasana vaihtuu. Tämä kirjautuminen jatkuu.",
        "sv": "Dina andra inloggningar avslutas när lösenordet byts. Den här inloggningen fortsätter.",
        "en": "Your other sessions end when the password changes. This one continues.",
    },
    "account.current_password": {"fi": "Nykyinen salasana", "sv": "Nuvarande lösenord", "en": "Current password"},
    "account.password_wrong": {"fi": "Nykyinen salasana ei ole oikein.", "sv": "Det nuvarande lösenordet är fel.",
                               "en": "The current password is wrong."},
    "account.done.session_ended": {"fi": "Kirjautuminen lopetettiin.", "sv": "Inloggningen avslutades.",
                                   "en": "The session was ended."},
    "account.done.others_ended": {"fi": "Kaikki muut kirjautumiset lopetettiin.",
                                  "sv": "Alla andra inloggningar avslutades.", "en": "All other sessions were ended."},
    "account.done.password_changed": {
        "fi": "Salasana vaihdettiin. Muut kirjautumisesi päättyivät.",
        "sv": "Lösenordet byttes. Dina andra inloggningar avslutades.",
        "en": "Your password was changed. Your other sessions were ended.",
    },
    "users.title": {"fi": "Käyttäjät", "sv": "Användare", "en": "Users"},
    "users.lead_organiser": {
        "fi": "Alueesi pääkäyttäjät, asiakasohjaajat, asiakkaat ja heidän omaisensa.",
        "sv": "Områdets huvudanvändare, klienthandledare, klienter och deras anhöriga.",
        "en": "Your county's admins, counsellors, clients and their proxies.",
    },
    "users.lead_platform": {"fi": "Kaikki palvelun käyttäjät.", "sv": "Alla användare av tjänsten.",
                            "en": "Everyone with an account."},
    "users.search": {"fi": "Hae sähköpostilla tai nimellä", "sv": "Sök med e-post eller namn",
                     "en": "Search by e-mail or name"},
    "users.status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "users.status.active": {"fi": "Käytössä", "sv": "Aktiv", "en": "Active"},
    "users.status.inactive": {"fi": "Poistettu käytöstä", "sv": "Inaktiverad", "en": "Deactivated"},
    "users.all_roles": {"fi": "Kaikki roolit", "sv": "Alla roller", "en": "All roles"},
    "users.all_statuses": {"fi": "Kaikki", "sv": "Alla", "en": "All"},
    "users.count": {"fi": "{n} käyttäjää", "sv": "{n} användare", "en": "{n} users"},
    "users.last_sign_in": {"fi": "Viimeksi kirjautunut", "sv": "Senast inloggad", "en": "Last signed in"},
    "users.never": {"fi": "ei koskaan", "sv": "aldrig", "en": "never"},
    "users.actions": {"fi": "Toiminnot", "sv": "Åtgärder", "en": "Actions"},
    "users.deactivate": {"fi": "Poista käytöstä", "sv": "Inaktivera", "en": "Deactivate"},
    "users.reactivate": {"fi": "Ota uudelleen käyttöön", "sv": "Aktivera igen", "en": "Reactivate"},
    "users.reason": {"fi": "Syy", "sv": "Orsak", "en": "Reason"},
    "users.deactivated": {
        "fi": "Käyttäjä poistettiin käytöstä: kirjautumiset päättyivät ja hänen luomansa API-avaimet peruttiin.",
        "sv": "Användaren inaktiverades: inloggningarna avslutades och nycklarna hen skapat återkallades.",
        "en": "The user was deactivated: their sessions ended and the API keys they made were revoked.",
    },
    "users.reactivated": {"fi": "Käyttäjä voi taas kirjautua.", "sv": "Användaren kan logga in igen.",
                          "en": "The user can sign in again."},
    "users.error.self": {"fi": "Et voi poistaa omaa tiliäsi käytöstä.", "sv": "Du kan inte inaktivera ditt eget konto.",
                         "en": "You cannot deactivate your own account."},
    "users.error.state": {"fi": "Käyttäjä on jo tässä tilassa.", "sv": "Användaren har redan den statusen.",
                          "en": "The user is already in that state."},
}

register(MESSAGES)
register(ACCOUNT_MESSAGES)
