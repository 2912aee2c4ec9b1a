"""Per-language words for date expressions: what CLDR (babel) does not hold.

Month and weekday names come from babel's CLDR data (`Locale(lang).months` / `.days`), so spelling
is maintained upstream. CLDR has no phrases such as "i går", "last week" or "for to uker siden", nor
the prepositions that make a bare month or year a date ("i mai", "in 2018") rather than a count
("2000 generaler"); those small closed-class lists are written here, one block per language.

Keys of RELATIVE: a phrase (lower case, spaces as written) -> (unit, offset) where unit is
"day" | "week" | "weekend" | "month" | "year"; offset counts units from the reference date.
"""

from __future__ import annotations

from functools import cache

LANGS = ("nb", "nn", "da", "sv", "en", "de", "es", "fr", "it")
LANG_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "dan": "da", "swe": "sv", "eng": "en", "deu": "de",
                "ger": "de", "spa": "es", "fra": "fr", "fre": "fr", "ita": "it"}

RELATIVE: dict[str, dict[str, tuple[str, int]]] = {
    "nb": {
        "i går": ("day", -1), "igår": ("day", -1), "i forgårs": ("day", -2), "i dag": ("day", 0),
        "idag": ("day", 0), "i morges": ("day", 0), "i kveld": ("day", 0), "i går kveld": ("day", -1),
        "i morgen": ("day", 1), "i overmorgen": ("day", 2), "i natt": ("day", 0),
        "forrige uke": ("week", -1), "i forrige uke": ("week", -1), "sist uke": ("week", -1),
        "denne uken": ("week", 0), "neste uke": ("week", 1), "i neste uke": ("week", 1),
        "i helgen": ("weekend", -1), "forrige helg": ("weekend", -1), "sist helg": ("weekend", -1),
        "forrige måned": ("month", -1), "i forrige måned": ("month", -1), "denne måneden": ("month", 0),
        "neste måned": ("month", 1), "i fjor": ("year", -1), "i år": ("year", 0), "neste år": ("year", 1),
        "forrige år": ("year", -1),
    },
    "nn": {
        "i går": ("day", -1), "i forgårs": ("day", -2), "i dag": ("day", 0), "i morgon": ("day", 1),
        "i kveld": ("day", 0), "førre veke": ("week", -1), "i førre veke": ("week", -1),
        "denne veka": ("week", 0), "neste veke": ("week", 1), "i helga": ("weekend", -1),
        "førre månad": ("month", -1), "neste månad": ("month", 1), "i fjor": ("year", -1),
        "i år": ("year", 0), "neste år": ("year", 1),
    },
    "da": {
        "i går": ("day", -1), "igår": ("day", -1), "i forgårs": ("day", -2), "i dag": ("day", 0),
        "idag": ("day", 0), "i morges": ("day", 0), "i aftes": ("day", -1), "i aften": ("day", 0),
        "i morgen": ("day", 1), "i overmorgen": ("day", 2), "sidste uge": ("week", -1),
        "i sidste uge": ("week", -1), "denne uge": ("week", 0), "i denne uge": ("week", 0),
        "næste uge": ("week", 1), "i næste uge": ("week", 1), "i weekenden": ("weekend", -1),
        "sidste måned": ("month", -1), "i sidste måned": ("month", -1), "næste måned": ("month", 1),
        "sidste år": ("year", -1), "i fjor": ("year", -1), "i år": ("year", 0),
        "næste år": ("year", 1),
    },
    "sv": {
        "i går": ("day", -1), "igår": ("day", -1), "i förrgår": ("day", -2), "i dag": ("day", 0),
        "idag": ("day", 0), "i morse": ("day", 0), "i kväll": ("day", 0), "i morgon": ("day", 1),
        "i övermorgon": ("day", 2), "förra veckan": ("week", -1), "den här veckan": ("week", 0),
        "nästa vecka": ("week", 1), "i helgen": ("weekend", -1), "förra helgen": ("weekend", -1),
        "förra månaden": ("month", -1), "nästa månad": ("month", 1), "i fjol": ("year", -1),
        "förra året": ("year", -1), "i år": ("year", 0), "nästa år": ("year", 1),
    },
    "en": {
        "yesterday": ("day", -1), "the day before yesterday": ("day", -2), "today": ("day", 0),
        "tonight": ("day", 0), "this morning": ("day", 0), "last night": ("day", -1),
        "tomorrow": ("day", 1), "the day after tomorrow": ("day", 2), "last week": ("week", -1),
        "this week": ("week", 0), "next week": ("week", 1), "last weekend": ("weekend", -1),
        "over the weekend": ("weekend", -1), "at the weekend": ("weekend", -1),
        "this weekend": ("weekend", -1), "next weekend": ("weekend", 1), "last month": ("month", -1),
        "this month": ("month", 0), "next month": ("month", 1), "last year": ("year", -1),
        "this year": ("year", 0), "next year": ("year", 1),
    },
    "de": {
        "gestern": ("day", -1), "vorgestern": ("day", -2), "heute": ("day", 0), "übermorgen": ("day", 2),
        "gestern abend": ("day", -1), "letzte woche": ("week", -1), "vergangene woche": ("week", -1),
        "in der vergangenen woche": ("week", -1), "diese woche": ("week", 0), "nächste woche": ("week", 1),
        "am wochenende": ("weekend", -1), "letzten monat": ("month", -1),
        "vergangenen monat": ("month", -1), "im vergangenen monat": ("month", -1),
        "nächsten monat": ("month", 1), "letztes jahr": ("year", -1), "im vergangenen jahr": ("year", -1),
        "vergangenes jahr": ("year", -1), "voriges jahr": ("year", -1), "im vorigen jahr": ("year", -1),
        "dieses jahr": ("year", 0), "in diesem jahr": ("year", 0), "nächstes jahr": ("year", 1),
        "im nächsten jahr": ("year", 1),
    },
    "es": {
        "ayer": ("day", -1), "anteayer": ("day", -2), "antes de ayer": ("day", -2), "anoche": ("day", -1),
        "hoy": ("day", 0), "pasado mañana": ("day", 2), "la semana pasada": ("week", -1),
        "esta semana": ("week", 0), "la próxima semana": ("week", 1), "la semana que viene": ("week", 1),
        "el fin de semana": ("weekend", -1), "el pasado fin de semana": ("weekend", -1),
        "el mes pasado": ("month", -1), "este mes": ("month", 0), "el próximo mes": ("month", 1),
        "el año pasado": ("year", -1), "este año": ("year", 0), "el próximo año": ("year", 1),
        "el año que viene": ("year", 1),
    },
    "fr": {
        "hier": ("day", -1), "avant-hier": ("day", -2), "hier soir": ("day", -1),
        "aujourd'hui": ("day", 0), "aujourd’hui": ("day", 0), "demain": ("day", 1),
        "après-demain": ("day", 2), "la semaine dernière": ("week", -1), "cette semaine": ("week", 0),
        "la semaine prochaine": ("week", 1), "le week-end dernier": ("weekend", -1),
        "ce week-end": ("weekend", -1), "le mois dernier": ("month", -1), "ce mois-ci": ("month", 0),
        "le mois prochain": ("month", 1), "l'année dernière": ("year", -1), "l’année dernière": ("year", -1),
        "l'an dernier": ("year", -1), "l’an dernier": ("year", -1), "l'an passé": ("year", -1),
        "cette année": ("year", 0), "l'année prochaine": ("year", 1), "l’année prochaine": ("year", 1),
        "l'an prochain": ("year", 1),
    },
    "it": {
        "ieri": ("day", -1), "l'altro ieri": ("day", -2), "l’altro ieri": ("day", -2), "altroieri": ("day", -2),
        "ieri sera": ("day", -1), "stamattina": ("day", 0), "stasera": ("day", 0), "oggi": ("day", 0),
        "domani": ("day", 1), "dopodomani": ("day", 2), "la settimana scorsa": ("week", -1),
        "settimana scorsa": ("week", -1), "la scorsa settimana": ("week", -1), "questa settimana": ("week", 0),
        "la prossima settimana": ("week", 1), "prossima settimana": ("week", 1),
        "la settimana prossima": ("week", 1), "lo scorso fine settimana": ("weekend", -1),
        "il fine settimana": ("weekend", -1), "il mese scorso": ("month", -1), "lo scorso mese": ("month", -1),
        "questo mese": ("month", 0), "il mese prossimo": ("month", 1), "l'anno scorso": ("year", -1),
        "l’anno scorso": ("year", -1), "lo scorso anno": ("year", -1), "quest'anno": ("year", 0),
        "quest’anno": ("year", 0), "l'anno prossimo": ("year", 1), "l’anno prossimo": ("year", 1),
    },
}

#: "N units ago": (regex with groups n and unit; unit prefix -> unit). Built into patterns in dates.py.
AGO: dict[str, tuple[str, dict[str, str]]] = {
    "nb": (r"for\s+(?P<n>\S+)\s+(?P<unit>dag(?:er)?|uke[rn]?|måned(?:er)?|år)\s+siden",
           {"dag": "day", "uke": "week", "mån": "month", "år": "year"}),
    "nn": (r"for\s+(?P<n>\S+)\s+(?P<unit>dag(?:ar)?|veke[rn]?|månad(?:er)?|år)\s+sidan",
           {"dag": "day", "vek": "week", "mån": "month", "år": "year"}),
    "da": (r"for\s+(?P<n>\S+)\s+(?P<unit>dag(?:e)?|uge[r]?|måned(?:er)?|år)\s+siden",
           {"dag": "day", "uge": "week", "mån": "month", "år": "year"}),
    "sv": (r"för\s+(?P<n>\S+)\s+(?P<unit>dag(?:ar)?|veck(?:a|or)|månad(?:er)?|år)\s+sedan",
           {"dag": "day", "vec": "week", "mån": "month", "år": "year"}),
    "en": (r"(?P<n>\S+)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago",
           {"day": "day", "wee": "week", "mon": "month", "yea": "year"}),
    "de": (r"vor\s+(?P<n>\S+)\s+(?P<unit>Tag(?:en)?|Woche[n]?|Monat(?:en)?|Jahr(?:en)?)",
           {"tag": "day", "woc": "week", "mon": "month", "jah": "year"}),
    "es": (r"hace\s+(?P<n>\S+)\s+(?P<unit>días?|semanas?|mes(?:es)?|años?)",
           {"día": "day", "sem": "week", "mes": "month", "año": "year"}),
    "fr": (r"il\s+y\s+a\s+(?P<n>\S+)\s+(?P<unit>jours?|semaines?|mois|ans?|années?)",
           {"jou": "day", "sem": "week", "moi": "month", "an": "year", "ann": "year"}),
    "it": (r"(?P<n>\S+)\s+(?P<unit>giorni|giorno|settimane?|settimana|mesi|mese|anni|anno)\s+fa",
           {"gio": "day", "set": "week", "mes": "month", "ann": "year"}),
}

NUMBER_WORDS: dict[str, dict[str, int]] = {
    "nb": {"en": 1, "ei": 1, "ett": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
           "sju": 7, "syv": 7, "åtte": 8, "ni": 9, "ti": 10},
    "nn": {"ein": 1, "ei": 1, "eitt": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7,
           "åtte": 8, "ni": 9, "ti": 10},
    "da": {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
           "ni": 9, "ti": 10},
    "sv": {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
           "nio": 9, "tio": 10},
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10},
    "de": {"einem": 1, "einer": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
           "sieben": 7, "acht": 8, "neun": 9, "zehn": 10},
    "es": {"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
           "huit": 8, "neuf": 9, "dix": 10},
    "it": {"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
           "sette": 7, "otto": 8, "nove": 9, "dieci": 10},
}

#: prepositions that make a bare month name ("i mai") or a bare year ("i 2018") a date.
MONTH_PREPS: dict[str, tuple[str, ...]] = {
    "nb": ("i", "siden", "fra", "til", "innen", "før", "etter", "fram til", "frem til", "i løpet av",
           "i begynnelsen av", "i slutten av", "midten av", "tidlig i", "sent i", "starten av"),
    "nn": ("i", "sidan", "frå", "til", "innan", "før", "etter", "fram til", "i løpet av", "i slutten av"),
    "da": ("i", "siden", "fra", "til", "inden", "før", "efter", "frem til", "i løbet af", "i starten af",
           "i slutningen af", "midt i", "i begyndelsen af"),
    "sv": ("i", "sedan", "från", "till", "innan", "före", "efter", "fram till", "under", "i slutet av",
           "i början av", "i mitten av"),
    "en": ("in", "since", "from", "until", "till", "by", "before", "after", "during", "early", "late",
           "mid", "mid-", "end of", "beginning of", "since early", "in early", "in late", "in mid"),
    "de": ("im", "seit", "bis", "ab", "vor", "nach", "Anfang", "Ende", "Mitte", "bis Ende", "seit Anfang"),
    "es": ("en", "desde", "hasta", "a finales de", "a principios de", "a mediados de", "durante",
           "antes de", "después de"),
    "fr": ("en", "depuis", "jusqu'en", "jusqu’en", "début", "fin", "mi-", "courant", "avant", "après"),
    "it": ("a", "in", "di", "da", "dal", "fino a", "entro", "prima di", "dopo", "inizio", "fine", "metà",
           "a inizio", "a fine", "a metà", "nel mese di", "durante"),
}
YEAR_PREPS: dict[str, tuple[str, ...]] = {
    "nb": ("i", "siden", "fra", "til", "innen", "før", "etter", "fram til", "frem til", "i løpet av",
           "i slutten av", "i begynnelsen av", "høsten", "våren", "sommeren", "vinteren"),
    "nn": ("i", "sidan", "frå", "til", "innan", "før", "etter", "fram til", "hausten", "våren"),
    "da": ("i", "siden", "fra", "til", "inden", "før", "efter", "frem til", "i løbet af", "efteråret",
           "foråret", "sommeren", "vinteren"),
    "sv": ("i", "sedan", "från", "till", "innan", "före", "efter", "fram till", "under", "hösten",
           "våren", "sommaren", "vintern", "år"),
    "en": ("in", "since", "by", "until", "before", "after", "during", "of", "early", "late", "in early",
           "in late", "mid-", "the year", "fall", "spring", "summer", "winter", "autumn"),
    "de": ("im Jahr", "im Jahre", "seit", "bis", "ab", "vor", "nach", "Anfang", "Ende", "Mitte",
           "im Herbst", "im Frühjahr", "im Sommer", "im Winter"),
    "es": ("en", "desde", "hasta", "en el año", "a finales de", "a principios de", "durante", "antes de",
           "después de", "el año"),
    "fr": ("en", "depuis", "jusqu'en", "jusqu’en", "avant", "après", "fin", "début", "l'année",
           "l’année", "courant"),
    "it": ("nel", "dal", "fino al", "entro il", "prima del", "dopo il", "dall'", "nell'", "l'anno",
           "dal", "a fine", "a inizio"),
}

#: weekday modifiers: word -> direction (-1 the one before the reference, +1 the one after).
WEEKDAY_BEFORE: dict[str, dict[str, int]] = {
    "nb": {"forrige": -1, "sist": -1, "siste": -1, "neste": 1, "kommende": 1, "førstkommende": 1},
    "nn": {"førre": -1, "sist": -1, "neste": 1, "komande": 1},
    "da": {"sidste": -1, "forrige": -1, "næste": 1, "kommende": 1, "førstkommende": 1},
    "sv": {"förra": -1, "i förrgår": -1, "nästa": 1, "kommande": 1},
    "en": {"last": -1, "past": -1, "next": 1, "coming": 1, "this coming": 1},
    "de": {"letzten": -1, "vergangenen": -1, "letzte": -1, "vergangene": -1, "nächsten": 1,
           "kommenden": 1, "nächste": 1, "kommende": 1},
    "es": {"el pasado": -1, "el próximo": 1, "este próximo": 1},
    "fr": {},
    "it": {"lo scorso": -1, "scorso": -1, "il prossimo": 1, "prossimo": 1},
}
WEEKDAY_AFTER: dict[str, dict[str, int]] = {
    "es": {"pasado": -1, "que viene": 1, "próximo": 1},
    "fr": {"dernier": -1, "passé": -1, "prochain": 1},
    "it": {"scorso": -1, "scorsa": -1, "passato": -1, "prossimo": 1, "prossima": 1},
}
#: prepositions that point a bare weekday forward ("på fredag" in Norwegian = this coming Friday).
WEEKDAY_FUTURE_PREPS: dict[str, tuple[str, ...]] = {
    "nb": ("på", "innen", "til"), "nn": ("på", "innan", "til"), "da": ("på", "inden", "til"),
    "sv": ("på", "till"), "en": ("by", "until", "till"), "de": ("bis",), "es": ("hasta",),
    "fr": ("jusqu'à", "d'ici"), "it": ("entro",),
}
#: suffixes of weekday names (definite / genitive forms: "tirsdagen", "i tirsdags").
WEEKDAY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "nb": ("en", "s"), "nn": ("en", "s"), "da": ("en", "s"), "sv": ("en", "s"),
    # German writes a weekday's part as one word: "Sonntagabend", "Montagmorgen"
    "de": ("abend", "morgen", "vormittag", "nachmittag", "mittag", "nacht"),
}
#: sentence words that put the sentence in the future (a year-less date is then the next one).
FUTURE_CUES: dict[str, tuple[str, ...]] = {
    "nb": ("skal etter planen", "planlegger", "kommer til å", "vil bli", "neste"),
    "nn": ("kjem til å", "vil bli", "neste"),
    "da": ("kommer til at", "vil blive", "planlægger", "næste"),
    "sv": ("kommer att", "planerar", "nästa"),
    "en": ("will", "is due", "are due", "is scheduled", "are scheduled", "is expected to", "plans to",
           "next", "upcoming"),
    "de": ("wird", "werden", "soll", "sollen", "nächste"),
    "es": ("será", "serán", "va a", "van a", "próximo", "próxima"),
    "fr": ("sera", "seront", "va ", "vont", "prochain", "prochaine"),
    "it": ("sarà", "saranno", "prossimo", "prossima"),
}
#: a lower-case word that is also a month name but usually means something else in running text.
AMBIGUOUS_BARE_MONTHS = {"may", "march", "august", "mai", "mar", "sept"}


@cache
def month_names(lang: str) -> dict[str, int]:
    """CLDR month names (wide and abbreviated, format and stand-alone) -> month number."""
    from babel import Locale

    loc = Locale.parse(lang)
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for num, name in loc.months[context][width].items():
                name = name.lower().rstrip(".")
                if len(name) >= 3:
                    names.setdefault(name, num)
    if lang == "en":  # common newsroom abbreviations missing from CLDR
        names.update({"sept": 9})
    return names


@cache
def full_month_names(lang: str) -> frozenset[str]:
    """Only the wide CLDR month names, lower case (a bare abbreviation is too ambiguous)."""
    from babel import Locale

    loc = Locale.parse(lang)
    return frozenset(n.lower() for ctx in ("format", "stand-alone") for n in loc.months[ctx]["wide"].values())


@cache
def weekday_names(lang: str) -> dict[str, int]:
    """CLDR weekday names (wide) -> ISO weekday index 0=Monday."""
    from babel import Locale

    loc = Locale.parse(lang)
    return {name.lower(): num for num, name in loc.days["format"]["wide"].items()}
