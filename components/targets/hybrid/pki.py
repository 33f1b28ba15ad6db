"""The cluster's CAs and the admin client certificate, made by Pulumi (not on a node), so
the kubeconfig is known before the cluster exists."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from ... import naming

TEN_YEARS = 87_600
ONE_YEAR = 8_760


@dataclass(frozen=True)
class ClusterPki:
    """PEM outputs; private keys are Pulumi secrets."""

    server_ca_cert: pulumi.Output[str]
    server_ca_key: pulumi.Output[str]
    client_ca_cert: pulumi.Output[str]
    client_ca_key: pulumi.Output[str]
    admin_cert: pulumi.Output[str]
    admin_key: pulumi.Output[str]


def _ca(name: str, common_name: str, parent: pulumi.Resource) -> tuple[tls.PrivateKey, tls.SelfSignedCert]:
    opts = pulumi.ResourceOptions(parent=parent)
    key = tls.PrivateKey(naming.child(name, "key"), algorithm="ECDSA", ecdsa_curve="P256", opts=opts)
    cert = tls.SelfSignedCert(
        naming.child(name, "cert"),
        private_key_pem=key.private_key_pem,
        is_ca_certificate=True,
        validity_period_hours=TEN_YEARS,
        allowed_uses=["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
        subject=tls.SelfSignedCertSubjectArgs(common_name=common_name),
        opts=opts,
    )
    return key, cert


def build_pki(name: str, parent: pulumi.Resource) -> ClusterPki:
    """A server CA (signs the API server's certificate), a client CA (signs client
    certificates), and an admin certificate in `system:masters`."""
    server_key, server_cert = _ca(naming.child(name, "server-ca"), f"{name}-server-ca", parent)
    client_key, client_cert = _ca(naming.child(name, "client-ca"), f"{name}-client-ca", parent)
    opts = pulumi.ResourceOptions(parent=parent)
    admin_key = tls.PrivateKey(
        naming.child(name, "admin-key"), algorithm="ECDSA", ecdsa_curve="P256", opts=opts
    )
    request = tls.CertRequest(
        naming.child(name, "admin-csr"),
        private_key_pem=admin_key.private_key_pem,
        subject=tls.CertRequestSubjectArgs(common_name="hybrid-admin", organization="system:masters"),
        opts=opts,
    )
    admin = tls.LocallySignedCert(
        naming.child(name, "admin-cert"),
        cert_request_pem=request.cert_request_pem,
        ca_cert_pem=client_cert.cert_pem,
        ca_private_key_pem=client_key.private_key_pem,
        validity_period_hours=ONE_YEAR,
        early_renewal_hours=ONE_YEAR // 4,
        allowed_uses=["client_auth", "digital_signature", "key_encipherment"],
        opts=opts,
    )
    return ClusterPki(
        server_ca_cert=server_cert.cert_pem,
        server_ca_key=pulumi.Output.secret(server_key.private_key_pem),
        client_ca_cert=client_cert.cert_pem,
        client_ca_key=pulumi.Output.secret(client_key.private_key_pem),
        admin_cert=admin.cert_pem,
        admin_key=pulumi.Output.secret(admin_key.private_key_pem),
    )
