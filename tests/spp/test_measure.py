from snippets.spp import measure


def test_time_blocks_returns_positive_times_for_both_blocks():
    result = measure.time_blocks((1, 4, 8, 8), number=1, repeat=3)
    assert set(result) == {"spp", "sppf"}
    for r in result.values():
        assert len(r["runs"]) == 3 and all(t > 0 for t in r["runs"])
        assert r["min"] <= r["median"] <= r["max"]


def test_machine_names_cpu_and_torch():
    info = measure.machine()
    assert info["cpu"] and info["torch"].startswith("2.")
