"""The default recogniser: capitalisation + sentence position + cue words + gazetteers + corpus evidence.

No PyPI package ships usable offline NER weights for Norwegian/Danish (see STACK-NOTES), so this is
rule-based, and every rule is general:
- a capitalised word mid-sentence is a name candidate; one that opens a sentence (or a quote) is a
  candidate only if the corpus attests it capitalised mid-sentence, or the gazetteer knows it, and it
  is not a function word, weekday/month name, or a dictionary word (simplemma) seen lowercase;
- role and title words ("utenriksminister", "Secretary of State", "President") split spans and become
  the mention's role; demonyms ("Venezuelan") are not names;
- genitives map to their attested base (see `genitives`); lowercase parts of machine-translated names
  ("Donald trump") join the name when the corpus attests the capitalised form;
- types: a strong gazetteer hit (a country, or a big city under its own name) → LOC; a weak one (a small
  city, an alternate-name-only hit such as "Machado" for an Angolan town, a name several places share)
  → LOC only after a locative preposition, and never for a word the corpus attests as part of a
  person's name (after a given name or a role word); a name the corpus shows after agency/medium cues
  ("nyhetsbyrået X", "ifølge X", "according to X", "said on X", "sa til X") and never as a person → ORG,
  and such a name is split off a following name ("Reuters Pompeo"); organisation head words (also
  compounds and Romance head-first order: "Nobelkomiteen", "Grupo de Lima") and acronyms → ORG; given
  names, roles and multiword names → PER; a single unknown word after a locative preposition → LOC.
- hyphen compounds: "Lima-gruppen" (an organisation head after the hyphen) is the organisation; an
  all-caps dictionary word before a hyphen ("TV-tale") is no name; "Trump-administrasjonen" gives Trump.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.analyze.entities import cues
from storyline.analyze.entities.gazetteer import Gazetteer, get_gazetteer, place_type
from storyline.analyze.entities.genitives import strip_genitive
from storyline.analyze.entities.normalize import fold, given_names
from storyline.analyze.entities.settings import EntitySettings
from storyline.analyze.sentences import split_sentences
from storyline.model import Article, Mention

_TOKEN = re.compile(r"(?:[A-ZÀ-Þ]\.){2,}|[^\W\d_](?:\w|[-'’´](?=\w))*['’]?|\d+|[^\w\s]")
_OPENERS = {"«", "“", "„", '"', "–", "—", "-", ":", "(", "[", "‘", "'", "•", "*"}
_CONNECT_PUNCT = {"/"}
_DETERMINERS = {"the", "a", "an", "this", "that", "der", "die", "das", "den", "dem", "des", "ein", "eine",
                "el", "la", "los", "las", "le", "les", "un", "une", "una"}
_ROLE_ENDINGS = tuple(cues.ROLE_PHRASES)  # for one str.endswith over every multiword role phrase
_DEMONYM_SUFFIXES = ("ian", "an", "n", "ese", "ish", "i", "er", "ere", "ske", "sk", "isk", "iske")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    out = []
    append = out.append
    for m in _TOKEN.finditer(text):
        word = m.group()
        start, end = m.span()
        if word[-1] in "'’" and len(word) > 1 and word[-2] not in "sxzSXZ":  # a closing quote, not "Honduras’"
            word, end = word[:-1], end - 1
        append(Token(start + offset, end + offset, word))
    return out


@dataclass
class CorpusEvidence:
    """Counts over the corpus that decide ambiguous capitals (built from the batch plus stored names)."""

    cap_mid: Counter[str] = field(default_factory=Counter)  # folded word seen capitalised mid-sentence
    lower: Counter[str] = field(default_factory=Counter)  # word seen in lower case
    known: set[str] = field(default_factory=set)  # folded words of names already stored
    # folded later parts of person names: "machado" from "María Corina Machado" or "leder Machado";
    # a gazetteer's obscure alternate name never captures a word the corpus attests as a person
    person_parts: Counter[str] = field(default_factory=Counter)
    # folded names seen right after an agency/medium cue ("nyhetsbyrået X", "ifølge X", "said on X")
    org_cues: Counter[str] = field(default_factory=Counter)
    # folded later words of person names already in the store (resolved, so firmer than person_parts)
    stored_person_parts: set[str] = field(default_factory=set)

    def add_text(self, sentences: Iterable[str]) -> None:
        first_names = _person_names()
        for sent in sentences:
            toks = tokenize(sent)
            for i, t in enumerate(toks):
                if not t.word:
                    continue
                if i + 1 < len(toks) and toks[i + 1].cap and toks[i + 1].start == t.end + 1 and (
                        (t.cap and fold(t.text) in first_names) or (not t.cap and cues.role_head(t.text, None))):
                    j = i + 1
                    while j < len(toks) and toks[j].cap and toks[j].word and toks[j].start <= toks[j - 1].end + 1:
                        self.person_parts[fold(_drop_apostrophe_s(toks[j].text))] += 1
                        j += 1
                if t.cap and i > 0 and self._org_cue_before(toks, i):
                    # the whole capitalised run: "ifølge Washington Post" attests "Washington Post" only
                    j = i + 1
                    while j < len(toks) and toks[j].cap and toks[j].word and toks[j].start == toks[j - 1].end + 1:
                        j += 1
                    run = " ".join(_drop_apostrophe_s(x.text) for x in toks[i:j])
                    self.org_cues[fold(run)] += 1
                if t.cap and "-" in t.text:
                    # "Høyre-leder", "Frp-politiker": a body whose leader or member is meant, an organisation
                    # (a place prefix, "USA-president", stays a place: the gazetteer is asked first)
                    head, _, tail = t.text.rpartition("-")
                    if head[:1].isupper() and tail.islower() and cues.role_head(tail, "nb"):
                        self.org_cues[fold(head)] += 1
                if t.cap and i >= 2 and toks[i - 1].text in _MEMBER_PREPS and _member_role(toks[i - 2].text):
                    self.org_cues[fold(_drop_apostrophe_s(t.text))] += 1  # "leder i Høyre", "member of Hamas"
            self._count_case(toks)

    def add_case(self, sentences: Iterable[str]) -> None:
        """Only the case counts (`cap_mid`, `lower`), as `add_text` counts them: all the trained backend
        reads, at a third of the cost (no person-part or organisation-cue scan)."""
        for sent in sentences:
            self._count_case(tokenize(sent))

    def _count_case(self, toks: list[Token]) -> None:
        """Words capitalised inside a sentence (not first, not after an opener) and words in lower case.
        Spelled with `Token.word`/`Token.cap`'s string tests, not the properties: this runs per token of
        every batch (the properties cost a third of the pass)."""
        cap_mid, lower = self.cap_mid, self.lower
        prev = ""
        for i, t in enumerate(toks):
            text = t.text
            if text[:1].isalpha():
                if not text[:1].isupper():
                    lower[text.lower()] += 1
                elif i > 0 and prev not in _OPENERS:
                    cap_mid[fold(text)] += 1
                    if "-" in text:
                        cap_mid[fold(text.split("-")[0])] += 1
            prev = text

    def add_articles(self, articles: Iterable[Article], case_only: bool = False) -> None:
        """Count the articles' sentences; `case_only` for a recogniser that reads the case counts alone."""
        add = self.add_case if case_only else self.add_text
        for art in articles:
            add(s.text for s in split_sentences(art))

    @staticmethod
    def _org_cue_before(toks: list[Token], i: int) -> bool:
        prev = toks[i - 1].text.lower()
        if prev in cues.ORG_CUES_BEFORE or (prev == "to" and i >= 2 and toks[i - 2].text.lower() == "according"):
            return True
        if prev in cues.ORG_CUES_AFTER_SPEECH:
            return any(tok.text.lower() in _speech_verbs() or tok.text.lower() in {"seg", "sig"}
                       for tok in toks[max(0, i - 4): i - 1])
        return False

    def org_cue(self, word: str) -> bool:
        return self.org_cues.get(fold(word), 0) > 0 and self.person_parts.get(fold(word), 0) == 0

    def person_part(self, word: str) -> bool:
        return self.person_parts.get(fold(word), 0) > 0

    def attested(self, word: str) -> bool:
        key = fold(word)
        return self.cap_mid.get(key, 0) > 0 or key in self.known


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    """Speech verbs of the quotes stage (one lexicon for the whole system)."""
    try:
        from storyline.analyze.quotes.cues import SPEECH_VERBS
    except ImportError:  # the quotes stage is optional to this one
        return frozenset({"said", "says", "told", "wrote", "sier", "sa", "sagde", "siger", "säger", "sade"})
    return frozenset(SPEECH_VERBS)


@lru_cache(maxsize=131_072)
def _dictionary_word(low: str, code: str) -> bool:
    from storyline.analyze.lemmas import is_known, lemmatize  # fast-loading dictionaries (see there)

    try:
        return bool(is_known(low, code)) or lemmatize(low, code) != low
    except (ValueError, KeyError):
        return False


# "leder i X", "medlem av X", "member of X", "Vorsitzender der X": X is the body led or joined
_MEMBER_PREPS = {"i", "av", "for", "of", "af", "der", "des", "del", "de", "du"}
_MEMBERS = {"medlem", "medlemmer", "member", "members", "mitglied", "miembro", "membre", "leder", "leiar",
            "leader", "chairman", "vorsitzender", "líder", "representant", "stortingsrepresentant", "nestleder"}


def _member_role(word: str) -> bool:
    low = word.lower()
    return low in _MEMBERS


@lru_cache(maxsize=1)
def _person_names() -> frozenset[str]:
    """Folded given names from gender-guesser's ~60k-name list (many European languages, which the
    nicknames data used by `given_names` lacks: "Lars", "Søren", "Jens")."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:
        return given_names()
    return frozenset(fold(n) for n in Detector(case_sensitive=False).names if len(n) > 2) | given_names()


def _named_org_compound(word: str) -> bool:
    """A Scandinavian definite compound on an organisation head ("Nobelkomiteen", "Arbeiderpartiet")
    names one organisation even at a sentence start; the bare head ("Partiet") does not."""
    return len(word) > 8 and cues.is_org_head(word) and word.lower() not in cues.ORG_HEADS


def _drop_apostrophe_s(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


class OfflineRecognizer:
    """Rule-based multilingual recogniser; needs no download."""

    name = "offline"

    def __init__(self, settings: EntitySettings | None = None) -> None:
        self.settings = settings or EntitySettings()
        self.gz: Gazetteer = get_gazetteer()
        self.first_names = given_names()
        self.function_words = cues.function_words()
        self.calendar = cues.calendar_words()
        # language names that are not also given names ("Karen") or places ("Tonga" is checked at use)
        self.language_names = cues.language_names() - self.first_names

    # -- public ---------------------------------------------------------------------------------
    def recognize(self, articles: Sequence[Article], evidence: CorpusEvidence | None = None
                  ) -> dict[str, list[Mention]]:
        if evidence is None:
            evidence = CorpusEvidence()
            evidence.add_articles(articles)
        return {a.id: self.recognize_article(a, evidence) for a in articles}

    def recognize_article(self, article: Article, evidence: CorpusEvidence) -> list[Mention]:
        out: list[Mention] = []
        for sent in split_sentences(article):
            out.extend(self._sentence(article, sent.index, sent.start, sent.text, sent.lang or article.lang,
                                      evidence))
        return out

    # -- helpers --------------------------------------------------------------------------------
    def _is_name(self, word: str, ev: CorpusEvidence) -> bool:
        return self.gz.knows(word) or ev.attested(word)

    def _base(self, word: str, lang: str | None, ev: CorpusEvidence) -> str:
        def is_name(w: str) -> bool:
            if w == word:  # "Lars", "Paris", "Reuters" are names as written
                return self.gz.knows(w) or fold(w) in self.first_names
            # the s-less base must be a strong place or a name the corpus attests ("Lar" is an Iranian
            # town's name, which must not turn "Lars" into a genitive)
            return self.gz.strong(w) or ev.attested(w)

        return strip_genitive(word, lang, is_name)

    def _is_demonym(self, word: str) -> bool:
        low = word.lower()
        for suf in _DEMONYM_SUFFIXES:
            if low.endswith(suf) and len(low) - len(suf) >= 3:
                stem = word[: -len(suf)]
                for cand in (stem, stem + "a", stem + "ia", stem + "e", stem + "o"):
                    place, _ = self.gz.lookup(cand)
                    if place is not None and place.kind == "territory":
                        return True
        return False

    def _known_word(self, word: str, lang: str | None) -> bool:
        """A dictionary word of `lang` (or an inflection of one: "Saken" -> "sak")."""
        return _dictionary_word(word.lower(), "nb" if lang in (None, "no") else lang)

    def _name_token(self, tok: Token, initial: bool, lang: str | None, ev: CorpusEvidence) -> bool:
        text = tok.text
        low = text.lower().rstrip("'’")
        base = self._base(text, lang, ev)
        if low in self.function_words or low in self.calendar or base.lower() in self.calendar:
            return False
        if low in self.language_names and not self.gz.knows(text):  # "Norwegian": a language or demonym
            return False
        if low in cues.TITLES or cues.role_head(low, lang):
            return False
        if "-" in text and text.rpartition("-")[2][:1].islower():
            return False  # "Lima-gruppen", "ICC-saken": the name part is found by _hyphen_prefixes
        if lang == "de":  # every German noun is capitalised mid-sentence: that attests nothing
            known_name = self.gz.knows(base) or any(
                f(w) for w in (base, text) for f in (ev.person_part, ev.org_cue)) or fold(base) in ev.known or (
                len(text) > 8 and cues.is_org_head(text) and text.lower() not in cues.ORG_HEADS)  # "Nobelkomitee"
        else:
            known_name = self.gz.knows(base) or ev.attested(base) or ev.attested(text)
        if text.isupper() and len(text) >= 4 and not known_name and self._known_word(text, lang):
            return False  # an all-caps word ("STENGT:") rather than an acronym
        # at a sentence start only a strong place counts: "Union" is some town's name but a common word first
        strong_name = self.gz.strong(base) or ev.attested(base) or ev.attested(text) or (
            lang in cues.COMPOUNDING and lang != "de" and _named_org_compound(text))  # "Nobelkomiteen"
        if initial and not strong_name and (ev.lower.get(low, 0) > 0 or self._known_word(low, lang)):
            return False  # a sentence-initial common word ("Lederen", "Previously")
        # German capitalises every noun: there a dictionary word is no name without other evidence
        return not (lang == "de" and not initial and not known_name and fold(text) not in self.first_names
                    and self._known_word(text, lang))

    def _sentence(self, article: Article, s_index: int, s_start: int, text: str, lang: str | None,
                  ev: CorpusEvidence) -> list[Mention]:
        toks = tokenize(text, s_start)
        flags: list[bool] = []
        prev_word_seen = False
        for i, t in enumerate(toks):
            if not t.word:
                flags.append(False)
                continue
            initial = not prev_word_seen or (i > 0 and toks[i - 1].text in _OPENERS)
            prev_word_seen = True
            flags.append(t.cap and self._name_token(t, initial, lang, ev))
        self._flag_gazetteer_phrases(toks, flags)
        mentions: list[Mention] = []
        i = 0
        while i < len(toks):
            if not flags[i]:
                i += 1
                continue
            j = i + 1
            while j < len(toks):
                if flags[j]:
                    j += 1
                    continue
                nxt = toks[j]
                # particles inside a name ("Luiz Inácio Lula da Silva")
                if (nxt.text in cues.NAME_PARTICLES and j + 1 < len(toks) and flags[j + 1]
                        and toks[j + 1].start == nxt.end + 1
                        # "León y Galicia", "Provinz León": a particle never joins a place to a name
                        and (cues.is_first_word_org_head(toks[j - 1].text) or not any(
                            (self.gz.knows if nxt.text == "y" else self.gz.strong)(x.text)
                            for x in (toks[j - 1], toks[j + 1])))):
                    j += 1
                    continue
                # machine-translated lowercase surname ("Donald trump"), attested capitalised elsewhere
                if (nxt.word and not nxt.cap and nxt.text not in self.function_words and j - i >= 1
                        and fold(toks[j - 1].text) in self.first_names
                        and ev.cap_mid.get(fold(nxt.text), 0) > 0):
                    j += 1
                    continue
                break
            span = [t for t in toks[i:j]]
            span = self._drop_role_tail(toks, i, span)
            if not span:
                i = j
                continue
            # a span may not run over a gap wider than one space ("Caracas  Lima") or across lines
            pieces = [p for g in _split_on_gaps(span, article.text) for p in self._split_names(g, lang, ev)]
            for piece in pieces:
                while piece and piece[-1].text in cues.NAME_PARTICLES:  # "Gobierno de" + split-off name
                    piece = piece[:-1]
                if not piece:
                    continue
                if len(piece) == 1 and self._common_noun(toks, toks.index(piece[0]), lang):
                    continue
                m = self._mention(article, s_index, toks, toks.index(piece[0]), piece, lang, ev)
                if m is not None:
                    mentions.append(m)
            i = j
        mentions.extend(self._hyphen_prefixes(article, s_index, toks, flags, lang, ev))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _flag_gazetteer_phrases(self, toks: list[Token], flags: list[bool]) -> None:
        """Capitalised words that together make a gazetteer name are a name even where each alone is a
        dictionary word ("Europäische Union", "Vereinigte Staaten")."""
        for i in range(len(toks) - 1):
            if flags[i] or not toks[i].cap or not toks[i].word:
                continue
            for n in (3, 2):
                group = toks[i:i + n]
                if len(group) == n and all(t.cap and t.word for t in group) and self.gz.strong(
                        " ".join(t.text for t in group)):
                    for k in range(i, i + n):
                        flags[k] = True
                    break

    def _drop_role_tail(self, toks: list[Token], i: int, span: list[Token]) -> list[Token]:
        """"Secretary of State Marco Rubio": capitalised words that complete a role phrase begun before
        the span are the role, not the name."""
        for k in range(min(3, len(span) - 1), 0, -1):
            window = " ".join(t.text.lower() for t in toks[max(0, i - 4): i + k])
            if any(window.endswith(p) and len(p.split()) > k for p in cues.ROLE_PHRASES):
                return span[k:]
        return span

    def _split_names(self, span: list[Token], lang: str | None, ev: CorpusEvidence) -> list[list[Token]]:
        """Split runs of capitals that hold several names: "Venezuela Juan Guido", "USAs UD",
        "Ministry Maria Zakharova"; demonyms in front ("Venezuelan") are dropped."""
        while span and self._is_demonym(span[0].text) and not self.gz.knows(
                " ".join(t.text for t in span)):
            span = span[1:]
        whole = " ".join(t.text for t in span)
        if len(span) < 2 or self.gz.knows(whole) or ev.org_cue(whole):  # "ifølge Washington Post" elsewhere
            return [span] if span else []
        pieces: list[list[Token]] = [[span[0]]]
        for a, b in zip(span, span[1:], strict=False):
            base_a = self._base(a.text, lang, ev)
            # "Venezuela Juan Guido" splits, "Jordan Goudreau" (a territory that is also a given name) not
            place_a = base_a != a.text or (self._territory(base_a) and not (
                fold(a.text) in self.first_names and not self.gz.knows(b.text)))
            starts_name = fold(b.text) in self.first_names and (
                cues.is_org_head(a.text) or ev.lower.get(a.text.lower(), 0) > 0)
            place_b = self._territory(b.text) and not self.gz.knows(a.text + " " + b.text)
            org_a = ev.org_cue(a.text)  # "quotes Reuters Pompeo": an agency the corpus names alone
            if place_a or starts_name or place_b or org_a:
                pieces.append([b])
            else:
                pieces[-1].append(b)
        return pieces

    def _territory(self, word: str) -> bool:
        place, ambiguous = self.gz.lookup(word)
        return place is not None and not ambiguous and place.kind == "territory"

    def _common_noun(self, toks: list[Token], i: int, lang: str | None) -> bool:
        """"the Prosecutor", "the presidential Palace": a capitalised dictionary word after an article."""
        word = toks[i].text
        if self.gz.knows(word) or word.isupper():
            return False
        j = i - 1
        if j >= 0 and toks[j].word and not toks[j].cap and toks[j].text not in _DETERMINERS:
            j -= 1  # one adjective between ("the presidential Palace")
        return j >= 0 and toks[j].text.lower() in _DETERMINERS and self._known_word(word, lang)

    def _hyphen_prefixes(self, article, s_index, toks, flags, lang, ev) -> list[Mention]:
        """Names inside hyphenated compounds: "Trump-administrasjonen", "ICC-saken", "Lima-gruppen"."""
        out = []
        for i, t in enumerate(toks):
            if flags[i] or not t.cap or "-" not in t.text:
                continue
            head, _, tail = t.text.rpartition("-")
            if not tail[:1].islower() or not head:
                continue
            if cues.is_org_head(tail) or cues.is_org_head(tail[:-1] if tail.endswith("s") else tail):
                # "Lima-gruppen", "Lima-gruppens": the compound names the organisation, not the city
                whole = t.text[:-1] if not cues.is_org_head(tail) else t.text
                out.append(Mention(article_id=article.id, start=t.start, end=t.start + len(whole), text=whole,
                                   type="ORG", sentence_index=s_index, normalized=whole, source=self.name,
                                   score=0.7))
                continue
            if not (self.gz.knows(head) or ev.attested(head)) or head.lower() in self.function_words:
                continue
            if head.isupper() and not self.gz.knows(head) and self._known_word(head, lang):
                continue  # "TV-tale", "PC-spill": an abbreviated common noun, not an acronym name
            etype = self._type([head], head, None, lang, toks, i, ev)
            out.append(Mention(article_id=article.id, start=t.start, end=t.start + len(head), text=head,
                               type=etype, sentence_index=s_index, normalized=head, source=self.name,
                               score=0.7))
        return out

    def _mention(self, article: Article, s_index: int, toks: list[Token], first: int, span: list[Token],
                 lang: str | None, ev: CorpusEvidence) -> Mention | None:
        words = [t.text for t in span]
        last_base = self._base(words[-1], lang, ev)
        base_words = words[:-1] + [last_base]
        surface_end = span[-1].end
        nxt = first + len(span)
        if (len(span) == 1 and words[0].isupper() and len(words[0]) >= 2 and nxt < len(toks)
                and toks[nxt].text.isdigit() and len(toks[nxt].text) <= 2 and toks[nxt].start == surface_end + 1
                and not self.gz.knows(words[0])):
            base_words = [words[0], toks[nxt].text]  # "TV 2", "NRK 1": a numbered channel or body
            surface_end = toks[nxt].end
        surface = article.text[span[0].start: surface_end]
        normalized = " ".join(base_words)
        if fold(normalized) == "" or len(fold(normalized)) < 2:
            return None
        # fix broken casing of machine-translated parts ("Donald trump" -> "Donald Trump")
        normalized = " ".join(w if w[:1].isupper() or w in cues.NAME_PARTICLES else w[:1].upper() + w[1:]
                              for w in normalized.split())
        role, role_lang = self._role(toks, first, lang)
        etype = self._type(base_words, normalized, role, lang, toks, first, ev)
        if etype is None:
            return None
        return Mention(article_id=article.id, start=span[0].start, end=surface_end, text=surface,
                       type=etype, sentence_index=s_index, normalized=normalized, role=role,
                       role_lang=role_lang if role else None, source=self.name,
                       score=0.9 if len(words) > 1 else 0.75)

    def _role(self, toks: list[Token], first: int, lang: str | None) -> tuple[str | None, str | None]:
        """The role phrase right before a name: "USAs utenriksminister Mike Pompeo", "præsident, N. M."."""
        k = first - 1
        if k >= 0 and toks[k].text == ",":
            k -= 1
        if k < 0 or not toks[k].word:
            return None, None
        end = toks[k].end
        # multiword phrases ("Secretary of State"), longest first
        window = " ".join(t.text.lower() for t in toks[max(0, k - 4): k + 1])
        # one C-level test against all phrases first: most names have no multiword role before them
        for phrase in cues.ROLE_PHRASES if window.endswith(_ROLE_ENDINGS) else ():
            if window.endswith(phrase):
                n = len(phrase.split())
                start_tok = toks[k - n + 1] if k - n + 1 >= 0 else toks[0]
                return _slice(toks, start_tok.start, end), lang
        # "Minister of defense of Venezuela Vladimir ..." : skip "of <Place>"
        while k >= 2 and toks[k - 1].text.lower() in {"of", "de", "del", "av", "for", "von", "des"} and \
                toks[k].cap and self.gz.knows(toks[k].text):
            k -= 2
            window = " ".join(t.text.lower() for t in toks[max(0, k - 4): k + 1])
            for phrase in cues.ROLE_PHRASES if window.endswith(_ROLE_ENDINGS) else ():
                if window.endswith(phrase):
                    n = len(phrase.split())
                    return _slice(toks, toks[k - n + 1].start, toks[k].end), lang
        w = toks[k].text
        if cues.role_head(w.lower(), lang):
            start = toks[k].start
            # "Minister of defense": role head followed by "of <lowercase word>"
            return _slice(toks, start, toks[k].end), lang
        return None, None

    def _type(self, words: list[str], normalized: str, role: str | None, lang: str | None,
              toks: list[Token], first: int, ev: CorpusEvidence | None = None) -> str | None:
        place, ambiguous = self.gz.lookup(normalized)
        prev = toks[first - 1].text.lower() if first > 0 else ""
        locative = prev in cues.LOCATIVE
        # an obscure or ambiguous place name needs a locative cue, and loses to a person the corpus attests
        person = len(words) == 1 and ev is not None and ev.person_part(words[0])
        if place is not None and not role:
            if self.gz.strong(normalized) and not (person and place.kind != "territory"):
                return place_type(place.id)
            if locative and not person:
                return place_type(place.id)
            weak_place, place = not person, None  # an uncorroborated hit: only the fallback below
        else:
            weak_place = False
        if not role and ev is not None and ev.org_cue(normalized):
            return "ORG"  # "nyhetsbyrået Reuters", "ifølge Ritzau", "wrote on Twitter" elsewhere in the corpus
        if any(cues.is_org_head(w) for w in words[1:]) or (len(words) == 1 and cues.is_org_head(words[0])) or (
                len(words) >= 2 and cues.is_first_word_org_head(words[0])):
            return "ORG"
        compact = normalized.replace(".", "").replace(" ", "")
        if compact.isupper() and 2 <= len(compact) <= 6:
            return "LOC" if place is not None else "ORG"
        if role:
            return "PER"
        if fold(words[0]) in self.first_names:
            return "PER"
        if len(words) >= 2:
            return "PER" if len(words) <= 4 else "ORG"
        if locative and not person:
            return "LOC"
        # a lone unknown word: a person only with person evidence (a given name, or the corpus shows it
        # after a given name or a role: a surname); otherwise a company, club or body ("Pirelli", "Høyre")
        if person or fold(words[0]) in _person_names():
            return "PER"
        return "LOC" if weak_place else "ORG"  # "Frankfurt" (two places share it), no person evidence


def _slice(toks: list[Token], start: int, end: int) -> str:
    return " ".join(t.text for t in toks if t.start >= start and t.end <= end)


def _split_on_gaps(span: list[Token], text: str) -> list[list[Token]]:
    pieces: list[list[Token]] = [[span[0]]]
    for a, b in zip(span, span[1:], strict=False):
        gap = text[a.end: b.start]
        if gap not in ("", " ") or "\n" in gap:
            pieces.append([b])
        else:
            pieces[-1].append(b)
    return pieces
