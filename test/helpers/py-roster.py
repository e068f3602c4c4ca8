"""Writes a roster workbook from a JSON description with a producer other than exceljs.

usage: python3 py-roster.py openpyxl|inline SPEC.json OUT.xlsx

SPEC.json: {"sheets": [{"name": str, "rows": [[cell, ...], ...], "merges": ["D1:E1", ...]}]} where a
cell is null, a string, a number, or {"date": "YYYY-MM-DD"}; "merges" is optional (a workbook with
merges is written by openpyxl's ordinary, not write-only, workbook, which alone can merge).
  openpyxl - Debian's python3-openpyxl: shared strings, worksheets stored before xl/workbook.xml;
  inline   - the same package layout written by hand with zipfile: inline strings (<is><t>),
             dates as serials with a custom date format, worksheets first, workbook parts last.
"""
import datetime
import json
import sys
import zipfile
from xml.sax.saxutils import escape


def cell_value(v):
    if isinstance(v, dict) and 'date' in v:
        return datetime.date.fromisoformat(v['date'])
    return v


def write_openpyxl_merged(spec, out):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in spec['sheets']:
        ws = wb.create_sheet(s['name'])
        for ri, r in enumerate(s['rows'], 1):
            for ci, v in enumerate(r, 1):
                v = cell_value(v)
                if v is None:
                    continue
                c = ws.cell(row=ri, column=ci, value=v)
                if isinstance(v, datetime.date):
                    c.number_format = 'yyyy-mm-dd'
        for m in s.get('merges', []):
            ws.merge_cells(m)
    wb.save(out)


def write_openpyxl(spec, out):
    import openpyxl
    if any(s.get('merges') for s in spec['sheets']):
        return write_openpyxl_merged(spec, out)
    wb = openpyxl.Workbook(write_only=True)
    for s in spec['sheets']:
        ws = wb.create_sheet(s['name'])
        for r in s['rows']:
            row = []
            for v in r:
                v = cell_value(v)
                if isinstance(v, datetime.date):
                    c = openpyxl.cell.WriteOnlyCell(ws, value=v)
                    c.number_format = 'yyyy-mm-dd'
                    row.append(c)
                else:
                    row.append(v)
            ws.append(row)
    wb.save(out)


def col(n):
    s = ''
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(d):
    return (d - datetime.date(1899, 12, 30)).days


def write_inline(spec, out):
    sheets = spec['sheets']
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for i, s in enumerate(sheets, 1):
            parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
            for ri, r in enumerate(s['rows'], 1):
                parts.append('<row r="%d">' % ri)
                for ci, v in enumerate(r, 1):
                    ref = '%s%d' % (col(ci), ri)
                    v = cell_value(v)
                    if v is None:
                        continue
                    if isinstance(v, datetime.date):
                        parts.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, serial(v)))
                    elif isinstance(v, (int, float)):
                        parts.append('<c r="%s"><v>%s</v></c>' % (ref, repr(v)))
                    else:
                        parts.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(v)))
                parts.append('</row>')
            parts.append('</sheetData></worksheet>')
            z.writestr('xl/worksheets/sheet%d.xml' % i, ''.join(parts))
        z.writestr('xl/styles.xml', '<?xml version="1.0" encoding="UTF-8"?>'
                   '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
                   '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
                   '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>')
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + ''.join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i) for i in range(1, len(sheets) + 1))
                   + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' % (len(sheets) + 1)
                   + '</Relationships>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(s['name']), i, i) for i, s in enumerate(sheets, 1))
                   + '</sheets></workbook>')
        z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + ''.join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % i for i in range(1, len(sheets) + 1))
                   + '</Types>')


if __name__ == '__main__':
    mode, spec_path, out = sys.argv[1:4]
    with open(spec_path, encoding='utf-8') as f:
        spec = json.load(f)
    {'openpyxl': write_openpyxl, 'inline': write_inline}[mode](spec, out)
