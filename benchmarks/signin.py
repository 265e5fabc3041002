"""What the sign-in protections cost a request: wrong passwords counted by django-axes, a
locked-out answer, a right password, the second factor's code, and a page for a user
verified with a second factor (one query more: django-otp loads the device).

    DEBUG=1 .venv/bin/python benchmarks/signin.py [--database-url postgres://...] [--repeat 15]

Works in a throwaway database (see spreadsheets.py) with Django's real password hasher.
Reports the median wall time of each step and its number of queries.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from spreadsheets import setup_django, throwaway_database  # noqa: E402


def timed(step, repeat: int) -> tuple[float, int]:
    """Median milliseconds of `step()` over `repeat` runs, and the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        step()
    return statistics.median(times), len(queries.captured_queries)


def run(repeat: int) -> list[tuple[str, float, int]]:
    import django.test
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    login = reverse("login")
    rows = []
    address = iter(range(1, 1_000_000))

    def fresh_address() -> str:
        # A new address each time, so that no limit is reached while measuring.
        n = next(address)
        return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"

    user = User.objects.create_user("bench", password="the-right-password")
    client = django.test.Client()

    def wrong():
        client.post(
            login,
            {"username": f"bench-{next(address)}", "password": "wrong"},
            REMOTE_ADDR=fresh_address(),
        )

    rows.append(("wrong password (counted)", *timed(wrong, repeat)))

    locked = User.objects.create_user("locked", password="the-right-password")
    for n in range(5):
        client.post(
            login, {"username": locked.username, "password": f"guess-{n}"}, REMOTE_ADDR="10.255.0.1"
        )

    def refused():
        response = client.post(
            login, {"username": locked.username, "password": "x"}, REMOTE_ADDR="10.255.0.1"
        )
        assert response.status_code == 429

    rows.append(("locked out (429 page)", *timed(refused, repeat)))

    def right():
        response = django.test.Client().post(
            login,
            {"username": user.username, "password": "the-right-password"},
            REMOTE_ADDR=fresh_address(),
        )
        assert response.status_code == 302

    rows.append(("right password", *timed(right, repeat)))

    analyst = User.objects.get(username="analyst")
    analyst.set_password("the-right-password")
    analyst.save()
    device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True, tolerance=10_000)
    step = [0]

    def code():
        signed_in = django.test.Client()
        signed_in.post(
            login,
            {"username": "analyst", "password": "the-right-password"},
            REMOTE_ADDR=fresh_address(),
        )
        step[0] += 1
        totp = TOTP(device.bin_key)
        totp.time = time.time() + 30 * step[0]  # a code is accepted once: a later one each time
        response = signed_in.post(
            reverse("accounts:second-factor"), {"code": f"{totp.token():06d}"}
        )
        assert response.status_code == 302, response.content[:500]

    rows.append(("password then code (two requests)", *timed(code, repeat)))

    verified = django.test.Client()
    verified.post(login, {"username": "analyst", "password": "the-right-password"})
    totp = TOTP(device.bin_key)
    totp.time = time.time() + 30 * (step[0] + 1)
    verified.post(reverse("accounts:second-factor"), {"code": f"{totp.token():06d}"})
    plans = reverse("actions:plan-list")

    def page():
        assert verified.get(plans).status_code == 200

    rows.append(("plans page, verified analyst", *timed(page, repeat)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cspplan-bench-") as directory:
        database_url, drop = throwaway_database(options.database_url, Path(directory))
        try:
            setup_django(database_url)
            import io

            from django.core.management import call_command
            from django.db import connection
            from django.test.utils import setup_test_environment

            setup_test_environment()  # the test client's host name, and emails kept in memory
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
            call_command("demo_users", stdout=io.StringIO())
            rows = run(options.repeat)
            print(f"\n{connection.vendor}, median of {options.repeat}\n")
            print("| step | ms | queries |\n|---|---:|---:|")
            for name, ms, queries in rows:
                print(f"| {name} | {ms:.1f} | {queries} |")
        finally:
            drop()


if __name__ == "__main__":
    main()
