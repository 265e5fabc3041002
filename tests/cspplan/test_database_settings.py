"""How the application talks to its database (cspplan/settings.py)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    # The dashboards' counts took 1.2 s with JIT and 20 ms without (benchmarks/README.md).
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
