"""The same page read many times in one process gives the same article text every time (no
process-wide state in extraction: a long-running `serve` or repeated ingests must not lose paragraphs)."""

from __future__ import annotations

from storyline.ingest.html import read_html

PAGE = b"""<html><head><title>Ferry strike ends</title></head><body><article>
<h1>Ferry strike ends after nine days</h1>
<p>The ferry workers' union accepted the new offer on Thursday evening, ending a strike that had
stranded island commuters along the western coast for more than a week.</p>
<p>"We got most of what we asked for," the union leader told reporters outside the mediator's office,
adding that members would vote on the agreement next month.</p>
<p>The operator said the first departures would leave at six o'clock on Friday morning, and that
tickets bought for cancelled crossings would be refunded in full.</p>
</article></body></html>"""


def test_reading_one_page_many_times_keeps_every_paragraph():
    texts = ["\n".join(read_html(PAGE, "page.html").lines) for _ in range(6)]
    assert "We got most of what we asked for" in texts[0]
    assert all(t == texts[0] for t in texts)
