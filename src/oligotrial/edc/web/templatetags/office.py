"""A query's conversation as the site reads it: the office's messages and the site's
answers, oldest first, from what the page has already read (no database query)."""

from __future__ import annotations

from typing import Any

from django import template

from oligotrial.edc.services.office_queries import Entry

register = template.Library()


@register.simple_tag
def conversation(query: Any) -> list[Entry]:
    office = [Entry(m.written_at, m.author, m.text, "office") for m in query.messages.all()]
    site = [Entry(a.answered_at, a.answered_by, a.text, "site") for a in query.answers.all()]
    return sorted(office + site, key=lambda e: e.at)
