"""Whether the navigation shows the audit log: to administrators, the only people it opens
for (anyone else is told it is not found)."""

from django import template

from actions.permissions import is_administrator

register = template.Library()
register.filter("reads_audit_log", is_administrator)
