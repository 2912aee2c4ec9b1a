"""Export a story (or event / article) as a document a journalist can paste or send: markdown, HTML, JSON.

The document holds the title, date span, the current summary with its review label (every bullet
pointing to its numbered sources), the dated timeline, key entities and quotes, and the source list.
Everything article-derived is untrusted: HTML is rendered by Jinja2 with autoescaping, only http(s)
URLs become links, and the page carries a Content-Security-Policy that forbids scripts; markdown
escapes the characters that would turn text into links, HTML or formatting.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from jinja2 import Environment

from storyline.explain.review import make_label, pick_public
from storyline.explain.sources import display_source, safe_href
from storyline.explain.summaries.base import SummaryError, now_iso, sentence_index
from storyline.explain.summaries.generate import Target, resolve_target
from storyline.explain.timeline_view import story_timeline
from storyline.model import Summary

FORMATS = ("markdown", "html", "json")
MAX_ENTITIES = 12
MAX_QUOTES = 15

HEADINGS: dict[str, dict[str, str]] = {
    "en": {"summary": "Summary", "timeline": "Timeline", "entities": "Key people, places and organisations",
           "quotes": "Quotes", "sources": "Sources", "no_summary": "No summary yet.", "inferred": "date inferred",
           "exported": "Exported from Storyline"},
    "nb": {"summary": "Sammendrag", "timeline": "Tidslinje", "entities": "Sentrale personer, steder og organisasjoner",
           "quotes": "Sitater", "sources": "Kilder", "no_summary": "Ingen sammendrag ennå.",
           "inferred": "dato anslått", "exported": "Eksportert fra Storyline"},
    "nn": {"summary": "Samandrag", "timeline": "Tidsline", "entities": "Sentrale personar, stader og organisasjonar",
           "quotes": "Sitat", "sources": "Kjelder", "no_summary": "Ikkje noko samandrag enno.",
           "inferred": "dato anslått", "exported": "Eksportert frå Storyline"},
    "da": {"summary": "Resumé", "timeline": "Tidslinje", "entities": "Centrale personer, steder og organisationer",
           "quotes": "Citater", "sources": "Kilder", "no_summary": "Intet resumé endnu.",
           "inferred": "dato anslået", "exported": "Eksporteret fra Storyline"},
    "sv": {"summary": "Sammanfattning", "timeline": "Tidslinje", "entities": "Viktiga personer, platser och organisationer",
           "quotes": "Citat", "sources": "Källor", "no_summary": "Ingen sammanfattning ännu.",
           "inferred": "datum uppskattat", "exported": "Exporterad från Storyline"},
    "de": {"summary": "Zusammenfassung", "timeline": "Chronik", "entities": "Wichtige Personen, Orte und Organisationen",
           "quotes": "Zitate", "sources": "Quellen", "no_summary": "Noch keine Zusammenfassung.",
           "inferred": "Datum geschätzt", "exported": "Exportiert aus Storyline"},
    "es": {"summary": "Resumen", "timeline": "Cronología", "entities": "Personas, lugares y organizaciones clave",
           "quotes": "Citas", "sources": "Fuentes", "no_summary": "Aún no hay resumen.",
           "inferred": "fecha inferida", "exported": "Exportado desde Storyline"},
    "fr": {"summary": "Résumé", "timeline": "Chronologie", "entities": "Personnes, lieux et organisations clés",
           "quotes": "Citations", "sources": "Sources", "no_summary": "Pas encore de résumé.",
           "inferred": "date déduite", "exported": "Exporté depuis Storyline"},
}


class ExportError(SummaryError):
    pass


def _safe_url(url: str | None) -> str | None:
    """Links in exports follow the same rule as the web UI (`storyline.explain.sources.safe_href`)."""
    return safe_href(url)


def _summary_for(store, target: Target, lang: str | None, config) -> tuple[Summary | None, bool]:
    """The current stored summary (reviewed first), else a fresh unsaved extractive draft."""
    stored = store.list_summaries(target_id=target.id)
    current = pick_public(stored, lang)
    if current is not None:
        return current, False
    from storyline.explain.summaries.extractive import ExtractiveSummarizer
    from storyline.explain.summaries.generate import gather_mentions, summarize_articles, summary_settings

    try:
        fresh = summarize_articles(ExtractiveSummarizer(summary_settings(config), config=config, store=store),
                                   target.articles,
                                   target_id=target.id, lang=lang, mentions=gather_mentions(store, target.articles))
    except SummaryError:
        return None, False
    return fresh, True


def _entities(store, target: Target) -> list[dict[str, Any]]:
    if not hasattr(store, "list_entities"):
        return []
    count: Counter[str] = Counter()
    info: dict[str, Any] = {}
    for art in target.articles:
        for ent in store.list_entities(article_id=art.id):
            count[ent.id] += 1
            info[ent.id] = ent
    ranked = sorted(count, key=lambda i: (-count[i], -info[i].mention_count, info[i].name))[:MAX_ENTITIES]
    return [{"id": i, "name": info[i].name, "type": info[i].type, "articles": count[i]} for i in ranked]


def _quotes(store, target: Target) -> list[Any]:
    if not hasattr(store, "list_quotes"):
        return []
    if target.kind == "story":
        quotes = list(store.list_quotes(story_id=target.id))
    else:
        quotes = [q for a in target.articles for q in store.list_quotes(article_id=a.id)]
    return [q for q in quotes if q.speaker or q.speaker_description][:MAX_QUOTES]


def build_document(store, target_id: str, *, lang: str | None = None, config=None) -> dict[str, Any]:
    """Everything an export shows, as plain JSON-ready data (renderers only format it)."""
    target = resolve_target(store, target_id)
    refs = {a.id: n for n, a in enumerate(target.articles, start=1)}
    sentences = sentence_index(target.articles)

    def src(article_id: str, sentence: str, lang_: str | None = None, sid: str | None = None) -> dict[str, Any]:
        return {"ref": refs.get(article_id), "article_id": article_id, "sentence_id": sid, "sentence": sentence,
                "lang": lang_}

    summary, fresh = _summary_for(store, target, lang, config)
    summary_doc = None
    if summary is not None:
        summary_doc = {
            "id": None if fresh else summary.id, "status": summary.status, "backend": summary.backend,
            "model": summary.model, "lang": summary.lang, "reviewer": summary.reviewer,
            "reviewed_at": summary.reviewed_at, "label": summary.label or make_label(summary), "saved": not fresh,
            "bullets": [{"text": b.text, "sources": [src(sid.rpartition(":")[0], sentences[sid].text,
                                                         sentences[sid].lang, sid)
                                                     for sid in b.sources if sid in sentences]}
                        for b in summary.bullets],
        }
    timeline = []
    if target.kind == "story":
        for e in story_timeline(store, target.id, lang=lang):
            timeline.append({"date": e.date, "precision": e.precision, "text": e.text, "inferred": e.inferred,
                             "entities": list(e.entities),
                             "sources": [src(s.article_id, s.sentence, s.lang,
                                             f"{s.article_id}:{s.sentence_index}" if s.sentence_index is not None
                                             else None) for s in e.sources]})
    quotes = [{"speaker": q.speaker or q.speaker_description, "text": q.text, "direct": q.direct, "lang": q.lang,
               "date": q.date, "ref": refs.get(q.article_id), "article_id": q.article_id}
              for q in _quotes(store, target)]
    languages = sorted({a.lang for a in target.articles if a.lang})
    doc_lang = lang or (summary.lang if summary else None) or (languages[0] if len(languages) == 1 else "en")
    return {
        "kind": target.kind, "id": target.id, "title": target.title or target.id,
        "start": target.start, "end": target.end, "languages": languages, "lang": doc_lang,
        "exported_at": now_iso(), "summary": summary_doc, "timeline": timeline,
        "entities": _entities(store, target), "quotes": quotes,
        "sources": [{"ref": refs[a.id], "article_id": a.id, "title": a.title, "url": _safe_url(a.canonical_url or a.url),
                     "source": display_source(a), "site_name": a.site_name, "published": a.published, "lang": a.lang}
                    for a in target.articles],
    }


def headings(lang: str | None) -> dict[str, str]:
    from storyline.explain.review import label_lang

    return HEADINGS.get(label_lang(lang), HEADINGS["en"])


# --- renderers -------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: Any) -> str:
    """Backslash-escape markdown syntax so article text stays text (no links, HTML, emphasis, tables)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def _span(doc: dict[str, Any]) -> str:
    if doc["start"] and doc["end"] and doc["start"] != doc["end"]:
        return f"{doc['start']} – {doc['end']}"
    return doc["start"] or doc["end"] or ""


def _refs(sources: list[dict[str, Any]]) -> str:
    nums = sorted({s["ref"] for s in sources if s.get("ref")})
    return "".join(f"[{n}]" for n in nums)


def render_markdown(doc: dict[str, Any]) -> str:
    h = headings(doc["lang"])
    out = [f"# {md_escape(doc['title'])}", ""]
    meta = " · ".join(x for x in (_span(doc), ", ".join(doc["languages"])) if x)
    if meta:
        out += [f"*{md_escape(meta)}*", ""]
    out += [f"## {h['summary']}", ""]
    s = doc["summary"]
    if s:
        for b in s["bullets"]:
            out.append(f"- {md_escape(b['text'])} {_refs(b['sources'])}".rstrip())
        out += ["", f"*{md_escape(s['label'])}*", ""]
    else:
        out += [h["no_summary"], ""]
    if doc["timeline"]:
        out += [f"## {h['timeline']}", ""]
        for e in doc["timeline"]:
            flag = f" ({h['inferred']})" if e["inferred"] else ""
            out.append(f"- **{md_escape(e['date'])}**{flag}: {md_escape(e['text'])} {_refs(e['sources'])}".rstrip())
        out.append("")
    if doc["entities"]:
        out += [f"## {h['entities']}", ""]
        out += [f"- {md_escape(e['name'])} ({e['type']})" for e in doc["entities"]]
        out.append("")
    if doc["quotes"]:
        out += [f"## {h['quotes']}", ""]
        for q in doc["quotes"]:
            ref = f" [{q['ref']}]" if q["ref"] else ""
            out.append(f"> «{md_escape(q['text'])}» — {md_escape(q['speaker'])}{ref}")
            out.append("")
    out += [f"## {h['sources']}", ""]
    for src in doc["sources"]:
        name = md_escape(src["title"] or src["source"])
        where = f"<{src['url']}>" if src["url"] else md_escape(src["source"])
        bits = ", ".join(md_escape(x) for x in (src["site_name"], src["published"], src["lang"]) if x)
        out.append(f"{src['ref']}. {name} — {where}" + (f" ({bits})" if bits else ""))
    out += ["", f"*{h['exported']} {doc['exported_at']}*", ""]
    return "\n".join(out)


_HTML = """<!DOCTYPE html>
<html lang="{{ doc.lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ doc.title }}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.meta,.label,footer{color:#555;font-size:.9rem}.label{font-style:italic}
sup a{text-decoration:none}blockquote{margin:.5rem 0 .5rem 1rem;padding-left:.8rem;border-left:3px solid #ccc}
.inferred{color:#8a5a00;font-size:.85rem}
</style>
</head>
<body>
<article>
<h1>{{ doc.title }}</h1>
{% if span or doc.languages %}<p class="meta">{{ span }}{% if span and doc.languages %} · {% endif %}{{ doc.languages|join(", ") }}</p>{% endif %}
<section><h2>{{ h.summary }}</h2>
{% if doc.summary %}<ul>
{% for b in doc.summary.bullets %}<li>{{ b.text }}{% for r in refs(b.sources) %} <sup><a href="#src-{{ r }}" title="{% for s in b.sources if s.ref == r %}{{ s.sentence }} {% endfor %}">[{{ r }}]</a></sup>{% endfor %}</li>
{% endfor %}</ul>
<p class="label">{{ doc.summary.label }}</p>
{% else %}<p>{{ h.no_summary }}</p>{% endif %}
</section>
{% if doc.timeline %}<section><h2>{{ h.timeline }}</h2><ul>
{% for e in doc.timeline %}<li><strong>{{ e.date }}</strong>{% if e.inferred %} <span class="inferred">({{ h.inferred }})</span>{% endif %}: {{ e.text }}{% for r in refs(e.sources) %} <sup><a href="#src-{{ r }}">[{{ r }}]</a></sup>{% endfor %}</li>
{% endfor %}</ul></section>{% endif %}
{% if doc.entities %}<section><h2>{{ h.entities }}</h2><ul>
{% for e in doc.entities %}<li>{{ e.name }} <span class="meta">({{ e.type }})</span></li>
{% endfor %}</ul></section>{% endif %}
{% if doc.quotes %}<section><h2>{{ h.quotes }}</h2>
{% for q in doc.quotes %}<blockquote>«{{ q.text }}» — {{ q.speaker }}{% if q.ref %} <sup><a href="#src-{{ q.ref }}">[{{ q.ref }}]</a></sup>{% endif %}</blockquote>
{% endfor %}</section>{% endif %}
<section><h2>{{ h.sources }}</h2><ol>
{% for s in doc.sources %}<li id="src-{{ s.ref }}">{% if s.url %}<a href="{{ s.url }}" rel="noopener noreferrer nofollow">{{ s.title or s.url }}</a>{% else %}{{ s.title or s.source }} <span class="meta">{{ s.source }}</span>{% endif %}{% for x in [s.site_name, s.published, s.lang] if x %}{% if loop.first %} <span class="meta">({% endif %}{{ x }}{% if not loop.last %}, {% else %})</span>{% endif %}{% endfor %}</li>
{% endfor %}</ol></section>
</article>
<footer>{{ h.exported }} {{ doc.exported_at }}</footer>
</body>
</html>
"""

_env = Environment(autoescape=True, trim_blocks=False)
_template = _env.from_string(_HTML)


def render_html(doc: dict[str, Any]) -> str:
    return _template.render(doc=doc, h=headings(doc["lang"]), span=_span(doc),
                            refs=lambda sources: sorted({s["ref"] for s in sources if s.get("ref")}))


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export(store, target_id: str, fmt: str = "markdown", *, lang: str | None = None, config=None) -> str:
    """The document as text; shells call `storyline.service.export.export`, which follows merged ids."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    doc = build_document(store, target_id, lang=lang, config=config)
    return {"markdown": render_markdown, "html": render_html, "json": render_json}[fmt](doc)
