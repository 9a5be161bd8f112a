"""Telephony: the only package that imports `twilio`.

`client` builds SDK clients (pointed at Twilio, the built-in sandbox or a mock server),
`gateway` is the operations the app performs, `errors` turns SDK failures into
`TelephonyError`, `signatures` checks webhook signatures, `types` holds the values
handed back. Callers import from those modules; nothing here is re-exported so that
importing the package stays cheap.
"""
