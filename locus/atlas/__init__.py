"""Atlas: load a built atlas atomically, and serve it as maps, profiles, comparisons, evidence
packs, downloads and a JSON API, with the commercialisation-infrastructure registry.

The numbers come from ``locus.pipeline`` (a build in Parquet with its manifest); this room never
runs the pipeline inside a web request.
"""
