"""Forms of the library's management pages (administrators)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from app.forms import at_most, text_field


class VideoTextsForm(FlaskForm):
    """A video's address and English texts (the source of its translations)."""

    title = text_field(_l("Title"), 200)
    slug = text_field(_l("Address"), 100)
    summary = TextAreaField(_l("Summary (Markdown)"), validators=[at_most(5000)])
    transcript = TextAreaField(
        _l("Transcript (Markdown)"),
        description=_l("What is said and shown, for those who read rather than watch."),
        validators=[at_most(100_000)],
    )


def _chosen(form, field) -> None:
    if not field.data or not getattr(field.data, "filename", ""):
        raise ValidationError(_l("Choose the video file."))


class UploadForm(VideoTextsForm):
    file = FileField(_l("Video file"), validators=[_chosen])
