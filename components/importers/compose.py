"""`hybrid import compose`: a Compose file in, an app spec out, and a warning for every field
the spec cannot keep (service, field, what to do)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..appspec import Problem, SpecError
from .compose_file import read_compose
from .compose_service import ImportedService, ServiceContext, import_service
from .compose_storage import VolumeUsers
from .draft import PortDraft
from .names import dns_label, spec_names
from .output import ImportResult, check, render
from .references import ports_named, replace_host, services_named
from .report import Report
from .secrets import SecretBook
from .source_files import path_join
from .well_known import image_port

_DNS_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")  # an app name (matched whole)


def import_compose(path: Path, app: str | None = None, source: str | None = None) -> ImportResult:
    """Import the Compose file at `path`; raises `SpecError` (one line per problem) on bad input."""
    report = Report(source or str(path))
    compose = read_compose(path, report)
    app_name = app_name_for(app, compose.name, path)
    names = service_names(list(compose.services), report)
    ctx = ServiceContext(compose, app_name, names, SecretBook(), VolumeUsers(), report)
    imported: dict[str, ImportedService] = {}
    # Dependencies first, so a secret two services share is named after the server (db-...).
    for original in dependency_order(compose.services):
        definition = compose.services[original]
        if not isinstance(definition, dict):
            report.error(f"services.{original}", "must be a mapping with at least image")
            continue
        imported[original] = import_service(original, definition, ctx)
    report.raise_if_problems()
    imported = {o: imported[o] for o in compose.services}
    ctx.volume_users.report_shared(report)
    for service in imported.values():
        service.draft.depends_on = [names[d] for d in service.depends_on if d in names]
    _check_references(imported, names, report)
    _add_ports_clients_use(imported, names, report)
    _report_networks(imported, names, report)
    report.sort_by_service(list(compose.services))
    spec: dict[str, Any] = {
        "app": app_name,
        "services": {names[o]: s.draft.to_spec() for o, s in imported.items()},
    }
    result = ImportResult(
        spec=spec,
        sources=[report.source],
        command="hybrid import compose",
        warnings=report.warning_lines(),
        secrets=ctx.book.to_set(),
    )
    check(render(result, None), f"{report.source} (as imported)")
    return result


def dependency_order(services: dict[str, Any]) -> list[str]:
    """Service names, each after the services it depends on (file order otherwise); names in
    a cycle or unknown dependencies do not stop it (validation reports those)."""
    order: list[str] = []
    placed: set[str] = set()

    def place(name: str, visiting: set[str]) -> None:
        if name in placed or name in visiting or name not in services:
            return
        visiting.add(name)
        for dep in _declared_dependencies(services[name]):
            place(dep, visiting)
        placed.add(name)
        order.append(name)

    for name in services:
        place(name, set())
    return order


def _declared_dependencies(definition: Any) -> list[str]:
    if not isinstance(definition, dict):
        return []
    value = definition.get("depends_on")
    if isinstance(value, list | dict):
        return [str(v) for v in value]
    return []


def app_name_for(app: str | None, declared: str | None, path: Path) -> str:
    """`--app`, else the file's `name:`, else its folder's name (as Compose names a project)."""
    if app is not None:
        if not (_DNS_LABEL.fullmatch(app) and len(app) <= 40):
            message = f"{app!r} is not an app name: use 1-40 lowercase letters, digits and '-', e.g. shop"
            raise SpecError("--app", [Problem("", message)])
        return app
    base = declared or path.resolve().parent.name
    return dns_label(base, 40, "app")


def service_names(originals: list[str], report: Report) -> dict[str, str]:
    """Compose name -> spec name, with a warning for each name that had to change."""
    names = spec_names(originals)
    for original, name in names.items():
        if name != original:
            report.warn(
                f"services.{original}",
                f"the name is not DNS-safe; the service is {name} in "
                "the spec, and other services reach it by that name",
            )
    return names


def _check_references(imported: dict[str, ImportedService], names: dict[str, str], report: Report) -> None:
    """Env values that name another service: renamed services are rewritten, and traffic the
    spec would refuse (no depends_on) is a warning with the dependency to add."""
    for original, service in imported.items():
        name = names[original]
        others = [o for o in names if o != original]
        for var in service.variables:
            for target in services_named(var.name, var.value, others):
                new = names[target]
                if new != target:
                    if var.secret:
                        report.warn(
                            var.where,
                            f"names service {target}, which is {new} in "
                            f"the spec; use {new} in the secret's value",
                        )
                    else:
                        service.draft.env[var.name] = replace_host(
                            var.name, service.draft.env[var.name], target, new
                        )
                        report.warn(
                            var.where,
                            f"names service {target}, which is {new} in the spec; the value now says {new}",
                        )
                if new not in service.draft.depends_on:
                    report.warn(
                        var.where,
                        f"names service {new}, but {name} does not "
                        "depend on it, so the spec will refuse that "
                        f"traffic; add {new} to services.{name}.depends_on",
                    )


def _add_ports_clients_use(
    imported: dict[str, ImportedService], names: dict[str, str], report: Report
) -> None:
    """In Compose a service is reachable on every port; the spec admits clients only on declared
    ports. Ports that clients' values name (`db:3306`, `redis://cache:6379`), else the port of a
    well-known image, are added (not public), each with a warning."""
    by_name = {names[o]: (o, s) for o, s in imported.items()}
    has_clients = {dep for s in imported.values() for dep in s.draft.depends_on}
    for service in imported.values():
        for var in service.variables:
            for target, port in ports_named(var.name, var.value, list(names)):
                server = imported[target].draft
                if server.find_port(port, "tcp") is None:
                    server.ports.append(PortDraft(port))
                    report.warn(
                        f"services.{target}",
                        f"declares no port {port}, which {var.where} connects to; added (not public) so the "
                        "spec admits that traffic",
                    )
    for name in sorted(has_clients):
        original, service = by_name[name]
        if service.draft.ports:
            continue
        known = image_port(service.draft.image)
        where = f"services.{original}"
        if known is None:
            report.warn(
                where,
                f"declares no ports, and {', '.join(sorted(_clients(imported, names, name)))} depend on it; "
                "the spec admits traffic only on declared ports; add the port it listens on to expose",
            )
            continue
        service.draft.ports.append(PortDraft(known))
        report.warn(
            where,
            f"declares no ports; {known}, where {service.draft.image.split(':')[0]} listens, was added (not "
            "public) so its clients can connect; add the ports it listens on to expose if there are others",
        )


def _clients(imported: dict[str, ImportedService], names: dict[str, str], name: str) -> list[str]:
    return [names[o] for o, s in imported.items() if name in s.draft.depends_on]


def _report_networks(imported: dict[str, ImportedService], names: dict[str, str], report: Report) -> None:
    clients: dict[str, list[str]] = {names[o]: [] for o in imported}
    for original, service in imported.items():
        for dep in service.draft.depends_on:
            clients.setdefault(dep, []).append(names[original])
    for original, service in imported.items():
        if not service.networks:
            continue
        name = names[original]
        accepts = ", ".join(clients[name]) or "no service"
        reaches = ", ".join(service.draft.depends_on) or "no service"
        report.warn(
            path_join(f"services.{original}", "networks"),
            f"{', '.join(service.networks)} not kept: traffic follows depends_on instead; {name} accepts "
            f"connections from {accepts} and reaches {reaches}",
        )
