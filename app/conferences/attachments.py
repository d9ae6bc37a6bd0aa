"""Case attachments: PDFs and images only, size-checked, images re-encoded so that
their metadata (EXIF: camera, place, date, sometimes a name) never leaves the clinic."""

import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.exceptions import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes


def check_attachment(filename: str, data: bytes) -> CheckedFile:
    """The file as it will be stored, or ValidationFailed saying what is wrong with it."""
    name = (filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("%(name)s is larger than 5 MB.", name=name), "attachments")
    if data.startswith(b"%PDF-"):
        return CheckedFile(name, "application/pdf", data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in IMAGE_TYPES:
                raise UnidentifiedImageError(kind)
            return CheckedFile(name, IMAGE_TYPES[kind], _without_metadata(image, kind))
    except (UnidentifiedImageError, OSError, ValueError):
        message = _("%(name)s is not a PDF, JPEG or PNG file.", name=name)
        raise ValidationFailed(message, "attachments") from None


def _without_metadata(image: Image.Image, kind: str) -> bytes:
    """The pixels alone, in a new file: no EXIF, XMP, ICC comments or text chunks."""
    clean = image.copy()
    clean.info = {}  # Pillow writes only what it is given: no exif=, icc_profile=, pnginfo=
    out = io.BytesIO()
    clean.save(out, format=kind)
    return out.getvalue()
