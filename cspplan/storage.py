"""The static files storage of production (settings.STORAGES)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed storage with hashed names, which also rewrites the names in
    JavaScript modules' `import ... from "..."` lines: our module script imports GOV.UK
    Frontend (static/js/govuk-init.js), and the browser fetches an import by the name
    written in it, so without this a new release could run against an old cached copy."""

    support_js_module_import_aggregation = True
