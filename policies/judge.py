"""Judgments every engine's controls share, so one weakness gets one verdict on every
target: who is root, what binds every interface, which env names hold secrets, which
image references are pinned, which added capabilities a service needs."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

# Words that name a secret on their own, also at the end of a glued word (DBPASSWORD).
SECRET_WORDS = ("PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
                "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY")  # fmt: skip
# Words that name a secret only as a whole word (BYPASS and PWD, the working directory, do not).
SECRET_TOKENS = frozenset({"PASS", "PWD", "AUTH", "CREDS", "PSK"})
# KEY is a secret after one of these (API_KEY, SIGNING_KEY), not after others (SORT_KEY).
SECRET_KEY_KINDS = frozenset({"API", "SECRET", "PRIVATE", "ACCESS", "SIGNING", "ENCRYPTION", "MASTER",
                              "SESSION", "HMAC", "JWT", "LICENSE", "CLIENT", "AES", "SSH",
                              "TLS"})  # fmt: skip
# A last word that makes the variable say where or how a secret is found, not hold it:
# PASSWORD_FILE (Docker's secrets convention), TOKEN_URL, AUTH_ENABLED, SECRET_NAME.
NOT_THE_SECRET = frozenset({"FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "NAME", "USER",
                            "USERNAME", "ENABLED", "DISABLED", "ENABLE", "REQUIRED", "TYPE", "METHOD",
                            "MODE", "PROVIDER", "ISSUER", "HEADER", "REALM", "LENGTH", "TTL", "TIMEOUT",
                            "EXPIRY", "ALGORITHM", "FORMAT", "VERSION"})  # fmt: skip
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_NUMERIC_ID = re.compile(r"[+-]?[0-9]+")  # what the engines parse as a number: "00" and "+0" are root


def env_words(name: str) -> list[str]:
    """`DB_PASS` -> [DB, PASS]; `dbPassword` -> [DB, PASSWORD]; `api-token` -> [API, TOKEN]."""
    return [word.upper() for word in _WORDS.findall(name)]


def secret_name(name: str) -> bool:
    """Whether an env var's name says it holds a secret."""
    words = env_words(name)
    if not words or words[-1] in NOT_THE_SECRET or words[-2:] == ["KEY", "ID"]:
        return False
    for index, word in enumerate(words):
        if word.endswith(SECRET_WORDS) or (word in SECRET_TOKENS and (word != "PWD" or index > 0)):
            return True
        if word == "KEY" and index > 0 and words[index - 1] in SECRET_KEY_KINDS:
            return True
    return False


def uid(user: Any) -> int | None:
    """The numeric UID of a `user` (`UID[:GID]`, `name[:group]` or an int); 0 for root;
    None where it cannot be told (another name, an unknown value)."""
    if isinstance(user, bool):
        return None
    if isinstance(user, int):
        return user
    if not isinstance(user, str):
        return None
    name = user.split(":", 1)[0].strip()
    if name == "root":
        return 0
    return int(name) if _NUMERIC_ID.fullmatch(name) else None


def binds_every_interface(address: Any) -> bool | None:
    """Whether a bind address is every interface (`0.0.0.0`, `::`, `::0`, `::ffff:0.0.0.0`,
    or empty); None when it is no address."""
    return True if address in (None, "") else _address_is(address, lambda a: a.is_unspecified)


def loopback(address: Any) -> bool | None:
    """Whether an address is the host's loopback (`127.0.0.0/8`, `::1`, `localhost`,
    `::ffff:127.0.0.1`); None when it is no address."""
    return True if address == "localhost" else _address_is(address, lambda a: a.is_loopback)


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address_is(value: Any, test: Callable[[Address], bool]) -> bool | None:
    """`test` of an address or of the IPv4 address an IPv6 one maps; None for no address."""
    if not isinstance(value, str):
        return None
    try:
        parsed = ipaddress.ip_address(value.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    mapped = parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else None
    return test(parsed) or (mapped is not None and test(mapped))


def whole_number(value: Any) -> int | None:
    """An int from an int, an integral float or digits; None for text, NaN, infinity, bools."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _NUMERIC_ID.fullmatch(value.strip()):
        return int(value)
    return None


def image_pinned(reference: Any, require_digest: bool) -> bool | None:
    """Whether an image reference is pinned: a tag other than latest, or a digest (only a
    digest with `require_digest`). None when it is not a reference at all."""
    if not isinstance(reference, str) or not reference or reference.startswith("sha256:"):
        return None
    if "@sha256:" in reference:
        return True
    if require_digest:
        return False
    name = reference.rsplit("/", 1)[-1]
    tag = name.split(":", 1)[1] if ":" in name else None
    return tag is not None and tag != "latest"


def unpinned(reference: Any, require_digest: bool) -> str | None:
    """What is wrong with an image reference that is not pinned as asked (None: nothing)."""
    if image_pinned(reference, require_digest) is not False:
        return None
    want = "a digest (@sha256:...)" if require_digest else "a tag other than latest, or a digest"
    return f"image {reference} is not pinned to {want}"


def capability(name: Any) -> str:
    """`cap_net_bind_service` -> `NET_BIND_SERVICE`."""
    upper = str(name).strip().upper()
    return upper.removeprefix("CAP_")


def listens_below_1024(ports: Iterable[str]) -> bool:
    """Whether any of `8080/tcp`-style ports is a privileged one."""
    numbers = (whole_number(port.split("/", 1)[0]) for port in ports)
    return any(number is not None and 0 < number < 1024 for number in numbers)


def unneeded_capabilities(added: Iterable[Any], privileged_port: bool) -> list[str]:
    """The added capabilities a service does not need: all of them, except
    NET_BIND_SERVICE when it listens on a port below 1024."""
    allowed = {"NET_BIND_SERVICE"} if privileged_port else set()
    return sorted({capability(a) for a in added} - allowed)
