"""Flask-WTF forms shared by the staff pages (every POST form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class LawForm(FlaskForm):
    slug = StringField(
        _l("Address name"),
        validators=[
            DataRequired(),
            Length(max=100),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and dashes.")
            ),
        ],
        description=_l("Part of the page address, e.g. foreign-trade-law."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("English title"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=4000)])


class VersionForm(FlaskForm):
    label = StringField(
        _l("Version name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. 一审稿, Second reading draft, Adopted text"),
    )
    text = TextAreaField(_l("Paste the draft text"), validators=[Optional()])
    upload = FileField(
        _l("…or upload a file"),
        validators=[FileAllowed(["txt", "md", "docx"], _l("Upload a .txt, .md or .docx file."))],
    )
    comment_opens = DateField(_l("Comments open on"), validators=[Optional()])
    comment_closes = DateField(_l("Comments close on"), validators=[Optional()])


class ConfirmVersionForm(FlaskForm):
    label = HiddenField(validators=[DataRequired(), Length(max=200)])
    text = HiddenField(validators=[DataRequired()])
    comment_opens = HiddenField()
    comment_closes = HiddenField()
    replace = HiddenField()


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it withdrawn?"), validators=[DataRequired(), Length(max=2000)]
    )


class CommentWindowForm(FlaskForm):
    comment_opens = DateField(_l("Comments open on"), validators=[Optional()])
    comment_closes = DateField(_l("Comments close on"), validators=[Optional()])


class CorrectionForm(FlaskForm):
    old = SelectField(_l("Article of the earlier version"), coerce=int)
    new = SelectMultipleField(_l("became (one or more) of the later version"), coerce=int)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), validators=[DataRequired()])
    reason_code = SelectField(_l("Reason (shown to the public)"), validators=[Optional()])
    public_reason = TextAreaField(
        _l("Explanation for the contributor"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "Plain words: this is what the citizen reads when they look up their receipt."
        ),
    )
    lock_version = HiddenField()
    confirm = BooleanField(
        _l("Yes, record this decision even though the opinion is linked to a change")
    )


class LinkForm(FlaskForm):
    opinion_id = HiddenField(validators=[DataRequired()])
    degree = HiddenField(default="full")
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class EditorialForm(FlaskForm):
    note = StringField(_l("Why (for staff)"), validators=[Optional(), Length(max=500)])


class LookupForm(FlaskForm):
    code = StringField(
        _l("Receipt code"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("The code on your slip, like 7K3M-Q9PX-2D. Dashes and case do not matter."),
    )


class PublicOpinionForm(FlaskForm):
    text = TextAreaField(_l("Your opinion"), validators=[DataRequired(), Length(max=5000)])
    category = SelectField(_l("You are"), validators=[DataRequired()])
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=200)])
    name_public = BooleanField(_l("You may show my name publicly if my suggestion is adopted"))
    contact = StringField(
        _l("Phone or email (optional)"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Only to reach you about this opinion; never shown, and deleted once it is decided "
            "(or, if you ask to be told the outcome, once that message is sent)."
        ),
    )
    # Consent of its own, never ticked for the visitor; the hint, which names the
    # configured retention period, is set when the form is built.
    notify = BooleanField(_l("Tell me the outcome at this contact"))
    office = SelectField(_l("Your local outreach office (optional)"), validators=[Optional()])
    # A field people never see (hidden by CSS, skipped by screen readers); bots fill it in.
    website = StringField(_l("Leave this empty"), validators=[Optional(), Length(max=0)])


# ---- bulk triage (issue 18) ---------------------------------------------------------


class LinkMatchedForm(FlaskForm):
    """Link the opinions matched to a change with at least this score; the preview's
    count comes back as ``expected_count`` so a changed set is refused, not linked."""

    min_score = FloatField(
        _l("Lowest score"),
        validators=[InputRequired(), NumberRange(min=0, max=1)],
        default=0.5,
        description=_l("Between 0 and 1. A score of 0.5 or more means a likely match."),
    )
    expected_count = HiddenField()


class LinkClusterForm(FlaskForm):
    # The choices are the page's; the service checks the cluster is of the change's law.
    cluster_id = SelectField(
        _l("Cluster"), coerce=int, validators=[InputRequired()], validate_choice=False
    )


class BulkDecisionForm(DecisionForm):
    """One decision for every opinion linked to a change, or for a whole cluster."""

    include_decided = BooleanField(_l("Also decide the opinions already decided one by one"))
    expected_pending = HiddenField()
    expected_total = HiddenField()


class BulkUndoForm(FlaskForm):
    """Only the CSRF token: the action to undo is in the address."""
