# Runs in the KUnit test kernel (tests/kunit/run): load the module and the
# KUnit module, report every KUnit case as a sub-test, unload both, and
# fail on any kmemleak report (KASAN and lockdep reports fail the run
# through the harness's kernel-log check).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
kunit_ko=$(dirname "$SLUICE_KO")/tests/sluice_kunit.ko
leaks=/sys/kernel/debug/kmemleak

[[ -e $leaks ]] || fail "kmemleak is not available in this kernel"
echo clear >"$leaks"

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
sluice_unload

step "kmemleak after unload"
# Objects are reported once they are older than 5 s; scan twice.
sleep 6
echo scan >"$leaks"
sleep 1
echo scan >"$leaks"
if grep -q unreferenced "$leaks"; then
	head -n 60 "$leaks"
	fail "kmemleak found leaks"
fi
echo PASS
