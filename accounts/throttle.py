"""Counting requests in a window with Django's cache, to hold back password reset emails.

The counts live in the default cache. Django's default, a memory cache, is per process: an
installation with several app servers (or processes) needs a shared cache, such as the
database cache (CACHE_BACKEND, see the settings), or each process keeps its own count.
"""

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for `key` in `scope`; True while the window's count is within
    `limit`. The window starts at the first request and is not extended by later ones."""
    name = f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(name, 0, timeout=window_seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr: this request starts a new window
        cache.add(name, 1, timeout=window_seconds)
        count = 1
    return count <= limit
