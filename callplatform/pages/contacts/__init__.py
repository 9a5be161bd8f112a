"""The Contacts page: the workspace's people, by name."""

from callplatform.pages.contacts.page import contacts_page
from callplatform.pages.contacts.state import ContactsState

__all__ = ["ContactsState", "contacts_page"]
