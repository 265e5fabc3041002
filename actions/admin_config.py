"""The admin app's configuration, naming our admin site (actions.sites) as the one
`django.contrib.admin.site` is, so that every app's admin registers with it. A module of
its own: it is imported while the apps load, before any model may be."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "actions.sites.PartnershipAdminSite"
