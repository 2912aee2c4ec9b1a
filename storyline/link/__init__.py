"""Online, cross-lingual clustering of the article stream into events and stories (issue 7).

settings.py   the `[cluster]` config section (every threshold and weight)
features.py   what is compared: embedded lead, lemma profile, names/numbers, canonical entities, date
background.py per-language background means subtracted from embeddings (+ background_means.json)
similarity.py the article similarity shared by the clusterer and `storyline eval similarity`
index.py      candidate retrieval: usearch ANN over article vectors + entity inverted index
cluster.py    the online two-level assignment (article -> event, event -> story)
labels.py     titles, date spans, languages, sources and top entities of events and stories
ids.py        stable "e-…" / "s-…" ids
step.py       the pipeline step `cluster` (embedding cache, persistence, history)
recluster.py  replay over the store in date order; reports moves, merges and splits
"""
