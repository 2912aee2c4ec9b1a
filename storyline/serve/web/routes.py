"""Pages of the web UI. Every page reads through `Data`, so missing stages just show less."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storyline.serve.data import Data, Unavailable
from storyline.serve.security import check_token
from storyline.serve.web.highlight import Span, highlight_text
from storyline.serve.web.templating import render
from storyline.serve.web.timeline_axis import axis
from storyline.store.search import SearchError

router = APIRouter(include_in_schema=False)
PAGE = 10  # search results per page (each one costs a snippet)


def _data(request: Request) -> Data:
    return request.app.state.data


def _sentence_index(ref: str) -> tuple[str, int | None]:
    aid, _, idx = ref.rpartition(":")
    return (aid, int(idx)) if aid and idx.isdigit() else (ref, None)


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request) -> Response:
    data = _data(request)
    stories = data.stories()
    return render(request, "stories.html", title="Stories", stories=stories,
                  article_count=data.count_articles(),
                  recent=data.articles(limit=20) if not stories else [])


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    data = _data(request)
    story = data.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id!r}")
    entries = data.timeline(story_id)
    current = data.current_summary(story_id)  # one summary: reviewed, else the newest draft (labelled)
    summaries = [current] if current is not None else []
    # every article the page links to (members, timeline sources, summary citations), each read once
    wanted = dict.fromkeys(story.article_ids)
    wanted.update(dict.fromkeys(s.article_id for e in entries for s in getattr(e, "sources", [])))
    wanted.update(dict.fromkeys(_sentence_index(r)[0] for m in summaries for b in m.bullets for r in b.sources))
    arts = data.titles(list(wanted))
    return render(request, "story.html", title=story.title, story=story, entries=entries, axis=axis(entries),
                  events=data.events(story_id), summaries=summaries, quotes=data.quotes(story_id=story_id),
                  articles=arts, sref=_sentence_index)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    data = _data(request)
    art = data.article(article_id)
    if art is None:
        raise HTTPException(404, f"no article {article_id!r}")
    mentions = data.mentions(article_id)
    quotes = data.quotes(article_id=article_id)
    spans = [Span(m.start, m.end, "entity", m.entity_id, f"{m.type}: {m.normalized or m.text}") for m in mentions]
    spans += [Span(q.start, q.end, "quote", q.id, f"quote: {q.speaker or q.speaker_description or 'unknown'}")
              for q in quotes]
    from storyline.analyze.sentences import split_sentences

    anchors = {s.start: f"s-{s.index}" for s in split_sentences(art)}
    paragraphs = art.paragraphs or []
    if not paragraphs:
        from storyline.model import Paragraph

        paragraphs = [Paragraph(text=art.text, lang=art.lang, start=0)]
    html_paragraphs = [(p.lang or art.lang, highlight_text(art.text, p.start, p.start + len(p.text), spans, anchors))
                       for p in paragraphs]
    return render(request, "article.html", title=art.title or art.id, article=art, paragraphs=html_paragraphs,
                  quotes=quotes, story=data.story_of_article(article_id),
                  entities={m.entity_id: m for m in mentions if m.entity_id})


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, type: str | None = None) -> Response:
    data = _data(request)
    if type not in (None, "", "PER", "ORG", "LOC"):
        raise HTTPException(422, f"type: {type!r} is not PER, ORG or LOC")
    ents = data.entities(type=type or None, limit=500)
    return render(request, "entities.html", title="Entities", entities=ents, type=type)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> Response:
    data = _data(request)
    ent = data.entity(entity_id)
    if ent is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    article_ids = data.entity_articles(ent.id) or list(ent.article_ids)
    return render(request, "entity.html", title=ent.name, entity=ent, evidence=data.entity_evidence(ent.id),
                  articles=data.titles(article_ids[:200]), quotes=data.quotes(speaker=ent.name))


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, q: str = "", lang: str = "", since: str = "", until: str = "",
                      source: str = "", entity: str = "", story: str = "",
                      offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> Response:
    data = _data(request)
    hits: list[Any] = []
    error = None
    if q.strip():
        try:
            hits = await run_in_threadpool(data.search, q[:500], lang=lang or None, since=since or None,
                                           until=until or None, source=source or None, entity=entity or None,
                                           story=story or None, limit=PAGE + 1, offset=offset)
        except (SearchError, Unavailable) as exc:
            error = str(exc)
    form = {"q": q, "lang": lang, "since": since, "until": until, "source": source, "entity": entity,
            "story": story}
    more = None
    if len(hits) > PAGE:
        hits = hits[:PAGE]
        more = "/search?" + urlencode({**{k: v for k, v in form.items() if v}, "offset": offset + PAGE})
    return render(request, "search.html", title=f"Search: {q}" if q else "Search", hits=hits, form=form,
                  error=error, more=more, offset=offset, status_code=400 if error else 200)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, status: str = "draft", done: str = "") -> Response:
    data = _data(request)
    if status not in ("draft", "approved", "edited", "rejected", "all"):
        raise HTTPException(422, f"status: {status!r} is not draft, approved, edited, rejected or all")
    summaries = data.summaries(status=None if status == "all" else status)
    targets = {}
    for m in summaries:
        t = data.story(m.target_id) if m.target_id.startswith("s-") else None
        t = t or (data.event(m.target_id) if m.target_id.startswith("e-") else None)
        t = t or (data.article(m.target_id) if m.target_id.startswith("a-") else None)
        targets[m.target_id] = t
    return render(request, "review.html", title="Review queue", summaries=summaries, status=status, done=done,
                  targets=targets, sref=_sentence_index, available=data.has("list_summaries"))


@router.post("/review/{summary_id}")
def review_action(request: Request, summary_id: str, token: Annotated[str, Form(max_length=500)],
                  action: Annotated[str, Form()], reviewer: Annotated[str, Form(min_length=1, max_length=200)],
                  bullets: Annotated[str, Form(max_length=20000)] = "", note: Annotated[str, Form(max_length=2000)] = "",
                  back: Annotated[str, Form(max_length=300)] = "") -> Response:
    """Form POST with the token as a field (works without JavaScript; the token is the CSRF guard)."""
    from storyline.serve.api.summaries import apply_review

    check_token(request.app.state.token, token)
    if action not in ("approve", "edit", "reject"):
        raise HTTPException(422, f"action: {action!r} is not approve, edit or reject")
    lines = [b.strip() for b in bullets.splitlines() if b.strip()] if action == "edit" else None
    updated = apply_review(_data(request), summary_id, action, reviewer, lines, note or None)
    target = back if back.startswith("/") and not back.startswith("//") else "/review"
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}done={summary_id}:{updated.get('status', action)}", status_code=303)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    schema = request.app.openapi()
    return render(request, "docs.html", title="API", schema=schema)
