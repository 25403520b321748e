"""The texts of the guidance pages ``/guide/client`` and ``/guide/provider`` (voucher.guidance), in
Finnish, Swedish and English. The client's guide is in plain language (selkokieli, lättläst): short
sentences, common words, one thing a sentence, headings as questions.

``GUIDES`` keeps each page's sections in order: a section is its name, its heading and its
sentences, each as (fi, sv, en). They are registered as ``guide.<page>.<section>.h`` and
``guide.<page>.<section>.<n>``; ``{days}`` is the dispute window (``Settings.dispute_window_days``).
What they say is what the platform does: check them when a rule changes (docs/decisions/0031)."""

from core.i18n import register

T = tuple[str, str, str]

CLIENT: list[tuple[str, T, list[T]]] = [
    ("what", ("Mikä on henkilökohtainen budjetti?", "Vad är en personlig budget?", "What is a personal budget?"), [
        ("Henkilökohtainen budjetti on rahasumma sinun tukeesi.", "En personlig budget är en summa pengar för ditt stöd.",
         "A personal budget is a sum of money for your support."),
        ("Hyvinvointialue päättää summan.", "Välfärdsområdet bestämmer summan.", "Your wellbeing services county decides the sum."),
        ("Sinä päätät, mistä ostat palvelut.", "Du bestämmer var du köper tjänsterna.", "You decide where you buy your services."),
        ("Voit ostaa itse tai yhdessä läheisen tai asiakasohjaajan kanssa.",
         "Du kan köpa själv eller tillsammans med en närstående eller din klienthandledare.",
         "You can buy on your own, or together with a close person or your counsellor."),
        ("Raha ei tule sinun tilillesi.", "Pengarna kommer inte till ditt konto.", "The money does not come to your bank account."),
        ("Hyvinvointialue maksaa palveluntuottajalle.", "Välfärdsområdet betalar tjänsteproducenten.",
         "The county pays the provider."),
    ]),
    ("get", ("Miten saan budjetin?", "Hur får jag en budget?", "How do I get a budget?"), [
        ("Asiakasohjaaja selvittää kanssasi, mitä tukea tarvitset.", "Klienthandledaren tar reda på vilket stöd du behöver, tillsammans med dig.",
         "Your counsellor finds out with you what support you need."),
        ("Hän arvioi myös, sopiiko budjetti sinulle.", "Hen bedömer också om en budget passar dig.",
         "They also assess whether a budget suits you."),
        ("Sitten hyvinvointialue tekee päätöksen.", "Sedan fattar välfärdsområdet ett beslut.", "Then the county makes a decision."),
        ("Näet päätöksen ja rahasi sivulla Oma budjetti.", "Du ser beslutet och dina pengar på sidan Min budget.",
         "You see the decision and your money on the page My budget."),
    ]),
    ("choose", ("Miten valitsen palvelun?", "Hur väljer jag en tjänst?", "How do I choose a service?"), [
        ("Etsi palveluja sivulla Hae palveluita.", "Sök tjänster på sidan Sök tjänster.", "Look for services on the page Find services."),
        ("Näet vain palvelut, jotka sinun hyvinvointialueesi on hyväksynyt.",
         "Du ser bara tjänster som ditt välfärdsområde har godkänt.",
         "You only see services that your county has approved."),
        ("Haku kertoo, voiko budjettisi maksaa palvelun.", "Sökningen visar om din budget kan betala tjänsten.",
         "The search tells you whether your budget can pay for the service."),
        ("Voit varata palvelun.", "Du kan boka tjänsten.", "You can book the service."),
        ("Varaus varaa rahan budjetistasi.", "Bokningen reserverar pengar i din budget.", "A booking reserves the money in your budget."),
        ("Voit myös maksaa HB-kortilla palveluntuottajan luona.", "Du kan också betala med HB-kortet hos tjänsteproducenten.",
         "You can also pay with your HB card at the provider."),
        ("Läheinen voi auttaa sinua, jos annat hänelle luvan.", "En närstående kan hjälpa dig om du ger hen lov.",
         "A close person can help you if you give them permission."),
    ]),
    ("pays_for", ("Mihin budjetin voi käyttää?", "Vad kan budgeten användas till?", "What can the budget pay for?"), [
        ("Budjetilla voi ostaa palveluja, jotka ovat päätöksessäsi.", "Med budgeten kan du köpa de tjänster som finns i ditt beslut.",
         "The budget pays for the services in your decision."),
        ("Päätöksessä on rivi jokaiselle palvelulle.", "Beslutet har en rad för varje tjänst.",
         "The decision has a line for each service."),
        ("Rivi voi olla esimerkiksi päivätoiminta tai kuljetus.", "En rad kan till exempel vara dagverksamhet eller färdtjänst.",
         "A line can be, for example, day activities or transport."),
        ("Joskus rahaa voi käyttää myös toiseen palveluun.", "Ibland kan pengarna också användas till en annan tjänst.",
         "Sometimes the money can also be used for another service."),
        ("Päätös kertoo, milloin voi.", "Beslutet visar när det går.", "The decision tells you when."),
        ("Budjetti maksaa enintään palvelun hinnan.", "Budgeten betalar högst tjänstens pris.",
         "The budget pays at most the price of the service."),
        ("Budjetti ei maksa palvelua, jota hyvinvointialue ei ole hyväksynyt.",
         "Budgeten betalar inte en tjänst som välfärdsområdet inte har godkänt.",
         "The budget does not pay for a service the county has not approved."),
    ]),
    ("card", ("Miten maksan kortilla?", "Hur betalar jag med kortet?", "How do I pay with the card?"), [
        ("Näytä HB-kortti tai sen QR-koodi palveluntuottajalle.", "Visa HB-kortet eller dess QR-kod för tjänsteproducenten.",
         "Show your HB card or its QR code to the provider."),
        ("Pieneen maksuun ei tarvita koodia.", "För en liten betalning behövs ingen kod.", "A small payment needs no code."),
        ("Isompaan maksuun tarvitaan PIN-koodi tai kertakoodi.", "För en större betalning behövs en PIN-kod eller en engångskod.",
         "A larger payment needs your PIN or a one-time code."),
        ("Teet koodit sivulla Maksaminen.", "Du gör koderna på sidan Betalning.", "You make the codes on the page Paying."),
        ("Älä kerro PIN-koodia kenellekään.", "Berätta inte din PIN-kod för någon.", "Do not tell your PIN to anyone."),
    ]),
    ("own_share", ("Maksanko itse jotain?", "Betalar jag något själv?", "Do I pay something myself?"), [
        ("Joskus maksat osan palvelusta itse.", "Ibland betalar du en del av tjänsten själv.",
         "Sometimes you pay part of the service yourself."),
        ("Sitä kutsutaan asiakasmaksuksi tai omavastuuksi.", "Det kallas klientavgift eller självrisk.",
         "This is called a client fee or own share."),
        ("Hyvinvointialueen maksupäätös kertoo, maksatko ja kuinka paljon.",
         "Välfärdsområdets avgiftsbeslut visar om du betalar och hur mycket.",
         "The county's fee decision says whether you pay and how much."),
        ("Budjetti maksaa oman osansa.", "Budgeten betalar sin del.", "The budget pays its part."),
        ("Sinä maksat oman osuutesi suoraan palveluntuottajalle.", "Du betalar din egen del direkt till tjänsteproducenten.",
         "You pay your own part directly to the provider."),
        ("Varauksessa näet, paljonko budjetti maksaa ja paljonko sinä maksat.",
         "I bokningen ser du hur mycket budgeten betalar och hur mycket du betalar.",
         "The booking shows how much the budget pays and how much you pay."),
    ]),
    ("dispute", ("Mitä teen, jos maksu on väärin?", "Vad gör jag om en betalning är fel?",
                 "What do I do if a payment is wrong?"), [
        ("Saat viestin jokaisesta maksusta.", "Du får ett meddelande om varje betalning.", "You get a message about every payment."),
        ("Maksun sivulla lukee, mihin asti voit kiistää maksun.", "På betalningens sida står det till när du kan bestrida den.",
         "The payment's page says until when you can dispute it."),
        ("Yleensä aikaa on {days} päivää.", "Oftast har du {days} dagar på dig.", "Usually you have {days} days."),
        ("Kirjoita, miksi maksu on mielestäsi väärin.", "Skriv varför du tycker att betalningen är fel.",
         "Write why you think the payment is wrong."),
        ("Hyvinvointialue päättää asiasta.", "Välfärdsområdet bestämmer i saken.", "The county decides."),
        ("Se voi palauttaa rahan budjettiisi kokonaan tai osittain.", "Det kan ge tillbaka pengarna till din budget, helt eller delvis.",
         "It can return the money to your budget, all of it or a part."),
        ("Palveluntuottaja saa rahan vasta, kun asia on ratkaistu.", "Tjänsteproducenten får pengarna först när saken är avgjord.",
         "The provider gets the money only when the matter is decided."),
        ("Varatun palvelun jälkeen kerrot varauksen sivulla, saitko palvelun.",
         "Efter en bokad tjänst berättar du på bokningens sida om du fick tjänsten.",
         "After a booked service, you say on the booking's page whether you got the service."),
    ]),
    ("help", ("Keneltä saan apua?", "Vem kan hjälpa mig?", "Who can help me?"), [
        ("Kysy asiakasohjaajaltasi.", "Fråga din klienthandledare.", "Ask your counsellor."),
        ("Läheinen voi kysyä puolestasi, jos annat hänelle luvan.", "En närstående kan fråga för dig om du ger hen lov.",
         "A close person can ask for you if you give them permission."),
    ]),
]

PROVIDER: list[tuple[str, T, list[T]]] = [
    ("what", ("Mikä on henkilökohtainen budjetti?", "Vad är en personlig budget?", "What is a personal budget?"), [
        ("Hyvinvointialue myöntää asiakkaalle budjetin, ja asiakas valitsee itse palvelunsa ja niiden tuottajat.",
         "Välfärdsområdet beviljar klienten en budget, och klienten väljer själv sina tjänster och producenter.",
         "The county grants the client a budget, and the client chooses their services and providers."),
        ("Hyvinvointialue maksaa budjetin osuuden sinulle tämän palvelun kautta. Et laskuta asiakasta budjetin osuudesta.",
         "Välfärdsområdet betalar budgetens del till dig via den här tjänsten. Du fakturerar inte klienten för budgetens del.",
         "The county pays the budget's part to you through this service. You do not invoice the client for it."),
    ]),
    ("listed", ("Miten pääsen mukaan?", "Hur kommer jag med?", "How do I get listed?"), [
        ("Rekisteröidy sivulla Rekisteröidy palveluntuottajaksi: Y-tunnus, yhteystiedot, tilinumero (IBAN) ja "
         "hyvinvointialueet, joita haluat palvella.",
         "Registrera dig på sidan Registrera dig som tjänsteproducent: FO-nummer, kontaktuppgifter, kontonummer (IBAN) "
         "och de välfärdsområden du vill betjäna.",
         "Register on the page Register as a provider: business ID, contact details, bank account (IBAN) and the "
         "counties you want to serve."),
        ("Jokainen hyvinvointialue hyväksyy sinut erikseen. Se voi pyytää palveluluokan mukaan selvityksiä, esimerkiksi "
         "ennakkoperintärekisteriotteen, vastuuvakuutuksen tai yksityisten sosiaalipalvelujen rekisteröinnin.",
         "Varje välfärdsområde godkänner dig separat. Det kan be om utredningar enligt tjänsteklass, till exempel utdrag "
         "ur förskottsuppbördsregistret, ansvarsförsäkring eller registrering av privat socialservice.",
         "Each county approves you separately. It may ask for evidence by service category, for example the "
         "prepayment register, liability insurance or the registration of private social services."),
        ("Lisää palvelusi hintoineen ja yksiköineen. Asiakkaat näkevät palvelun vasta, kun heidän hyvinvointialueensa "
         "on hyväksynyt sen.",
         "Lägg till dina tjänster med pris och enhet. Klienterna ser en tjänst först när deras välfärdsområde har godkänt den.",
         "Add your services with their price and unit. Clients see a service only once their county has approved it."),
        ("Pidä selvitykset ajan tasalla: hyväksyntä voi vanhentua tai keskeytyä.",
         "Håll utredningarna aktuella: ett godkännande kan löpa ut eller avbrytas.",
         "Keep your evidence up to date: an approval can expire or be suspended."),
    ]),
    ("bookings", ("Miten varaukset toimivat?", "Hur fungerar bokningar?", "How do bookings work?"), [
        ("Asiakas tai hänen läheisensä varaa palvelun. Sinä vahvistat tai hylkäät varauspyynnön.",
         "Klienten eller en närstående bokar tjänsten. Du bekräftar eller avböjer bokningsförfrågan.",
         "The client or their close person books. You confirm or decline the request."),
        ("Varaus varaa rahan asiakkaan budjetista heti, joten maksu on katettu.",
         "Bokningen reserverar pengarna i klientens budget genast, så betalningen är täckt.",
         "The booking reserves the money in the client's budget at once, so the payment is covered."),
        ("Merkitse palvelu toteutuneeksi, kun se on annettu. Asiakas vahvistaa tai kiistää sen {days} päivän kuluessa "
         "palvelun päättymisestä; jos hän ei vastaa, maksu vapautuu itsestään.",
         "Markera tjänsten som utförd när den har getts. Klienten bekräftar eller bestrider den inom {days} dagar efter "
         "att tjänsten slutade; om klienten inte svarar frigörs betalningen automatiskt.",
         "Mark the service delivered once given. The client confirms or disputes it within {days} days of its end; "
         "without an answer the payment is released automatically."),
        ("Peruutus on maksuton palvelun peruutusajan loppuun asti; sen jälkeen peritään palvelussa ilmoitettu "
         "myöhäisen peruutuksen maksu.",
         "En avbokning är avgiftsfri fram till tjänstens avbokningstid; därefter tas den avgift för sen avbokning "
         "som anges i tjänsten ut.",
         "Cancelling is free until the service's cancellation deadline; after it, the late-cancellation fee shown "
         "on the service applies."),
    ]),
    ("card", ("Miten korttimaksut toimivat?", "Hur fungerar kortbetalningar?", "How do card payments work?"), [
        ("Asiakas näyttää HB-kortin tai sen QR-koodin. Maksu voi olla enintään palvelun hinta kertaa määrä "
         "(ja hyvinvointialueen sallima jousto).",
         "Klienten visar HB-kortet eller dess QR-kod. Betalningen kan vara högst tjänstens pris gånger mängden "
         "(och den flexibilitet välfärdsområdet tillåter).",
         "The client shows the HB card or its QR code. A payment can be at most the service's price times the "
         "quantity (plus the county's tolerance)."),
        ("Hyvinvointialueen pienen maksun rajan ylittävään maksuun asiakas antaa PIN-koodin tai kertakoodin.",
         "För en betalning över välfärdsområdets gräns för små betalningar ger klienten sin PIN-kod eller en engångskod.",
         "For a payment above the county's small-payment limit the client gives their PIN or a one-time code."),
        ("Asiakas saa tiedon jokaisesta maksusta ja voi kiistää sen {days} päivän kuluessa.",
         "Klienten får veta om varje betalning och kan bestrida den inom {days} dagar.",
         "The client is told of every payment and may dispute it within {days} days."),
    ]),
    ("own_share", ("Mitä perin asiakkaalta itse?", "Vad tar jag ut av klienten själv?",
                   "What do I collect from the client?"), [
        ("Kun hyvinvointialueen asiakasmaksupäätös niin määrää, asiakas maksaa osan hinnasta (asiakasmaksu tai "
         "omavastuu) suoraan sinulle.",
         "När välfärdsområdets avgiftsbeslut säger så betalar klienten en del av priset (klientavgift eller självrisk) "
         "direkt till dig.",
         "When the county's client-fee decision says so, the client pays part of the price (client fee or own share) "
         "directly to you."),
        ("Budjetti maksaa vain oman osuutensa. Varaus ja maksu näyttävät, paljonko perit asiakkaalta.",
         "Budgeten betalar bara sin del. Bokningen och betalningen visar hur mycket du tar ut av klienten.",
         "The budget pays only its part. The booking and the payment show how much to collect from the client."),
        ("Älä peri asiakkaalta budjetin osuutta.", "Ta inte ut budgetens del av klienten.",
         "Do not charge the client for the budget's part."),
    ]),
    ("disputes", ("Mitä tapahtuu, jos asiakas kiistää maksun?", "Vad händer om klienten bestrider en betalning?",
                  "What happens if the client disputes a payment?"), [
        ("Kiistettyä maksua ei makseta sinulle, ennen kuin hyvinvointialue on päättänyt asiasta.",
         "En bestridd betalning betalas inte till dig förrän välfärdsområdet har avgjort saken.",
         "A disputed payment is not paid to you until the county has decided."),
        ("Hyvinvointialue palauttaa rahan asiakkaalle kokonaan tai osittain tai vapauttaa maksun sinulle. "
         "Saat tiedon päätöksestä ja sen perustelusta.",
         "Välfärdsområdet ger tillbaka pengarna till klienten helt eller delvis, eller frigör betalningen till dig. "
         "Du får veta beslutet och motiveringen.",
         "The county refunds the client in full or in part, or releases the payment to you. You are told the "
         "decision and its reason."),
    ]),
    ("settlement", ("Milloin saan rahat?", "När får jag pengarna?", "When am I paid?"), [
        ("Hyvinvointialue tilittää maksut jaksoittain: päivittäin, viikoittain tai kuukausittain, kuten se on valinnut.",
         "Välfärdsområdet redovisar betalningarna per period: dagligen, veckovis eller månadsvis, som det har valt.",
         "The county settles payments per period: daily, weekly or monthly, as it has chosen."),
        ("Maksu tulee tilitykseen, kun sen kiistämisaika on päättynyt tai kiista on ratkaistu.",
         "En betalning kommer med i redovisningen när tiden för att bestrida den har gått ut eller tvisten är avgjord.",
         "A payment is settled once its dispute window has passed or its dispute is resolved."),
        ("Raha maksetaan tilillesi. Sivulla Maksut ja tilitykset näet, mitä maksuja kukin tilitys sisältää.",
         "Pengarna betalas till ditt konto. På sidan Betalningar och redovisningar ser du vilka betalningar varje redovisning omfattar.",
         "The money is paid to your account. The page Payments and settlements shows which payments each payout covers."),
        ("Jos vaihdat tilinumeron, seuraava maksu odottaa, kunnes kaksi hyvinvointialueen pääkäyttäjää on vahvistanut sen.",
         "Om du byter kontonummer väntar nästa betalning tills två av välfärdsområdets huvudanvändare har bekräftat det.",
         "If you change your bank account, the next payout waits until two of the county's administrators have "
         "confirmed it."),
    ]),
]

GUIDES = {"client": CLIENT, "provider": PROVIDER}

PAGE_TEXTS = {
    "guide.client.title": ("Ohje asiakkaalle", "Anvisning för klienter", "Guide for clients"),
    "guide.client.lead": ("Tässä kerrotaan, miten henkilökohtainen budjetti toimii.",
                          "Här får du veta hur en personlig budget fungerar.",
                          "This page tells you how a personal budget works."),
    "guide.client.link": ("Ohje: miten henkilökohtainen budjetti toimii", "Anvisning: hur en personlig budget fungerar",
                          "Guide: how a personal budget works"),
    "guide.provider.title": ("Ohje palveluntuottajalle", "Anvisning för tjänsteproducenter", "Guide for providers"),
    "guide.provider.lead": ("Näin tarjoat palveluja henkilökohtaisen budjetin asiakkaille ja saat maksusi.",
                            "Så här erbjuder du tjänster till klienter med personlig budget och får betalt.",
                            "How to offer services to personal-budget clients and get paid."),
    "guide.contents": ("Sisältö", "Innehåll", "Contents"),
    "guide.other.client": ("Ohje palveluntuottajalle", "Anvisning för tjänsteproducenter", "Guide for providers"),
    "guide.other.provider": ("Ohje asiakkaalle", "Anvisning för klienter", "Guide for clients"),
}


def _messages() -> dict[str, dict[str, str]]:
    out = {key: dict(zip(("fi", "sv", "en"), texts)) for key, texts in PAGE_TEXTS.items()}
    for guide, sections in GUIDES.items():
        for name, heading, sentences in sections:
            out[f"guide.{guide}.{name}.h"] = dict(zip(("fi", "sv", "en"), heading))
            for n, texts in enumerate(sentences):
                out[f"guide.{guide}.{name}.{n}"] = dict(zip(("fi", "sv", "en"), texts))
    return out


register(_messages())
