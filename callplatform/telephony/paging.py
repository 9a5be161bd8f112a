"""Bounded reading of Twilio list endpoints.

The SDK's `.list()` follows `next_page_uri` until it runs out of pages or reaches
`limit` records. A server that keeps answering with a next page and no records (a
mock replaying a static example, or a misbehaving proxy) would make it loop forever,
so the gateway reads pages itself with a cap on both records and pages.
"""

from __future__ import annotations

from typing import Any

MAX_PAGE_SIZE = 1000  # Twilio's largest PageSize.
MAX_PAGES = 50


def page_size_for(limit: int) -> int:
    """The PageSize to ask for when `limit` records are wanted."""
    return max(1, min(limit, MAX_PAGE_SIZE))


def collect(first_page: Any, *, limit: int, max_pages: int = MAX_PAGES) -> list[Any]:
    """Up to `limit` records from `first_page` and the pages after it (at most `max_pages`)."""
    records: list[Any] = []
    page, pages_read = first_page, 0
    while page is not None and limit > 0:
        pages_read += 1
        for record in page:
            records.append(record)
            if len(records) >= limit:
                return records
        if pages_read >= max_pages:
            break
        page = page.next_page()
    return records
