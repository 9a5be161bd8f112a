"""CSV in and out: headers found by their words, bad rows reported by line and the good
ones kept, duplicates merged by number, caps; the export is read back the same, and no
cell of it runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from callplatform.common.csv_cells import safe
from callplatform.common.errors import ValidationError
from callplatform.contacts import csv_io, directory, lookup
from callplatform.contacts.directory import Phone
from callplatform.db import read_scope, session_scope


def _import(member, text):
    with session_scope() as s:
        return csv_io.import_csv(session=s, member=member, data=text)


def _all(member):
    with read_scope() as s:
        return {c.name: c for c in lookup.list_contacts(session=s, member=member)}


def _export(member):
    with read_scope() as s:
        return csv_io.export_csv(session=s, member=member)


def test_headers_by_their_words_and_bad_rows_by_their_line(people):
    text = (
        "First Name,Last Name,Organization,Mobile Phone,Work Phone,Notes\r\n"
        'Ada,Lovelace,Engines,(415) 555-0100,+1 212 555 0188,"two\nlines"\r\n'
        "Bad,Number,,12,,\r\n"
        ",,,,,\r\n"
        'Grace,Hopper,Navy,"+1 646 555 0142; 646 555 0143 (home)",,\r\n'
        ",,,+1 917 555 0133,,\r\n"
        'Too,Long,"' + "c" * 101 + '",,,\r\n'
    )
    result = _import(people["mia"], text)
    assert (result.created, result.merged) == (3, 0)
    assert [line for line, _ in result.errors] == [4, 8]
    assert "wrong number of digits" in result.errors[0][1]
    found = _all(people["max"])
    assert found["Ada Lovelace"].phones == [
        Phone("+14155550100", "mobile"), Phone("+12125550188", "work")
    ]  # fmt: skip
    assert found["Ada Lovelace"].notes == "two\nlines"
    assert found["Grace Hopper"].phones == [
        Phone("+16465550142", "mobile"), Phone("+16465550143", "home")
    ]  # fmt: skip
    assert found["+19175550133"].phones == [Phone("+19175550133", "mobile")]  # no name: its number


def test_duplicates_merge_by_number(people):
    directory_row = "Ada,,+14155550100,\n"
    _import(people["mia"], "name,company,phone,notes\n" + directory_row)
    result = _import(
        people["mia"],
        "name;company;phone;notes\n"
        "Ada L.;Engines;+1 415 555 0100;met at the fair\n"  # merged into Ada
        "Someone;;+1 212 555 0188;\n"  # new
        "Again;;212.555.0188, +1 718 555 0166;\n",  # merged into Someone, adds a number
    )
    assert (result.created, result.merged, result.errors) == (1, 2, [])
    found = _all(people["olga"])
    assert set(found) == {"Ada", "Someone"}
    assert found["Ada"].company == "Engines" and found["Ada"].notes == "met at the fair"
    assert [p.number for p in found["Someone"].phones] == ["+12125550188", "+17185550166"]


def test_a_row_naming_two_contacts_is_reported(people):
    _import(people["mia"], "name,phone\nAda,+14155550100\nGrace,+12125550188\n")
    result = _import(people["mia"], 'name,phone\nBoth,"+14155550100, +12125550188"\n')
    assert result.errors == [(2, "Its numbers belong to Ada and Grace; edit them by hand.")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("colour,size\nred,9\n", "name the columns"),
        ("x" * (csv_io.MAX_BYTES + 1), "at most 1 MB"),
    ],
)
def test_files_refused_whole(people, data, message):
    with pytest.raises(ValidationError, match=message):
        _import(people["mia"], data)


def test_rows_past_the_cap_are_reported(people, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_ROWS", 2)
    rows = "".join(f"P{n},+1415555{n:04d}\n" for n in range(3))
    result = _import(people["mia"], "name,phone\n" + rows)
    assert result.created == 2 and result.errors == [(4, "Only the first 2 rows were imported.")]


def test_bytes_in_utf8_with_bom_or_windows_1252(people):
    _import(people["mia"], "\ufeffname,phone\nZoë,+14155550100\n".encode())
    _import(people["bob"], "name,phone\nZoë,+14155550100\n".encode("cp1252"))
    assert set(_all(people["mia"])) == {"Zoë"} and set(_all(people["bob"])) == {"Zoë"}


def test_export_reads_back_the_same_and_runs_no_formula(people, monkeypatch):
    monkeypatch.setattr(lookup, "PAGE", 2)  # the export's keyset pages, several of them
    evil = ['=HYPERLINK("http://x","y")', "+SUM(1)", "-2+3", "@cmd", "\t=1"]
    with session_scope() as s:
        for n, text in enumerate(evil):
            directory.create_contact(
                session=s, member=people["mia"], name=text, company=text, notes=text,
                phones=[(f"+1415555{n:04d}", "=x" if n else "")],
            )  # fmt: skip
        directory.create_contact(session=s, member=people["mia"], name="Plain", phones=[])
    exported = _export(people["mia"])
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == csv_io.HEADER and len(rows) == len(evil) + 2
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "-", "@", "\t", "\r")), row
            assert not cell.startswith("+") or cell[1:].isdigit(), row
    before = _all(people["mia"])
    _import(people["bob"], exported)
    after = _all(people["bob"])
    assert {n: (c.company, c.notes, c.phones) for n, c in after.items()} == {
        n: (c.company, c.notes, c.phones) for n, c in before.items()
    }


def test_safe_cells():
    assert safe("+14155550100") == "+14155550100"
    assert safe("+1415 =1") == "'+1415 =1"
    assert safe("=1") == "'=1" and safe("Ada") == "Ada" and safe(None) == ""


def test_import_stays_in_its_workspace(people):
    _import(people["bob"], "name,phone\nAda,+14155550100\n")
    assert _all(people["mia"]) == {}
    with read_scope() as s:
        assert directory.owner_of(s, people["mia"].workspace_id, ["+14155550100"]) == {}


def test_google_and_outlook_exports(people):
    google = (
        "Name,Given Name,Family Name,Organization 1 - Name,Phone 1 - Type,Phone 1 - Value,"
        "Phone 2 - Type,Phone 2 - Value,Notes\n"
        "Ada Lovelace,Ada,Lovelace,Engines,Mobile,+1 212 555 0188 ::: +1 212 555 0189,"
        "Work,+1 718 555 0166,hi\n"
    )
    outlook = (
        "First Name,Last Name,Company,Business Phone,Home Phone\nGrace,Hopper,Navy,646 555 0142,\n"
    )
    assert _import(people["mia"], google).errors == []
    assert _import(people["mia"], outlook).errors == []
    found = _all(people["mia"])
    assert found["Ada Lovelace"].company == "Engines" and found["Ada Lovelace"].notes == "hi"
    assert found["Ada Lovelace"].phones == [
        Phone("+12125550188", "mobile"), Phone("+12125550189", "mobile"),
        Phone("+17185550166", "work"),
    ]  # fmt: skip
    assert found["Grace Hopper"].phones == [Phone("+16465550142", "business")]


def test_merges_that_cannot_be_and_a_file_imported_again(people):
    first = 'name,company,phone\nAda,,"+12125550188; +12125550189"\nGrace,Navy,+16465550142\n'
    _import(people["mia"], first)
    before = _all(people["mia"])
    again = _import(people["mia"], first)
    assert (again.created, again.merged, again.errors) == (0, 2, [])
    assert _all(people["mia"]) == before  # nothing written: not even updated_at
    nine = ", ".join(f"+1415555{n:04d}" for n in range(9))
    result = _import(
        people["mia"],
        "name,company,phone\n"
        f'Ada,Engines,"+12125550188, {nine}"\n'  # Ada would hold 11: refused
        'Both,,"+12125550188, +16465550142"\n'  # Ada's and Grace's: refused
        "Bad,,12\n",  # refused while read, reported in its place
    )
    assert [line for line, _ in result.errors] == [2, 3, 4]
    assert result.errors[0][1] == "Ada would hold over 10 numbers."
    assert _all(people["mia"])["Ada"].company == ""
