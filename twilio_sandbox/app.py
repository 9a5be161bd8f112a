"""The sandbox's ASGI app: Twilio's REST paths (mounted by the app at /_sandbox/twilio)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from twilio_sandbox import database
from twilio_sandbox import routes_accounts as acc
from twilio_sandbox import routes_calls as calls
from twilio_sandbox import routes_conferences as confs
from twilio_sandbox import routes_messages as msgs
from twilio_sandbox import routes_numbers as nums
from twilio_sandbox import routes_services as svc

A = "/2010-04-01/Accounts/{sid}"
GET, POST, ANY = ["GET"], ["POST"], ["GET", "POST", "DELETE"]


def build_sandbox_app() -> Starlette:
    database.get_engine()  # its tables exist from the moment it is mounted
    return Starlette(
        routes=[
            Route("/2010-04-01/Accounts.json", acc.create_account, methods=POST),
            Route("/2010-04-01/Accounts.json", acc.list_accounts, methods=GET),
            Route(A + ".json", acc.account, methods=["GET", "POST"]),
            Route(A + "/AvailablePhoneNumbers/{country}/{kind}", nums.available, methods=GET),
            Route(A + "/IncomingPhoneNumbers.json", nums.incoming_numbers, methods=["GET", "POST"]),
            Route(A + "/IncomingPhoneNumbers/Local.json", nums.incoming_numbers, methods=POST),
            Route(A + "/IncomingPhoneNumbers/TollFree.json", nums.incoming_numbers, methods=POST),
            Route(A + "/IncomingPhoneNumbers/{pn}.json", nums.incoming_number, methods=ANY),
            Route(A + "/Applications.json", acc.applications, methods=["GET", "POST"]),
            Route(A + "/Applications/{ap}.json", acc.application, methods=ANY),
            Route(A + "/Keys.json", acc.api_keys, methods=POST),
            Route(A + "/Usage/Records.json", acc.usage_records, methods=GET),
            Route(A + "/Calls.json", calls.calls, methods=["GET", "POST"]),
            Route(A + "/Calls/{ca}.json", calls.call, methods=["GET", "POST"]),
            Route(A + "/Calls/{ca}/Recordings.json", calls.recordings, methods=GET),
            Route(A + "/Recordings.json", calls.recordings, methods=GET),
            Route(A + "/Recordings/{re}", calls.recording, methods=["GET", "DELETE"]),
            Route(A + "/Conferences.json", confs.conference_list, methods=GET),
            Route(A + "/Conferences/{cf}.json", confs.conference, methods=["GET", "POST"]),
            Route(
                A + "/Conferences/{cf}/Participants.json",
                confs.participant_list,
                methods=["GET", "POST"],
            ),
            Route(A + "/Conferences/{cf}/Participants/{ca}.json", confs.participant, methods=ANY),
            Route(A + "/Messages.json", msgs.messages, methods=["GET", "POST"]),
            Route(A + "/Messages/{ms}.json", msgs.message, methods=ANY),
            Route(A + "/Messages/{mm}/Media.json", msgs.media_list, methods=GET),
            Route(A + "/Messages/{mm}/Media/{me}", msgs.media_item, methods=["GET", "DELETE"]),
            Route("/v1/PhoneNumbers/Countries/{iso}", nums.pricing, methods=GET),
            Route("/v1/Messaging/Countries/{iso}", svc.messaging_prices, methods=GET),
            Route("/v1/Services", svc.services, methods=["GET", "POST"]),
            Route("/v1/Services/{mg}", svc.service, methods=GET),
            Route("/v1/Services/{mg}/PhoneNumbers", svc.service_numbers, methods=["GET", "POST"]),
            Route(
                "/sandbox/Accounts/{sid}/Clients/{identity}/Calls.json",
                calls.device_connect,
                methods=POST,
            ),
            Route("/sandbox/Accounts/{sid}/Calls/{ca}/{action}", calls.device_action, methods=POST),
            Route("/sandbox/Accounts/{sid}/IncomingCalls.json", calls.incoming_call, methods=POST),
            Route(
                "/sandbox/Accounts/{sid}/IncomingMessages.json",
                msgs.incoming_message,
                methods=POST,
            ),
        ]
    )
