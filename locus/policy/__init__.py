"""Policy learning (brief measure 4): evidence-rated cases, the STIP Compass layer, search,
contributions, learning resources, Combined Authority peers, strategy packs and the cost model.

The Django-free parts (schema, files, stip, costs, peers) import nothing from Django.
"""
