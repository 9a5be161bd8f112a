"""Small view models the pages hold in state. No ORM row ever reaches the browser."""

from __future__ import annotations

import dataclasses

from callplatform.common.phone_format import display
from callplatform.messaging import senders
from callplatform.models import UserPhoneNumber
from callplatform.numbers.inventory import AvailableNumber


def capabilities(voice: bool, sms: bool, mms: bool) -> list[str]:
    return [name for name, on in (("Voice", voice), ("SMS", sms), ("MMS", mms)) if on]


@dataclasses.dataclass
class NumberView:
    id: int = 0
    phone_number: str = ""
    display: str = ""
    friendly_name: str = ""
    capabilities: list[str] = dataclasses.field(default_factory=list)
    monthly_price: str = ""
    record_calls: bool = False
    purchased_at: str = ""
    texting_needs: str = ""  # what the number lacks to text the US ("" if nothing)
    assignees: str = ""  # whom it is assigned to, for a team's admins and owners only

    @classmethod
    def of(cls, row: UserPhoneNumber) -> NumberView:
        return cls(
            id=row.id,
            phone_number=row.phone_number,
            display=display(row.phone_number),
            friendly_name=row.friendly_name,
            capabilities=capabilities(row.voice_capable, row.sms_capable, row.mms_capable),
            monthly_price=f"${row.monthly_price:.2f}/mo" if row.monthly_price is not None else "",
            record_calls=row.record_calls,
            purchased_at=row.purchased_at.isoformat(),
            texting_needs=senders.us_texting_needs(row),
        )


@dataclasses.dataclass
class OfferView:
    phone_number: str = ""
    display: str = ""
    place: str = ""
    capabilities: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, offer: AvailableNumber) -> OfferView:
        place = ", ".join(part for part in (offer.locality, offer.region) if part)
        return cls(
            phone_number=offer.phone_number,
            display=display(offer.phone_number),
            place=place,
            capabilities=capabilities(offer.voice, offer.sms, offer.mms),
        )
