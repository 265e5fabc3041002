"""Whether the navigation shows the VRU view: to the VRU role, the only one it opens for
(anyone else is told it is not found)."""

from django import template

from actions.permissions import may_use_vru_view

register = template.Library()
register.filter("uses_vru_view", may_use_vru_view)
