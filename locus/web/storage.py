"""Static files storage: hashed names and gzip copies (WhiteNoise), without brotli.

Brotli at its highest quality took most of the first start (about 25 s for MapLibre and the API
docs' Swagger bundle on two cores) for a few per cent less transfer than gzip.
"""

from __future__ import annotations

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class LocusStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs) -> Compressor:
        return Compressor(**{**kwargs, "use_brotli": False})
