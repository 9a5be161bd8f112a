"""The one rounding rule for money a person reads: a month's figures to the cent.

The ledger keeps exact amounts (five places). What a user is billed is the exact total
rounded half-up to the cent, once; rounding each line first and adding would let many
sub-cent calls drift the bill by cents. Every breakdown shown beside that total (by kind,
by number, by member, by day, Twilio + platform) is the total apportioned by largest remainder: each
part is floored to the cent and the cents left over go to the parts with the largest
remainders, so the parts shown always add up to the total shown, as an accountant
allocating a total expects. The API keeps the exact amounts, which add up exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from callplatform.billing.ledger import CENT, round_to_cent
from callplatform.billing.usage import UsageSummary

NO_NUMBER = "Not tied to a number"
NUMBER_FEES = "Number fees"  # the by-member line of what is nobody's call: numbers' fees


def apportion(parts: list[Decimal]) -> list[Decimal]:
    """The parts rounded to the cent so that they add up to their exact sum, rounded."""
    target = round_to_cent(sum(parts, Decimal(0)))
    shown = [p.quantize(CENT, rounding=ROUND_FLOOR) for p in parts]
    left = int((target - sum(shown, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: (shown[i] - parts[i], i))
    for i in by_remainder[:left]:
        shown[i] += CENT
    return shown


@dataclass
class ShownUsage:
    """A month's usage as a page shows it: every figure to the cent, every breakdown
    adding up to `total`."""

    total: Decimal
    twilio_cost: Decimal
    markup: Decimal
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    by_number: list[tuple[str, Decimal]] = field(default_factory=list)
    by_member: list[tuple[str, Decimal]] = field(default_factory=list)
    daily: list[tuple[str, Decimal]] = field(default_factory=list)


def _keyed(pairs: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    return list(zip([k for k, _ in pairs], apportion([v for _, v in pairs]), strict=True))


def _members_then_fees(by_member: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Each member's line as it came, then one line of what is nobody's call."""
    fees = sum((v for name, v in by_member if not name), Decimal(0))
    members = [(name, v) for name, v in by_member if name]
    return members + ([(NUMBER_FEES, fees)] if fees else [])


def shown_usage(summary: UsageSummary) -> ShownUsage:
    twilio, markup = apportion([summary.twilio_cost, summary.total - summary.twilio_cost])
    by_number = list(summary.by_number)
    rest = summary.total - sum((v for _, v in by_number), Decimal(0))
    if rest > 0:  # items not tied to a number: a line of their own, so the list adds up
        by_number.append((NO_NUMBER, rest))
    return ShownUsage(
        total=round_to_cent(summary.total),
        twilio_cost=twilio,
        markup=markup,
        by_kind=dict(_keyed(list(summary.by_kind.items()))),
        by_number=_keyed(by_number),
        by_member=_keyed(_members_then_fees(summary.by_member)),
        daily=_keyed(list(summary.daily)),
    )
