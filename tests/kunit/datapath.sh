# Sourced in the KUnit test kernel by datapath-1.sh and datapath-2.sh
# (tests/kunit/run boots one VM for each, at once, with DP_PART set: 1
# runs the two longest tests, about half the time with the faults under
# traffic and the unloads after them; 2 every other one, new ones
# included): every data-path test
# (tests/vm/datapath/: forwarding, weights, drain and delete under load,
# unserved ports, MTU, the SYN flood, ICMP errors, persistence, two LB
# nodes, health-check probes through the VIP; traffic, connection table,
# both families, namespaces and module torn down after each) and the
# cluster's node crash, return and scale-out with BIRD
# (tests/vm/cluster/failover.sh) under KASAN and lockdep, then a kmemleak
# scan after the module is gone. Each is reported as
# vm/kunit-kernel/datapath/NAME.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/lib.sh" # cpu_since
kmemleak_clear
bad=0
long=" forward failover "
for t in "$SLUICE_ROOT"/tests/vm/datapath/*.sh "$SLUICE_ROOT"/tests/vm/cluster/failover.sh; do
	n=$(basename "$t" .sh)
	# The fast path's own test runs on 6.1 and 6.12 (the vm layer): here
	# it took 214 s and its timing checks do not hold under KASAN (TCG).
	# So does conntab.sh (the table resized under traffic): here the flood
	# outlasted its entries' timeout in make check (114 s; 2026-12-01),
	# and the table's growth, expiry and eviction run in synflood.sh here.
	[[ $n == topo || $n == fastpath || $n == conntab ]] && continue
	if [[ $long == *" $n "* ]]; then [[ $DP_PART == 1 ]] || continue; else [[ $DP_PART == 2 ]] || continue; fi
	start=$SECONDS
	cpu=$(cpu_since)
	if SLUICE_SLOW_KERNEL=1 bash "$t" >"/tmp/dp-$n.log" 2>&1; then
		echo "ok vm/kunit-kernel/datapath/$n" >>/tmp/out/subtests
	else
		echo "not ok vm/kunit-kernel/datapath/$n" >>/tmp/out/subtests
		echo "--- $n failed:"
		tail -n 40 "/tmp/dp-$n.log"
		bad=1
	fi
	echo "$n: $((SECONDS - start)) s"
	echo "datapath/$n $((SECONDS - start))s $(cpu_since "$cpu")" >>/tmp/out/durations
	[[ ! -d /sys/module/sluice ]] || fail "$n left the module loaded"
	rm -rf /sys/fs/bpf/sluice # its namespaces' maps (tests/vm/guest-main)
done
step "kmemleak after unload"
kmemleak_check
((bad == 0)) || fail "a data-path test failed"
echo PASS
