"""Contacts to and from vCard (.vcf, what phones and address books share), read and
written by hand: the few properties a contact holds (FN or N, ORG, TEL with its TYPE,
NOTE), lines unfolded and values unescaped as RFC 6350 and vCard 3.0 (RFC 2426) say.
Everything else in a card is ignored; a card that can't be read is reported by the line
it starts on, like a bad CSV row. vCard 2.1's quoted-printable values are not decoded."""

from __future__ import annotations

import re

from sqlmodel import Session

from callplatform.contacts import importing, lookup
from callplatform.contacts.importing import MAX_ROWS, Entry, ImportResult
from callplatform.workspaces.access import Member

_CONTENT_LINE = re.compile(r"^(?:[\w-]+\.)?([\w-]+)((?:;[^:]*)?):(.*)$")
_NOT_LABELS = {"", "voice", "pref", "internet", "x-", "type"}


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \r\n\t")[:11].upper() == "BEGIN:VCARD"


def _unfold(text: str) -> list[tuple[int, str]]:
    """(line number, content line): a line starting with a space or tab continues the one
    before it."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((number, raw))
    return out


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _label(params: str) -> str:
    """TYPE=CELL,VOICE / TYPE=work;TYPE=pref / a bare ;HOME (vCard 2.1): the first type
    that says which phone it is (cell is called mobile here)."""
    for param in params.split(";"):
        key, has_value, value = param.partition("=")
        if has_value and key.strip().upper() != "TYPE":
            continue
        for word in (value if has_value else key).lower().strip('"').split(","):
            word = word.strip()
            if word not in _NOT_LABELS:
                return {"cell": "mobile"}.get(word, word)[:32]
    return ""


def _split_components(value: str) -> list[str]:
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


def import_vcard(*, session: Session, member: Member, data: bytes | str) -> ImportResult:
    batch, card, count = importing.Batch(session, member), None, 0
    for line, content in _unfold(importing.decode(data)):
        match = _CONTENT_LINE.match(content)
        if match is None:
            continue
        name, params, value = match.group(1).upper(), match.group(2), match.group(3)
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            card = {"line": line, "fn": "", "n": "", "org": "", "note": "", "tel": []}
        elif card is None:
            continue
        elif name == "END":
            count += 1
            if count > MAX_ROWS:
                batch.result.skip(card["line"], f"Only the first {MAX_ROWS} cards were imported.")
                break
            _add(batch, card)
            card = None
        elif name == "FN":
            card["fn"] = _unescape(value)
        elif name == "N":  # family;given;additional;prefix;suffix
            parts = _split_components(value) + [""] * 5
            card["n"] = " ".join(p for p in (parts[3], parts[1], parts[2], parts[0], parts[4]) if p)
        elif name == "ORG":
            card["org"] = " ".join(p for p in _split_components(value) if p)
        elif name == "NOTE":
            card["note"] = _unescape(value)
        elif name == "TEL":
            number = re.sub(r"^tel:", "", value.strip(), flags=re.IGNORECASE)
            card["tel"].append((number, _label(params)))
    return batch.finish()


def _add(batch: importing.Batch, card: dict) -> None:
    entry = Entry(card["fn"] or card["n"], card["org"], card["note"], card["tel"])
    if entry.name.strip() or entry.numbers:
        batch.add(entry, card["line"])
    else:
        batch.result.skip(card["line"], "This card has neither a name nor a number.")


def export_vcard(*, session: Session, member: Member) -> str:
    """Every contact of the workspace as vCard 3.0."""
    out, last = [], None
    while True:
        page = lookup.list_contacts_after(session=session, member=member, after=last)
        for c in page:
            out += [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"FN:{_escape(c.name)}",
                f"N:;{_escape(c.name)};;;",
            ]
            if c.company:
                out.append(f"ORG:{_escape(c.company)}")
            for p in c.phones:
                kind = re.sub(r"[^a-z0-9-]", "", p.label.lower())
                out.append(f"TEL;TYPE={kind}:{p.number}" if kind else f"TEL:{p.number}")
            if c.notes:
                out.append(f"NOTE:{_escape(c.notes)}")
            out.append("END:VCARD")
        if len(page) < lookup.PAGE:
            return "".join(_fold(line) for line in out)
        last = page[-1]


def _fold(line: str) -> str:
    """A content line in pieces of at most 75 characters, each continued with a space."""
    pieces = [line[:75]] + [line[i : i + 74] for i in range(75, len(line), 74)]
    return "\r\n ".join(pieces) + "\r\n"
