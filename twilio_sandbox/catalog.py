"""Numbers the sandbox offers: fictional (NPA-555-01XX) but well-formed, for any area
code asked, deterministic, minus those already owned."""

from __future__ import annotations

import fnmatch

TOLL_FREE_PREFIXES = ("800", "833", "844", "855", "866", "877", "888")
REGIONS = {
    "415": ("San Francisco", "CA"),
    "212": ("New York", "NY"),
    "310": ("Los Angeles", "CA"),
    "312": ("Chicago", "IL"),
    "617": ("Boston", "MA"),
    "206": ("Seattle", "WA"),
    "416": ("Toronto", "ON"),
    "604": ("Vancouver", "BC"),
}
CANADIAN = {
    "204",
    "226",
    "236",
    "249",
    "250",
    "289",
    "306",
    "343",
    "365",
    "403",
    "416",
    "418",
    "431",
    "437",
    "438",
    "450",
    "506",
    "514",
    "519",
    "548",
    "579",
    "581",
    "587",
    "604",
    "613",
    "639",
    "647",
    "672",
    "705",
    "709",
    "778",
    "780",
    "782",
    "807",
    "819",
    "825",
    "867",
    "873",
    "902",
    "905",
}


def friendly(e164: str) -> str:
    digits = e164[-10:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _matches(e164: str, contains: str | None) -> bool:
    """Twilio's Contains: digits and '*' wildcards, anywhere in the national number."""
    if not contains:
        return True
    pattern = contains.lstrip("+")
    return fnmatch.fnmatchcase(e164.lstrip("+"), f"*{pattern.replace('*', '?')}*")


def offers(
    *,
    country: str,
    area_code: str | None,
    contains: str | None,
    toll_free: bool,
    owned: set[str],
    limit: int,
) -> list[dict]:
    prefixes = TOLL_FREE_PREFIXES if toll_free else ((area_code,) if area_code else ("415",))
    if not toll_free and country == "CA" and not area_code:
        prefixes = ("416",)
    found = []
    for npa in prefixes:
        if toll_free and area_code and npa != area_code:
            continue
        for line in range(100, 200):
            e164 = f"+1{npa}555{line:04d}"
            if e164 in owned or not _matches(e164, contains):
                continue
            city, region = REGIONS.get(npa, ("", "")) if not toll_free else ("", "")
            found.append(
                {
                    "friendly_name": friendly(e164),
                    "phone_number": e164,
                    "lata": None,
                    "locality": city or None,
                    "rate_center": None,
                    "latitude": None,
                    "longitude": None,
                    "region": region or None,
                    "postal_code": None,
                    "iso_country": "CA" if npa in CANADIAN else "US",
                    "address_requirements": "none",
                    "beta": False,
                    "capabilities": {
                        "voice": True,
                        "SMS": not toll_free,
                        "MMS": not toll_free,
                        "fax": False,
                    },
                }
            )
            if len(found) >= limit:
                return found
    return found
