"""cspplan.display's helpers as template filters, built into every template (settings'
TEMPLATES builtins), so that a page shows a date as the pack and the history do:

{{ update.date|show_date }}  {{ action.last_update|short_date }}  {{ change.when|show_when }}
"""

from django import template

from cspplan import display

register = template.Library()

register.filter("show_date", display.show_date)
register.filter("short_date", display.short_date)
register.filter("show_when", display.show_when)
