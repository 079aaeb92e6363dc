"""Every tunable of a run in one validated object (dateparser/pdfplumber style)."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    max_input_bytes: int = Field(20_000_000, ge=1, description="larger files get an error record, not a run")
    max_text_chars: int = Field(5_000_000, ge=1, description="decoded text longer than this is refused")
    timeout: float = Field(300.0, gt=0, description="seconds one document may take in a batch")
    max_memory_mb: int = Field(2048, ge=64, description="a worker above this RSS is replaced")
    workers: Optional[int] = Field(None, ge=1, description="None = all cores")
    password: Optional[str] = Field(None, description="for encrypted PDFs")
    ocr_lang: str = "vie"
    ocr_dpi: int = Field(300, ge=72, le=600)
    ocr: str = Field("auto", pattern="^(auto|always|never)$")
    max_pages: int = Field(500, ge=1)
    max_image_pixels: int = Field(120_000_000, ge=1, description="decompression-bomb guard")
