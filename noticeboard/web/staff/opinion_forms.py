"""Forms of the opinion pages, the import and the office administration."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from noticeboard.web.core.vocabulary import CATEGORY, CHANNEL, ROLE, TIER, Vocabulary


def options(vocabulary: Vocabulary) -> list[SelectChoice]:
    """A staff form's choices, in the staff wording (translated when the form renders)."""
    return [
        SelectChoice(value, label.staff)  # type: ignore[arg-type]
        for value, label in vocabulary.labels.items()
    ]


def ui_language() -> str:
    """The staff member's current page language, "zh" or "en"."""
    locale = get_locale()
    language = locale.language if locale is not None else ""
    return language if language in ("zh", "en") else "zh"


_SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and dashes."))


class OpinionEntryForm(FlaskForm):
    # Kept between entries: the session remembers them for the next opinion.
    version = SelectField(_l("Law and version"), coerce=int)
    office = SelectField(_l("Office"), coerce=int)
    collection_point = SelectField(_l("Collection point"), coerce=int)
    channel = SelectField(_l("Channel"), choices=options(CHANNEL), validators=[DataRequired()])
    received_on = DateField(_l("Date received"), validators=[DataRequired()])
    articles = StringField(
        _l("Articles"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Numbers or labels, separated by commas: 12, 14 or 第十二条. "
            "Empty for an opinion on the whole draft."
        ),
    )
    # Each opinion's own.
    contributor_name = StringField(_l("Contributor's name"), validators=[Length(max=200)])
    contributor_category = SelectField(
        _l("Contributor"), choices=options(CATEGORY), default="citizen"
    )
    name_public = BooleanField(_l("The contributor agrees to show the name publicly"))
    contact = StringField(
        _l(
            "Contact (never shown; erased once the opinion is decided, "
            "or once the outcome is sent to it)"
        ),
        validators=[Length(max=300)],
    )
    # Never kept for the next opinion: each contributor gives (or not) consent of their own.
    notify = BooleanField(_l("Send the outcome to this contact (the contributor agreed)"))
    # Language names in their own language, as a language switch shows them.
    language = SelectField(
        _l("Language of the outcome message"),
        choices=[SelectChoice("zh", "中文"), SelectChoice("en", "English")],
        default=ui_language,
    )
    text = TextAreaField(_l("Opinion"), validators=[DataRequired(), Length(max=20_000)])
    summary = TextAreaField(
        _l("Summary shown publicly"),
        validators=[Optional(), Length(max=5_000)],
        description=_l("A line in plain words for noticeboards; it may be added later."),
    )
    reference = StringField(
        _l("Reference"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "The sender's own number for it, such as a letter's registry number; "
            "unique within the law. Optional."
        ),
    )


class RightsForm(FlaskForm):
    lock_version = HiddenField()


class EraseForm(RightsForm):
    confirm = BooleanField(
        _l("The contributor asked for their name and contact to be erased"),
        validators=[DataRequired(message=_l("Tick the box to confirm the request."))],
    )


class ImportForm(FlaskForm):
    upload = FileField(
        _l("Spreadsheet"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "txt", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    law = SelectField(_l("Law (when the file has no law column)"), validators=[Optional()])
    dry_run = BooleanField(_l("Only check the file; save nothing"))


class OfficeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    slug = StringField(
        _l("Address name"),
        validators=[DataRequired(), Length(max=64), _SLUG],
        description=_l("Pinyin, e.g. hongqiao; used in addresses and imports."),
    )
    tier = SelectField(_l("Tier"), choices=options(TIER))
    parent = SelectField(_l("Office above"), validators=[Optional()])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=200)])
    timezone = StringField(_l("Time zone"), default="Asia/Shanghai", validators=[DataRequired()])


class CollectionPointForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    slug = StringField(_l("Address name"), validators=[DataRequired(), Length(max=64), _SLUG])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])


class AccountForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=options(ROLE))
    office = SelectField(_l("Office (for office staff)"), validators=[Optional()])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=12, max=1024)],
        description=_l("At least 12 characters; tell it to the person in private."),
    )


class ToggleForm(FlaskForm):
    """A button that switches something on or off; only the CSRF token travels."""
