"""Every page route of the UI, in one place."""

LOGIN = "/login"
REGISTER = "/register"
DASHBOARD = "/"
NUMBERS = "/numbers"
CALLS = "/calls"
CALL_DETAIL = "/calls/[call_id]"
RECORDINGS = "/recordings"
USAGE = "/usage"
SETTINGS = "/settings"
ADMIN = "/admin"

PUBLIC = {LOGIN, REGISTER}
