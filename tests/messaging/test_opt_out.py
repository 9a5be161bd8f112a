"""Opt-out, opt-in and help keywords as Twilio reads them, and delivery errors in words."""

from __future__ import annotations

import pytest

from callplatform.messaging.opt_out import Keyword, classify, error_words


@pytest.mark.parametrize(
    "body",
    ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"],
)
def test_twilios_opt_out_keywords(body):
    assert classify(body) is Keyword.OPT_OUT
    assert classify(body.lower()) is Keyword.OPT_OUT
    assert classify(body.capitalize()) is Keyword.OPT_OUT


@pytest.mark.parametrize("body", ["START", "YES", "UNSTOP", "start", "Yes", "unStop"])
def test_twilios_opt_in_keywords(body):
    assert classify(body) is Keyword.OPT_IN


@pytest.mark.parametrize("body", ["HELP", "INFO", "help", "Info"])
def test_twilios_help_keywords(body):
    assert classify(body) is Keyword.HELP


@pytest.mark.parametrize(
    "body",
    ["  stop  ", "\nSTOP\r\n", "Stop.", "stop!", "¡Stop!", "“STOP”", "\tquit ?", "Stop\u00a0"],
)
def test_surrounding_whitespace_and_punctuation_are_ignored(body):
    assert classify(body) is Keyword.OPT_OUT


@pytest.mark.parametrize(
    "body",
    [
        "STOP PLEASE",  # Twilio's own examples: only a message that is the word alone
        "PLEASE CANCEL",
        "STOP ALL",
        "STOP-ALL",
        "stops",
        "unstoppable",
        "don't stop",
        "",
        None,
        "   ",
        "...",
        "Hi, can we meet at the end?",
        "yes please",
        "help me",
        "XSTOP",  # letters around a keyword make another word: only punctuation is stripped
        "STOPX",
    ],
)
def test_other_messages_are_ordinary(body):
    assert classify(body) is None


def test_keywords_are_named_by_stable_words():
    # What the product stores and shows for a keyword reply.
    assert [classify(w).value for w in ("STOP", "START", "HELP")] == ["opt-out", "opt-in", "help"]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (30003, "unreachable"),
        (30005, "unknown"),
        (30006, "landline"),
        (30007, "filtered"),
        (30008, "unknown error"),
        (21610, "opted out"),
        (21408, "not enabled"),
        (30034, "A2P 10DLC"),
        ("30006", "landline"),  # as a status callback's form value carries it
    ],
)
def test_error_words(code, words):
    sentence = error_words(code)
    assert words in sentence
    assert sentence.startswith("Not ") and sentence.endswith(".") and sentence != error_words(None)


@pytest.mark.parametrize("code", [None, "", 99999, "not a code", 30001])
def test_unknown_errors_get_the_general_sentence(code):
    assert error_words(code) == error_words(None)
    assert error_words(code).startswith("Not delivered")
