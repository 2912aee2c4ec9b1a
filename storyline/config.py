"""One configuration file for every stage.

Users edit one TOML file (`storyline.toml` in the user's config directory, or `--config` /
`STORYLINE_CONFIG`). Each stage owns a section and declares its defaults as a dataclass in its own
package (e.g. `storyline.link.settings.ClusterSettings`); `Config.section(name, cls)` builds that
dataclass from the file's values over the defaults, so defaults live next to the code that uses them
and `storyline config` can print the effective values of all of them.

Environment overrides: `STORYLINE_<SECTION>_<KEY>=value` (e.g. `STORYLINE_LLM_BASE_URL`).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from storyline import registry

CONFIG_ENV = "STORYLINE_CONFIG"
T = TypeVar("T")


class ConfigError(Exception):
    pass


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("storyline")) / "storyline.toml"


class Config:
    def __init__(self, data: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self.data = data or {}
        self.path = path

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Config:
        p = Path(path) if path else default_config_path()
        if not p.exists():
            if path:
                raise ConfigError(f"{p}: config file not found")
            return cls({}, None)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: invalid TOML ({exc})") from exc
        return cls(data, p)

    def section(self, name: str, cls: type[T]) -> T:
        """Build the settings dataclass `cls` from defaults, then the file, then the environment."""
        values = dict(self.data.get(name, {}))
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = set(values) - set(fields)
        if unknown:
            raise ConfigError(f"[{name}]: unknown setting(s) {', '.join(sorted(unknown))}")
        prefix = f"STORYLINE_{name.upper()}_"
        for key, f in fields.items():
            env = os.environ.get(prefix + key.upper())
            if env is not None:
                values[key] = _coerce(env, f.type)
        return cls(**values)


def _coerce(raw: str, type_: Any) -> Any:
    t = str(type_)
    if "bool" in t:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if t.startswith("int") or t == "<class 'int'>":
        return int(raw)
    if t.startswith("float") or t == "<class 'float'>":
        return float(raw)
    if "list" in t:
        return [x.strip() for x in raw.split(",") if x.strip()]
    return raw


#: every config section and the dataclass holding its defaults (import path), in data-flow order
#: (a view of `storyline.registry.SECTIONS`)
SECTIONS: dict[str, str] = {s.name: s.settings for s in registry.SECTIONS}


def effective(config: Config) -> dict[str, dict[str, Any]]:
    """The effective value of every setting (defaults, then the file, then the environment)."""
    out: dict[str, dict[str, Any]] = {}
    for name, target in SECTIONS.items():
        cls = registry.load(target)
        out[name] = dataclasses.asdict(config.section(name, cls))
    unknown = set(config.data) - set(SECTIONS)
    if unknown:
        raise ConfigError(f"{config.path}: unknown section(s) {', '.join(sorted(unknown))}")
    return out


_current: Config | None = None


def get_config() -> Config:
    global _current
    if _current is None:
        _current = Config.load()
    return _current


def set_config(cfg: Config) -> None:
    global _current
    _current = cfg
