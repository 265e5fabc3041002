"""Whether the navigation shows the audit log: to the site's superusers, the only people it
opens for (anyone else is told it is not found)."""

from django import template

from actions.permissions import sees_everything

register = template.Library()
register.filter("reads_audit_log", sees_everything)
