"""The hostile-input corpus: the files in tests/data/hostile plus large cases generated on
demand (too big to keep in the repository)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

HOSTILE_DIR = Path(__file__).parent / "data" / "hostile"

INJECTIONS = (
    "'; DROP TABLE opinion; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% raw %}",
    "${7*7} %(x)s %s",
    "../../../etc/passwd",
    "\u202eevil\u202c",
    "😀" * 50,
    "\x00\x07\x1b[31m",
)


def stored_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted(HOSTILE_DIR.iterdir()):
        if path.name != "README.md":
            yield path.name, path.read_bytes()


def ten_megabyte_line() -> bytes:
    return ("第一条 " + "长" * (10 * 1024 * 1024 // 3)).encode("utf-8")


def hundred_thousand_articles() -> bytes:
    return "".join(f"第{i}条 第{i}条的内容。\n" for i in range(1, 100_001)).encode("utf-8")


def nested_tables_docx(depth: int = 60) -> bytes:
    """A Word document whose table nests `depth` levels deep, built as raw XML so the
    generator itself does not recurse through python-docx."""
    inner = "<w:p><w:r><w:t>第一条 嵌套表格。</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>第二条 正文。</w:t></w:r></w:p>{inner}</w:body></w:document>"
    )
    return _docx({"word/document.xml": body})


def zip_bomb_docx(megabytes: int = 200) -> bytes:
    """A .docx whose document part inflates to `megabytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_package(archive, {})
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def entity_expansion_docx() -> bytes:
    """Billion laughs in the document part: XML entities must not be expanded."""
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{lol}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx({"word/document.xml": body})


def _docx(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_package(archive, parts)
    return buffer.getvalue()


_CONTENT_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


def _write_package(archive: zipfile.ZipFile, parts: dict[str, str]) -> None:
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CONTENT_TYPES}"/>'
        "</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="word/document.xml"/>'
        "</Relationships>",
    )
    for name, content in parts.items():
        archive.writestr(name, content)
