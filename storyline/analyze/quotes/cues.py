"""Speech cues per language: verbs of saying, complementizers, "according to" markers, pronouns.

Kept as plain word lists because no offline PyPI package ships speech-verb lexicons for nb/nn/da/sv;
the lists are closed classes of the languages (not names from any article), so they generalise.
"""

from __future__ import annotations

import re

#: verbs (finite forms and participles) that introduce reported speech, all languages together.
SPEECH_VERBS: frozenset[str] = frozenset(["sier", "sa", "sagt", "sagde", "siger", "seier", "säger", "sade", "uttaler", "uttalte", "uttalt", "uttalar", "udtaler", "udtalte", "udtalt", "uttalade", "mener", "mente", "meiner", "menar", "menade", "forteller", "fortalte", "fortel", "fortæller", "berättar", "berättade", "skriver", "skrev", "skriv", "legger", "la", "legg", "lægger", "lagde", "tilføjer", "tilføjede", "tillägger", "tillade", "understreker", "understreket", "understreger", "påpeker", "påpekte", "påpeger", "påpegede", "opplyser", "opplyste", "oplyser", "oplyste", "hevder", "hevdet", "hævder", "hævdede", "hävdar", "svarer", "svarte", "svarar", "svarade", "forklarer", "forklarte", "forklarede", "förklarar", "förklarade", "advarer", "advarte", "advarede", "erkjenner", "erkjente", "fremholder", "fremholdt", "erkender", "erkendte", "innrømmer", "innrømmet", "indrømmer", "indrømmede", "bekrefter", "bekreftet", "bekræfter", "bekræftede", "tvitret", "twitret", "kunngjorde", "meddeler", "meddelte", "konstaterer", "konstaterte", "uppger", "uppgav", "said", "says", "say", "told", "tells", "wrote", "writes", "added", "adds", "stated", "states", "noted", "notes", "explained", "explains", "claimed", "claims", "argued", "argues", "insisted", "insists", "declared", "declares", "announced", "announces", "warned", "warns", "tweeted", "responded", "replied", "replies", "continued", "stressed", "emphasized", "emphasised", "acknowledged", "admitted", "suggested", "predicted", "recalled", "asserted", "maintained", "testified", "quipped", "conceded", "saying", "adding", "arguing", "noting", "claiming", "insisting", "warning", "explaining", "telling", "stating", "believes", "thinks", "asked", "asks", "urged", "urges", "reports", "reported", "sagte", "sagt", "sagten", "schrieb", "schreibt", "erklärte", "erklärt", "betonte", "betont", "fügte", "meinte", "meint", "berichtete", "warnte", "kritisierte", "teilte", "dijo", "dice", "dicen", "afirmó", "afirma", "declaró", "aseguró", "asegura", "señaló", "señala", "explicó", "añadió", "agregó", "escribió", "indicó", "sostuvo", "advirtió", "manifestó", "comentó", "insistió", "subrayó", "dit", "déclaré", "déclare", "affirmé", "affirme", "explique", "expliqué", "ajoute", "ajouté", "écrit", "estime", "souligne", "souligné", "assure", "assuré", "indiqué", "indique", "précisé", "précise", "confié", "insisté"]) | frozenset(
    # speech and cognition verbs beyond "say" (issue 14): nb/nn, da, sv, de, es, fr, en
    ["spørger", "spør", "spurgte", "spurte", "frågar", "frågade", "fragte", "preguntó", "demande", "peker", "pekte", "peger", "pegede", "pekar", "pekade", "accused", "accuses", "advierte", "affirmé", "afirmó", "afviser", "afviste", "alertó", "alleged", "alleges", "anklager", "anklaget", "annoncé", "anser", "anslo", "anslår", "ansåg", "anunció", "apuntó", "asegura", "averti", "avviser", "avviste", "bedyrer", "bedyret", "behauptet", "behauptete", "bekräftigte", "believed", "benekter", "benektet", "benægtede", "benægter", "bestreitet", "bestritt", "bestätigt", "bestätigte", "betonade", "betonar", "boasted", "charged", "complained", "concluded", "confirmed", "confirms", "confirmé", "confirmó", "contended", "contends", "countered", "criticó", "defendió", "dementierte", "denied", "denies", "denuncia", "denunció", "destacó", "disclosed", "déclaré", "dénoncé", "erklärten", "erklærede", "erklærer", "erklærte", "erkände", "erkänner", "estimated", "estimé", "expresó", "fastholder", "fastholdt", "fastslo", "fastslog", "fastslår", "feared", "fears", "fordert", "forderte", "fortel", "frygtede", "frygter", "frykter", "fryktet", "förnekade", "förnekar", "glaubt", "hevdar", "hävdade", "indicated", "jugé", "konstaterade", "konstaterede", "krevde", "krever", "kritiserede", "kritiserer", "kritiserte", "kritisiert", "krävde", "kräver", "krævede", "kræver", "kunngjør", "lovede", "lover", "lovet", "martelé", "medga", "medgav", "medger", "medgir", "medgiver", "meiner", "meinte", "mentioned", "negó", "nié", "observed", "peikar", "poengterer", "poengterte", "pointed", "pointerede", "pointerer", "precisó", "presiserer", "presiserte", "promised", "præciserede", "præciserer", "prévenu", "påpekade", "påpekar", "rappelé", "reconnu", "reconoció", "regretté", "reiteró", "revealed", "seier", "skriver", "tror", "trur", "understrekar", "understryker", "underströk", "unterstreicht", "unterstrich", "varnade", "varnar", "varsler", "varslet", "vedgikk", "vedgår", "versicherte", "viser", "vowed", "vurderede", "vurderer", "warnt"])

#: verbs that take a particle after the subject ("legger han til", "fügte er hinzu", "teilte mit").
PARTICLE_VERBS: dict[str, tuple[str, ...]] = {
    "legger": ("til",), "la": ("til",), "legg": ("til",), "lægger": ("til",), "lagde": ("til",),
    "fügte": ("hinzu",), "teilte": ("mit",), "pointed": ("out",),
}
#: speech verbs that are too ambiguous to open reported speech without quote marks or "at/that": they
#: also take a plain object ("avviser kritikken", "denied the claim", "accused X of"), so they never
#: invert either (", accused his opponents of …" names no speaker).
WEAK_VERBS: frozenset[str] = frozenset("""
    la legg dit estime states notes claims continued dice viser tror trur believed feared fears lover lovet
    lovede promised pointed observed mentioned indicated charged kräver krever kræver krevde krævede krävde
    anser ansåg glaubt jugé estimé benekter benektet benægter benægtede avviser avviste afviser afviste
    frykter fryktet frygter frygtede varsler varslet kunngjør anklager anklaget kritiserer kritiserte
    kritiserede vedgår vedgikk bedyrer vurderer vurderede fastholder fastholdt förnekar förnekade forderte
    fordert kritisiert dementierte bestritt bestreitet denunció negó reconoció criticó defendió anunció
    confirmó dénoncé reconnu nié regretté annoncé confirmé denied denies accused accuses alleged alleges
    confirmed confirms revealed disclosed estimated concluded vowed complained boasted countered urged urges
    asked asks announced announces""".split())  # noqa: SIM905 (a word list reads best as words)
#: particles between a cue and its content ("advarer om at", "peger på, at", "warned of"), never a speaker.
CUE_PARTICLES: frozenset[str] = frozenset({"om", "mot", "på", "of", "about", "against", "out", "vor"})
#: finite auxiliaries and copulas: after "ifølge X" the first of them ends the source phrase (V2 order).
AUXILIARIES: frozenset[str] = frozenset({
    "er", "var", "har", "hadde", "havde", "vil", "ville", "skal", "skulle", "kan", "kunne", "må", "måtte", "blir",
    "ble", "bliver", "blev", "bør", "burde", "får", "fikk", "fik", "är", "ska", "kommer", "is", "are",
    "was", "were", "has", "have", "had", "will", "would", "could", "should", "can", "may", "might", "must",
    "ist", "sind", "war", "waren", "hat", "haben", "wird", "werden", "soll", "sollen", "es", "son", "fue",
    "ha", "han", "será", "est", "sont", "était", "sera", "va", "vont"})
#: words before a bare "say" that make it no report ("to say", "would say", "I say").
NOT_REPORTING_BEFORE: frozenset[str] = frozenset({"to", "will", "would", "can", "could", "may", "might", "should",
                                                   "must", "not", "don't", "didn't", "i", "you", "we", "let"})

COMPLEMENTIZERS: frozenset[str] = frozenset({"at", "att", "that", "dass", "que", "qu"})

#: "according to X" markers, opening the phrase naming the source.
ACCORDING_TO = re.compile(
    r"\b(?:ifølge|ifølgje|iflg\.|i følge|enligt|according to|laut|según|segun|selon|d'après|citing)\s+",
    re.IGNORECASE)

#: subject pronouns -> gender ("m", "f", "p" plural/unknown).
PRONOUNS: dict[str, str] = {
    "han": "m", "hun": "f", "ho": "f", "hon": "f", "he": "m", "she": "f", "er": "m", "sie": "f",
    "él": "m", "ella": "f", "il": "m", "elle": "f",
    "de": "p", "dei": "p", "they": "p", "ils": "p", "elles": "p", "ellos": "p", "ellas": "p",
}

#: capitalised words that start sentences but never names.
FUNCTION_WORDS: frozenset[str] = frozenset(["det", "dette", "den", "de", "der", "da", "når", "men", "og", "i", "på", "til", "for", "med", "som", "om", "etter", "før", "under", "hvis", "selv", "både", "verken", "the", "a", "an", "this", "that", "these", "those", "it", "in", "on", "at", "for", "with", "as", "if", "but", "and", "when", "while", "after", "before", "there", "here", "der", "die", "das", "ein", "eine", "es", "im", "am", "und", "aber", "wenn", "als", "el", "la", "los", "las", "un", "una", "en", "con", "por", "para", "pero", "y", "cuando", "le", "les", "une", "il", "elle", "dans", "avec", "pour", "mais", "et", "quand", "jeg", "vi", "du", "dere", "i", "we", "you", "they", "he", "she", "han", "hun", "also", "previously", "meanwhile", "however", "in", "particular", "addressing", "events", "while"])

#: titles and roles stripped from the front of a name span ("President Nicolás Maduro").
TITLES: frozenset[str] = frozenset(["president", "presidenten", "præsident", "præsidenten", "präsident", "presidente", "président", "minister", "secretary", "senator", "gov", "governor", "mr", "mrs", "ms", "dr", "prof", "professor", "general", "gen", "sir", "lord", "lady", "king", "queen", "prince", "princess", "pope", "opposisjonsleder", "oppositionsleder", "statsminister", "utenriksminister", "udenrigsminister", "forsvarsminister", "chancellor", "kanzler", "kanzlerin", "señor", "señora", "monsieur", "madame", "herr", "frau", "mister", "rep", "sen", "col", "capt"])

#: words introducing an unnamed speaker's description.
DETERMINERS: frozenset[str] = frozenset(["en", "et", "ei", "a", "an", "the", "one", "en", "un", "una", "uno", "ein", "eine", "einer", "der", "die", "das", "le", "la", "les", "el", "los", "las", "den", "det", "de", "flere", "mange", "fire", "tre", "to", "two", "three", "four", "several", "some", "many", "ett"])

#: prepositions opening a fronted adverbial ("I et tweet skrev …", "In a statement, …").
PREPOSITIONS: frozenset[str] = frozenset(["i", "på", "til", "av", "med", "om", "for", "fra", "etter", "efter", "før", "under", "ved", "mot", "hos", "in", "on", "at", "of", "from", "with", "by", "after", "before", "during", "im", "am", "an", "auf", "aus", "bei", "mit", "nach", "von", "vor", "zu", "en", "de", "por", "para", "con", "sobre", "dans", "sur", "par", "avec", "pour"])

#: conjunctions that may open a clause before the speaker ("men kilden sier …").
CONJUNCTIONS: frozenset[str] = frozenset({"men", "og", "but", "and", "aber", "und", "pero", "y", "mais", "et",
                                          "så", "so", "or", "eller"})

DASHES = "–—-"
QUOTE_PAIRS: dict[str, str] = {"«": "»", "“": "”", "„": "“", '"': '"', "‘": "’", "‹": "›", "»": "«"}
