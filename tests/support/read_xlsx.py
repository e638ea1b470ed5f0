#!/usr/bin/python3
"""Reads an .xlsx file back with openpyxl (Debian's python3-openpyxl), independently of the
libxlsxwriter code that wrote it, and prints one JSON object for the tests:
{"sheets": [{"name", "freeze", "autofilter", "widths": {"A": w}, "rows": [[cell...]]}]}
where a cell is {"t": "n"|"s"|"d"|"b"|"null", "v": value, "fmt": number format, "bold": bool}
(dates as "YYYY-MM-DD"). Usage: read_xlsx.py FILE"""
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def cell_json(c):
    v = c.value
    out = {"fmt": c.number_format, "bold": bool(c.font and c.font.b)}
    if v is None:
        out.update(t="null", v=None)
    elif isinstance(v, bool):
        out.update(t="b", v=v)
    elif isinstance(v, (int, float)):
        out.update(t="n", v=v)
    elif hasattr(v, "strftime"):
        out.update(t="d", v=v.strftime("%Y-%m-%d"))
    else:
        out.update(t="s", v=str(v))
    return out


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    sheets = []
    for ws in wb.worksheets:
        widths = {}
        for d in ws.column_dimensions.values():
            if d.width and d.min and d.max:
                for i in range(d.min, d.max + 1):
                    widths[get_column_letter(i)] = d.width
        rows = [[cell_json(c) for c in row] for row in ws.iter_rows()]
        sheets.append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "widths": widths,
            "rows": rows,
        })
    json.dump({"sheets": sheets, "title": wb.properties.title}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
