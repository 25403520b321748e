"""Texts of evidence documents and their expiry (marketplace.documents), fi/sv/en."""

from core.i18n import register

MESSAGES = {
    "document.file_missing": {"fi": "Valitse tiedosto.", "sv": "Välj en fil.", "en": "Choose a file."},
    "document.too_large": {"fi": "Tiedosto on liian suuri: enintään 10 Mt.", "sv": "Filen är för stor: högst 10 MB.",
                           "en": "The file is too large: at most 10 MB."},
    "document.wrong_type": {
        "fi": "Tiedosto ei ole PDF, JPEG eikä PNG. Tiedoston sisältö ratkaisee, ei sen nimi.",
        "sv": "Filen är inte PDF, JPEG eller PNG. Filens innehåll avgör, inte dess namn.",
        "en": "The file is not a PDF, JPEG or PNG. Its content decides, not its name.",
    },
    "document.date_missing": {"fi": "Anna päivämäärä (vvvv-kk-pp).", "sv": "Ange ett datum (åååå-mm-dd).",
                              "en": "Give a date (yyyy-mm-dd)."},
    "document.until_before_from": {"fi": "Voimassaolo ei voi päättyä ennen alkamistaan.",
                                   "sv": "Giltigheten kan inte upphöra innan den börjar.",
                                   "en": "The validity cannot end before it starts."},
    "document.unknown_requirement": {
        "fi": "Valitse vaatimus, jota palveluluokkasi edellyttävät.",
        "sv": "Välj ett krav som dina tjänsteklasser förutsätter.",
        "en": "Choose a requirement your service categories ask for.",
    },
    "evidence.title": {"fi": "Asiakirjat ja niiden voimassaolo", "sv": "Dokument och deras giltighet",
                       "en": "Documents and their validity"},
    "evidence.intro": {
        "fi": "Lataa jokaisesta vaatimuksesta asiakirja (esimerkiksi vastuuvakuutus, rikosrekisteriote lasten kanssa "
              "työskentelyyn tai lupa). Hyväksyntäsi on voimassa aikaisimman asiakirjan päättymispäivään asti. "
              "Muistutamme 30 ja 7 päivää ennen. Asiakirjat näkevät vain teidän henkilökuntanne ja hakemuksenne "
              "käsittelevän järjestäjän pääkäyttäjät.",
        "sv": "Ladda upp ett dokument för varje krav (till exempel ansvarsförsäkring, straffregisterutdrag för arbete "
              "med barn eller tillstånd). Ditt godkännande gäller till det tidigaste dokumentets slutdatum. Vi "
              "påminner 30 och 7 dagar innan. Dokumenten ses bara av er personal och administratörerna hos den "
              "anordnare som behandlar er ansökan.",
        "en": "Upload a document for each requirement (for example liability insurance, a criminal record extract "
              "for work with children, or a licence). Your approval holds until the earliest document's end date. "
              "We remind you 30 and 7 days before. Only your own staff and the administrators of the organiser "
              "reviewing your application can see the documents.",
    },
    "evidence.list": {"fi": "Ladatut asiakirjat", "sv": "Uppladdade dokument", "en": "Uploaded documents"},
    "evidence.back": {"fi": "Palveluntuottajan sivulle", "sv": "Till producentsidan", "en": "To the provider page"},
    "evidence.link": {"fi": "Asiakirjat ja voimassaolo", "sv": "Dokument och giltighet", "en": "Documents and validity"},
    "evidence.requirement": {"fi": "Vaatimus", "sv": "Krav", "en": "Requirement"},
    "evidence.file": {"fi": "Tiedosto", "sv": "Fil", "en": "File"},
    "evidence.file_hint": {"fi": "PDF, JPEG tai PNG, enintään 10 Mt.", "sv": "PDF, JPEG eller PNG, högst 10 MB.",
                           "en": "PDF, JPEG or PNG, at most 10 MB."},
    "evidence.valid_from": {"fi": "Voimassa alkaen", "sv": "Giltig från", "en": "Valid from"},
    "evidence.valid_until": {"fi": "Voimassa asti", "sv": "Giltig till", "en": "Valid until"},
    "evidence.upload": {"fi": "Lataa asiakirja", "sv": "Ladda upp dokument", "en": "Upload document"},
    "evidence.uploaded": {"fi": "Asiakirja ladattu.", "sv": "Dokumentet har laddats upp.", "en": "Document uploaded."},
    "evidence.none": {"fi": "Ei ladattuja asiakirjoja.", "sv": "Inga uppladdade dokument.", "en": "No documents uploaded."},
    "evidence.open": {"fi": "Avaa", "sv": "Öppna", "en": "Open"},
    "evidence.no_requirements": {"fi": "Palveluluokkasi eivät edellytä asiakirjoja.",
                                 "sv": "Dina tjänsteklasser kräver inga dokument.",
                                 "en": "Your service categories ask for no documents."},
    "evidence.approval_until": {"fi": "{organiser}: hyväksyntä voimassa {day} asti.",
                                "sv": "{organiser}: godkännandet gäller till {day}.",
                                "en": "{organiser}: approval valid until {day}."},
    "evidence.approval_expired": {
        "fi": "{organiser}: hyväksyntä päättyi {day}, koska asiakirja on vanhentunut: {requirements}. Palvelusi eivät "
              "näy haussa eikä uusia maksuja hyväksytä, ennen kuin lataat voimassa olevan asiakirjan.",
        "sv": "{organiser}: godkännandet upphörde {day} eftersom ett dokument har gått ut: {requirements}. Dina "
              "tjänster syns inte i sökningen och nya betalningar godkänns inte förrän du laddar upp ett giltigt dokument.",
        "en": "{organiser}: approval ended {day} because a document expired: {requirements}. Your services are not "
              "shown in search and new payments are declined until you upload a valid document.",
    },
    # A requirement an organiser may set for work with children (Act 504/2002): named like the others.
    "req.criminal_record_extract": {
        "fi": "Rikosrekisteriote lasten kanssa työskentelyyn", "sv": "Straffregisterutdrag för arbete med barn",
        "en": "Criminal record extract for work with children",
    },
    "status.expired": {"fi": "Vanhentunut", "sv": "Utgått", "en": "Expired"},
    "notify.evidence_expiring.subject": {
        "fi": "{provider}: asiakirja vanhenee {days} päivän kuluttua",
        "sv": "{provider}: ett dokument går ut om {days} dagar",
        "en": "{provider}: a document expires in {days} days",
    },
    "notify.evidence_expiring.body": {
        "fi": "Palveluntuottajan {provider} hyväksyntä järjestäjällä {organiser} on voimassa {until_day} asti, koska "
              "asiakirja vanhenee silloin. Uusi asiakirja ladataan palveluntuottajan sivulla.",
        "sv": "Producenten {provider}s godkännande hos {organiser} gäller till {until_day}, eftersom ett dokument går ut "
              "då. Ett nytt dokument laddas upp på producentsidan.",
        "en": "The approval of {provider} with {organiser} holds until {until_day}, when a document expires. A new "
              "document is uploaded on the provider's page.",
    },
    "notify.evidence_expired.subject": {
        "fi": "{provider}: hyväksyntä päättyi, asiakirja vanheni",
        "sv": "{provider}: godkännandet upphörde, ett dokument gick ut",
        "en": "{provider}: approval ended, a document expired",
    },
    "notify.evidence_expired.body": {
        "fi": "Palveluntuottajan {provider} hyväksyntä järjestäjällä {organiser} päättyi {until_day}: asiakirja "
              "vanheni. Palvelut eivät näy haussa eikä uusia maksuja hyväksytä, ennen kuin voimassa oleva asiakirja "
              "on ladattu.",
        "sv": "Producenten {provider}s godkännande hos {organiser} upphörde {until_day}: ett dokument gick ut. "
              "Tjänsterna syns inte i sökningen och nya betalningar godkänns inte förrän ett giltigt dokument laddats upp.",
        "en": "The approval of {provider} with {organiser} ended on {until_day}: a document expired. Its services are "
              "not shown in search and new payments are declined until a valid document is uploaded.",
    },
}

register(MESSAGES)
