def test_general_fixture_assigns_codes(general):
    assert general["main"].code == "44010200100Y"
    assert general["sub1"].code == "440102001001"
    assert general["sub2"].code == "440102001002"
    assert general["plain"].code == "440102002000"
    assert general["township"].code == "442002001000"
