"""Turning an uploaded draft (.txt, .md, .docx) into text for the parser."""

from __future__ import annotations

import io
import zipfile

from noticeboard.diffing import DraftDecodeError, decode_bytes
from noticeboard.services.errors import ValidationFailed

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
# A .docx is a zip; refuse archives that would inflate far beyond any real draft.
MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000


def read_draft_upload(filename: str, data: bytes) -> str:
    name = filename.lower()
    if name.endswith(TEXT_SUFFIXES):
        try:
            return decode_bytes(data)
        except DraftDecodeError as exc:
            raise ValidationFailed(
                "The file could not be read as text: %(reason)s", reason=str(exc)
            ) from None
    if name.endswith(".docx"):
        return _docx_text(data)
    raise ValidationFailed("Upload a .txt, .md or .docx file.")


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationFailed("This .docx file is damaged or is not a Word document.") from None
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS or sum(m.file_size for m in members) > MAX_DOCX_UNCOMPRESSED:
        raise ValidationFailed("This .docx file is too large once unpacked.")
    import docx  # python-docx; parses with lxml, which resolves no external entities

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a broken package
        raise ValidationFailed("This .docx file is damaged or is not a Word document.") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    text = "\n".join(lines).strip()
    if not text:
        raise ValidationFailed("The document has no text.")
    return text + "\n"
