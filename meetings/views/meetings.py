"""A board's meetings: the meetings page with the forward plan, a meeting's page (agenda
with its running clock, attendance, minutes, actions raised and matters arising), the
action log, the printable agenda, and the managers' forms.

Who may do what is meetings.permissions': a board or meeting the user may not see, and a
marked item, action or standing item they may not see, is "not found", so that its
existence is not revealed; a meeting they may see but not manage gives 403 on the managers'
forms, for GET and POST alike, as the action update form does, and a refused POST writes
nothing. Marked items are left out of every list and count for those who may not see them:
to them the others do not exist. The running clock alone counts every item, so that each
reader sees the real start times (selectors.start_times): the gap it leaves is the gap the
item numbers already show, and nothing of the hidden item is said.
"""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Marking
from actions.permissions import visible_boards
from actions.selectors import highest
from boards.models import Board, Person
from cspplan import clock
from cspplan.display import show_date, user_name
from meetings import permissions, selectors, services
from meetings.forms import (
    AttendanceForm,
    AttendancePeopleForm,
    ItemForm,
    MeetingActionForm,
    MeetingForm,
    MinutesForm,
)
from meetings.models import HELD_STATUSES, OUTSTANDING, AgendaItem, Meeting, MeetingAction

ActionStatus = MeetingAction.Status
# The buttons a manager has for an earlier meeting's action: what each sets.
ACTION_BUTTONS = [
    (ActionStatus.COMPLETED, "Complete"),
    (ActionStatus.CLOSED, "Close"),
    (ActionStatus.CARRIED_FORWARD, "Carry forward"),
]


# ---- loading -------------------------------------------------------------------------------


def _board(request, pk) -> Board:
    return get_object_or_404(visible_boards(request.user).select_related("partnership"), pk=pk)


def _meeting(request, pk, day) -> Meeting:
    meetings = permissions.visible_meetings(request.user).select_related(
        "board__partnership", "chair"
    )
    return get_object_or_404(meetings, board_id=pk, date=day)


def _managing(request, board: Board) -> None:
    if not permissions.can_manage_meetings(request.user, board):
        raise PermissionDenied


def _items(request, meeting: Meeting):
    return (
        permissions.visible_items(request.user)
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("presenters", queryset=Person.objects.order_by("name")))
        .order_by("order", "pk")
    )


def _item(request, meeting: Meeting, item_pk) -> AgendaItem:
    return get_object_or_404(_items(request, meeting), pk=item_pk)


def _actions(request):
    return (
        permissions.visible_meeting_actions(request.user)
        .select_related("meeting", "agenda_item", "status_meeting")
        .prefetch_related(Prefetch("owners", queryset=Person.objects.order_by("name")))
    )


def meeting_url(meeting: Meeting, name: str = "meeting", *args) -> str:
    return reverse(f"meetings:{name}", args=[meeting.board_id, meeting.date, *args])


def _clock(meeting: Meeting, items) -> list[tuple[AgendaItem, datetime.time | None]]:
    """Each item the reader sees with the time it starts by the running clock, which counts
    every item of the agenda (selectors.start_times). No times when the meeting has no
    start time."""
    starts = selectors.start_times(meeting)
    return [(item, starts.get(item.pk)) for item in items]


# ---- the board's meetings ------------------------------------------------------------------


@require_safe
@login_required
def board_meetings(request, pk):
    board = _board(request, pk)
    today = clock.today()
    meetings = list(permissions.visible_meetings(request.user).filter(board=board))
    forward = [m for m in meetings if m.status not in HELD_STATUSES and m.date >= today]
    past = [m for m in meetings if m not in forward]
    items = defaultdict(list)
    for item in (
        permissions.visible_items(request.user)
        .filter(meeting__in=forward)
        .prefetch_related(Prefetch("presenters", queryset=Person.objects.order_by("name")))
        .order_by("order", "pk")
    ):
        items[item.meeting_id].append(item)
    standing = list(
        permissions.visible_standing_items(request.user).filter(board=board).order_by("order")
    )
    context = {
        "board": board,
        "past": sorted(past, key=lambda m: m.date, reverse=True),
        "forward": [(meeting, items[meeting.pk]) for meeting in forward],
        "standing": standing,
        "can_manage": permissions.can_manage_meetings(request.user, board),
        "page_marking": highest(
            [item.marking for group in items.values() for item in group]
            + [item.marking for item in standing]
        ),
    }
    return render(request, "meetings/board_meetings.html", context)


@require_safe
@login_required
def action_log(request, pk):
    board = _board(request, pk)
    actions = _actions(request).filter(meeting__board=board)
    actions = list(actions.order_by("meeting__date", "order", "pk"))
    changes = _status_changes(actions)
    rows = [{"action": action, "changes": changes[action.pk]} for action in actions]
    context = {
        "board": board,
        "rows": rows,
        "page_marking": highest(action.marking for action in actions),
    }
    return render(request, "meetings/action_log.html", context)


def _status_changes(actions) -> dict[int, list[dict]]:
    """Each action's status as it was set, from its history: the status, the meeting at
    which it was set, by whom and when. Two queries, however many actions."""
    history = MeetingAction.history.model.objects.filter(
        id__in=[action.pk for action in actions]
    ).select_related("history_user__person")
    rows = list(history.order_by("id", "history_date", "history_id"))
    meeting_ids = {row.status_meeting_id for row in rows if row.status_meeting_id}
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids)}
    changes = defaultdict(list)
    before = {}
    for row in rows:
        now = (row.status, row.status_meeting_id)
        if row.history_type != "-" and before.get(row.id) != now:
            changes[row.id].append(
                {
                    "status": ActionStatus(row.status).label,
                    "meeting": meetings.get(row.status_meeting_id),
                    # Changes made outside the site (a fixture, a script) name nobody.
                    "by": user_name(row.history_user) if row.history_user else "",
                    "when": row.history_date,
                }
            )
        before[row.id] = now
    return changes


# ---- a meeting -----------------------------------------------------------------------------


@require_safe
@login_required
@never_cache
def meeting_detail(request, pk, day):
    meeting = _meeting(request, pk, day)
    items = list(_items(request, meeting))
    actions = _actions(request)
    raised = list(actions.filter(meeting=meeting).order_by("order", "pk"))
    arising = list(selectors.matters_arising(meeting, actions))
    # Earlier actions completed or closed at this meeting: what the chair did with them.
    settled = list(
        actions.filter(status_meeting=meeting, meeting__date__lt=meeting.date)
        .exclude(status__in=OUTSTANDING)
        .order_by("meeting__date", "order", "pk")
    )
    by_item = defaultdict(list)
    for action in raised:
        by_item[action.agenda_item_id].append(action)
    attendance = defaultdict(list)
    for row in meeting.attendance.select_related("person"):
        attendance[row.kind].append(row)
    can_manage = permissions.can_manage_meetings(request.user, meeting.board)
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "clock": [(item, start, by_item[item.pk]) for item, start in _clock(meeting, items)],
        "all_raised": raised,
        "arising_item": selectors.matters_arising_item(items),
        "arising": arising + settled,
        "previous": selectors.previous_held_meeting(meeting),
        "present": attendance["present"],
        "apologies": attendance["apologies"],
        "additional": attendance["additional"],
        "can_manage": can_manage,
        "buttons": ACTION_BUTTONS,
        "page_marking": highest(
            [item.marking for item in items]
            + [action.marking for action in raised + arising + settled]
        ),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
@login_required
@never_cache
def agenda_print(request, pk, day):
    meeting = _meeting(request, pk, day)
    items = list(_items(request, meeting))
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "clock": _clock(meeting, items),
        "page_marking": highest(item.marking for item in items),
    }
    return render(request, "meetings/agenda_print.html", context)


# ---- the managers' forms -------------------------------------------------------------------


def _form_page(
    request, form, *, board, heading, button, back, meeting=None, caption=None, remove=None
):
    """`remove`: (address, heading, hint) of the button that removes the record."""
    url, remove_heading, hint = remove or ("", "", "")
    context = {
        "remove_url": url,
        "remove_heading": remove_heading,
        "remove_hint": hint,
        "form": form,
        "board": board,
        "meeting": meeting,
        "heading": heading,
        "caption": caption
        or (f"{board.name}, {show_date(meeting.date)}" if meeting else board.name),
        "button": button,
        "back": back,
    }
    return render(request, "meetings/form.html", context)


def _write(form, write):
    """Call `write()`, a service writing a valid form, and give back what it returns. If the
    service refuses, nothing is written and its reasons are shown at the top of the form:
    the caller tells by `form.errors`."""
    try:
        return write()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


def _meeting_values(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "date"}


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def meeting_add(request, pk):
    """A planned meeting: an entry in the forward plan."""
    board = _board(request, pk)
    _managing(request, board)
    form = MeetingForm(request.POST or None, board=board, status=False)
    back = reverse("meetings:board-meetings", args=[board.pk])
    if request.method == "POST" and form.is_valid():
        meeting = _write(
            form,
            lambda: services.meeting_create(
                board=board,
                user=request.user,
                date=form.cleaned_data["date"],
                **_meeting_values(form),
            ),
        )
        if not form.errors:
            added = f"Meeting of {show_date(meeting.date)} added to the forward plan."
            messages.success(request, added)
            return redirect(meeting_url(meeting))
    return _form_page(
        request, form, board=board, heading="Add a planned meeting", button="Add", back=back
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def meeting_set_up(request, pk, day):
    """The next meeting made from its forward-plan entry: its details, and the board's
    standing items added to its agenda."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    if meeting.status != Meeting.Status.PLANNED:
        raise Http404("Not a forward-plan entry")
    form = MeetingForm(request.POST or None, board=meeting.board, meeting=meeting, status=False)
    if request.method == "POST" and form.is_valid():
        saved = _write(
            form,
            lambda: services.meeting_create(
                board=meeting.board,
                user=request.user,
                planned=meeting,
                date=form.cleaned_data["date"],
                **_meeting_values(form),
            ),
        )
        if not form.errors:
            messages.success(
                request,
                f"Meeting of {show_date(saved.date)} set up from the forward plan, "
                "with the board's standing items.",
            )
            return redirect(meeting_url(saved))
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Set up the meeting from its forward-plan entry",
        button="Set up the meeting",
        back=meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def meeting_edit(request, pk, day):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    form = MeetingForm(request.POST or None, board=meeting.board, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        saved = _write(
            form,
            lambda: services.meeting_update(
                meeting=meeting, user=request.user, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, "Meeting saved.")
            return redirect(meeting_url(saved))
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Change the meeting",
        button="Save",
        back=meeting_url(meeting),
        remove=None
        if meeting.held
        else (
            meeting_url(meeting, "meeting-remove"),
            "Remove the meeting",
            "Takes it out of the forward plan, with its agenda (the history keeps them). "
            "A meeting that has been held cannot be removed.",
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def item_add(request, pk, day):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    may_mark = permissions.may_see_marked(request.user, meeting.board)
    form = ItemForm(request.POST or None, board=meeting.board, may_mark=may_mark)
    if request.method == "POST" and form.is_valid():
        _write(
            form,
            lambda: services.agenda_item_add(meeting=meeting, user=request.user, **form.values()),
        )
        if not form.errors:
            messages.success(request, f"Item added: {form.cleaned_data['title']}.")
            return redirect(meeting_url(meeting) + "#agenda")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Add an agenda item",
        button="Add the item",
        back=meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def item_edit(request, pk, day, item_pk):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    item = _item(request, meeting, item_pk)
    may_mark = permissions.may_see_marked(request.user, meeting.board)
    form = ItemForm(request.POST or None, board=meeting.board, item=item, may_mark=may_mark)
    if request.method == "POST" and form.is_valid():
        _write(
            form, lambda: services.agenda_item_update(item=item, user=request.user, **form.values())
        )
        if not form.errors:
            messages.success(request, f"Item saved: {form.cleaned_data['title']}.")
            return redirect(meeting_url(meeting) + "#agenda")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Change the agenda item",
        button="Save",
        back=meeting_url(meeting),
        remove=(
            meeting_url(meeting, "item-remove", item.pk),
            "Remove the item from the agenda",
            "Its minutes go with it (the history keeps them); actions raised under it stay "
            "in the action log.",
        ),
    )


@require_POST
@login_required
def item_remove(request, pk, day, item_pk):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    item = _item(request, meeting, item_pk)
    title = item.title
    services.agenda_item_remove(item=item, user=request.user)
    messages.success(request, f"Item removed from the agenda: {title}.")
    return redirect(meeting_url(meeting) + "#agenda")


@require_POST
@login_required
def item_move(request, pk, day, item_pk):
    """Move an item up or down the agenda, past the item listed before or after it."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    item = _item(request, meeting, item_pk)
    items = list(_items(request, meeting))
    index = items.index(item)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is None:
        return redirect(meeting_url(meeting) + "#agenda")
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        services.agenda_item_reorder(meeting=meeting, user=request.user, items=items)
    return redirect(meeting_url(meeting) + f"#item-{item.pk}")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def item_minutes(request, pk, day, item_pk):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    item = _item(request, meeting, item_pk)
    form = MinutesForm(request.POST or None, initial={"minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        services.minutes_record(item=item, user=request.user, **form.cleaned_data)
        messages.success(request, f"Minutes saved: {item}.")
        return redirect(meeting_url(meeting) + f"#item-{item.pk}")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading=f"Minutes: {item}",
        button="Save the minutes",
        back=meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def attendance(request, pk, day):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        _write(
            form,
            lambda: services.attendance_record(
                meeting=meeting, user=request.user, entries=form.entries
            ),
        )
        if not form.errors:
            messages.success(request, "Attendance saved.")
            return redirect(meeting_url(meeting) + "#attendance")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Attendance",
        button="Save the attendance",
        back=meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def attendance_people(request, pk, day):
    """Link the names of the attendance to the partnership's people, one by one."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    form = AttendancePeopleForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        links = form.links()
        _write(
            form,
            lambda: services.attendance_link(meeting=meeting, user=request.user, links=links),
        )
        if not form.errors:
            messages.success(request, f"Attendance saved: {len(links)} name(s) linked or unlinked.")
            return redirect(meeting_url(meeting) + "#attendance")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Who is each name?",
        button="Save",
        back=meeting_url(meeting) + "#attendance",
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def action_add(request, pk, day):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    may_mark = permissions.may_see_marked(request.user, meeting.board)
    items = _items(request, meeting)
    form = MeetingActionForm(request.POST or None, meeting=meeting, items=items, may_mark=may_mark)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.setdefault("marking", Marking.OFFICIAL)
        action = _write(
            form, lambda: services.meeting_action_add(meeting=meeting, user=request.user, **values)
        )
        if not form.errors:
            messages.success(request, f"Action added: {action.text}")
            return redirect(meeting_url(meeting) + "#actions")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Add an action",
        button="Add the action",
        back=meeting_url(meeting),
    )


def _raised_here(request, meeting: Meeting, action_pk) -> MeetingAction:
    """An action raised at `meeting` that the user may see (404 otherwise)."""
    return get_object_or_404(_actions(request).filter(meeting=meeting), pk=action_pk)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def action_edit(request, pk, day, action_pk):
    """Correct an action as minuted: its words, owners, due date, item and marking. Its
    status is set from the matters arising of a later meeting (action_status)."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    action = _raised_here(request, meeting, action_pk)
    may_mark = permissions.may_see_marked(request.user, meeting.board)
    form = MeetingActionForm(
        request.POST or None,
        meeting=meeting,
        items=_items(request, meeting),
        may_mark=may_mark,
        action=action,
    )
    if request.method == "POST" and form.is_valid():
        saved = _write(
            form,
            lambda: services.meeting_action_update(
                action=action, user=request.user, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, f"Action saved: {saved.text}")
            return redirect(meeting_url(meeting) + "#actions")
    return _form_page(
        request,
        form,
        board=meeting.board,
        meeting=meeting,
        heading="Change the action",
        button="Save",
        back=meeting_url(meeting) + "#actions",
        remove=(
            meeting_url(meeting, "action-remove", action.pk),
            "Remove the action",
            "For an action minuted by mistake: it leaves the action log (the history keeps "
            "it). An action that is done or no longer needed is completed or closed instead, "
            "under matters arising at the next meeting.",
        ),
    )


@require_POST
@login_required
def action_remove(request, pk, day, action_pk):
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    action = _raised_here(request, meeting, action_pk)
    text = action.text
    services.meeting_action_remove(action=action, user=request.user)
    messages.success(request, f"Action removed: {text}")
    return redirect(meeting_url(meeting) + "#actions")


@require_POST
@login_required
def meeting_remove(request, pk, day):
    """Take a meeting that has not been held out of the forward plan. A held meeting keeps
    its minutes: it is not removed from the pages."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    if meeting.held:
        messages.error(
            request,
            "This meeting has been held, so it keeps its attendance, minutes and actions and "
            "cannot be removed here. Change its details instead.",
        )
        return redirect(meeting_url(meeting))
    board, when = meeting.board, show_date(meeting.date)
    services.meeting_delete(meeting=meeting, user=request.user)
    messages.success(request, f"The meeting of {when} was removed from the forward plan.")
    return redirect("meetings:board-meetings", pk=board.pk)


@require_POST
@login_required
def action_status(request, pk, day, action_pk):
    """Complete, close or carry forward an action at this meeting."""
    meeting = _meeting(request, pk, day)
    _managing(request, meeting.board)
    action = get_object_or_404(_actions(request).filter(meeting__board=meeting.board), pk=action_pk)
    try:
        services.meeting_action_set_status(
            action=action, user=request.user, status=request.POST.get("status", ""), at=meeting
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        action.refresh_from_db()
        messages.success(
            request, f"Action {action.get_status_display().lower()}: {action.text[:80]}"
        )
    return redirect(meeting_url(meeting) + "#matters-arising")


# ---- standing items ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def standing_items(request, pk):
    """The board's standing items, and a form to add one."""
    board = _board(request, pk)
    _managing(request, board)
    may_mark = permissions.may_see_marked(request.user, board)
    form = ItemForm(request.POST or None, board=board, may_mark=may_mark, standing=True)
    if request.method == "POST" and form.is_valid():
        services.standing_item_add(board=board, user=request.user, **form.values())
        messages.success(request, f"Standing item added: {form.cleaned_data['title']}.")
        return redirect(reverse("meetings:standing-items", args=[board.pk]))
    items = permissions.visible_standing_items(request.user).filter(board=board)
    context = {
        "board": board,
        "items": items.order_by("order", "pk"),
        "form": form,
        "page_marking": highest(item.marking for item in items),
    }
    return render(request, "meetings/standing_items.html", context)


def _standing_item(request, board, item_pk):
    visible = permissions.visible_standing_items(request.user).filter(board=board)
    return get_object_or_404(visible, pk=item_pk)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def standing_item_edit(request, pk, item_pk):
    board = _board(request, pk)
    _managing(request, board)
    item = _standing_item(request, board, item_pk)
    may_mark = permissions.may_see_marked(request.user, board)
    form = ItemForm(request.POST or None, board=board, item=item, may_mark=may_mark, standing=True)
    back = reverse("meetings:standing-items", args=[board.pk])
    if request.method == "POST" and form.is_valid():
        services.standing_item_update(item=item, user=request.user, **form.values())
        messages.success(request, f"Standing item saved: {form.cleaned_data['title']}.")
        return redirect(back)
    return _form_page(
        request,
        form,
        board=board,
        heading="Change the standing item",
        button="Save",
        back=back,
        remove=(
            reverse("meetings:standing-item-remove", args=[board.pk, item.pk]),
            "Remove the standing item",
            "New meetings will no longer carry it; agendas that carry it already keep it.",
        ),
    )


@require_POST
@login_required
def standing_item_remove(request, pk, item_pk):
    board = _board(request, pk)
    _managing(request, board)
    item = _standing_item(request, board, item_pk)
    title = item.title
    services.standing_item_remove(item=item, user=request.user)
    messages.success(request, f"Standing item removed: {title}.")
    return redirect(reverse("meetings:standing-items", args=[board.pk]))
