"""Configuration: ``[tool.tqcheck]`` in pyproject.toml or a ``tqcheck.toml``, found upwards.

Unknown keys and invalid values are errors that name the file and the key; nothing is ever
silently ignored.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqcheck.files import read_regular
from tqcheck.mqm import MqmSeverity, Weights
from tqcheck.rule import Severity
from tqcheck.settings import DashStyle, QuoteStyle

CONFIG_FILES = ("tqcheck.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info", "never")
DASH_STYLES = "'em-closed', 'em-spaced' or 'en-spaced'"


class ConfigError(Exception):
    """Raise for an invalid configuration file or option; the message names the key."""


@dataclass(frozen=True)
class Config:
    """Hold the settings of one configuration file (or the defaults)."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    packs: tuple[Path, ...] = ()
    plugins: tuple[str, ...] = ()
    quote_style: QuoteStyle = QuoteStyle.US
    dash_style: DashStyle = DashStyle.EM_CLOSED
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()
    # Folder walks skip what .gitignore / .ignore leave out; files named on the command line
    # get the exclusions too only with force-exclude (what pre-commit hooks need).
    respect_gitignore: bool = True
    force_exclude: bool = False
    # The MQM-style unconfirmed-issue score: weights and cap, and the --max-penalty gate.
    mqm_weights: Weights = field(default_factory=Weights)
    max_penalty: float | None = None

    def severity_for(self, code: str, name: str) -> Severity | None:
        """Return the configured severity override of a rule, if any."""
        for key, level in self.severity:
            if key in (code, name):
                return level
        return None


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: key '{key}': expected a list of strings")
    return tuple(value)


def _non_negative(path: Path, key: str, value: Any) -> float:
    # TOML booleans are not numbers here, although Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigError(f"{path}: key '{key}': expected a number of at least 0")
    if value == float("inf"):
        raise ConfigError(f"{path}: key '{key}': expected a finite number")
    if value > MAX_NUMBER:
        raise ConfigError(f"{path}: key '{key}': expected a number of at most {MAX_NUMBER:,}")
    return float(value)


# Penalty weights and limits above this would overflow the score's arithmetic (1e308).
MAX_NUMBER = 1_000_000


def _mqm_weights(path: Path, key: str, value: Any, weights: Weights) -> Weights:
    """Validate ``mqm-weights``: a table of MQM severity = penalty points (others default)."""
    if not isinstance(value, dict):
        raise ConfigError(
            f"{path}: key '{key}': expected a table such as "
            "{major = 5, minor = 1, punctuation = 0.1, non-translation = 25}"
        )
    for name, weight in value.items():
        try:
            level = MqmSeverity(name.replace("_", "-"))
        except ValueError:
            known = ", ".join(s.value for s in MqmSeverity)
            raise ConfigError(
                f"{path}: key '{key}.{name}': unknown MQM severity (expected {known})"
            ) from None
        weights = weights.with_weight(level, _non_negative(path, f"{key}.{name}", weight))
    return weights


def parse_config(path: Path, table: dict[str, Any]) -> Config:
    """Validate a configuration table read from path."""
    values: dict[str, Any] = {"path": path}
    base = path.parent
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key in ("select", "extend-select", "ignore", "plugins", "exclude"):
            values[key.replace("-", "_")] = _strings(path, raw_key, value)
        elif key == "packs":
            values["packs"] = tuple((base / p).resolve() for p in _strings(path, raw_key, value))
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: key '{raw_key}': expected a table of CODE = severity")
            overrides: dict[str, Severity] = {}
            for code, level in value.items():
                try:
                    overrides[code] = Severity(level)
                except ValueError:
                    raise ConfigError(
                        f"{path}: key '{raw_key}.{code}': expected error, warning or info"
                    ) from None
            values["severity"] = tuple(overrides.items())
        elif key == "quote-style":
            try:
                values["quote_style"] = QuoteStyle(value)
            except ValueError:
                raise ConfigError(f"{path}: key '{raw_key}': expected 'us' or 'british'") from None
        elif key == "dash-style":
            try:
                values["dash_style"] = DashStyle(value)
            except ValueError:
                raise ConfigError(f"{path}: key '{raw_key}': expected {DASH_STYLES}") from None
        elif key in ("respect-gitignore", "force-exclude"):
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: key '{raw_key}': expected true or false")
            values[key.replace("-", "_")] = value
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise ConfigError(f"{path}: key '{raw_key}': expected one of {', '.join(FAIL_ON)}")
            values["fail_on"] = value
        elif key == "mqm-weights":
            weights = values.get("mqm_weights", Weights())
            values["mqm_weights"] = _mqm_weights(path, raw_key, value, weights)
        elif key == "mqm-max-per-segment":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{path}: key '{raw_key}': expected a whole number of at least 1")
            weights = values.get("mqm_weights", Weights())
            values["mqm_weights"] = dataclasses.replace(weights, max_per_segment=value)
        elif key == "max-penalty":
            values["max_penalty"] = _non_negative(path, raw_key, value)
        else:
            raise ConfigError(f"{path}: unknown key '{raw_key}' in tqcheck configuration")
    return Config(**values)


# A configuration is a few lines of TOML; anything bigger is not one.
MAX_CONFIG_BYTES = 1024 * 1024


def read_config(path: Path) -> Config | None:
    """Read a tqcheck.toml, or pyproject.toml's [tool.tqcheck]; None if pyproject has none."""
    try:
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: tables or arrays nested too deeply") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "tqcheck" not in tool:
            return None
        table = tool["tqcheck"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.tqcheck] must be a table")
        return parse_config(path, table)
    return parse_config(path, data)


def discover(start: Path) -> Config:
    """Return the configuration governing start: the nearest config file upwards, or defaults."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                config = read_config(path)
                if config is not None:
                    return config
    return Config()
