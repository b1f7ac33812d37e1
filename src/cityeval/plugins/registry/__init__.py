"""Typed registries handed to plugin hooks: one generic registry, thin typed faces on it.

A :class:`Registry` keeps entries by key, remembers which plugin added each, refuses a
duplicate key with a :class:`~cityeval.errors.RegistryError`, and can drop everything one
plugin added (so a plugin whose hook fails half-way leaves nothing behind).

Registering reads nothing. A framework, crosswalk or masterplan given as a file is recorded
as a :class:`DataEntry`: its id (given, or the file's name without its suffix), the file and
the plugin. The file is parsed when the entry is first used, by the package that owns that
kind of file (``entry.load(reader)``), once per process and under a lock; if the file's own
id differs from the registered one, that use fails with a :class:`RegistryError` naming the
plugin and the file. Commands may likewise be given as ``"module:attribute"`` strings that
are imported when the command line is built.

The records here are slotted plain classes rather than attrs classes: the registry is built
on every start of the command line, before anything else is imported.

Each name is re-exported from the module that defines it (``import X as X``), so that
``cityeval.plugins.registry.FrameworkRegistry`` keeps working.
"""

from cityeval.plugins.registry.base import Registry as Registry
from cityeval.plugins.registry.commands import CommandEntry as CommandEntry
from cityeval.plugins.registry.commands import CommandRegistry as CommandRegistry
from cityeval.plugins.registry.data import CrosswalkRegistry as CrosswalkRegistry
from cityeval.plugins.registry.data import DataEntry as DataEntry
from cityeval.plugins.registry.data import DataRegistry as DataRegistry
from cityeval.plugins.registry.data import FrameworkEntry as FrameworkEntry
from cityeval.plugins.registry.data import FrameworkRegistry as FrameworkRegistry
from cityeval.plugins.registry.data import MasterplanEntry as MasterplanEntry
from cityeval.plugins.registry.data import MasterplanRegistry as MasterplanRegistry
from cityeval.plugins.registry.data import is_file_reference as is_file_reference
from cityeval.plugins.registry.data import read_source as read_source
from cityeval.plugins.registry.methods import METHOD_KINDS as METHOD_KINDS
from cityeval.plugins.registry.methods import MethodEntry as MethodEntry
from cityeval.plugins.registry.methods import MethodRegistry as MethodRegistry
