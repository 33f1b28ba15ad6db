"""The offline preview: the program under Pulumi's mock runtime, its graph and its rendering."""

from .lazy_sdk import defer_unused_sdk_modules

defer_unused_sdk_modules()
