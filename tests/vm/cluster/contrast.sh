# The same node crash (tests/vm/cluster/net.sh: lb1's link down and its
# BIRD SIGKILLed while 200 TCP connections and 200 UDP flows stream, then
# lb1 returns) under several setups, in one boot, with the router noticing
# the crash by BGP's hold timer (no BFD):
#   sluice mh      must break nothing (asserted)
#   sluice rr      a scheduler whose choice is not the same on every node:
#                  must break or move some (asserted: the scenario is one
#                  that nodes which disagree fail)
# and with CONTRAST_IPVS=1 (make bench: bench/vm/contrast.sh), between
# the two, reported only:
#   IPVS mh        ipvsadm, tunnel mode, default settings
#   IPVS mh sloppy the same with net.ipv4.vs.sloppy_tcp=1
# The reals are added in another order on lb2 than on lb1 in every setup,
# as operators' tools do. The table at the end goes to the README.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
if [[ -n ${CONTRAST_IPVS:-} ]]; then
	modprobe ip_vs
	modprobe ip_vs_mh
fi
BFD=off cluster_up 2
results=/tmp/contrast
: >$results

# v KEY FILE: KEY's figure in a stream's summary.
v() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# report SETUP: one row of the table from the last crash run; sets broken
# (TCP connections) and moved (UDP flows).
report() {
	broken=$(($(v reset /tmp/crash.tcp) + $(v stalled /tmp/crash.tcp) + $(v corrupt /tmp/crash.tcp) + $(v moved /tmp/crash.tcp)))
	moved=$(v moved /tmp/crash.udp)
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(cat /tmp/crash.failover)" "$broken" \
		"$(v max-gap /tmp/crash.tcp)" "$moved" "$(v silent /tmp/crash.udp)" | tee -a $results
}

# ipvs_rules NODE ORDER...: IPVS's mh in tunnel mode, TCP and UDP on VIP:80.
ipvs_rules() {
	local ns=$1 p i
	shift
	for p in -t -u; do
		in_ns "$ns" ipvsadm -A $p $VIP:80 -s mh || fail "$ns: ipvsadm service"
		for i in "$@"; do
			in_ns "$ns" ipvsadm -a $p $VIP:80 -r "10.2.0.1$i" -i || fail "$ns: ipvsadm real $i"
		done
	done
}

step "sluice mh (hold timer failover)"
crash_run "sluice mh"
report "sluice mh"
grep -q '^completed 200$' /tmp/crash.tcp || fail "sluice mh: TCP connections broke"
grep -q '^kept 200$' /tmp/crash.udp || fail "sluice mh: UDP flows changed real or went silent"
awk '{ exit !($1 < 6) }' /tmp/crash.failover || fail "hold-timer failover took $(cat /tmp/crash.failover) s"

if [[ -n ${CONTRAST_IPVS:-} ]]; then
	step "IPVS mh, tunnel mode, default settings"
	for i in 1 2; do adm lb$i -C || fail "lb$i: clear"; done
	ipvs_rules lb1 1 2 3
	ipvs_rules lb2 3 1 2
	crash_run "IPVS mh"
	report "IPVS mh"

	step "IPVS mh, tunnel mode, sloppy_tcp=1"
	for i in 1 2; do in_ns lb$i sysctl -qw net.ipv4.vs.sloppy_tcp=1 net.ipv4.vs.sloppy_sctp=1; done
	crash_run "IPVS mh sloppy_tcp"
	report "IPVS mh, sloppy_tcp=1"
	for i in 1 2; do in_ns lb$i ipvsadm -C; done
else
	for i in 1 2; do adm lb$i -C || fail "lb$i: clear"; done
fi

step "sluice rr"
lb_rules lb1 rr 1 2 3
lb_rules lb2 rr 3 1 2
crash_run "sluice rr"
report "sluice rr"
((broken + moved > 0)) ||
	fail "sluice rr broke and moved nothing: the crash does not test whether the nodes agree"

echo
echo "| setup | failover (s) | TCP connections broken (of 200) | longest TCP stall (s) | UDP flows that changed real (of 200) | UDP flows silent at the end |"
echo "|---|---|---|---|---|---|"
cat $results
echo PASS
