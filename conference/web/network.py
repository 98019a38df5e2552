"""Where this machine is on the local network: the address tablets and phones must open."""
from __future__ import annotations

import socket


def lan_address() -> str:
    """This machine's address on the local network, for the addresses tablets will open: the
    address of the interface a packet to another network would leave by (a UDP socket is only
    connected, nothing is sent), else what the host name resolves to."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        if not address.startswith(("127.", "0.")):
            return address
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    return "127.0.0.1"
