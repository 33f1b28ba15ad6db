"""Secret values found in imported files become `secret_env` entries; the values stay out.

A variable is a secret when its name says so (`DB_PASSWORD`, `API_TOKEN`, `DB_PASS`,
`MYSQL_PWD`, `AWS_SECRET_ACCESS_KEY`) or its value is a URL with a password in it.
Every secret gets a name in stack config and the `pulumi config set` command that sets it;
the command never contains the value."""

from __future__ import annotations

import itertools
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .names import secret_label
from .report import SecretToSet

_SECRET_WORDS = {
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "PASSPHRASE",
    "SALT",
}
_SECRET_PAIRS = {"API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "AUTH_KEY", "SECRET_KEY", "ENCRYPTION_KEY"}
_SECRET_PAIRS |= {"SIGNING_KEY", "MASTER_KEY", "SESSION_KEY", "IN_KEY", "NONCE_KEY", "LICENSE_KEY"}
_SUBSTRINGS = ("PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "APIKEY", "PRIVATEKEY")
# A last word that makes the variable about a secret rather than the secret itself.
_NOT_THE_SECRET = {"FILE", "PATH", "DIR", "HOST", "PORT", "URL", "URI", "ENDPOINT", "TTL", "EXPIRY"}
_NOT_THE_SECRET |= {"LENGTH", "TIMEOUT", "ALGORITHM", "ALG", "NAME", "USER", "USERNAME", "TYPE", "HEADER"}
_NOT_THE_SECRET |= {"ENABLED", "MODE", "POLICY", "PROVIDER", "LIFETIME", "ROTATION", "EXPIRES"}
# Values that switch a feature rather than hold a secret (MYSQL_ALLOW_EMPTY_PASSWORD=yes).
_FLAG_VALUES = {"", "yes", "no", "true", "false", "on", "off", "0", "1", "y", "n"}


def names_a_secret(name: str) -> bool:
    """Whether the variable's name says it holds a secret."""
    upper = name.upper()
    if upper in ("PWD", "OLDPWD"):
        return False
    words = [w for w in re.split(r"[^A-Z0-9]+", upper) if w]
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    if _SECRET_WORDS & set(words):
        return True
    if any(f"{a}_{b}" in _SECRET_PAIRS for a, b in itertools.pairwise(words)):
        return True
    return any(part in upper for part in _SUBSTRINGS)


def url_with_password(value: str) -> bool:
    """`postgres://user:pw@db/app` carries a password; `http://api:8080` does not."""
    if "://" not in value:
        return False
    try:
        return bool(urlsplit(value.strip()).password)
    except ValueError:
        return False


def is_secret(name: str, value: str) -> bool:
    """Whether `name=value` must not be written to the spec in plaintext."""
    if url_with_password(value):
        return True
    if value.strip().lower() in _FLAG_VALUES or value.startswith("/run/secrets/"):
        return False
    return names_a_secret(name)


def derived_secret_name(service: str, var: str) -> str:
    """`db` + `POSTGRES_PASSWORD` -> `db-postgres-password`; no repeated service prefix
    (`wordpress` + `WORDPRESS_DB_PASSWORD` -> `wordpress-db-password`)."""
    var_label = secret_label(var)
    if var_label == service or var_label.startswith(f"{service}-"):
        return var_label
    return secret_label(f"{service}-{var_label}")


def set_command(name: str, source: str) -> str:
    """The `pulumi config set` command for secret `name`; `source` is what follows the key."""
    return f"pulumi config set --secret --path 'secrets.{name}' {source}"


@dataclass
class SecretBook:
    """The secrets an import names. Equal values found in several places share one secret, so
    the user sets it once; values are compared in memory and never written anywhere."""

    taken: set[str] = field(default_factory=set)
    by_value: dict[str, tuple[str, str]] = field(default_factory=dict)
    entries: dict[str, SecretToSet] = field(default_factory=dict)

    def from_value(self, wanted: str, value: str, where: str, origin: str) -> tuple[str, str | None]:
        """The secret name for a plaintext `value` found at `where` (described by `origin`), and
        the place an earlier variable with the same value was found, if any: they share it."""
        if value in self.by_value:
            name, first = self.by_value[value]
            return name, first
        name = self._claim(wanted)
        self.by_value[value] = (name, where)
        self.entries[name] = SecretToSet(name, set_command(name, "'<value>'"), origin)
        return name, None

    def from_source(self, wanted: str, source: str, origin: str) -> str:
        """A secret whose value lives elsewhere (a file, a variable): `source` is the shell text
        that supplies it (`< path`, `"$VAR"`, `'<value>'`)."""
        key = f"\0{origin}"
        if key in self.by_value:
            return self.by_value[key][0]
        name = self._claim(wanted)
        self.by_value[key] = (name, origin)
        self.entries[name] = SecretToSet(name, set_command(name, source), origin)
        return name

    def to_set(self) -> list[SecretToSet]:
        """Every secret, by name."""
        return [self.entries[name] for name in sorted(self.entries)]

    def _claim(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.taken:
            n += 1
            name = f"{wanted[: 63 - len(str(n)) - 1].rstrip('-')}-{n}"
        self.taken.add(name)
        return name


def file_source(path: str) -> str:
    """Shell text that feeds a file to `pulumi config set` on standard input."""
    return f"< {shlex.quote(path)}"


def variable_source(var: str) -> str:
    """Shell text that passes an environment variable's value."""
    return f'"${var}"'
