"""Pages of a list, and GOV.UK pagination links that keep the rest of the query string
(the filters) as they are."""

from django.core.paginator import Page, Paginator
from django.http import QueryDict


class CountedPaginator(Paginator):
    """A paginator told the number of items, when the page already counted them (the RAG
    counts add up to it), so that it does not run a COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self):
        return self._count


def query_with(query: QueryDict, **changes) -> str:
    """The query string `query` with `changes` made: a value replaces the parameter, None
    removes it."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def pagination(
    page: Page, query: QueryDict, *, param: str = "page", anchor: str = ""
) -> dict | None:
    """What templates/actions/includes/plan_pagination.html needs, or None for one page.
    `param` is the query parameter that holds the page number (a page with two paged lists
    gives each its own), and `anchor` the id of the list on the page, which the links go to."""
    if page.paginator.num_pages <= 1:
        return None
    fragment = f"#{anchor}" if anchor else ""

    def href(number: int) -> str:
        return query_with(query, **{param: str(number)}) + fragment

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "previous": href(page.number - 1) if page.has_previous() else "",
        "next": href(page.number + 1) if page.has_next() else "",
        "items": items,
    }
