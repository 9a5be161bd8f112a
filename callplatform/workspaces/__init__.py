"""Workspaces: the tenant a team shares.

A workspace owns the Twilio subaccount and the numbers; its members act in it in a role
(owner, admin, member), and members see the numbers assigned to them. Every user gets a
personal workspace at sign-up, so a solo user is a workspace of one and notices nothing.

- `membership`: making personal workspaces, which workspaces a user belongs to, the one
  a login starts in;
- `access`: the acting member (who, where, in which role, with which numbers), resolved on
  the server for every request.
"""
