# The data-path tests on the KUnit kernel, part 2 of 2 (tests/kunit/datapath.sh).
DP_PART=2
. "$SLUICE_ROOT/tests/kunit/datapath.sh"
