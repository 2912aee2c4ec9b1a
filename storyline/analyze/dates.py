"""Find date expressions in a sentence and normalise them against a reference date.

Hand-written rules, not `dateparser.search_dates`, measured with `storyline eval dates` (see
`storyline.eval.dates`, which runs both): on our gold sentences the rules are more precise and much
faster, because dateparser misses "23. januar" (the day's dot), reads "fredag 28. november" as the
wrong month, takes "72 timer", "2000" (a count), "nå" and "man" for dates, and its search costs
27–83 ms per article. Here month and weekday names come from CLDR through babel and the few phrases
CLDR lacks are in `storyline.analyze.date_words`, so a new language is a table, not code.

Normalisation rules (news conventions):
- a year-less date takes the reference's year; a month more than three months after the reference
  month means the previous year ("i desember" in a January article), unless a future cue is in the
  sentence; up to three months ahead stay in the year (measured on TimeBank: upcoming dates are
  more common there than last year's); "assumed" is set;
- a weekday or a relative phrase ("i går", "last week") resolves against the reference: a weekday
  is the most recent such day on or before the reference ("said Friday" in a Friday paper is that
  day: TimeBank en normalisation 0.78 -> 0.89 against strictly-before), strictly before with "last" /
  "forrige" / "i fredags", after with "neste", "next", "på fredag"; "assumed" is set;
- precision is kept: "i mai 2018" is `2018-05` (month), "in 2019" is `2019` (year), "last week" is an
  ISO week `2025-W48` (precision "week");
- a reference coarser than the expression lowers the result to the reference's precision (a
  weekday in an article known only to be from February 2019 is `2019-02`), and nothing is invented
  when the reference is unknown: year-less and relative expressions are then skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from storyline.analyze import date_words as W

NEAR_FUTURE_MONTHS = 3
PRECISION_RANK = {"year": 0, "month": 1, "week": 2, "day": 3, "minute": 4}


@dataclass(frozen=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    expression: str
    date: str  # ISO 8601 cut to precision: 2019, 2019-01, 2019-W04, 2019-01-23
    precision: str  # year | month | week | day
    assumed: bool = False  # weekday / relative resolved by assumption, or year inferred


@dataclass(frozen=True)
class Reference:
    """What an expression is resolved against: a day, or only a month or year."""

    day: dt.date  # for month / year precision: the first day of that period
    precision: str  # day | month | year

    @classmethod
    def parse(cls, value: str | dt.date | Reference | None, precision: str | None = None) -> Reference | None:
        if value is None or value == "":
            return None
        if isinstance(value, Reference):
            return value
        if isinstance(value, dt.datetime):
            return cls(value.date(), precision or "day")
        if isinstance(value, dt.date):
            return cls(value, precision or "day")
        text = str(value).strip()
        m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not m:
            raise ValueError(f"reference date {value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        found = "day" if day else "month" if month else "year"
        if precision in ("day", "minute") and found != "day":
            precision = found
        prec = {"minute": "day", "week": "day"}.get(precision or found, precision or found)
        if PRECISION_RANK[prec] > PRECISION_RANK[found]:
            prec = found
        try:
            return cls(dt.date(year, int(month or 1), int(day or 1)), prec)
        except ValueError as exc:
            raise ValueError(f"reference date {value!r} is not a real date ({exc})") from exc


def normalise_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    lang = lang.lower().split("-")[0].split("_")[0]
    lang = W.LANG_ALIASES.get(lang, lang)
    return lang if lang in W.LANGS else None


# -- patterns -----------------------------------------------------------------------------------


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass
class _Patterns:
    lang: str
    months: dict[str, int]
    weekdays: dict[str, int]
    regexes: list[tuple[str, re.Pattern[str]]]
    relative: dict[str, tuple[str, int]]
    numbers: dict[str, int]
    ago_units: dict[str, str]
    triggers: frozenset[str] = frozenset()  # a sentence without a digit or one of these has no date


@cache
def _patterns(lang: str) -> _Patterns:
    months = W.month_names(lang)
    weekdays = W.weekday_names(lang)
    month = rf"(?P<month>{_alt(months)})\.?"
    suffix = "|".join(W.WEEKDAY_SUFFIXES.get(lang, ()))
    wd_core = rf"(?P<weekday>{_alt(weekdays)})(?:{suffix})?" if suffix else rf"(?P<weekday>{_alt(weekdays)})"
    wd_prefix = rf"(?:(?:{_alt(weekdays)})(?:{suffix})?,?\s+(?:(?:den|the|el|le|am|der)\s+)?)?" if suffix else \
        rf"(?:(?:{_alt(weekdays)}),?\s+(?:(?:den|the|el|le|am|der)\s+)?)?"
    day = r"(?P<day>[0-3]?\d)"
    clock = r"(?:,?\s+(?:kl\.?\s*|klokka\s+|klokken\s+|at\s+|um\s+|à\s+|a\s+las\s+)?(?P<hh>[0-2]?\d)[:.](?P<mm>[0-5]\d)(?![\d.,]\d))?"
    year = r"(?P<year>(?:1[89]|20|21)\d\d)"
    regexes: list[tuple[str, re.Pattern[str]]] = []
    flags = re.IGNORECASE
    regexes.append(("iso", re.compile(r"(?<![\d.])(?P<year>\d{4})-(?P<m>0[1-9]|1[0-2])(?:-(?P<day>[0-3]\d))?(?![\d-])")))
    regexes.append(("numeric", re.compile(
        r"(?<![\d.,])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)(?P<year>\d{4}|\d{2})(?![\d]|[.,]\d)" + clock)))
    regexes.append(("day_month", re.compile(
        rf"(?<![\w.,]){wd_prefix}{day}(?:\.|er|st|nd|rd|th)?\s+(?:(?:de|of)\s+)?{month}"
        rf"(?:\s*,?\s+(?:(?:de|del)\s+)?{year})?(?![\w]){clock}", flags)))
    if lang in ("en",):
        regexes.append(("month_day", re.compile(
            rf"(?<![\w]){wd_prefix}{month}\s+{day}(?:st|nd|rd|th)?(?![\w]|[.,]\d)(?:\s*,?\s+{year}(?!\w))?", flags)))
    regexes.append(("month_year", re.compile(
        rf"(?<![\w]){month}\s+(?:(?:de|del|of)\s+)?{year}(?![\w])", flags)))
    regexes.append(("bare_month", re.compile(
        rf"(?<![\w])(?P<prep>{_alt(W.MONTH_PREPS.get(lang, ()))})\s+{month}(?![\w])", flags)))
    if lang in ("en", "de"):
        regexes.append(("cap_month", re.compile(rf"(?<![\w])(?P<month>{_alt(m.title() for m in months if len(m) > 3)})(?![\w])")))
    regexes.append(("bare_year", re.compile(
        rf"(?<![\w])(?P<prep>{_alt(W.YEAR_PREPS.get(lang, ()))})\s+{year}(?![\w]|[-–]\d)", flags)))
    before = W.WEEKDAY_BEFORE.get(lang, {})
    after = W.WEEKDAY_AFTER.get(lang, {})
    fprep = W.WEEKDAY_FUTURE_PREPS.get(lang, ())
    mod_before = rf"(?:(?P<mod>{_alt(list(before) + list(fprep) + ['i'] * (lang in ('nb', 'nn', 'da')))})\s+)?" \
        if (before or fprep) else ""
    mod_after = rf"(?:\s+(?P<after>{_alt(after)}))?" if after else ""
    regexes.append(("weekday", re.compile(rf"(?<![\w]){mod_before}{wd_core}{mod_after}(?![\w])", flags)))
    relative = W.RELATIVE.get(lang, {})
    if relative:
        regexes.append(("relative", re.compile(rf"(?<![\w])(?P<rel>{_alt(relative)})(?![\w])", flags)))
    if lang == "de":  # "morgen" (tomorrow) only lower case: "Morgen" is the morning
        regexes.append(("tomorrow", re.compile(r"(?<![\w])morgen(?![\w])")))
    if lang == "es":  # "mañana" is tomorrow, "la mañana" the morning
        regexes.append(("tomorrow", re.compile(r"(?<![\w])(?<!la\s)mañana(?![\w])", flags)))
    ago = W.AGO.get(lang)
    if ago:
        regexes.append(("ago", re.compile(rf"(?<![\w]){ago[0]}(?![\w])", flags)))
    triggers = set(months) | set(weekdays)
    triggers |= {w + sfx for w in weekdays for sfx in W.WEEKDAY_SUFFIXES.get(lang, ())}
    words = list(relative) + ([ago[0]] if ago else [])
    triggers |= {t for phrase in words for t in re.findall(r"\w+", phrase.lower()) if t not in _COMMON}
    triggers |= {"morgen", "mañana"}
    return _Patterns(lang, months, weekdays, regexes, {k.lower(): v for k, v in relative.items()},
                     W.NUMBER_WORDS.get(lang, {}), ago[1] if ago else {}, frozenset(triggers))


_COMMON = frozenset(["i", "the", "a", "an", "of", "on", "in", "at", "de", "el", "la", "le", "en", "den", "der", "am", "this", "that", "for", "til", "to"])
_WORDS = re.compile(r"\w+")


_CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")


def precision_of(value: str) -> str | None:
    """The precision of a calendar ISO value ("2019" year, "2019-01" month, "2019-W04" week,
    "2019-01-23" day); None for anything else (times included)."""
    if not _CALENDAR.match(value):
        return None
    if "W" in value:
        return "week"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


# -- resolution helpers -------------------------------------------------------------------------


def _iso(d: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if precision == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    return d.isoformat()


def period_bounds(date: str, precision: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO date of any precision (for sorting and adjacency)."""
    m = re.match(r"^(\d{4})-W(\d{2})$", date)
    if m:
        start = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        return start, start + dt.timedelta(days=6)
    parts = date[:10].split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    mo = int(parts[1])
    if len(parts) == 2:
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return dt.date(y, mo, 1), nxt - dt.timedelta(days=1)
    d = dt.date(y, mo, int(parts[2]))
    return d, d


def news_peg(days: Sequence[dt.date], published: dt.date | None) -> int:
    """Index of the day a sentence naming several reports: its news peg, not its background.

    "The ministers, meeting on Monday, asked the court to investigate Saturday's violence" is
    Monday's news; Saturday is what it refers back to (and has sentences of its own). News tells the
    newest development and recounts older ones, so: the latest day on or before publication; a day
    after it (an announced vote) only when the sentence names nothing earlier, then the soonest.
    Without a publication day: the latest. Ties go to the earlier mention. The timeline's statements
    (`storyline.analyze.statements`) and the batch selector (`storyline.explain.timeline_select`)
    both date a sentence this way.
    """
    order = range(len(days))
    if published is not None:
        past = [i for i in order if days[i] <= published]
        if not past:
            return min(order, key=lambda i: (days[i], i))
        order = past
    return max(order, key=lambda i: (days[i], -i))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _future_context(sentence: str, lang: str) -> bool:
    low = f" {sentence.lower()} "
    return any(re.search(rf"(?<![\w]){re.escape(c.strip())}(?![\w])", low) for c in W.FUTURE_CUES.get(lang, ()))


def _infer_year(month: int, day: int | None, ref: Reference, future: bool) -> int:
    if ref.precision == "year":
        return ref.day.year
    y, rm = ref.day.year, ref.day.month
    if month > rm:
        # up to NEAR_FUTURE_MONTHS ahead is more often an upcoming date than last year's (TimeBank
        # en: normalisation 0.891 -> 0.912, es: 0.936 -> 0.950; 3 rather than 2 also fixes an
        # upcoming election in gold/examples-dates.jsonl); further ahead is last year's
        return y if future or month - rm <= NEAR_FUTURE_MONTHS else y - 1
    return y


def _shift_months(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + months
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _relative(unit: str, offset: int, ref: Reference) -> tuple[str, str] | None:
    """Resolve "N units from the reference"; None when the reference is too coarse to say."""
    base = ref.day
    if unit in ("day", "weekend", "week"):
        if ref.precision == "year":
            return None
        if ref.precision == "month":
            return _iso(base, "month"), "month"
        if unit == "day":
            return _iso(base + dt.timedelta(days=offset), "day"), "day"
        if unit == "week":
            return _iso(base + dt.timedelta(weeks=offset), "week"), "week"
        # weekend: the Saturday of the most recent (offset<0) or next (offset>0) weekend
        if offset < 0:
            delta = (base.weekday() - 5) % 7 or 7
            if base.weekday() == 6:
                delta = 1
            return _iso(base - dt.timedelta(days=delta), "day"), "day"
        delta = (5 - base.weekday()) % 7 or 7
        return _iso(base + dt.timedelta(days=delta), "day"), "day"
    if unit == "month":
        if ref.precision == "year":
            return None
        return _iso(_shift_months(base, offset), "month"), "month"
    if unit == "year":
        return f"{base.year + offset:04d}", "year"
    return None


def _weekday(target: int, direction: int, ref: Reference) -> tuple[str, str] | None:
    if ref.precision == "year":
        return None
    if ref.precision == "month":
        return _iso(ref.day, "month"), "month"
    base = ref.day
    if direction > 0:
        delta = (target - base.weekday()) % 7 or 7
        return (base + dt.timedelta(days=delta)).isoformat(), "day"
    delta = (base.weekday() - target) % 7
    if direction < -1:  # an explicit "last"/"forrige": never the reference day itself
        delta = delta or 7
    return (base - dt.timedelta(days=delta)).isoformat(), "day"


# -- main entry point ---------------------------------------------------------------------------


def find_dates(text: str, lang: str | None, reference: str | dt.date | Reference | None, *,
               reference_precision: str | None = None) -> list[DateMatch]:
    """Date expressions in `text` (a sentence), normalised against `reference` (publication date).

    `lang` picks the month/weekday names and phrases; an unknown language gets English rules plus
    numeric dates. Overlapping candidates keep the longest. Returns matches in text order.
    """
    code = normalise_lang(lang) or "en"
    ref = Reference.parse(reference, reference_precision)
    pats = _patterns(code)
    if not any(c.isdigit() for c in text) and pats.triggers.isdisjoint(_WORDS.findall(text.lower())):
        return []  # the common case, decided in microseconds
    future = _future_context(text, code)
    found: list[tuple[int, int, DateMatch]] = []
    for kind, rx in pats.regexes:
        for m in rx.finditer(text):
            match = _resolve(kind, m, pats, ref, future)
            if match is not None:
                found.append((match.start, match.end, match))
    # keep the longest of overlapping matches (earlier pattern wins a tie: more specific)
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    chosen: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for s, e, match in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(match)
    return sorted(chosen, key=lambda d: d.start)


def _make(m: re.Match[str], date: str, precision: str, assumed: bool, group: str | None = None) -> DateMatch:
    s, e = m.span(group) if group else m.span()
    hh, mm = (m.groupdict().get("hh"), m.groupdict().get("mm"))
    if precision == "day" and hh is not None and mm is not None and int(hh) < 24:
        date, precision = f"{date}T{int(hh):02d}:{mm}", "minute"  # "17.05.2019 10:32", "3. maj 2019 kl. 08.15"
    text = m.string
    if text[e - 1] == "." and e - s > 1:
        word = re.search(r"(\w+)\.$", text[s:e])
        if word and (word.group(1).isdigit() or len(word.group(1)) > 4):
            e -= 1  # a sentence's full stop after "2. september", not an abbreviation's dot
    return DateMatch(s, e, text[s:e], date, precision, assumed)


def _resolve(kind: str, m: re.Match[str], pats: _Patterns, ref: Reference | None, future: bool) -> DateMatch | None:
    g = m.groupdict()
    if kind == "iso":
        y, mo = int(g["year"]), int(g["m"])
        if g.get("day"):
            d = _safe_date(y, mo, int(g["day"]))
            return _make(m, d.isoformat(), "day", False) if d else None
        return _make(m, f"{y:04d}-{mo:02d}", "month", False)
    if kind == "numeric":
        a, b, yr = int(g["a"]), int(g["b"]), g["year"]
        if len(yr) == 2:
            if g["sep"] == "." and pats.lang == "en":
                return None  # "1.45.10" etc.: not a date in English text
            y = 2000 + int(yr) if int(yr) < 70 else 1900 + int(yr)
        else:
            y = int(yr)
        day_, mon = (b, a) if pats.lang == "en" and g["sep"] == "/" and a <= 12 else (a, b)
        d = _safe_date(y, mon, day_)
        return _make(m, d.isoformat(), "day", False) if d else None
    if kind in ("day_month", "month_day"):
        mon = pats.months.get(g["month"].lower().rstrip("."))
        if mon is None:
            return None
        day_ = int(g["day"])
        if not 1 <= day_ <= 31:
            return None
        if g.get("year"):
            d = _safe_date(int(g["year"]), mon, day_)
            return _make(m, d.isoformat(), "day", False) if d else None
        if ref is None:
            return None
        y = _infer_year(mon, day_, ref, future)
        d = _safe_date(y, mon, day_)
        if d is None:
            return None
        return _make(m, d.isoformat(), "day", True)
    if kind == "month_year":
        mon = pats.months.get(g["month"].lower().rstrip("."))
        if mon is None or len(g["month"].rstrip(".")) < 3:
            return None
        return _make(m, f"{int(g['year']):04d}-{mon:02d}", "month", False)
    if kind in ("bare_month", "cap_month"):
        word = g["month"].rstrip(".")
        mon = pats.months.get(word.lower())
        if mon is None or ref is None:
            return None
        if kind == "cap_month" and word.lower() in W.AMBIGUOUS_BARE_MONTHS:
            return None
        if kind == "bare_month" and word.lower() in W.AMBIGUOUS_BARE_MONTHS and pats.lang == "en" \
                and not word[0].isupper():
            return None
        if word.lower() not in W.full_month_names(pats.lang) and "." not in g["month"]:
            return None  # bare abbreviations ("mar", "jan") are too ambiguous without a day
        y = _infer_year(mon, None, ref, future)
        return _make(m, f"{y:04d}-{mon:02d}", "month", True, "month")
    if kind == "bare_year":
        return _make(m, f"{int(g['year']):04d}", "year", False, "year")
    if ref is None:
        return None
    if kind == "weekday":
        target = pats.weekdays.get(g["weekday"].lower())
        if target is None:
            return None
        # -1: on or before the reference (a bare weekday in news: "said Friday" on a Friday is
        # that day); -2: strictly before ("forrige fredag", "last Friday"); +1: strictly after
        direction = -1
        mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
        if mod in W.WEEKDAY_FUTURE_PREPS.get(pats.lang, ()):
            direction = 1
        elif mod:
            direction = 2 * W.WEEKDAY_BEFORE.get(pats.lang, {}).get(mod, -1) if mod != "i" else -2
        after = re.sub(r"\s+", " ", (g.get("after") or "").lower())
        if after in W.WEEKDAY_AFTER.get(pats.lang, {}):
            direction = 2 * W.WEEKDAY_AFTER[pats.lang][after]
        direction = max(-2, min(1, direction))
        res = _weekday(target, direction, ref)
        if res is None:
            return None
        return _make(m, res[0], res[1], True)
    if kind == "relative":
        unit, offset = pats.relative[re.sub(r"\s+", " ", g["rel"].lower())]
        res = _relative(unit, offset, ref)
        return _make(m, res[0], res[1], True) if res else None
    if kind == "tomorrow":
        res = _relative("day", 1, ref)
        return _make(m, res[0], res[1], True) if res else None
    if kind == "ago":
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else pats.numbers.get(raw)
        if n is None or n > 100:
            return None
        unit_word = g["unit"].lower()
        unit = next((u for p, u in sorted(pats.ago_units.items(), key=lambda t: -len(t[0]))
                     if unit_word.startswith(p)), None)
        if unit is None:
            return None
        res = _relative(unit, -n, ref)
        return _make(m, res[0], res[1], True) if res else None
    return None
