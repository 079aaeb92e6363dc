"""Images (.png, .jpg, .tif incl. multi-page TIFF, .bmp, .webp) → OCR'd pages.

The pixel count of every frame is checked from the header before any decoding
(Settings.max_image_pixels), at the size the frame will have after the low-dpi upscale, so a
decompression bomb (or a small image tagged 20 dpi) is refused with a clear error instead of
exhausting memory. Frames are decoded, read and released one window at a time (ocr_images), so
a 500-frame TIFF needs the memory of a few frames, not of all of them.
"""
from __future__ import annotations

import io
from typing import Iterator, Optional

from . import Ingested
from .errors import InputError


def read(data: bytes, settings, fmt: str = "image") -> Ingested:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None            # our own limit below, with a message a person can act on
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise InputError("ingest", "the image cannot be read (unknown or damaged format); "
                         "save it as PNG, JPEG or TIFF") from None
    n_frames = getattr(img, "n_frames", 1)
    if n_frames > settings.max_pages:
        raise InputError("ingest", f"the image has {n_frames} frames, above --max-pages {settings.max_pages}; "
                         "split it or raise --max-pages")
    sizes = []
    for k in range(n_frames):  # headers only: nothing is decoded yet
        try:
            img.seek(k)
        except (OSError, EOFError, ValueError) as exc:
            raise InputError("ingest", f"the image data is damaged or truncated ({exc})") from None
        w, h = img.size
        sizes.append(_target_size(w, h, img.info.get("dpi", (None,))[0]))
        for what, (a, b) in (("", (w, h)), (" once upscaled to 300 dpi", sizes[-1])):
            if a * b > settings.max_image_pixels:
                raise InputError("ingest", f"the image{f' (frame {k + 1})' if n_frames > 1 else ''} is {a}×{b} = "
                                 f"{a * b:,} pixels{what}, above --max-pixels {settings.max_image_pixels:,} "
                                 "(a possible decompression bomb); downscale it or raise --max-pixels")
    if settings.ocr == "never":
        raise InputError("ocr", "an image has text only through OCR, which is off (--ocr never)")
    from .ocr import ocr_images

    results = ocr_images(_frames(img, sizes), settings)
    warnings = [("ocr", f"page {i + 1}: {r.warning}") for i, r in enumerate(results) if r.warning]
    info = [{"page": i + 1, "method": "ocr", "reason": "image input", "ocr_confidence": r.confidence}
            for i, r in enumerate(results)]
    return Ingested(pages=[r.text for r in results], format="image", paged=True, ocr=True,
                    page_info=info, warnings=warnings)


def _target_size(w: int, h: int, dpi: Optional[float]) -> tuple[int, int]:
    """The frame's size for OCR: Tesseract wants ~300 dpi text, so low-resolution scans are
    upscaled (bench_ocr.py)."""
    if dpi and dpi < 150:
        scale = 300 / float(dpi)
        return int(w * scale), int(h * scale)
    return w, h


def _frames(img, sizes: list[tuple[int, int]]) -> Iterator:
    """The frames as grayscale images at their OCR size, decoded one at a time when asked for."""
    from PIL import Image

    from .imageprep import prepare

    for k, size in enumerate(sizes):
        try:
            img.seek(k)
            frame = prepare(img)          # grey, a seal's red ink dropped (as for PDF pages)
        except (OSError, ValueError, EOFError) as exc:
            raise InputError("ingest", f"the image data is damaged or truncated ({exc})") from None
        if frame.size != size:
            frame = frame.resize(size, Image.LANCZOS)
        yield frame
