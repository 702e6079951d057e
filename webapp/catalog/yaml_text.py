"""YAML as the content is read: the safe loader, through libyaml when PyYAML has it (ten times faster
than the pure-Python parser, which made loading the content the slowest part of start-up)."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)
