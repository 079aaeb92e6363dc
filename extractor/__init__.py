"""vn-party-extractor: official Vietnamese Party documents into data.

Public API (see README): `extract`, `extract_text`, `run`, `nlp`; the records they return are
`Document` (with `Deadline` and the other models of `extractor.model`); tunables are one
`Settings` object.
"""
__version__ = "0.1.0"

# name → module that defines it; imported on first use, so `import extractor.references` stays light
_LAZY = {"extract": "api", "extract_text": "api", "run": "api", "nlp": "api",
         "Document": "model", "Deadline": "model", "Settings": "settings"}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


def __dir__():  # the lazy public names too, for dir(), help() and completion
    return sorted(set(globals()) | set(__all__))
