"""The caption upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class CaptionForm(FlaskForm):
    captions = FileField(
        _l("English captions (WebVTT, UTF-8)"),
        description=_l(
            "A .vtt file: the line WEBVTT, then cues in order, each a timing such as "
            "00:00:01.000 --> 00:00:04.000 and its text. It replaces the video's captions."
        ),
        validators=[FileRequired(_l("Choose a file."))],
    )
