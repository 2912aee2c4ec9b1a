"""Per-language cue words: roles and titles before names, organisation heads, function words.

Role nouns are matched as whole words and, for the compounding languages (nb, nn, da, sv, de), as the
head of a compound ("utenriksminister", "forsvarsminister", "Außenminister" all end in a role head),
so new ministries need no new entries. Weekday and month names come from babel's CLDR data for every
supported language rather than from lists here.
"""

from __future__ import annotations

from functools import lru_cache

LANGS = ("nb", "nn", "da", "sv", "en", "de", "es", "fr")
COMPOUNDING = {"nb", "nn", "no", "da", "sv", "de"}

# Heads of role nouns; a lowercase token equal to one, or (compounding languages) ending in one, is a role.
ROLE_HEADS = {
    # Scandinavian
    "president", "præsident", "presidenten", "præsidenten", "minister", "ministeren", "statsråd", "leder",
    "lederen", "leiar", "leiaren", "ledare", "ledaren", "sjef", "sjefen", "chef", "chefen", "direktør",
    "direktor", "sekretær", "sekreterare", "talsperson", "talsmann", "talsmand", "talskvinne", "ekspert",
    "eksperten", "expert", "professor", "kansler", "statsminister", "konge", "kong", "kongen", "dronning",
    "drottning", "kung", "general", "generalen", "ambassadør", "ordfører", "borgermester",
    "guvernør", "senator", "dommer", "forsker", "rådgiver", "rådgjevar", "fungerende", "biskop", "pave",
    "paven", "kronprins", "prins", "prinsesse",
    # English
    "secretary", "chancellor", "governor", "spokesman", "spokeswoman", "spokesperson", "leader",
    "chairman", "chairwoman", "chair", "ambassador", "king", "queen", "pope", "judge", "mayor", "commander",
    "deputy", "chief", "director", "ceo", "prince", "princess", "sheikh", "premier", "envoy", "adviser",
    "advisor", "representative", "speaker", "lawmaker", "congressman", "congresswoman",
    # German
    "präsident", "kanzler", "kanzlerin", "bundeskanzler", "bundeskanzlerin", "ministerin", "sprecher",
    "sprecherin", "vorsitzender", "vorsitzende", "botschafter", "bürgermeister", "könig", "königin",
    "papst", "chefin", "experte", "expertin",
    # Spanish / French
    "politiker", "politikerin", "politikeren", "politician", "político", "política", "politicien",
    "presidente", "presidenta", "ministro", "ministra", "canciller", "portavoz", "líder", "secretario",
    "secretaria", "gobernador", "alcalde", "rey", "reina", "papa", "embajador", "président", "présidente",
    "ministre", "chancelier", "porte-parole", "dirigeant", "secrétaire", "maire", "roi", "reine",
    "ambassadeur", "général",
}
# Compound tails that carry no role meaning on their own but would match a head ("leder" in "utleder").
ROLE_MIN_COMPOUND = 3  # a compound needs at least this many letters before the head

# Courtesy titles: dropped before a name, never a role.
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "herr", "frau", "fru", "hr", "señor",
          "señora", "sr", "sra", "don", "doña", "monsieur", "madame", "m", "mme", "mlle", "lord", "lady"}

# Multiword role phrases (lowercase), matched right before a name: longest first.
ROLE_PHRASES = sorted({
    "secretary of state", "secretary of defense", "secretary of defence", "minister of defense",
    "minister of defence", "minister of foreign affairs", "foreign minister", "prime minister",
    "defense secretary", "defence secretary", "foreign secretary", "home secretary", "state secretary",
    "vice president", "attorney general", "secretary general", "secretary-general", "opposition leader",
    "ministro de exteriores", "ministro de asuntos exteriores", "ministro de defensa", "primer ministro",
    "ministre des affaires étrangères", "premier ministre", "ministre de la défense",
}, key=lambda p: -len(p))

# Last words (lowercase) that make a capitalised span an organisation.
ORG_HEADS = {
    "agency", "council", "court", "party", "ministry", "department", "news", "post", "times", "union",
    "gruppen", "gruppa", "komiteen", "rådet", "bank", "university", "institute", "commission", "committee", "parliament", "assembly", "congress",
    "senate", "group", "corporation", "company", "inc", "ltd", "llc", "plc", "gmbh", "ag", "as", "asa",
    "ab", "sa", "foundation", "association", "organization", "organisation", "federation", "alliance",
    "army", "navy", "police", "network", "press", "journal", "tribune", "herald", "guardian",
    "departement", "departementet", "direktorat", "direktoratet", "universitet", "universitetet",
    "partiet", "parti", "tinget", "domstol", "domstolen", "styrelsen", "ministeriet", "regjering",
    "regering", "kommune", "kommun", "forbund", "forbundet", "senter", "center", "centre", "institutt",
    "ministerium", "partei", "bundestag", "gericht", "stiftung", "verband", "konzern", "zeitung",
    "ministerio", "partido", "tribunal", "asamblea", "congreso", "universidad", "banco", "gobierno",
    "ministère", "parlement", "conseil", "banque", "université", "assemblée", "gouvernement",
}
ORG_SUFFIXES = ("gruppen", "gruppa", "gruppe", "komiteen", "komitéen", "rådet", "utvalget", "partiet", "departementet", "direktoratet", "ministeriet", "ministerium", "tinget",
                "forbundet", "selskapet", "bank", "banken", "universitetet")

# Words right before a name that make it a news agency, medium or platform ("nyhetsbyrået Reuters",
# "ifølge NTB", "the social network Twitter"); a name the corpus also attests as a person stays a person.
ORG_CUES_BEFORE = {
    "nyhetsbyrået", "nyhetsbyrå", "nyheitsbyrået", "nyhedsbureauet", "nyhedsbureau", "nyhetsbyrån",
    "byrået", "bureauet", "agency", "agentur", "nachrichtenagentur", "agencia", "agence",
    "ifølge", "iflg", "enligt", "laut", "según", "selon", "avisen", "avisa", "tidningen",
    "zeitung", "newspaper", "broadcaster", "kringkasteren", "kanalen", "tv-kanalen", "nettstedet",
    "netstedet", "medie", "mediet", "plattformen", "platform", "network", "tjenesten",
}
# After a speech verb, "til X" / "to X" / "on X" names the medium spoken to or on ("sa til Reuters",
# "wrote on Twitter"); "in"/"i" is left out: after a speech verb it usually names where it was said.
ORG_CUES_AFTER_SPEECH = {"til", "to", "on", "på", "auf", "gegenüber", "a", "en"}

# Organisation head nouns by meaning, across languages (folded): "Lima Group", "Grupo de Lima" and
# "Lima-gruppen" share the head family and the distinctive word, so they resolve to one organisation.
ORG_HEAD_FAMILIES = {
    "group": ("group", "gruppen", "gruppa", "gruppe", "grupo", "groupe", "gruppo"),
    "party": ("party", "partiet", "parti", "partido", "partei", "partito"),
    "committee": ("committee", "komiteen", "komite", "komitee", "comite", "komitten"),
    "council": ("council", "radet", "consejo", "conseil", "rat", "consiglio"),
    "government": ("government", "regjeringen", "regjering", "regeringen", "regering", "gobierno",
                   "gouvernement", "regierung"),
    "ministry": ("ministry", "departementet", "ministeriet", "ministerium", "ministerio", "ministere"),
    "court": ("court", "domstolen", "domstol", "tribunal", "gericht", "gerichtshof"),
    "parliament": ("parliament", "parlament", "parlamentet", "parlement", "parlamento"),
    "assembly": ("assembly", "asamblea", "assemblee", "forsamling", "forsamlingen"),
    "bank": ("bank", "banken", "banco", "banque"),
    "agency": ("agency", "agentur", "agencia", "agence", "byraet", "byra", "bureauet"),
}
_HEAD_OF = {form: fam for fam, forms in ORG_HEAD_FAMILIES.items() for form in forms}
_ORG_KEY_SKIP = {"the", "den", "det", "de", "del", "of", "la", "el", "der", "die", "das", "des", "du", "von",
                 "for", "i", "in", "og", "and", "y", "et", "und"}


def org_parts(folded: str) -> tuple[str, list[str]] | None:
    """(head family, other words) of an organisation name: "grupo de lima" -> ("group", ["lima"]),
    "norske nobelkomite" -> ("committee", ["norske", "nobel"]); None without a known head."""
    words = [w for w in folded.split() if w not in _ORG_KEY_SKIP]
    if not words:
        return None
    fam, core = None, []
    if len(words) >= 2 and words[-1] in _HEAD_OF:
        fam, core = _HEAD_OF[words[-1]], words[:-1]
    elif len(words) >= 2 and words[0] in _HEAD_OF:
        fam, core = _HEAD_OF[words[0]], words[1:]
    else:
        last = words[-1]
        for cand in (last, last[:-1] if last.endswith("s") else last):
            for form, f in _HEAD_OF.items():
                if len(form) >= 4 and cand.endswith(form) and len(cand) - len(form) >= 3:
                    fam, core = f, words[:-1] + [cand[: -len(form)]]
                    break
            if fam:
                break
    if not fam or not core or len(core[-1]) < 3:
        return None
    return fam, core


def org_family_key(folded: str) -> str | None:
    """"lima gruppen" / "grupo de lima" / "lima group" -> "group:lima": the blocking key of an
    organisation across languages (head family + last distinctive word); see `org_parts`."""
    parts = org_parts(folded)
    return f"{parts[0]}:{parts[1][-1]}" if parts else None


def is_first_word_org_head(word: str) -> bool:
    """Romance word order puts the head first: "Grupo de Lima", "Consejo Nacional Electoral"."""
    from storyline.analyze.entities.normalize import fold

    return fold(word) in _HEAD_OF


# Prepositions after which an unknown single name is a place ("i Caracas", "in Lima", "en Madrid").
LOCATIVE = {"i", "på", "fra", "frå", "til", "in", "at", "from", "to", "near", "en", "de", "desde", "à",
            "au", "aux", "nach", "aus", "im", "bei", "ved", "mot", "towards", "into", "through", "across"}

# Words that join parts of one name ("Vincent van Gogh", "Luiz Inácio Lula da Silva").
NAME_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la",
                  "le", "bin", "ibn", "al", "y", "zu", "ter", "ten"}

# Function words that are capitalised only because they open a sentence (or a quote) — never names.
FUNCTION_WORDS = {
    "nb": "det den de dette denne disse han hun hen vi jeg du dere man en et ei som og men eller for når "
          "da der her hvis hvor hva hvem hvorfor hvordan ifølge også ikke i på til fra med av om etter før "
          "under over siden mens selv både verken enten så nå ja nei samtidig dessuten likevel derfor ",
    "nn": "det den dei dette denne desse han ho vi eg du de ein eit som og men eller når der her kva kven "
          "korleis kvifor ikkje òg også frå med av om etter før under over sidan medan",
    "da": "det den de dette denne disse han hun vi jeg du i man en et som og men eller for når da der her "
          "hvis hvor hvad hvem hvorfor hvordan ifølge også ikke på til fra med af om efter før under over "
          "siden mens selv både hverken enten så nu ja nej samtidig desuden alligevel derfor",
    "sv": "det den de detta denna dessa han hon vi jag du ni man en ett som och men eller för när då där "
          "här om var vad vem varför hur enligt också inte på till från med av efter före under över sedan "
          "medan själv både varken antingen så nu ja nej",
    "en": "the a an this that these those he she it we they i you his her its our their there here when "
          "where what who why how which while after before since during according also not in on at to "
          "from with by of for and but or if as so yet then now yes no however meanwhile previously "
          "earlier later today yesterday tomorrow instead although though because",
    "de": "der die das ein eine einer dieser diese dieses er sie es wir ich du ihr man und aber oder wenn "
          "als wo was wer warum wie laut auch nicht in im am an auf zu aus mit von für nach vor seit während "
          "heute gestern morgen doch jedoch deshalb dann",
    "es": "el la los las un una unos unas este esta estos estas ese esa él ella ellos ellas nosotros yo tú "
          "usted y pero o si cuando donde qué quién por cómo según también no en a de con desde para tras "
          "antes durante hoy ayer mañana sin embargo además",
    "fr": "le la les un une des ce cette ces il elle ils elles nous je tu vous on et mais ou si quand où "
          "que qui pourquoi comment selon aussi ne pas en à de dans avec par pour après avant depuis "
          "pendant aujourd'hui hier demain cependant toutefois",
}


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    words: set[str] = set()
    for text in FUNCTION_WORDS.values():
        words.update(text.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Weekday and month names (all forms) in every supported language, from babel's CLDR data."""
    from babel import Locale

    words: set[str] = set()
    for lang in LANGS:
        loc = Locale.parse(lang)
        for table in (loc.days, loc.months):
            for context in table.values():
                for width in ("wide", "abbreviated"):
                    for name in context.get(width, {}).values():
                        w = name.lower().rstrip(".")
                        if len(w) > 2:
                            words.add(w)
    # definite / genitive forms of Scandinavian weekdays ("Torsdagen", "tirsdagens")
    words.update({w + suf for w in list(words) if w.endswith("dag") for suf in ("en", "ens", "s")})
    return frozenset(words)


@lru_cache(maxsize=1)
def language_names() -> frozenset[str]:
    """Language names in every supported language, lower case, from babel's CLDR data ("norwegian",
    "spanisch", "noruego"): alone and capitalised they are languages or demonyms, not entities."""
    from babel import Locale

    words: set[str] = set()
    for lang in LANGS:
        for code, name in Locale.parse(lang).languages.items():
            if "_" not in code and " " not in name and len(name) > 3:
                words.add(name.lower())
    return frozenset(words)


@lru_cache(maxsize=65_536)
def role_head(word: str, lang: str | None) -> bool:
    """True if the lowercase `word` is a role noun, or (compounding languages) a compound ending in one."""
    w = word.lower()
    if w in ROLE_HEADS:
        return True
    if lang in COMPOUNDING or lang is None:
        for head in ("minister", "ministeren", "president", "presidenten", "præsident", "leder", "lederen",
                     "leiar", "ledare", "sjef", "chef", "direktør", "sekretær", "ekspert", "eksperten",
                     "talsperson", "kansler", "kanzler", "kanzlerin", "präsident", "ministerin", "ordfører",
                     "borgermester", "bürgermeister", "sprecher", "sprecherin", "politiker", "politikerin",
                     "politikeren"):
            if w.endswith(head) and len(w) - len(head) >= ROLE_MIN_COMPOUND:
                return True
    return False


def is_org_head(word: str) -> bool:
    w = word.lower()
    if w in ORG_HEADS or (len(w) > 8 and w.endswith(ORG_SUFFIXES)):
        return True
    from storyline.analyze.entities.normalize import fold

    return len(w) > 8 and org_family_key(fold(w)) is not None  # a compound on a head: "Nobelkomitee"
