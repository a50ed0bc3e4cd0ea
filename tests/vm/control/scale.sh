# Dumps that hold 10,000 services with 10 reals each (rr: building 100,000
# Maglev tables of 65537 slots under TCG would take the test's whole time
# budget; mh at scale is the second step, with fewer services), every
# field checked on the way back; then flush, and unload with nothing left.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
CTL=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
sluice_load

step "10000 x 10, rr"
"$CTL" scale 10000 10 rr || fail "10000 services x 10 reals"
[[ $("$CTL" count) == 10000 ]] || fail "service count after the scale test"
"$CTL" flush || fail "flush"
[[ $("$CTL" count) == 0 ]] || fail "services left after flush"

step "100 x 10, mh (65537 slots each), in a namespace deleted after"
ip netns add m
nsenter --net=/run/netns/m "$CTL" scale 100 10 mh || fail "100 mh services x 10 reals"
ip netns del m
sluice_unload
echo PASS
