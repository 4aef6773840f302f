"""Geography: the shared ground (areas, hierarchy, boundaries, crosswalks, postcode geocoder).

This package's non-Django modules (build, boundaries, readers, crosswalks, postcodes) import no
Django, so the pipeline and other cores can use them.
"""
