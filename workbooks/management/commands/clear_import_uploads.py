from django.core.management.base import BaseCommand

from workbooks import uploads


class Command(BaseCommand):
    help = (
        "Delete the workbooks uploaded for import and never confirmed or cancelled, once "
        "they are older than IMPORT_UPLOAD_MAX_AGE_MINUTES (run it from cron)."
    )

    def handle(self, *args, **options):
        removed = uploads.sweep()
        self.stdout.write(f"Removed {removed} upload(s) kept for import.")
