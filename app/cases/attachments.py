"""Case attachments: PDFs and images only, size-checked, images re-encoded so that
their metadata (EXIF: camera, place, date, sometimes a name) never leaves the clinic.

The upload is checked in the request, cheapest first, and nothing in the request decodes
pixels: the number of files and their sizes before any is read (``check_uploads``, run by
the form), then each file's type and dimensions from its header (``check_attachment``).
The re-encoding, which decodes every pixel, runs later as a task (app/cases/
tasks.py) within the same limits, at most ``MAX_SERVED_SIDE`` pixels a side, and only its
result is ever served."""

import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

from app.cases.models import CaseAttachment
from app.conferences.safe_text import safe_filename
from app.exceptions import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_PIXELS = 40_000_000  # a small file must not decode into a huge image
MAX_SIDE = 12_000  # nor into a long strip
MAX_SERVED_SIDE = 4096  # a phone's 12 MP photograph keeps its size; larger ones shrink
# Phones save JPEGs with extra frames (MPO); they are stored as plain JPEG.
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}
# What Pillow raises for a file that is not a readable image of an allowed kind.
UNREADABLE = (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks; an image's ``data`` still has its metadata."""

    filename: str
    content_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def _size(upload) -> int:
    """The size of an uploaded file (a werkzeug FileStorage), without reading it."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def check_uploads(uploads: list) -> None:
    """ValidationFailed if there are too many files or one is too large: checked before
    any file is read, so twenty large images cost no more than one."""
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d attachments.", n=MAX_FILES), "attachments")
    for upload in uploads:
        if _size(upload) > MAX_BYTES:
            name = safe_filename(upload.filename)
            message = _("%(name)s is larger than %(mb)d MB.", name=name, mb=MAX_BYTES // 2**20)
            raise ValidationFailed(message, "attachments")


def check_attachment(filename: str, data: bytes) -> CheckedFile:
    """The file as uploaded, or ValidationFailed saying what is wrong with it."""
    name = safe_filename(filename)
    if len(data) > MAX_BYTES:
        message = _("%(name)s is larger than %(mb)d MB.", name=name, mb=MAX_BYTES // 2**20)
        raise ValidationFailed(message, "attachments")
    if data.startswith(b"%PDF-"):
        return CheckedFile(name, "application/pdf", data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = _allowed_kind(image)
            image.verify()  # structure and checksums, without decoding the pixels
        return CheckedFile(name, IMAGE_TYPES[kind], data)
    except UNREADABLE:
        message = _(
            "%(name)s is not a PDF, JPEG or PNG file (or the image is too large).", name=name
        )
        raise ValidationFailed(message, "attachments") from None


def _allowed_kind(image: Image.Image) -> str:
    """The format of an opened image (its header read, no pixel decoded), or ValueError
    when it is not one we take or is too large to decode."""
    width, height = image.size
    if image.format not in IMAGE_TYPES or width * height > MAX_PIXELS:
        raise ValueError(image.format)
    if max(width, height) > MAX_SIDE:
        raise ValueError(image.format)
    return image.format


def without_metadata(data: bytes) -> bytes:
    """An uploaded JPEG or PNG re-encoded: the pixels alone, in a new file, with no EXIF,
    XMP, ICC comments or text chunks. Raises one of ``UNREADABLE`` for anything else."""
    with Image.open(io.BytesIO(data)) as image:
        kind = _allowed_kind(image)
        if kind != "PNG":  # a JPEG decodes at 1/2, 1/4 or 1/8 scale for next to nothing
            image.draft("RGB", (MAX_SERVED_SIDE, MAX_SERVED_SIDE))
        # Turned upright first: the orientation lived in the EXIF being dropped.
        clean = ImageOps.exif_transpose(image)
        clean.thumbnail((MAX_SERVED_SIDE, MAX_SERVED_SIDE))
        clean.info = {}  # Pillow writes only what it is given: no exif=, icc_profile=
        out = io.BytesIO()
        if kind == "PNG":
            clean.save(out, format="PNG")
        else:  # high quality: clinical photographs (wounds, skin) must stay readable
            clean.convert("RGB").save(out, format="JPEG", quality=92)
        return out.getvalue()


@event.listens_for(CaseAttachment, "load")
@event.listens_for(CaseAttachment, "refresh")
def _safe_name_when_read(item: CaseAttachment, *_args) -> None:
    """A row stored before names were made safe on upload (a line break in its name could
    never be downloaded) is read with a safe name; nothing is written back."""
    if item.filename is not None and (safe := safe_filename(item.filename)) != item.filename:
        set_committed_value(item, "filename", safe)
