"""What the forum adds to the apps below it through the hooks they expose."""

from wagtail import hooks

from accounts.export import EXPORT_PARTS

from . import export

hooks.register(EXPORT_PARTS, export.posts)
