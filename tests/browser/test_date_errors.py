"""A date with one wrong box outlines that box alone, as GOV.UK's date input does; a date
wrong as a whole outlines all three."""

from django.urls import reverse

from tests.browser.pages import sign_in_quickly, visit

BOXES = ("day", "month", "year")


def border_colours(page) -> dict[str, str]:
    return {
        name: page.locator(f"#id_not_updated_since_{index}").evaluate(
            "box => getComputedStyle(box).borderTopColor"
        )
        for index, name in enumerate(BOXES)
    }


def test_only_the_wrong_box_of_a_date_is_outlined(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.officer)
    url = reverse("actions:plan-detail", args=[plan_world.plan.slug])

    visit(page, url, "date-fine")
    plain = border_colours(page)["day"]
    visit(page, url + "?not_updated_since_0=1&not_updated_since_2=2022", "date-no-month")
    colours = border_colours(page)
    assert colours["day"] == colours["year"] == plain
    assert colours["month"] != plain

    visit(
        page,
        url + "?not_updated_since_0=1&not_updated_since_1=2&not_updated_since_2=22",
        "date-short-year",
    )
    colours = border_colours(page)
    assert colours["day"] == colours["month"] == plain
    assert colours["year"] != plain

    visit(
        page,
        url + "?not_updated_since_0=31&not_updated_since_1=2&not_updated_since_2=2022",
        "date-not-real",
    )
    assert plain not in border_colours(page).values()
