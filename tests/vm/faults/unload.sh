# The module unloaded while traffic flows through it, 20 times (syzbot's
# use-after-free on IPVS unload with hooks running): each cycle starts a
# bounded SYN flood and UDP requests at the VIPs, waits until the module
# has counted packets of it, unloads the module under it, loads and
# configures it again (the programs stay attached; SET_MAPS again). After
# the last cycle the cluster balances as before; any oops, KASAN, lockdep
# or kmemleak report fails the run (the harness reads the kernel's log).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
cluster_up
serve 80

# The module's own count of packets it scheduled (all services).
inpkts() {
	$LB "$SLUICEADM" -L -n --stats | awk '/^(TCP|UDP)/ { s += $3 } END { print s + 0 }'
}

for cycle in $(seq 20); do
	$CL timeout 30 python3 "$WHOAMI" synflood 10.2.0.100 $VIP4 80 20000 >/dev/null &
	flood=$!
	$CL timeout 30 python3 "$WHOAMI" udp "$VIP6" 80 400 >/dev/null 2>&1 &
	udp=$!
	for _ in $(seq 200); do
		(($(inpkts) > 100)) && break
		sleep 0.05
	done
	(($(inpkts) > 100)) || fail "cycle $cycle: no traffic through the module"
	kill -0 $flood 2>/dev/null || fail "cycle $cycle: the flood ended before the unload"
	sluice_unload
	kill $flood $udp 2>/dev/null || true
	wait $flood $udp 2>/dev/null || true
	sluice_load
	lb_config lb 10.2.0.1 fd00:2::1 1 2 3 >/dev/null
done
echo "20 unloads under traffic"

step "after the cycles: balanced as before"
$CL timeout 60 python3 "$WHOAMI" udp $VIP4 80 300 | within 50 150 "IPv4 after the unloads"
$CL timeout 60 python3 "$WHOAMI" tcp "$VIP6" 80 300 | within 50 150 "IPv6 TCP after the unloads"
echo PASS
