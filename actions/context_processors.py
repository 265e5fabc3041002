"""What every page's template needs to know about the signed-in user."""

from actions.permissions import may_use_admin


def navigation(request) -> dict:
    # Asked only by a page that shows the menu (a template calls the function).
    return {"may_use_admin": lambda: may_use_admin(request.user)}
