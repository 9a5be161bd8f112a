"""Every page route of the UI, in one place."""

LOGIN = "/login"
REGISTER = "/register"
DASHBOARD = "/"
NUMBERS = "/numbers"
NUMBER_ROUTING = "/numbers/[number_id]/routing"
CALLS = "/calls"
CALL_DETAIL = "/calls/[call_id]"
RECORDINGS = "/recordings"
CONTACTS = "/contacts"
MESSAGES = "/messages"
MESSAGE_NEW = "/messages/new"
MESSAGE_THREAD = "/messages/[conversation_id]"
USAGE = "/usage"
SETTINGS = "/settings"
TEAM = "/team"
ADMIN = "/admin"
# An invitation's link (workspaces/invitations.INVITE_PATH): open to visitors, who are
# sent on to register or log in and brought back here.
INVITE = "/invite/[token]"

PUBLIC = {LOGIN, REGISTER, INVITE}

# Where a login may send the browser on: our own pages only, by path.
_NOT_PAGES = ("/api/", "/_", "/login", "/register")


def safe_next(path: str | None) -> str:
    """`path` if it is a same-site page path (like "/calls/2?page=2"), else the dashboard:
    never another host ("//evil", "/\\evil", "https://..."), never an API route."""
    path = path or ""
    if (
        not path.startswith("/")
        or path.startswith("//")
        or len(path) > 512
        or any(ch == "\\" or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in path)
        or any(path == p.rstrip("/") or path.startswith(p) for p in _NOT_PAGES)
    ):
        return DASHBOARD
    return path
