"""Use the CallPlatform API with nothing but httpx: log in, buy a number, place a
click-to-call, read the call log and this month's usage.

    CP_BASE_URL=http://127.0.0.1:3000 CP_EMAIL=you@example.com CP_PASSWORD=... \\
        python scripts/api_example.py --area-code 415 --to "+1 212 555 0123" \\
        --my-phone "+1 646 555 0142"

Register in the web app first. Any failure prints the API's error and exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid

import httpx


def check(response: httpx.Response) -> dict | list:
    if response.is_error:
        error = response.json().get("error", {}) if response.content else {}
        sys.exit(
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code} {error.get('code')}: {error.get('message')}"
        )
    return response.json() if response.content else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area-code", default="415")
    parser.add_argument("--to", default="+12125550123", help="who to call")
    parser.add_argument("--my-phone", default="+16465550142", help="your phone, rung first")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for the call")
    args = parser.parse_args()

    base = os.environ.get("CP_BASE_URL", "http://127.0.0.1:3000")
    with httpx.Client(base_url=base, timeout=30) as api:
        token = check(
            api.post(
                "/api/auth/token",
                json={"email": os.environ["CP_EMAIL"], "password": os.environ["CP_PASSWORD"]},
            )
        )
        api.headers["Authorization"] = f"Bearer {token['access_token']}"

        offers = check(
            api.get("/api/twilio/numbers/available", params={"area_code": args.area_code})
        )
        if not offers:
            sys.exit(f"No numbers available in area code {args.area_code}.")
        number = check(
            api.post(
                "/api/twilio/numbers",
                json={"phone_number": offers[0]["phone_number"], "friendly_name": "API example"},
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
        )
        print(f"bought {number['display']} (id {number['id']}, ${number['monthly_price']}/month)")

        call = check(
            api.post(
                "/api/twilio/call",
                json={
                    "from_number": number["phone_number"],
                    "to": args.to,
                    "my_phone": args.my_phone,
                },
            )
        )
        print(f"calling {args.my_phone} first, then {args.to} (call {call['id']})")

        deadline = time.monotonic() + args.wait
        while time.monotonic() < deadline:
            calls = check(api.get("/api/twilio/calls", params={"limit": 20}))["calls"]
            mine = [
                c
                for c in calls
                if c["id"] == call["id"] or c["parent_call_sid"] == call["call_sid"]
            ]
            if len(mine) == 2 and all(c["status"] == "completed" for c in mine):
                break
            time.sleep(1)
        else:
            sys.exit("The call did not finish in time.")
        print("call log:")
        for c in calls:
            print(
                f"  {c['started_at'][:19]}  {c['direction']:8} {c['from_number']} -> "
                f"{c['to_number']}  {c['status']:10} {c['duration_seconds'] or 0:>4}s  "
                f"{c['charge'] or 'pending'}"
            )

        usage = check(api.get("/api/twilio/usage"))
        print(
            f"usage {usage['month']}: total ${usage['total']} "
            f"({usage['call_minutes']} call minutes)"
        )
        for item in usage["by_kind"]:
            print(f"  {item['key']:16} ${item['charge']}")


if __name__ == "__main__":
    main()
