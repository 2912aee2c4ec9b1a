"""Ways to run the per-article analysis work: in this process (the default) or on a Ray cluster.

`prepare` holds the pure per-article functions both ways call (what to embed, the embedding and the
spaCy pass, from the same stage code); `ray_engine` runs them on an actor pool whose workers load
the models once. Either way the store is written only by the pipeline steps on the driver, and one
linker consumes the analysed articles in date order there (see docs/SCALE.md).
"""
