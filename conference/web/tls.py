"""A self-signed certificate kept in the instance folder, so tablet cameras work over https on a LAN.

Browsers give a page the camera only in a secure context: https, or localhost. On a LAN the
tablets open https://<laptop address>:5000, accept the certificate warning once (or install
the certificate, downloadable from /door/certificate.pem), and the camera works.

The certificate names localhost, 127.0.0.1, this machine's host name and its LAN address. It is
kept between runs and made again when the laptop's address changed (another venue, another
DHCP lease) or when it is close to expiring.
"""
from __future__ import annotations

import datetime
import ipaddress
import os
import re
import socket
from pathlib import Path
from typing import Iterable

VALID_DAYS = 825  # the longest validity Apple devices accept for a server certificate
RENEW_BEFORE = datetime.timedelta(days=30)
_HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _wanted_names(addresses: Iterable[str]) -> tuple[set[str], set[str]]:
    """(DNS names, IP addresses) the certificate should cover."""
    dns = {"localhost"}
    ips = {"127.0.0.1"}
    for address in [socket.gethostname(), *addresses]:
        address = (address or "").strip()
        if not address or address in ("0.0.0.0", "::"):
            continue
        try:
            ips.add(str(ipaddress.ip_address(address)))
        except ValueError:
            if _HOST_NAME.match(address):
                dns.add(address.lower())
    return dns, ips


def _covers(cert_path: Path, dns: set[str], ips: set[str]) -> bool:
    """Whether the kept certificate names everything wanted and is not about to expire."""
    from cryptography import x509
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound, OSError):
        return False
    have_dns = {name.lower() for name in names.get_values_for_type(x509.DNSName)}
    have_ips = {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    fresh = certificate.not_valid_after_utc - datetime.datetime.now(datetime.timezone.utc) > RENEW_BEFORE
    return fresh and dns <= have_dns and ips <= have_ips


def self_signed_certificate(instance: Path, address: str | Iterable[str]) -> tuple[str, str]:
    """Paths of (certificate, key) for this machine, made or remade only when needed."""
    addresses = [address] if isinstance(address, str) else list(address)
    cert_path, key_path = instance / "tls-cert.pem", instance / "tls-key.pem"
    dns, ips = _wanted_names(addresses)
    if cert_path.exists() and key_path.exists() and _covers(cert_path, dns, ips):
        return str(cert_path), str(key_path)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Conference day"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Conference day (self-signed)")])
    names = [x509.DNSName(n) for n in sorted(dns)] + [x509.IPAddress(ipaddress.ip_address(i)) for i in sorted(ips)]
    now = datetime.datetime.now(datetime.timezone.utc)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        # Its own issuer, so a tablet may install it as trusted and skip the warning for good.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256()))
    instance.mkdir(parents=True, exist_ok=True)
    _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(cert_path), str(key_path)


def _write_private(path: Path, data: bytes) -> None:
    """Written with mode 0600 from the start, never readable by others even for a moment."""
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
