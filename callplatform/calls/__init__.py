"""Placing and receiving calls: the voice webhook's TwiML, browser calls, click-to-call,
destination rules, Voice SDK tokens, presence."""
