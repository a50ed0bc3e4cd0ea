# Runs in the KUnit test kernel (tests/kunit/run): load the module and the
# KUnit module, report every KUnit case as a sub-test, unload both, and
# fail on any kmemleak report (KASAN and lockdep reports fail the run
# through the harness's kernel-log check).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
kunit_ko=$(dirname "$SLUICE_KO")/tests/sluice_kunit.ko
kmemleak_clear

step "load sluice and run its KUnit suites"
sluice_load
"$PROBE" info >/dev/null || fail "GET_INFO"
ip netns add kunit-ns && ip netns del kunit-ns
insmod "$kunit_ko"
# The kernel log has every case (debugfs keeps only a parameterised
# case's last parameter on 6.1); the harness cleared it before this test.
dmesg --notime >/tmp/kunit.log
cat /tmp/kunit.log
python3 "$SLUICE_ROOT/tests/kunit/ktap.py" /tmp/kunit.log >>/tmp/out/subtests
rmmod sluice_kunit

step "the control-plane suite and a scale run under KASAN, lockdep and kmemleak"
ctl=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
rc=0
"$ctl" suite kunit-kernel/ctl >>/tmp/out/subtests || rc=1
ip netns add scale
ip netns add scale-mh
nsenter --net=/run/netns/scale "$ctl" scale 500 10 rr || rc=1
nsenter --net=/run/netns/scale "$ctl" reals 1000 || rc=1
nsenter --net=/run/netns/scale-mh "$ctl" scale 20 4 mh || rc=1
((rc == 0)) || fail "control-plane checks on the debug kernel"
# One namespace goes with its services, the other's go with the module.
ip netns del scale
sluice_unload
ip netns del scale-mh

step "kmemleak after unload"
kmemleak_check
echo PASS
