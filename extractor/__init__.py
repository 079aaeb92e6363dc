"""vn-party-extractor: official Vietnamese Party documents into data.

Public API (see README): `extract`, `extract_text`, `run`, `nlp`.
"""
__version__ = "0.1.0"

from .api import extract, extract_text, run  # noqa: E402,F401

__all__ = ["extract", "extract_text", "run", "__version__"]
