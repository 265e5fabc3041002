"""The client's address, as the lock-out and the password reset limits count it.

Behind a reverse proxy every request comes from the proxy's address, so a deployment names
the header its proxy sets (CLIENT_ADDRESS_HEADER, e.g. HTTP_X_FORWARDED_FOR) and how many
proxies of its own append to it (TRUSTED_PROXY_COUNT). Without that setting the header is
ignored: anyone can send X-Forwarded-For, and trusting it would let a guesser pose as a new
address on every request.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "CLIENT_ADDRESS_HEADER", "")
    if not header:
        return remote
    # Each proxy appends the address it saw; the ones a client wrote come first, so count
    # from the right past our own proxies.
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    count = max(1, getattr(settings, "TRUSTED_PROXY_COUNT", 1))
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
