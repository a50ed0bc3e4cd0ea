# The data path under allocation failures (the debug kernel only: failslab):
# one in ten of the connection table's allocations fails (failslab on the
# module's own cache, sluice_conn, and nothing else) while new UDP flows
# arrive. A flow whose entry cannot be allocated is forwarded without one
# and counted (conn-stateless): the scheduler makes the same choice for its
# next packet. Every request is answered, the reals share them as usual,
# nothing else fails. Run by tests/kunit/run boot 2 (make check) and
# tests/kunit/run faults (make test-faults), before the netlink fuzzer
# and the allocation sweep, whose kmemleak scans after unloading the
# module cover it too.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
D=/sys/kernel/debug/failslab
[[ -d $D ]] || fail "this kernel has no failslab"
cluster_up
serve 80
slab=/sys/kernel/slab/sluice_conn
# A cache merged with others (a link to a shared one) would spread the
# failures beyond the module.
[[ -d $slab && ! -L $slab ]] || fail "sluice_conn is not a cache of its own: $(ls -ld $slab)"
# Marked for failslab by the kernel's command line (slub_debug=A,sluice_conn:
# tests/kunit/run; 6.1's SLUB has the flag read-only in sysfs).
[[ $(cat $slab/failslab) == 1 ]] || fail "sluice_conn is not marked for failslab"
before=$(lb_stat conn-stateless)
echo Y >"$D/cache-filter"
echo N >"$D/ignore-gfp-wait"
echo 0 >"$D/verbose"
echo -1 >"$D/times"
echo 1 >"$D/interval"
echo 10 >"$D/probability"
$CL timeout 120 "$WHOAMI" udp $VIP4 80 300 | within 50 150 "UDP with failing allocations"
echo 0 >"$D/probability"
stateless=$(($(lb_stat conn-stateless) - before))
echo "flows forwarded without an entry: $stateless of 300"
((stateless >= 5 && stateless <= 100)) || fail "conn-stateless moved by $stateless, want about 30"
no_drops lb "allocation failures"
echo PASS
