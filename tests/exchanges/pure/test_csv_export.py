import csv
import io

import pytest

from exchanges.pure.csv_export import BOM, csv_text, neutralise


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\t=x", "\r=x"])
def test_formula_starts_get_a_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("value, text", [(None, ""), (3, "3"), (0.5, "0.5"), (-1, "-1"),
                                         ("Düsseldorf", "Düsseldorf"), ("a=b", "a=b")])
def test_other_cells_stay_as_they_are(value, text):
    assert neutralise(value) == text


def test_the_file_reads_back_with_quotes_commas_and_newlines():
    text = csv_text(["name", "n"], [['Say "hi", 名古屋', 1], ["two\nlines", None]])
    assert text.startswith(BOM) and text.count("\r\n") >= 3
    rows = list(csv.reader(io.StringIO(text[len(BOM):], newline="")))
    assert rows == [["name", "n"], ['Say "hi", 名古屋', "1"], ["two\nlines", ""]]
