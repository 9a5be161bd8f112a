"""Contacts: the workspace's people by name, and the numbers that name them.

Owns who a contact is (name, company, notes, numbers with labels), finding them (by
name, company or digits), the one-click contact from a number seen in a call or a
thread, CSV import and export (`csv_io`), and `names_for`: the names that replace
numbers in the call log, the incoming-call banner and message threads.

Contacts belong to the workspace: every member sees and may add or edit them; deleting
one is for the workspace's admins and owners, and for the member who added it (a
contact other people rely on is not one member's to remove). A number names at most
one contact per workspace; another workspace's contacts are "not found"."""
