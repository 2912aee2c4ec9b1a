"""The use cases every shell calls: the CLI (`storyline.cli`), the JSON API (`storyline.serve.api`) and
the web UI (`storyline.serve.web`) parse input, call one of these and render what comes back.

- `ingest.ingest_and_analyse`: store inputs, then run the pending analysis steps.
- `stories.find_story` / `stories.story_view` / `stories.list_events`: a story (merged ids followed
  to the surviving story), its events, public summary and history.
- `articles.article_view`, `entities.entity_view`: one article / entity with what the stages know.
- `review.review`: an editor's approve / edit / reject (rules in `storyline.explain.review`).
- `search.search`: hybrid search with filters.
- `export.export`: a story, event or article as markdown, HTML or JSON (`storyline.explain.export`).

Why a layer: before it, each shell assembled the story view, ran ingest-then-analyse and applied
reviews its own way, and only the CLI followed a merged story id.
"""
