"""The demo's roll-over: the Barking & Dagenham 2021/22 VRU plan rolled into a 2022/23 Draft
by the feature itself (`rollover_create`), not taken from a seed. `load_demo` calls it after
loading the seed plans."""

from actions.models import Plan
from rollover import services
from rollover.models import Rollover

DEMO_PLAN = "bd-vru-2021-22"


def load_demo_rollover(*, user) -> tuple[str, int] | None:
    """Roll the demo plan over into next year's Draft, once: (what, how many records were
    made), or None where the demo plan is not loaded. Its period is the plan's own 11
    December to 10 December cycle a year on, its title and slug the old ones a year on.
    A roll-over made already (draft or activated) is left as it is."""
    plan = Plan.objects.filter(slug=DEMO_PLAN).first()
    if plan is None:
        return None
    slug = services.suggested_slug(plan)
    what = f"demo roll-over of {plan.slug} into {slug}"
    if Rollover.objects.filter(old_plan=plan).exclude(state=Rollover.State.UNDONE).exists():
        return what, 0
    start, end = services.next_period(plan)
    rollover = services.rollover_create(
        plan=plan,
        user=user,
        title=services.suggested_title(plan),
        slug=slug,
        start=start,
        end=end,
    )
    new_plan = rollover.new_plan
    made = 2 + new_plan.themes.count() + new_plan.senior_leaders.count()
    return what, made + sum(theme.actions.count() for theme in new_plan.themes.all())
