# Runs in the KUnit test kernel (tests/kunit/run): the data path with two
# LB nodes (tests/vm/datapath/ecmp.sh: traffic, connection table, both
# families, namespaces and module torn down) under KASAN and lockdep, then
# a kmemleak scan after the module is gone.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
kmemleak_clear
bash "$SLUICE_ROOT/tests/vm/datapath/ecmp.sh" || fail "the ECMP data-path test"
[[ ! -d /sys/module/sluice ]] || fail "the module is still loaded"
step "kmemleak after unload"
kmemleak_check
echo PASS
