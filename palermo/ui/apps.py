from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class UiConfig(AppConfig):
    name = "palermo.ui"
    label = "ui"
    verbose_name = "Web interface"


class StaticFilesConfig(DjangoStaticFilesConfig):
    """`collectstatic` leaves out the npm packages' module builds and type declarations: pages load
    only the minified browser builds, and hashing and compressing the rest took minutes."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns,
                       "*.cjs", "*.mjs", "*.ts", "*.esm.js", "*.amd.js", "*.cjs.js", "*.umd.js", "*.gz"]
