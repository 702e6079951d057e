"""bench.classroom holds each size of session to issue 19's target: p95 < 100 ms up to 1,000 phones, < 250 ms
up to 2,000 (and beyond, the largest)."""

from bench.classroom import target_ms


def test_each_size_of_session_has_its_target():
    assert [target_ms(n) for n in (30, 300, 1000, 1001, 2000, 5000)] == [100, 100, 100, 250, 250, 250]
