"""Search texts in Finnish, Swedish and English."""

from core.i18n import register

register({
    "search.title": {"fi": "Hae palveluita", "sv": "Sök tjänster", "en": "Find services"},
    "search.results.one": {"fi": "{total} palvelu", "sv": "{total} tjänst", "en": "{total} service"},
    "search.results": {"fi": "{total} palvelua", "sv": "{total} tjänster", "en": "{total} services"},
    "search.none": {
        "fi": "Hakuehdoilla ei löytynyt palveluita. Kokeile lyhyempää hakusanaa tai poista rajauksia.",
        "sv": "Inga tjänster hittades. Pröva ett kortare sökord eller ta bort filter.",
        "en": "No services found. Try a shorter word or remove some filters.",
    },
    "search.refine": {"fi": "Rajaa hakua", "sv": "Avgränsa sökningen", "en": "Narrow the search"},
    "search.max_price_invalid": {"fi": "Anna enimmäishinta euroina, esimerkiksi 50 tai 49,90. Muut rajaukset ja hakusanat pidettiin.",
                                 "sv": "Ange högsta pris i euro, till exempel 50 eller 49,90. Övriga avgränsningar och sökord behölls.",
                                 "en": "Give the maximum price in euros, such as 50 or 49.90. The other filters and the words were kept."},
    "search.max_price": {"fi": "Enimmäishinta (euroa)", "sv": "Högsta pris (euro)", "en": "Maximum price (euros)"},
    "search.max_price_hint": {"fi": "Hinta yksikköä kohden, esim. 50 tai 49,90", "sv": "Pris per enhet, t.ex. 50 eller 49,90", "en": "Price per unit, e.g. 50 or 49.90"},
    "search.accessible_only": {"fi": "Vain saavutettavat palvelut", "sv": "Endast tillgängliga tjänster", "en": "Accessible services only"},
    "search.free_only": {"fi": "Maksuton", "sv": "Avgiftsfri", "en": "Free of charge"},
    "search.clear": {"fi": "Tyhjennä rajaukset", "sv": "Rensa filter", "en": "Clear filters"},
    "search.fits_budget": {"fi": "Mahtuu budjettiisi", "sv": "Ryms i din budget", "en": "Fits your budget"},
    "search.over_budget": {"fi": "Ylittää käytettävissä olevan summan", "sv": "Överskrider tillgängligt belopp", "en": "More than you have left"},
    "search.per": {"fi": "/ {unit}", "sv": "/ {unit}", "en": "per {unit}"},
    "search.provider": {"fi": "Palveluntuottaja", "sv": "Tjänsteproducent", "en": "Provider"},
    "search.facet.category": {"fi": "Palveluluokka", "sv": "Kategori", "en": "Category"},
    "search.facet.municipality": {"fi": "Kunta", "sv": "Kommun", "en": "Municipality"},
    "search.facet.delivery_mode": {"fi": "Missä palvelu annetaan", "sv": "Var tjänsten ges", "en": "Where"},
    "search.facet.language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "search.facet.accessibility": {"fi": "Saavutettavuus", "sv": "Tillgänglighet", "en": "Accessibility"},
    "listing.contact": {"fi": "Yhteystiedot", "sv": "Kontaktuppgifter", "en": "Contact"},
    "listing.back_to_search": {"fi": "Takaisin hakuun", "sv": "Tillbaka till sökningen", "en": "Back to search"},
})
