# One service with 5,000 reals (#17): each added and found by its key (the
# module keeps a service's reals in a hash table), one Maglev table built
# over all of them and rebuilt on one change, every real deleted in a
# shuffled order with the listing checked on the way (sluice-ctltest
# reals: tests/tools/sluice-ctltest.c).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
CTL=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
sluice_load
step "5000 reals in one service"
"$CTL" reals 5000 || fail "5000 reals"
[[ $("$CTL" count) == 0 ]] || fail "services left"
sluice_unload
echo PASS
