"""Which of a workspace's parties (numbers its calls were from or to) hold some digits: one
range of `call_party_digits` (kept by triggers, models/call_search.py), exact, and empty
at once when nothing matches."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.models import CallPartyDigits

# The call log walks the calls of each matching party (two walks each: from, to); past
# this many parties it walks the filters' own index and checks the digits on each row.
MAX_PARTIES = 16
# A party holds the digits once per place they occur: rows read before giving up.
MAX_ROWS = MAX_PARTIES * 8


def digits_after(digits: str) -> str | None:
    """The least digit string above every one that starts with `digits` ("0199" ->
    "02"); None when there is none ("99"). Digit strings compare alike in every
    collation, which a bound like "019:" would not."""
    kept = digits.rstrip("9")
    return kept[:-1] + str(int(kept[-1]) + 1) if kept else None


def matching_parties(*, session: Session, workspace_id: int, digits: str) -> list[str] | None:
    """The workspace's parties whose number holds `digits` (a digit string), or None when
    there are more than MAX_PARTIES."""
    query = select(CallPartyDigits.number).where(
        CallPartyDigits.workspace_id == workspace_id, col(CallPartyDigits.digits) >= digits
    )
    upper = digits_after(digits)
    if upper is not None:
        query = query.where(col(CallPartyDigits.digits) < upper)
    rows = session.exec(query.limit(MAX_ROWS)).all()
    parties = sorted(set(rows))
    if len(rows) == MAX_ROWS or len(parties) > MAX_PARTIES:
        return None
    return parties
