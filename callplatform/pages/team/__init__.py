"""The Team page: members and roles, invitations, new workspaces."""

from callplatform.pages.team.page import team_page
from callplatform.pages.team.state import TeamState

__all__ = ["TeamState", "team_page"]
