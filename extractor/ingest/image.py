"""Images (.png, .jpg, .tif incl. multi-page TIFF, .bmp, .webp) → OCR'd pages.

The pixel count is checked from the header before any decoding (Settings.max_image_pixels), so
a decompression bomb is refused with a clear error instead of exhausting memory.
"""
from __future__ import annotations

import io

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
        raise InputError("ingest", f"the image has {n_frames} frames, above --max-pages {settings.max_pages}")
    pages = []
    for k in range(n_frames):
        img.seek(k)
        w, h = img.size
        if w * h > settings.max_image_pixels:
            raise InputError("ingest", f"the image is {w}×{h} = {w * h:,} pixels, above max_image_pixels="
                             f"{settings.max_image_pixels:,} (a possible decompression bomb); downscale it "
                             "or raise the limit")
        try:
            frame = img.convert("L")
        except (OSError, ValueError) as exc:
            raise InputError("ingest", f"the image data is damaged or truncated ({exc})") from None
        dpi = img.info.get("dpi", (None,))[0]
        if dpi and dpi < 150:
            # Tesseract wants ~300 dpi text: upscale low-resolution scans (bench_ocr.py)
            scale = 300 / float(dpi)
            frame = frame.resize((int(w * scale), int(h * scale)), Image.LANCZOS)
        pages.append(frame)
    if settings.ocr == "never":
        raise InputError("ocr", "an image has text only through OCR, which is off (--ocr never)")
    from .ocr import ocr_images

    results = ocr_images(pages, settings)
    warnings = [("ocr", f"page {i + 1}: {r.warning}") for i, r in enumerate(results) if r.warning]
    info = [{"page": i + 1, "method": "ocr", "reason": "image input", "ocr_confidence": r.confidence}
            for i, r in enumerate(results)]
    return Ingested(pages=[r.text for r in results], format="image", paged=True, ocr=True,
                    page_info=info, warnings=warnings)
