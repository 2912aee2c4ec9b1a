"""The UI's language: a small message catalogue (en, nb, da), the reader's choice, dates for people.

A catalogue of a few dozen labels is kept here as a dict instead of gettext .po/.mo files: the UI has no
translators' workflow, and a dict keeps the three languages side by side where a missing key is easy to
see (tests check every key exists in every language). Dates are written by Babel's CLDR data in the UI
language ("3. mars 2024", "3 Mar 2024"); ISO weeks become "week of 1 July 2019", never "2019-W27".
The choice comes from `?lang=`, then the `storyline_lang` cookie, then Accept-Language, then English.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

UI_LANGS = ("en", "nb", "da")
DEFAULT = "en"
COOKIE = "storyline_lang"
NAMES = {"en": "English", "nb": "norsk bokmål", "da": "dansk"}
_LOCALE = {"en": "en_GB", "nb": "nb", "da": "da"}  # British English dates: "3 Mar 2024", as European desks write


@functools.lru_cache(maxsize=16)
def locale(lang: str) -> Locale:
    """Babel's locale object for a UI language (parsed once: parsing per date costs more than formatting)."""
    return Locale.parse(_LOCALE.get(lang, "en_GB"))

# key -> (en, nb, da); plural keys hold "one|other"
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "nav.stories": ("Stories", "Saker", "Historier"),
    "nav.search": ("Search", "Søk", "Søg"),
    "nav.entities": ("Entities", "Navn", "Navne"),
    "nav.review": ("Review", "Kontroll", "Kontrol"),
    "nav.api": ("API", "API", "API"),
    "skip": ("Skip to content", "Hopp til innhold", "Spring til indhold"),
    "search.placeholder": ("Search in any language", "Søk på alle språk", "Søg på alle sprog"),
    "search.label": ("Words, in any language", "Ord, på hvilket som helst språk", "Ord, på et hvilket som helst sprog"),
    "search.button": ("Search", "Søk", "Søg"),
    "search.filters": ("Filters", "Filtre", "Filtre"),
    "search.none": ("No results for “{q}”.", "Ingen treff for «{q}».", "Ingen resultater for »{q}«."),
    "search.none_hint": ("Try other words, another language or fewer filters.",
                         "Prøv andre ord, et annet språk eller færre filtre.",
                         "Prøv andre ord, et andet sprog eller færre filtre."),
    "search.results": ("Results {first}–{last}", "Treff {first}–{last}", "Resultater {first}–{last}"),
    "search.more": ("More results", "Flere treff", "Flere resultater"),
    "search.no_story": ("Not in a story yet", "Ikke i en sak ennå", "Ikke i en historie endnu"),
    "f.lang": ("Language", "Språk", "Sprog"),
    "f.since": ("From", "Fra", "Fra"),
    "f.until": ("To", "Til", "Til"),
    "f.source": ("Outlet or source", "Kilde", "Kilde"),
    "f.entity": ("Name", "Navn", "Navn"),
    "f.story": ("Story", "Sak", "Historie"),
    "f.apply": ("Apply", "Bruk", "Anvend"),
    "f.clear": ("Clear", "Nullstill", "Nulstil"),
    "f.sort": ("Sort", "Sorter", "Sortér"),
    "sort.latest": ("Latest", "Nyeste", "Nyeste"),
    "sort.biggest": ("Biggest", "Største", "Største"),
    "any": ("any", "alle", "alle"),
    "stories.title": ("Stories", "Saker", "Historier"),
    "stories.count": ("{stories} from {articles}", "{stories} fra {articles}", "{stories} fra {articles}"),
    "stories.none": ("No stories yet. Ingest articles with", "Ingen saker ennå. Les inn artikler med",
                     "Ingen historier endnu. Indlæs artikler med"),
    "stories.nomatch": ("No story matches these filters.", "Ingen saker passer med filtrene.",
                        "Ingen historier passer til filtrene."),
    "stories.recent": ("Recent articles", "Nye artikler", "Nye artikler"),
    "updated": ("updated {when}", "oppdatert {when}", "opdateret {when}"),
    "page.prev": ("Previous", "Forrige", "Forrige"),
    "page.next": ("Next", "Neste", "Næste"),
    "page.of": ("Page {n} of {total}", "Side {n} av {total}", "Side {n} af {total}"),
    "n.article": ("{n} article|{n} articles", "{n} artikkel|{n} artikler", "{n} artikel|{n} artikler"),
    "n.event": ("{n} event|{n} events", "{n} hendelse|{n} hendelser", "{n} begivenhed|{n} begivenheder"),
    "n.story": ("{n} story|{n} stories", "{n} sak|{n} saker", "{n} historie|{n} historier"),
    "n.entry": ("{n} entry|{n} entries", "{n} punkt|{n} punkter", "{n} punkt|{n} punkter"),
    "n.outlet": ("{n} outlet|{n} outlets", "{n} kilde|{n} kilder", "{n} kilde|{n} kilder"),
    "n.quote": ("{n} quote|{n} quotes", "{n} sitat|{n} sitater", "{n} citat|{n} citater"),
    "n.mention": ("{n} mention|{n} mentions", "{n} omtale|{n} omtaler", "{n} omtale|{n} omtaler"),
    "story.summary": ("Summary", "Sammendrag", "Resumé"),
    "story.no_summary": ("No summary yet.", "Ingen sammendrag ennå.", "Intet resumé endnu."),
    "story.reviewed": ("Reviewed", "Kontrollert", "Kontrolleret"),
    "story.unreviewed": ("Unreviewed draft", "Ukontrollert utkast", "Ukontrolleret udkast"),
    "story.latest": ("Latest developments", "Siste utvikling", "Seneste udvikling"),
    "story.timeline": ("Timeline", "Tidslinje", "Tidslinje"),
    "story.no_timeline": ("No timeline yet.", "Ingen tidslinje ennå.", "Ingen tidslinje endnu."),
    "story.events": ("Events", "Hendelser", "Begivenheder"),
    "story.entities": ("People, organisations and places", "Personer, organisasjoner og steder",
                       "Personer, organisationer og steder"),
    "story.quotes": ("Quotes", "Sitater", "Citater"),
    "story.articles": ("Articles", "Artikler", "Artikler"),
    "story.coverage": ("Coverage", "Dekning", "Dækning"),
    "story.show_all": ("Show all {what}", "Vis alle {what}", "Vis alle {what}"),
    "cov.outlet": ("Outlet", "Kilde", "Kilde"),
    "cov.langs": ("Languages", "Språk", "Sprog"),
    "cov.first": ("First report", "Først ute", "Først ude"),
    "cov.last": ("Latest", "Siste", "Seneste"),
    "cov.count": ("Articles", "Artikler", "Artikler"),
    "cov.first_by": ("first: {who}, {when}", "først: {who}, {when}", "først: {who}, {when}"),
    "tl.zoom": ("Zoom", "Zoom", "Zoom"),
    "tl.zoom_out": ("Whole timeline", "Hele tidslinjen", "Hele tidslinjen"),
    "tl.showing": ("{from} – {to}", "{from} – {to}", "{from} – {to}"),
    "tl.inferred": ("date inferred", "dato utledet", "dato udledt"),
    "tl.aria": ("Timeline from {first} to {last}: number of entries per period",
                "Tidslinje fra {first} til {last}: antall punkter per periode",
                "Tidslinje fra {first} til {last}: antal punkter pr. periode"),
    "tl.bar": ("{period}: {count}", "{period}: {count}", "{period}: {count}"),
    "week_of": ("week of {day}", "uka fra {day}", "ugen fra {day}"),
    "entity.also": ("Also written", "Også skrevet", "Også skrevet"),
    "entity.roles": ("Roles", "Roller", "Roller"),
    "entity.why": ("Why these names were merged", "Hvorfor navnene er slått sammen", "Hvorfor navnene er slået sammen"),
    "entity.no_evidence": ("No merge evidence recorded.", "Ingen begrunnelse lagret.", "Ingen begrundelse gemt."),
    "entity.timeline": ("Over time", "Over tid", "Over tid"),
    "entity.stories": ("In these stories", "I disse sakene", "I disse historier"),
    "entity.related": ("Often named together with", "Ofte nevnt sammen med", "Ofte nævnt sammen med"),
    "entity.articles": ("Mentioned in", "Nevnt i", "Nævnt i"),
    "entities.title": ("People, organisations and places", "Personer, organisasjoner og steder",
                       "Personer, organisationer og steder"),
    "col.type": ("Type", "Type", "Type"),
    "col.mentions": ("Mentions", "Omtaler", "Omtaler"),
    "type.all": ("all", "alle", "alle"),
    "type.PER": ("people", "personer", "personer"),
    "type.ORG": ("organisations", "organisasjoner", "organisationer"),
    "type.LOC": ("places", "steder", "steder"),
    "review.title": ("Review queue", "Kontrollkø", "Kontrolkø"),
    "review.intro": ("Editors approve, edit or reject machine-made summaries. Each bullet stands beside the "
                     "sentence it cites.",
                     "Redaktører godkjenner, endrer eller forkaster maskinlagde sammendrag. Hvert punkt står "
                     "ved siden av setningen det viser til.",
                     "Redaktører godkender, retter eller afviser maskinlavede resuméer. Hvert punkt står ved "
                     "siden af sætningen, det henviser til."),
    "review.off": ("Review is off: the server was started without STORYLINE_TOKEN.",
                   "Kontroll er slått av: serveren er startet uten STORYLINE_TOKEN.",
                   "Kontrol er slået fra: serveren er startet uden STORYLINE_TOKEN."),
    "review.signin": ("Sign in", "Logg inn", "Log ind"),
    "review.signout": ("Sign out", "Logg ut", "Log ud"),
    "review.token": ("Editor token", "Redaktørnøkkel", "Redaktørnøgle"),
    "review.signed_in": ("Signed in as editor.", "Logget inn som redaktør.", "Logget ind som redaktør."),
    "review.sign_in_first": ("Sign in with the editor token to review.", "Logg inn med redaktørnøkkelen for å kontrollere.",
                             "Log ind med redaktørnøglen for at kontrollere."),
    "review.bad_token": ("Missing or wrong editor token.", "Manglende eller feil redaktørnøkkel.",
                         "Manglende eller forkert redaktørnøgle."),
    "error.back": ("Back to stories", "Tilbake til sakene", "Tilbage til historierne"),
    "review.name": ("Your name", "Ditt navn", "Dit navn"),
    "review.note": ("Note", "Merknad", "Bemærkning"),
    "review.approve": ("Approve", "Godkjenn", "Godkend"),
    "review.save_edit": ("Save edit", "Lagre endring", "Gem rettelse"),
    "review.reject": ("Reject", "Forkast", "Afvis"),
    "review.edit": ("Edit bullets, one per line", "Endre punktene, ett per linje", "Ret punkterne, ét pr. linje"),
    "review.bullet": ("Summary says", "Sammendraget sier", "Resuméet siger"),
    "review.source": ("Cited sentence", "Kildesetning", "Kildesætning"),
    "review.saved": ("Saved: {what}", "Lagret: {what}", "Gemt: {what}"),
    "review.nothing": ("Nothing to review here.", "Ingenting å kontrollere her.", "Intet at kontrollere her."),
    "review.missing": ("sentence not found", "setningen finnes ikke", "sætningen findes ikke"),
    "status.draft": ("draft", "utkast", "udkast"),
    "status.approved": ("approved", "godkjent", "godkendt"),
    "status.edited": ("edited", "endret", "rettet"),
    "status.rejected": ("rejected", "forkastet", "afvist"),
    "status.all": ("all", "alle", "alle"),
    "by": ("by {who}", "av {who}", "af {who}"),
    "article.link": ("article", "artikkel", "artikel"),
    "article.original": ("original", "original", "original"),
    "article.story": ("story", "sak", "historie"),
    "article.legend_ent": ("name", "navn", "navn"),
    "article.legend_quote": ("quotation", "sitat", "citat"),
    "article.cited": ("cited sentence", "sitert setning", "citeret sætning"),
    "article.source": ("Source", "Kilde", "Kilde"),
    "article.inferred": ("date inferred from its story", "dato utledet fra saken", "dato udledt af historien"),
    "unknown_speaker": ("unknown speaker", "ukjent person", "ukendt person"),
    "lang.unknown": ("language unknown", "ukjent språk", "ukendt sprog"),
    "undated": ("undated", "udatert", "udateret"),
}


def message(lang: str, key: str, **kw: Any) -> str:
    """The label `key` in `lang` (English where the language is not in the catalogue)."""
    row = _MESSAGES[key]
    text = row[UI_LANGS.index(lang)] if lang in UI_LANGS else row[0]
    return text.format(**kw) if kw else text


def plural(lang: str, key: str, n: int) -> str:
    """"1 article" / "2 articles" (the three UI languages share the one/other rule)."""
    one, other = message(lang, key).split("|")
    return (one if n == 1 else other).format(n=_number(n, lang))


@functools.lru_cache(maxsize=4096)
def _number(n: int, lang: str) -> str:
    return format_decimal(n, locale=locale(lang))


def choose_lang(query_lang: str | None, cookie_lang: str | None, accept: str | None) -> str:
    """The UI language from ?lang=, the cookie, then Accept-Language ("nn"/"no" read as nb)."""
    for cand in (query_lang, cookie_lang):
        if cand in UI_LANGS:
            return cand
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        code = "nb" if code in ("nn", "no") else code
        if code in UI_LANGS:
            return code
    return DEFAULT


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@functools.lru_cache(maxsize=8192)
def parse_date(iso: str | None) -> tuple[dt.date, str] | None:
    """(first day, precision) of an ISO date cut to any precision, an ISO week, or None."""
    if not iso:
        return None
    m = _WEEK.match(iso)
    try:
        if m:
            return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1), "week"
        parts = iso[:10].split("-")
        y = int(parts[0])
        if len(parts) == 1:
            return dt.date(y, 1, 1), "year"
        if len(parts) == 2:
            return dt.date(y, int(parts[1]), 1), "month"
        return dt.date(y, int(parts[1]), int(parts[2])), "day"
    except (ValueError, IndexError):
        return None


def format_day(d: dt.date, lang: str, style: str = "medium") -> str:
    """One day as people write it: "3 Mar 2024" / "3. mar. 2024" (long: "3 March 2024")."""
    return format_date(d, format=style, locale=locale(lang))


def format_month(d: dt.date, lang: str, short: bool = False) -> str:
    return format_skeleton("yMMM" if short else "yMMMM", d, locale=locale(lang))


@functools.lru_cache(maxsize=8192)
def human_date(iso: str | None, lang: str, style: str = "medium") -> str:
    """An ISO date of any precision written for people; unparseable input is returned as given."""
    parsed = parse_date(iso)
    if parsed is None:
        return iso or ""
    d, precision = parsed
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return format_month(d, lang, short=style == "short")
    if precision == "week":
        return message(lang, "week_of", day=format_day(d, lang, style))
    return format_day(d, lang, style)


@functools.lru_cache(maxsize=4096)
def human_span(start: str | None, end: str | None, lang: str) -> str:
    """A date span for people: "3 – 5 Mar 2024" is left to Babel's interval format for days."""
    if not start and not end:
        return ""
    if not start or not end or start == end:
        return human_date(start or end, lang)
    a, b = parse_date(start), parse_date(end)
    if a and b and a[1] == b[1] == "day":
        from babel.dates import format_interval

        return format_interval(a[0], b[0], "yMMMd", locale=locale(lang))
    return f"{human_date(start, lang)} – {human_date(end, lang)}"


def catalogue_keys() -> list[str]:
    return list(_MESSAGES)
