"""Named entities: recognise mentions (offline or transformers backend), then resolve them to one
canonical entity across spellings, languages and articles, keeping the evidence of every merge."""
