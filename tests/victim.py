"""The victim's data as the database holds it, for the isolation suites.

- `owned_rows`: every row of every table (the sandbox's too) that is the victim's: their
  user row, rows pointing at it or at their rows (foreign keys, followed), and rows naming
  one of their Twilio SIDs. Found from the schema, so a new table is covered the day it
  lands. `changes` compares two snapshots byte for byte.
- `Markers`: the strings that would betray the victim (SIDs, numbers in E.164 and as
  displayed, names, emails, hashes, their ids as URLs render them), read from those rows,
  minus anything the other users' rows also hold (shared vocabulary is no leak).
Everything a client received is searched as text: `tests/as_text.py`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import SQLModel

from callplatform.common.phone_format import display

# Security counters keyed by whatever anyone typed (an email): others' failed logins on
# the victim's account count there by design.
NOT_OWNED = {"login_throttles"}
_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}:\d{2}")
_WORDS = re.compile(r"[a-z0-9_.\- ]*|[A-Z]{2,3}|[-+]?[\d.,$ ]*")  # vocabulary, numbers
_US = re.compile(r"\+1\d{10}")
# Where a page or the API puts an id in a URL (kind: the table the id belongs to).
URL_FORMS = {
    "twilio_calls": ["/calls/{}"],
    "twilio_recordings": ["/recordings/{}/media", "recording-{}.wav"],
    "user_phone_numbers": ["/numbers/{}"],
    "conversations": ["/conversations/{}"],
    "users": ["?user={}", "&user={}"],
}


def owned_rows(session, user_id: int) -> dict[str, dict[str, dict[str, str]]]:
    """{table: {primary key: {column: value rendered}}} of everything that is the user's."""
    return {
        name: {pk: {k: repr(v) for k, v in row.items()} for pk, row in rows.items()}
        for name, rows in _owned(session, user_id).items()
    }


def _owned(session, user_id: int) -> dict[str, dict[str, dict]]:
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in NOT_OWNED]
    found: dict[str, dict] = {}
    sids: set[str] = set()
    for _ in range(3):  # SIDs found in one pass lead to rows in the next
        before = (sum(len(r) for r in found.values()), len(sids))
        for table in tables:
            conds = _ownership(table, user_id, found, sids)
            if not conds:
                continue
            for row in session.execute(sa.select(table).where(sa.or_(*conds))).mappings():
                key = repr(tuple(row[c.name] for c in table.primary_key.columns))
                found.setdefault(table.name, {})[key] = dict(row)
                sids.update(s for s in _strings(dict(row)) if _SID.fullmatch(s))
        if (sum(len(r) for r in found.values()), len(sids)) == before:
            break
    return found


def _ownership(table, user_id: int, found: dict, sids: set[str]) -> list:
    conds = [table.c.id == user_id] if table.name == "users" else []
    for col in table.columns:
        for fk in col.foreign_keys:
            target = fk.column.table.name
            if target == "users":
                conds.append(col == user_id)
            elif found.get(target):
                ids = [row[fk.column.name] for row in found[target].values()]
                conds.append(col.in_(ids))
        if sids and isinstance(col.type, sa.String) and (col.type.length or 99) <= 64:
            conds.append(col.in_(sorted(sids)))
    return conds


def anyone_may_add(table: str, row: dict[str, str]) -> bool:
    """Rows about the victim anyone may cause: failed logins on their account are audited."""
    return table == "audit_events" and row.get("action", "").startswith("'login.")


def changes(before: dict, after: dict, may_grow=anyone_may_add) -> list[str]:
    """What differs between two `owned_rows` snapshots (rows that may appear: allowed)."""
    out = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, {}), after.get(table, {})
        for pk in sorted(set(old) | set(new)):
            was, now = old.get(pk), new.get(pk)
            if was == now or (was is None and may_grow(table, now)):
                continue
            if was is None or now is None:
                out.append(f"{table} {pk} {'added' if was is None else 'deleted'}: {was or now}")
            else:
                diff = {
                    k: f"{was.get(k)} -> {now.get(k)}"
                    for k in was | now
                    if was.get(k) != now.get(k)
                }
                out.append(f"{table} {pk} changed: {diff}")
    return out


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple | set):
        for v in value:
            yield from _strings(v)


def _distinctive(text: str) -> bool:
    if _US.fullmatch(text) or re.fullmatch(r"\+\d{8,15}", text):
        return True
    return len(text) >= 6 and not _WORDS.fullmatch(text) and not _DATE.search(text)


def _forms(text: str) -> set[str]:
    forms = {text}
    if _US.fullmatch(text):
        shown = display(text)  # +1 (415) 555-0100
        d = text[2:]
        forms |= {shown, shown[3:], d, f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}"}
    return forms


@dataclasses.dataclass
class Markers:
    """Families of strings (one value and the ways it is written) that betray the victim."""

    families: dict[str, set[str]]

    @classmethod
    def of(cls, session, victim_id: int, other_ids: Iterable[int]) -> Markers:
        theirs = _owned(session, victim_id)
        others = "\n".join(
            s
            for uid in other_ids
            for rows in _owned(session, uid).values()
            for row in rows.values()
            for s in _strings(row)
        )
        values = {
            s
            for rows in theirs.values()
            for row in rows.values()
            for s in _strings(row)
            if _distinctive(s)
        }
        families = {v: _forms(v) for v in values if v not in others}
        for table, forms in URL_FORMS.items():
            for pk in theirs.get(table, {}):
                ident = re.sub(r"\D", "", pk)
                families[f"{table}#{ident}"] = {form.format(ident) for form in forms}
        return cls(families)

    def __post_init__(self):
        self._family = {f: name for name, fs in self.families.items() for f in fs}
        self._pattern = re.compile(_trie_pattern(self._family) or "(?!)")
        self._seen: dict[str, set[str]] = {}

    def _hits(self, text: str) -> set[str]:
        if text not in self._seen:  # many answers are alike (refusals, empty pages)
            self._seen[text] = {self._family[m.group(0)] for m in self._pattern.finditer(text)}
        return self._seen[text]

    def found_in(self, text: str, given: str = "") -> list[str]:
        """The families showing in `text`, except those in `given` (what the caller sent
        in: echoing one's own input back is not a leak)."""
        return sorted(self._hits(text) - self._hits(given))

    def strings(self) -> list[str]:
        return sorted(self.families)


def _trie_pattern(forms) -> str:
    """One regex for many strings that stays fast (a trie, not a flat alternation); a
    form starting or ending with a digit matches only where the digits do."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = form[-1].isdigit()

    def alternatives(node: dict, top: bool) -> str:
        alts = [
            ("(?<![0-9])" if top and ch.isdigit() else "")
            + re.escape(ch)
            + alternatives(sub, False)
            for ch, sub in sorted(node.items())
            if ch
        ]
        if "" in node:
            alts.append("(?![0-9])" if node[""] else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return alternatives(trie, True) if trie else ""
