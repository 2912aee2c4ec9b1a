"""Tie-breaker for Bokmål, Nynorsk, Danish and Swedish on short texts: function words and endings.

Lingua's character n-grams confuse these four on one short sentence (Bokmål is taken for Nynorsk
about a quarter of the time), yet the written standards differ in a few very frequent, closed-class
words (nb "ikke/jeg/en/et/fra", nn "ikkje/eg/ein/eit/frå", da "af/ud/hvad/efter/blev", sv
"inte/jag/och/är") and in inflection endings (nb past -et, nn -a, da -ede, sv -ade; plural definite nb
-ene, nn -ane, da -erne, sv -arna/-erna). One such word settles what 3-gram frequencies cannot.

The lexicons are hand-written from the standards' grammar (small, closed word classes: pronouns,
articles, negation, question words, common adverbs, prepositions and auxiliary forms), not learned
from any evaluation data, so they carry over to unseen text. A word listed for several languages is
evidence for each of them (and so against the others). No library ships such contrastive lists:
stop-word lists (stopwordsiso) mix all forms of both Norwegian standards under "no", and simplemma
is not installed; a hand-written list of ~300 words is shorter than glue code around either.

`evidence()` returns per-language scores; `language.py` combines them with lingua's confidence values
only when lingua's best candidates are all Scandinavian and its answer is not decisive.
"""

from __future__ import annotations

import re

SCANDINAVIAN = ("da", "nb", "nn", "sv")

#: word -> languages using it (in this form) as an everyday word; weight 1 unless marked `word:2`
_WORDS = """
nb: hva hvordan hvorfor hvem hvor hver hvert hverandre mye noen noe noe også bare fra hun
    ble blir blitt mer flere nå selv hele helt sammen uten siden disse hennes deres dem hos ennå
    kommer komme gjør gjøre sier tror vet fikk gikk sto skole gutt dessuten fremdeles mens ellers
    derfor hvis kun en et de ikke:2 jeg:2 være vært av ut opp etter mot seg meg deg mellom gjennom
    sa nye alltid aldri litt tilbake hadde mange andre meget frem kanskje ham dere
nn: ikkje:2 eg:2 kva:2 korleis:2 kvifor:2 kven:2 kvar kvart kvarandre mykje:2 nokon:2 noko:2 nokre:2
    òg:2 vere:2 vore berre:2 frå:2 ho dei:2 ein:2 eit:2 no sjølv:2 heile heilt saman fleire meir
    vart vert verte blei hjå:2 desse:2 hennar:2 deira:2 dykk dykkar sidan utan:2 enno fyrst viss
    difor:2 då gjer seier kjem:2 trur veit kome sjå seie sei fekk:2 gjekk:2 låg framleis dessutan
    medan:2 attende skule born me av ut opp etter mot seg meg deg mellom gjennom vår sa nye alltid
    aldri litt tilbake hadde mange andre kor elles honom
da: af:2 ud:2 hvad:2 meget nogen:2 nogle:2 noget:2 også sig:2 mig:2 dig:2 os efter:2 blev:2
    bliver:2 nu havde:2 have siger:2 sagde:2 fik op mod uden:2 vores:2 hendes:2 jeres igennem:2
    mellem:2 sådan selv kun derfor hvis ikke:2 jeg:2 hun de dem der hvor hvordan hvorfor hvem
    hver hvert endnu:2 altid:2 aldrig lidt:2 gerne blandt ligesom således desuden dog også være
    været tage give gøre:2 gør kommer hele helt mens sammen siden disse deres en et hos ham mange
    andre tilbage:2
sv: inte:2 jag:2 vad:2 mycket:2 någon:2 något:2 några:2 också:2 och:2 är:2 att från:2 hon:2 ni
    mellan:2 genom hade ska:2 vill måste även:2 där:2 här:2 hur:2 varför:2 vem vilken:2 vilket:2
    vilka:2 sedan:2 bara inga många:2 redan alltid aldrig enligt:2 kring för:2 när:2 sitt sina
    efter blev blir kommer av ut upp mot sig mig dig oss utan ett:2 dem hennes deras en de
    skulle kunde:2 finns:2 detta:2 dessa:2 samt
"""

#: word endings (on words of at least `_MIN_STEM` + len(ending) letters) -> languages, with weights
_ENDINGS: dict[str, dict[str, float]] = {
    "ede": {"da": 1.0},                      # da past tense (nb -et, nn -a, sv -ade)
    "erne": {"da": 1.0},                     # da plural definite (nb -ene, sv -erna)
    "ene": {"nb": 0.5, "da": 0.3},           # nb plural definite
    "ane": {"nn": 0.7},                      # nn plural definite
    "ar": {"nn": 0.4, "sv": 0.4},            # nn present tense / plural (nb -er)
    "ast": {"nn": 0.3, "sv": 0.3},           # nn passive / superlative
    "et": {"nb": 0.2, "da": 0.2},            # nb/da past participle (nn -a)
    "leg": {"nn": 1.0}, "lege": {"nn": 1.0}, "legt": {"nn": 1.0},  # nn adjectives (nb/da/sv -lig)
    "inga": {"nn": 0.7}, "ingar": {"nn": 1.0}, "ingane": {"nn": 1.0},
    "heit": {"nn": 1.0}, "heita": {"nn": 1.0},
    "tallet": {"nb": 1.0, "da": 0.3}, "talet": {"nn": 1.0},  # decades, centuries: nb 1990-tallet, nn -talet
    "hed": {"da": 1.0}, "heden": {"da": 1.0}, "skab": {"da": 1.0}, "skabet": {"da": 1.0},
    "sjon": {"nb": 0.5, "nn": 0.5}, "sjonen": {"nb": 0.5, "nn": 0.5}, "sjoner": {"nb": 0.5, "nn": 0.5},
    "tion": {"da": 0.5, "sv": 0.5}, "tionen": {"da": 0.5, "sv": 0.5},
    "ligt": {"da": 0.5, "sv": 0.5},
    "arna": {"sv": 1.0}, "orna": {"sv": 1.0}, "erna": {"sv": 1.0}, "ande": {"sv": 0.5}, "ade": {"sv": 0.5},
}
_MIN_STEM = 3
#: letters only some of the languages write
_LETTERS: dict[str, dict[str, float]] = {
    "ä": {"sv": 1.0}, "ö": {"sv": 1.0}, "æ": {"nb": 0.5, "nn": 0.5, "da": 0.5},
    "ø": {"nb": 0.5, "nn": 0.5, "da": 0.5}, "ò": {"nn": 1.0},
}

_TOKEN = re.compile(r"[^\W\d_]+")


def _parse(spec: str) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for block in re.split(r"\n(?=\w\w:)", spec.strip()):
        lang, _, words = block.partition(":")
        for item in words.split():
            word, _, weight = item.partition(":")
            table.setdefault(word, {})[lang.strip()] = float(weight or 1)
    return table


WORDS: dict[str, dict[str, float]] = _parse(_WORDS)
_BY_LENGTH = sorted(_ENDINGS, key=len, reverse=True)


_CACHE: dict[str, tuple[tuple[str, float], ...]] = {}
_CACHE_MAX = 100_000


def _word_evidence(word: str) -> tuple[tuple[str, float], ...]:
    """Evidence of one lower-cased word: its lexicon entry, else its longest known ending and its
    letters (memoised: news text repeats its words)."""
    hit = _CACHE.get(word)
    if hit is not None:
        return hit
    if word in WORDS:
        found = tuple(WORDS[word].items())
    else:
        out: dict[str, float] = {}
        for ending in _BY_LENGTH:
            if len(word) >= len(ending) + _MIN_STEM and word.endswith(ending):
                out.update(_ENDINGS[ending])
                break
        for letter, langs in _LETTERS.items():
            if letter in word:
                for lang, w in langs.items():
                    out[lang] = out.get(lang, 0.0) + w
        found = tuple(out.items())
    if len(_CACHE) < _CACHE_MAX:
        _CACHE[word] = found
    return found


def evidence(text: str, max_chars: int = 600) -> dict[str, float]:
    """Per-language score of the first `max_chars` characters of `text` (zero for no evidence)."""
    scores = dict.fromkeys(SCANDINAVIAN, 0.0)
    get = _CACHE.get
    for word in _TOKEN.findall(text[:max_chars].lower()):
        found = get(word)
        if found is None:
            found = _word_evidence(word)
        for lang, w in found:
            scores[lang] += w
    return scores
