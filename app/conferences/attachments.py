"""Case attachments: PDFs and images only, size-checked, images re-encoded so that
their metadata (EXIF: camera, place, date, sometimes a name) never leaves the clinic."""

import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.exceptions import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_PIXELS = 40_000_000  # a small file must not decode into a huge image
# Phones save JPEGs with extra frames (MPO); they are stored as plain JPEG.
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes


def check_attachment(filename: str, data: bytes) -> CheckedFile:
    """The file as it will be stored, or ValidationFailed saying what is wrong with it."""
    name = (filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if len(data) > MAX_BYTES:
        message = _("%(name)s is larger than %(mb)d MB.", name=name, mb=MAX_BYTES // 2**20)
        raise ValidationFailed(message, "attachments")
    if data.startswith(b"%PDF-"):
        return CheckedFile(name, "application/pdf", data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in IMAGE_TYPES or image.width * image.height > MAX_PIXELS:
                raise UnidentifiedImageError(kind)
            return CheckedFile(name, IMAGE_TYPES[kind], _without_metadata(image, kind))
    except (UnidentifiedImageError, OSError, ValueError):
        message = _(
            "%(name)s is not a PDF, JPEG or PNG file (or the image is too large).", name=name
        )
        raise ValidationFailed(message, "attachments") from None


def _without_metadata(image: Image.Image, kind: str) -> bytes:
    """The pixels alone, in a new file: no EXIF, XMP, ICC comments or text chunks. The
    photo is turned upright first (its orientation lived in the EXIF being dropped)."""
    clean = ImageOps.exif_transpose(image)
    clean.info = {}  # Pillow writes only what it is given: no exif=, icc_profile=, pnginfo=
    out = io.BytesIO()
    if kind == "PNG":
        clean.save(out, format="PNG")
    else:  # high quality: clinical photographs (wounds, skin) must stay readable
        clean.convert("RGB").save(out, format="JPEG", quality=92)
    return out.getvalue()
