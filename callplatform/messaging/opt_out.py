"""What a recipient's reply means, read as Twilio reads it, and Twilio's delivery errors
in words.

Twilio's default keywords on long codes and toll-free numbers (its Advanced Opt-Out
guide and error 23002 list them): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, and
since the FCC's revocation rule REVOKE and OPTOUT, opt the sender out; START, YES, UNSTOP
opt them back in; HELP, INFO ask for help. Only a message that is the keyword alone
counts ("STOP PLEASE" and "PLEASE CANCEL" do not), in any case. Twilio says nothing of
punctuation: "Stop." and " stop! " are read as the keyword here, because treating an
intended opt-out as a message would keep texting someone who asked us not to, while the
other mistake only refuses sends until they text START.
"""

from __future__ import annotations

import string
from enum import Enum


class Keyword(Enum):
    OPT_OUT = "opt-out"
    OPT_IN = "opt-in"
    HELP = "help"


OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})

# Around the word, not inside it: "STOP-ALL" or "STOP ALL" is not a keyword.
_SURROUNDING = string.whitespace + string.punctuation + "\u00a0¡¿…“”‘’«»"


def classify(body: str | None) -> Keyword | None:
    """The keyword an inbound message is, or None for an ordinary message."""
    if not body:
        return None
    word = body.strip(_SURROUNDING).upper()
    if word in OPT_OUT_WORDS:
        return Keyword.OPT_OUT
    if word in OPT_IN_WORDS:
        return Keyword.OPT_IN
    if word in HELP_WORDS:
        return Keyword.HELP
    return None


# Twilio's meanings (https://www.twilio.com/docs/api/errors/<code>), said for the person
# who sent the message: what happened and what they can do.
_ERROR_WORDS: dict[int, str] = {
    30003: "Not delivered: the recipient's phone is unreachable (switched off or out of "
    "coverage). Try again later.",
    30005: "Not delivered: the number is unknown or no longer in service. Check the number.",
    30006: "Not delivered: the number is a landline or can't receive text messages. "
    "Call it instead.",
    30007: "Not delivered: the recipient's carrier filtered it as unwanted. Change the "
    "wording, avoid link shorteners, and make sure the number is registered for business "
    "texting.",
    30008: "Not delivered: the carrier reported an unknown error. Try again later.",
    30034: "Not delivered: US carriers block texts from numbers not registered for A2P "
    "10DLC. The number's business and campaign must be registered first.",
    21610: "Not sent: the recipient replied STOP to this number and has opted out. They "
    "can text START to receive messages again.",
    21408: "Not sent: texting that country or region is not enabled for this account.",
}
_FALLBACK = "Not delivered: the phone network did not say why. Try again later."


def error_words(code: int | str | None) -> str:
    """A sentence for a message that failed with Twilio error `code`."""
    try:
        return _ERROR_WORDS.get(int(code), _FALLBACK)
    except (TypeError, ValueError):  # None, "", or not a number: Twilio gave no code
        return _FALLBACK
