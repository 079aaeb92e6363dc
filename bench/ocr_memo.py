"""Tesseract's answers remembered in a directory, keyed on the exact image and options it was given.

For the bench harness only (eval_rendered.py --ocr-memo DIR): a change to the code after OCR
(layout, header, sections, tables, references) is measured on the 21 scanned dev documents in
seconds instead of re-running ~10 minutes of Tesseract. A change to the image preparation changes
the images, so their keys, and Tesseract runs again for them: the memo can only replay an answer
Tesseract gave for the same pixels, never a stale one. Not used by the extractor itself.

The extractor's workers come from a forkserver (a fresh interpreter), so patching the parent is not
enough: eval_rendered.py puts bench/memo_site on PYTHONPATH, whose sitecustomize.py calls
`install` in every process when EXTRACTOR_OCR_MEMO names the directory."""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path


def install(memo: Path) -> None:
    import pytesseract

    memo.mkdir(parents=True, exist_ok=True)
    real = pytesseract.image_to_data

    def image_to_data(image, lang=None, config="", nice=0, output_type=pytesseract.Output.STRING, timeout=0,
                      pandas_config=None):
        h = hashlib.sha256()
        h.update(repr((getattr(image, "mode", None), getattr(image, "size", None), lang, config, output_type)).encode())
        h.update(image.tobytes() if hasattr(image, "tobytes") else bytes(image))
        path = memo / (h.hexdigest() + ".pkl")
        if path.exists():
            return pickle.loads(path.read_bytes())
        out = real(image, lang=lang, config=config, nice=nice, output_type=output_type, timeout=timeout)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(out))
        os.replace(tmp, path)
        return out

    pytesseract.image_to_data = image_to_data

