"""vCard in and out, read by hand: folded lines, escapes, FN or N, ORG, TEL with its
type as the label, NOTE; a card without a name or number is reported by its line; the
export reads back the same; an import picks vCard or CSV by what the file holds."""

from __future__ import annotations

from callplatform.contacts import files, lookup, vcard
from callplatform.contacts.directory import Phone
from callplatform.db import read_scope, session_scope

CARDS = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Ada Lovelace\r\n"
    "N:Lovelace;Ada;;;\r\n"
    "ORG:Analytical Engines\\, Ltd;Research\r\n"
    "item1.TEL;TYPE=CELL,VOICE;TYPE=pref:+1 (212) 555-0188\r\n"
    "TEL;type=WORK:tel:+17185550166\r\n"
    "NOTE:Met at the fair\\nlikes tea\\; strong. A long note folded over \r\n"
    " two lines.\r\n"
    "EMAIL:ada@example.com\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N:Hopper;Grace;;Rear Adm.;\n"
    "TEL;HOME:646 555 0142\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "EMAIL:nobody@example.com\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "FN:Bad Number\n"
    "TEL:12\n"
    "END:VCARD\n"
)


def _all(member):
    with read_scope() as s:
        return {c.name: c for c in lookup.list_contacts(session=s, member=member)}


def test_cards_are_read(people):
    with session_scope() as s:
        result = files.import_file(session=s, member=people["mia"], data=CARDS.encode())
    assert (result.created, result.merged) == (2, 0)
    assert result.errors == [
        (17, "This card has neither a name nor a number."),
        (21, "“12” has the wrong number of digits."),
    ]
    found = _all(people["mia"])
    ada = found["Ada Lovelace"]
    assert ada.company == "Analytical Engines, Ltd Research"
    assert ada.phones == [Phone("+12125550188", "mobile"), Phone("+17185550166", "work")]
    assert ada.notes == "Met at the fair\nlikes tea; strong. A long note folded over two lines."
    assert found["Rear Adm. Grace Hopper"].phones == [Phone("+16465550142", "home")]


def test_the_export_reads_back_the_same(people):
    with session_scope() as s:
        files.import_file(session=s, member=people["mia"], data=CARDS)
        lookup.add_number(session=s, member=people["mia"], number="+19175550133", name="x;y,z\\")
    with read_scope() as s:
        exported = files.export(session=s, member=people["mia"], kind="vcf")
    assert all(len(line) <= 75 for line in exported.split("\r\n"))
    assert "FN:x\\;y\\,z\\\\\r\n" in exported and "TEL;TYPE=mobile:+12125550188" in exported
    assert vcard.looks_like_vcard(exported)
    with session_scope() as s:
        result = files.import_file(session=s, member=people["bob"], data=exported)
    assert (result.created, result.errors) == (3, [])
    shape = {n: (c.company, c.notes, c.phones) for n, c in _all(people["mia"]).items()}
    assert {n: (c.company, c.notes, c.phones) for n, c in _all(people["bob"]).items()} == shape


def test_csv_is_still_csv(people):
    with session_scope() as s:
        result = files.import_file(
            session=s, member=people["mia"], data="name,phone\nBEGIN:VCARD,+12125550188\n"
        )
    assert result.created == 1 and set(_all(people["mia"])) == {"BEGIN:VCARD"}
