"""vn-party-extractor: official Vietnamese Party documents into data.

Public API (see README): `extract`, `extract_text`, `run`, `nlp`.
"""
__version__ = "0.1.0"

__all__ = ["extract", "extract_text", "run", "nlp", "__version__"]


def __getattr__(name):  # lazy, so that `import extractor.references` stays light
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
