"""Per-article and per-paragraph language after the two-stage (shortlist, then paragraphs) detection."""

from __future__ import annotations

from pathlib import Path

from storyline.config import Config
from storyline.ingest import ingest
from storyline.ingest.language import detect, detect_article
from storyline.ingest.settings import DEFAULT_LANGUAGES
from storyline.store import Store

FIX = Path(__file__).parent / "fixtures" / "ingest"


def paragraphs_of(name: str) -> list[str]:
    return [p.strip() for p in (FIX / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_norwegian_article_marks_english_quote_paragraph(tmp_path):
    store = Store(tmp_path / "l.db")
    report = ingest(store, [str(FIX / "mixed-nb-en-quote.txt")], config=Config({}))
    art = store.get_article(report.new[0])
    assert art.lang == "nb" and art.lang_confidence > 0.5
    langs = [p.lang for p in art.paragraphs]
    quote = [i for i, p in enumerate(art.paragraphs) if p.text.startswith('"We have agreed')]
    assert quote and langs[quote[0]] == "en"
    assert all(lang == "nb" for i, lang in enumerate(langs) if i != quote[0])


def test_article_language_uses_whole_text_not_only_the_sample():
    # the first paragraph is English, the remaining bulk is Bokmål: the article is nb
    paras = paragraphs_of("mixed-nb-en-quote.txt")
    reordered = [paras[2], paras[0], paras[1], paras[3]]
    whole, per = detect_article(reordered, DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang == "nb" and [r.lang for r in per] == ["en", "nb", "nb", "nb"]


def test_scandinavian_relatives_told_apart():
    da = ("Regeringen fremlagde torsdag sit forslag til finanslov, og finansministeren sagde, at udgifterne "
          "til forsvar og sundhed skal stige kraftigt næste år. Oppositionen mener, at forslaget er for stramt.")
    sv = ("Regeringen presenterade på torsdagen sitt förslag till budget, och finansministern sade att "
          "utgifterna för försvar och sjukvård ska öka kraftigt nästa år. Oppositionen tycker att det är för snålt.")
    nn = ("Regjeringa la fram statsbudsjettet torsdag, og finansministeren sa at utgiftene til forsvar og helse "
          "skal auke kraftig neste år. Opposisjonen meiner at budsjettet er altfor stramt for kommunane, og dei "
          "vil ikkje gå med på det utan endringar.")
    short = {"da": "Oppositionen mener, at forslaget er alt for stramt.",
             "sv": "Oppositionen tycker att förslaget är alldeles för snålt.",
             "nn": "Dei vil ikkje gå med på budsjettet utan endringar."}
    for text, want in [(da, "da"), (sv, "sv"), (nn, "nn")]:
        assert detect_article([text], DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)[0].lang == want
        assert detect(short[want], DEFAULT_LANGUAGES).lang == want  # short text: high-accuracy re-check


def test_nothing_recognisable():
    whole, per = detect_article(["12345 67890", "—"], DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang is None and [r.lang for r in per] == [None, None]


def test_langid_regression_on_gold_sample():
    """Fixed floors on 40 gold sentences per language (the full figures: `storyline eval langid`)."""
    import pytest

    from storyline.eval.langid import evaluate, evaluate_mixed, load_gold
    from tests.conftest import DATA

    directory = DATA / "langid" / "sentences"
    if not directory.is_dir():
        pytest.skip("../shared/data/langid not present")
    gold = load_gold(directory, limit=40)
    result = evaluate(gold)
    acc = {c: r["accuracy"] for c, r in result["languages"].items()}
    assert set(acc) >= {"nb", "nn", "da", "sv", "en", "de"}
    for code in ("da", "sv", "en", "de", "es", "fr"):
        assert acc[code] >= 0.9, (code, acc)
    assert acc["nb"] >= 0.75 and acc["nn"] >= 0.85, acc  # one short sentence: Bokmål/Nynorsk is hard
    assert result["macro_accuracy"] >= 0.9
    mixed = evaluate_mixed(gold, per_lang=6)
    assert mixed["article_accuracy"] >= 0.95 and mixed["native_paragraph_accuracy"] >= 0.9, mixed


# own short sentences, one per written standard, with the same content where the standards allow
SHORT = {
    "nb": ["Jeg vet ikke hva som skjedde i går.", "Hun sier at det ikke blir noen endring.",
           "Det var mye regn også i helgen.", "De ble enige om en ny avtale.",
           "Han har vært borte fra jobben i en uke.", "Vi vet ennå ikke hvem som vant."],
    "nn": ["Eg veit ikkje kva som hende i går.", "Ho seier at det ikkje blir nokon endring.",
           "Det var mykje regn òg i helga.", "Dei vart samde om ein ny avtale.",
           "Han har vore borte frå jobben i ei veke.", "Korleis kan vi hjelpe fleire born?"],
    "da": ["Jeg ved ikke hvad der skete i går.", "Hun siger, at der ikke bliver nogen ændring.",
           "De blev enige om en ny aftale efter mødet."],
    "sv": ["Jag vet inte vad som hände i går.", "De kom överens om ett nytt avtal efter mötet."],
}


def test_scandinavian_evidence_prefers_the_right_standard():
    from storyline.ingest.scandinavian import evidence

    for want, texts in SHORT.items():
        for text in texts:
            ev = evidence(text)
            assert max(ev, key=lambda c: ev[c]) == want, (text, ev)
    assert evidence("12345 — !!") == dict.fromkeys(("da", "nb", "nn", "sv"), 0.0)


def test_short_scandinavian_sentences_with_discriminator():
    for want, texts in SHORT.items():
        for text in texts:
            got = detect(text, DEFAULT_LANGUAGES)
            assert got.lang == want, (text, got)


def test_short_scandinavian_sentences_with_tie_breaker(monkeypatch):
    """Without shipped discriminator weights the lexical tie-breaker still helps lingua."""
    from storyline.ingest import language

    monkeypatch.setattr(language.scandi_classifier, "shipped", lambda: None)
    with_tb = {t: detect(t, DEFAULT_LANGUAGES) for texts in SHORT.values() for t in texts}
    for want, texts in SHORT.items():
        for text in texts:
            assert with_tb[text].lang == want, (text, with_tb[text])
    monkeypatch.setattr(language, "TIE_BREAK_BELOW", 0.0)  # lingua alone
    alone = {t: detect(t, DEFAULT_LANGUAGES) for t in with_tb}
    # agreeing function words make the answer more certain, never less
    assert all(with_tb[t].confidence >= alone[t].confidence for t in with_tb if alone[t].lang == with_tb[t].lang)
    assert sum(with_tb[t].confidence for t in with_tb) > sum(alone[t].confidence for t in with_tb)


# own short sentences that lingua's trigram pass over every candidate puts in another family
OUTSIDE_THE_FAMILY = {"Laos er eit land i Søraust-Asia.": "nn", "Staden ligg i Toscana i Italia.": "nn",
                      "Filmen hade premiär i Rom.": "sv"}


def test_family_recheck_brings_short_scandinavian_sentences_home(monkeypatch):
    from storyline.ingest import language

    for text, want in OUTSIDE_THE_FAMILY.items():
        assert detect(text, DEFAULT_LANGUAGES).lang == want, text
    monkeypatch.setattr(language, "FAMILY_RECHECK_MASS", 2.0)  # never asked: lingua's family stands
    for text in OUTSIDE_THE_FAMILY:
        assert detect(text, DEFAULT_LANGUAGES).lang not in language.SCANDINAVIAN, text


def test_family_recheck_keeps_other_languages_and_short_texts():
    from storyline.ingest.language import FAMILY_RECHECK_MASS, _scandinavian_after_all, _values

    codes = tuple(sorted(DEFAULT_LANGUAGES))
    # German and English that lingua gives some Scandinavian mass: asked, and lingua's answer stands
    for text, lang in (("Er hat in Oslo studiert.", "de"), ("The fjord lies north of Bergen.", "en")):
        values = _values(text, codes)
        assert values[0][0] == lang and sum(v for c, v in values if c in {"nb", "nn", "da", "sv"}) >= FAMILY_RECHECK_MASS
        assert _scandinavian_after_all(text, values, codes) is None
        assert detect(text, DEFAULT_LANGUAGES).lang == lang
    # two words say too little for a second opinion; without two Scandinavian candidates there is none
    assert _scandinavian_after_all("kalter regen", [("de", 0.5), ("nb", 0.5)], codes) is None
    text = next(iter(OUTSIDE_THE_FAMILY))
    assert _scandinavian_after_all(text, _values(text, codes), ("en", "et", "nn")) is None


def test_tie_breaker_keeps_to_candidates_and_other_languages():
    from storyline.ingest.language import scandinavian_tie_break

    # Nynorsk not among the candidates: never answered, however Nynorsk the words
    assert detect("Eg veit ikkje kva dei gjer no.", ["nb", "da", "sv", "en"]).lang in {"nb", "da", "sv"}
    # lingua's best two not both Scandinavian, or decisive: unchanged
    en = [("en", 0.6), ("nb", 0.3), ("nn", 0.1)]
    assert scandinavian_tie_break("ikkje eg kva", en, DEFAULT_LANGUAGES) == en
    sure = [("nb", 0.995), ("nn", 0.005)]
    assert scandinavian_tie_break("ikkje eg kva korleis", sure, DEFAULT_LANGUAGES) == sure
    # close call: the function words decide, and the Scandinavian mass is kept
    close = [("nn", 0.5), ("nb", 0.45), ("en", 0.05)]
    out = scandinavian_tie_break("Jeg vet ikke hva de mener.", close, DEFAULT_LANGUAGES)
    assert out[0][0] == "nb" and abs(sum(v for _, v in out) - 1.0) < 1e-6 and dict(out)["en"] == 0.05


def test_nynorsk_quote_does_not_turn_a_bokmal_article():
    """A Nynorsk quote paragraph stays Nynorsk and does not turn the Bokmål article."""
    paras = [
        "Kommunestyret vedtok torsdag kveld å legge ned to av skolene i bygda, etter en lang og opphetet debatt "
        "der flere foreldre hadde møtt opp for å protestere mot forslaget fra rådmannen.",
        "– Eg trur ikkje at kommunen har tenkt godt nok gjennom kva dette vil seie for borna som no får mykje "
        "lengre skuleveg, sa ein av foreldra etter møtet.",
        "Ordføreren sier at vedtaket var nødvendig fordi elevtallet har falt kraftig de siste ti årene, og at "
        "pengene heller bør brukes på å ruste opp den nye sentralskolen.",
        "Saken skal behandles på nytt i fylket før jul, og foreldrene har varslet at de vil klage vedtaket inn "
        "for Statsforvalteren dersom det ikke blir endret.",
    ]
    whole, per = detect_article(paras, DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang == "nb", whole
    assert [r.lang for r in per] == ["nb", "nn", "nb", "nb"], per
