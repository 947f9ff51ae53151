"""Hostile spreadsheets for the importer's tests: an XLSX made by xlsxwriter whose sheet is
then rewritten with a great many identical rows, so that a file of well under a megabyte
unpacks to hundreds of megabytes (a "zip bomb"), built in about a second."""

from __future__ import annotations

import io
import zipfile

import xlsxwriter

HEADER = ["reference", "respondent_type", "channel", "received_at", "q1_answer"]
ROW = (
    b'<row><c t="inlineStr"><is><t>R1</t></is></c><c t="inlineStr"><is><t>individual</t></is>'
    b'</c><c t="inlineStr"><is><t>post</t></is></c></row>'
)
SHEET = "xl/worksheets/sheet1.xml"


def _template() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet().write_row(0, 0, HEADER)
    workbook.close()
    return buffer.getvalue()


def xlsx_with_rows(rows: int, *, declare: int | None = None) -> bytes:
    """An XLSX whose first sheet has the header and then ``rows`` identical data rows.

    ``declare``: write the sheet with this uncompressed size in the archive's headers instead
    of its real one (a file that lies about what it unpacks to)."""
    source = zipfile.ZipFile(io.BytesIO(_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != SHEET:
                archive.writestr(info, source.read(info))
                continue
            head, rest = source.read(info).split(b"<sheetData>")
            header_rows, tail = rest.split(b"</sheetData>")
            with archive.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>" + header_rows)
                block = ROW * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(ROW * (rows % 10_000))
                sheet.write(b"</sheetData>" + tail)
    data = out.getvalue()
    return data if declare is None else _declaring(data, SHEET, declare)


def _declaring(data: bytes, member: str, size: int) -> bytes:
    """``data`` with ``member``'s uncompressed size rewritten as ``size`` in both the local
    header and the central directory (ZIP64 extra fields included)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    real = info.file_size
    out = bytearray(data)
    for old in (real.to_bytes(8, "little"), real.to_bytes(4, "little")):
        width = len(old)
        new = size.to_bytes(width, "little")
        start = 0
        while (at := out.find(old, start)) != -1:
            out[at : at + width] = new
            start = at + width
    return bytes(out)
