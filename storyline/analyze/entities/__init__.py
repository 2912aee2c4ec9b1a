"""Named entities: recognise mentions (trained spaCy pipelines by default; rules or transformers backend),
then resolve them to one canonical entity across spellings, languages and articles, keeping the evidence
of every merge."""
