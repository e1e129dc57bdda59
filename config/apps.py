from django.contrib.admin.apps import AdminConfig


class SignpostAdminConfig(AdminConfig):
    default_site = "config.admin_site.SignpostAdminSite"
