"""The roll-over pages' filters: who did it, as the change history names them."""

from django import template

from cspplan import display

register = template.Library()

register.filter("user_name", display.user_name)
