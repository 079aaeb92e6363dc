# Loaded at interpreter start when bench/eval_rendered.py --ocr-memo puts this directory on
# PYTHONPATH: every process of the run (forkserver workers too) replays remembered OCR answers.
import os
import sys
from pathlib import Path

if os.environ.get("EXTRACTOR_OCR_MEMO"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        from ocr_memo import install
        install(Path(os.environ["EXTRACTOR_OCR_MEMO"]))
    finally:
        sys.path.pop(0)
