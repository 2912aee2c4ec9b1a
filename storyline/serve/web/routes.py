"""Pages of the web UI. Every page reads through `Data`, so missing stages just show less."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storyline.explain.sources import outlet_label
from storyline.search import SearchError
from storyline.serve.data import Data, Unavailable
from storyline.serve.security import check_token
from storyline.serve.web import entity_view, session, stories_view, story_view
from storyline.serve.web.highlight import Span, highlight_text
from storyline.serve.web.story_view import sentence_ref
from storyline.serve.web.templating import render, ui_lang

router = APIRouter(include_in_schema=False)
PAGE = 10  # search results per page (each one costs a snippet)


def _data(request: Request) -> Data:
    return request.app.state.data


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k != "lang"}


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request) -> Response:
    data = _data(request)
    try:
        view = stories_view.build(data, ui_lang(request), _params(request))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return render(request, "stories.html", title="Stories", article_count=data.count_articles(),
                  recent=data.articles(limit=20) if not view["total"] else [], **view)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    try:
        view = story_view.build(_data(request), story_id, ui_lang(request), _params(request))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    if view is None:
        ref = _data(request).find_story(story_id)
        if ref is not None and ref.merged_from is not None:  # a merged-away id: the story lives on there
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/stories/{quote(ref.story.id, safe='')}{query}", status_code=308)
        raise HTTPException(404, f"no story {story_id!r}")
    return render(request, "story.html", title=view["story"].title, **view)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str,
                 s: Annotated[int | None, Query(ge=0, le=100_000)] = None) -> Response:
    """The article with names and quotes marked; `?s=N` highlights sentence N (a citation's target)."""
    data = _data(request)
    view = data.article_view(article_id)
    if view is None:
        raise HTTPException(404, f"no article {article_id!r}")
    art, mentions, quotes = view.article, view.mentions, view.quotes
    spans = [Span(m.start, m.end, "entity", m.entity_id, f"{m.type}: {m.normalized or m.text}") for m in mentions]
    spans += [Span(q.start, q.end, "quote", q.id, f"quote: {q.speaker or q.speaker_description or 'unknown'}")
              for q in quotes]
    from storyline.analyze.sentences import split_sentences

    sentences = split_sentences(art)
    anchors = {x.start: f"s-{x.index}" for x in sentences}
    cited = next(((x.start, x.end) for x in sentences if x.index == s), None) if s is not None else None
    paragraphs = art.paragraphs or []
    if not paragraphs:
        from storyline.model import Paragraph

        paragraphs = [Paragraph(text=art.text, lang=art.lang, start=0)]
    html_paragraphs = [(p.lang or art.lang,
                        highlight_text(art.text, p.start, p.start + len(p.text), spans, anchors, cited))
                       for p in paragraphs]
    return render(request, "article.html", title=art.title or art.id, article=art, paragraphs=html_paragraphs,
                  dating=view.dating,
                  quotes=quotes, story=view.story, cited=cited is not None,
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
    view = data.entity_view(entity_id)
    if view is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    ent, ui, article_ids = view.entity, ui_lang(request), view.article_ids
    timeline = entity_view.entity_timeline(data, ent, article_ids, ui)
    headers = data.headers(article_ids[-200:] + [d.article_id for d in timeline])
    arts = sorted((h for aid, h in headers.items() if aid in set(article_ids[-200:])),
                  key=lambda h: (h.get("published") or "", h.get("id") or ""), reverse=True)
    return render(request, "entity.html", title=ent.name, entity=ent,
                  evidence=entity_view.evidence_groups(view.evidence, ent.name),
                  roles=entity_view.roles_by_language(ent.roles), articles=arts, article_total=len(article_ids),
                  timeline=timeline, outlets={aid: outlet_label(h) for aid, h in headers.items()},
                  stories=entity_view.stories_of(data, article_ids), related=data.related_entities(ent.id),
                  quotes=view.quotes[:30], href=story_view.sentence_href)


def _story_titles(data: Data, hits: list[Any]) -> list[tuple[dict[str, Any] | None, list[Any]]]:
    """Hits grouped by their story (best hit's story first); articles in no story form one group."""
    heads = data.story_heads([h.article_id for h in hits])
    groups: dict[str, tuple[dict[str, Any] | None, list[Any]]] = {}
    for h in hits:
        head = heads.get(h.article_id)
        groups.setdefault(head["id"] if head else "", (head, []))[1].append(h)
    return list(groups.values())


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, q: str = "", language: str = "", since: str = "", until: str = "",
                      source: str = "", entity: str = "", story: str = "",
                      offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> Response:
    data = _data(request)
    hits: list[Any] = []
    error = None
    if q.strip():
        try:
            hits = await run_in_threadpool(data.search, q[:500], lang=language or None, since=since or None,
                                           until=until or None, source=source or None, entity=entity or None,
                                           story=story or None, limit=PAGE + 1, offset=offset)
        except (SearchError, Unavailable) as exc:
            error = str(exc)
    form = {"q": q, "language": language, "since": since, "until": until, "source": source, "entity": entity,
            "story": story}
    more = None
    if len(hits) > PAGE:
        hits = hits[:PAGE]
        more = "/search?" + urlencode({**{k: v for k, v in form.items() if v}, "offset": offset + PAGE})
    groups = await run_in_threadpool(_story_titles, data, hits) if hits else []
    return render(request, "search.html", title=f"Search: {q}" if q else "Search", hits=hits, groups=groups,
                  form=form, error=error, more=more, offset=offset, status_code=400 if error else 200,
                  filtered=any(v for k, v in form.items() if k != "q"))


def _sentences(data: Data, refs: list[str]) -> dict[str, Any]:
    """sentence id -> (Sentence, article header) for the review's side-by-side view."""
    from storyline.analyze.sentences import split_sentences

    out: dict[str, Any] = {}
    cache: dict[str, Any] = {}
    for ref in refs:
        aid, idx = sentence_ref(ref)
        if aid not in cache:
            art = data.article(aid)
            cache[aid] = (art, split_sentences(art) if art is not None else [])
        art, sents = cache[aid]
        sent = next((x for x in sents if x.index == idx), None)
        out[ref] = (sent, art)
    return out


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, status: str = "draft", done: str = "", error: str = "") -> Response:
    data = _data(request)
    if status not in ("draft", "approved", "edited", "rejected", "all"):
        raise HTTPException(422, f"status: {status!r} is not draft, approved, edited, rejected or all")
    summaries = data.summaries(status=None if status == "all" else status)[:50]
    targets = {}
    for m in summaries:
        t = data.story(m.target_id) if m.target_id.startswith("s-") else None
        t = t or (data.event(m.target_id) if m.target_id.startswith("e-") else None)
        t = t or (data.article(m.target_id) if m.target_id.startswith("a-") else None)
        targets[m.target_id] = t
    refs = [r for m in summaries for b in m.bullets for r in b.sources]
    signed = session.session_nonce(request) is not None
    return render(request, "review.html", title="Review queue", summaries=summaries, status=status, done=done,
                  targets=targets, sentences=_sentences(data, refs), available=data.has("list_summaries"),
                  signed_in=signed, csrf=session.csrf_token(request) if signed else "",
                  reviewer=unquote(request.cookies.get(session.REVIEWER_COOKIE, "")), href=story_view.sentence_href,
                  sref=sentence_ref, signin_error=error == "signin")


def _back(back: str, default: str = "/review") -> str:
    return back if back.startswith("/") and not back.startswith("//") and "\\" not in back else default


@router.post("/signin")
def sign_in(request: Request, token: Annotated[str, Form(max_length=500)],
            back: Annotated[str, Form(max_length=300)] = "") -> Response:
    """Check the editor token once and keep an editor session cookie (HttpOnly, SameSite=Strict)."""
    try:
        check_token(request.app.state.token, token)
    except HTTPException as exc:
        if exc.status_code == 401:
            return RedirectResponse("/review?error=signin", status_code=303)
        raise
    response = RedirectResponse(_back(back), status_code=303)
    session.set_cookie(request, response, session.COOKIE, session.new_session(request.app.state.token))
    return response


@router.post("/signout")
def sign_out(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    session.require_session(request, csrf)
    response = RedirectResponse("/review", status_code=303)
    response.delete_cookie(session.COOKIE, path="/")
    return response


@router.post("/review/{summary_id}")
def review_action(request: Request, summary_id: str, action: Annotated[str, Form()],
                  reviewer: Annotated[str, Form(min_length=1, max_length=200)],
                  token: Annotated[str, Form(max_length=500)] = "", csrf: Annotated[str, Form(max_length=100)] = "",
                  bullets: Annotated[str, Form(max_length=20000)] = "", note: Annotated[str, Form(max_length=2000)] = "",
                  back: Annotated[str, Form(max_length=300)] = "") -> Response:
    """Form POST from a signed-in editor (session cookie + CSRF token); a form carrying the token itself
    is accepted too (scripts, no cookies), the token being its own CSRF guard."""
    from storyline.serve.api.summaries import apply_review

    if token:
        check_token(request.app.state.token, token)
    else:
        session.require_session(request, csrf)
    if action not in ("approve", "edit", "reject"):
        raise HTTPException(422, f"action: {action!r} is not approve, edit or reject")
    lines = [b.strip() for b in bullets.splitlines() if b.strip()] if action == "edit" else None
    updated = apply_review(_data(request), summary_id, action, reviewer, lines, note or None)
    target = _back(back)
    sep = "&" if "?" in target else "?"
    response = RedirectResponse(f"{target}{sep}done={summary_id}:{updated.get('status', action)}", status_code=303)
    session.set_cookie(request, response, session.REVIEWER_COOKIE, quote(reviewer.strip()), max_age=365 * 86400)
    return response


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    schema = request.app.openapi()
    return render(request, "docs.html", title="API", schema=schema)
