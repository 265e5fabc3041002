"""Link each organisation to the partnerships that already work with it (issue 12, finding
4), so that imports, which now name only the plan's partnership's organisations, go on
matching every organisation they matched before within that partnership.

An organisation works with a partnership when one of its people is in the partnership or
sits on one of its boards, or when an action of one of its plans names it as a lead or
supporting organisation. Nothing else changes; undone, the links are simply dropped with
the field (boards 0003)."""

from django.db import migrations


def link(apps, schema_editor):
    Organisation = apps.get_model("boards", "Organisation")
    Person = apps.get_model("boards", "Person")
    Membership = apps.get_model("boards", "Membership")
    Action = apps.get_model("actions", "Action")
    pairs = set()
    people = Person.partnerships.through.objects.filter(person__organisation__isnull=False)
    pairs |= set(people.values_list("person__organisation_id", "partnership_id"))
    seats = Membership.objects.filter(person__organisation__isnull=False)
    pairs |= set(seats.values_list("person__organisation_id", "board__partnership_id"))
    for list_field in ("lead_organisations", "supporting_organisations"):
        named = getattr(Action, list_field).through.objects
        pairs |= set(named.values_list("organisation_id", "action__theme__plan__partnership_id"))
    through = Organisation.partnerships.through
    through.objects.bulk_create(
        [
            through(organisation_id=organisation, partnership_id=partnership)
            for organisation, partnership in sorted(pairs)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_progressupdate_newest"),
        ("boards", "0003_organisation_partnerships"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
