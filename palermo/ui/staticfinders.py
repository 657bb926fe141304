"""Finding static files in the npm packages (settings.STATICFILES_DIRS)."""

from django.contrib.staticfiles.finders import FileSystemFinder

# Module builds and type declarations no page loads; hashing and compressing them made
# `collectstatic` take minutes.
NOT_FOR_BROWSERS = ["*.cjs", "*.mjs", "*.ts", "*.esm.js", "*.amd.js", "*.cjs.js", "*.umd.js", "*.gz"]


class BrowserBuildsFinder(FileSystemFinder):
    """Django's finder for STATICFILES_DIRS, listing only what browsers load from the npm packages."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *NOT_FOR_BROWSERS])
