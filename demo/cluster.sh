# make demo: a sluice cluster with real BGP, in network namespaces, in a VM
# running Debian's kernel with the sluice module (tests/vm/cluster/net.sh,
# the same topology the cluster tests use). A router running BIRD learns
# the VIP from two LB nodes and spreads flows over them by its multipath
# hash; lb1 crashes mid-stream and returns; every connection carries on.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"

say() { printf '\n=== %s\n' "$*"; }

# bar LABEL COUNT TOTAL: a bar of COUNT's share of TOTAL.
bar() {
	local w=$(($2 * 40 / ($3 > 0 ? $3 : 1)))
	printf '  %-6s %4d %s\n' "$1" "$2" "$(printf '%*s' "$w" '' | tr ' ' '#')"
}

# spread TITLE: the client's connection entries (TCP and UDP) per LB node
# at this moment.
spread() {
	local i n total=0 counts=()
	for i in 1 2; do
		n=$(adm lb$i -L -n -c | grep -c ' 10\.1\.0\.100:' || true)
		counts+=("$n")
		total=$((total + n))
	done
	echo "  $1"
	for i in 1 2; do bar lb$i "${counts[$((i - 1))]}" "$total"; done
}

say "the cluster: client, a router with BIRD, two LB nodes with BIRD and sluice, three reals"
cat <<'TXT'
  client 10.1.0.100 ── router ── segment ──┬── lb1 10.2.0.1   BIRD + sluice (XDP, module, tc IP-in-IP)
                       BIRD, ECMP          ├── lb2 10.2.0.2   BIRD + sluice, the same rules (reals in another order)
                       (L4 hash)           └── real1..3 10.2.0.11-13  decapsulate, VIP on lo, answer the client
                                                              directly through the router (DSR)
  VIP 10.99.0.1:80, TCP and UDP, Maglev (mh) with the same seed on both nodes
TXT
cluster_up 2

say "BGP: the router's sessions (BFD 100 ms x 5, hold time 3 s) and its multipath route"
birdc_ns router show protocols | awk 'NR == 2 || /^lb[12] / || /^router_bfd/' | sed 's/^/  /'
ip -n router route show $VIP | sed 's/^/  /'

say "200 TCP connections stream data both ways, 200 UDP flows ask every 250 ms"
stream_start tcp 200 30 /tmp/demo.tcp
stream_start udp 200 30 /tmp/demo.udp
echo "  TCP connections per real:"
awk '$1 == "start" { t += $3; c[$2] = $3 } END { for (r in c) print r, c[r], t }' /tmp/demo.tcp |
	sort | while read -r r c t; do bar "$r" "$c" "$t"; done
spread "connection entries per LB node (the router's hash spreads the flows):"

say "lb1 crashes: link down, BIRD killed with SIGKILL (no BGP goodbye)"
sleep 2
node_crash 1
t=$(wait_nexthops "10.2.0.2" 30)
echo "  the router dropped lb1 after $t s (BFD):"
ip -n router route show $VIP | sed 's/^/  /'
sleep 4
spread "lb2 now carries every flow and picks the same real for lb1's (lb1's entries wait, unused):"

say "lb1 returns (its old connection entries and all)"
node_return 1
t2=$(wait_nexthops "10.2.0.1 10.2.0.2" 60)
echo "  back in the router's route after $t2 s:"
ip -n router route show $VIP | sed 's/^/  /'

say "waiting for the streams to finish..."
stream_wait /tmp/demo.tcp >/dev/null
stream_wait /tmp/demo.udp >/dev/null
v() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

say "summary"
printf '  %-44s %s\n' \
	"TCP connections open before the crash" "$(v connections /tmp/demo.tcp)" \
	"TCP connections completed, every byte intact" "$(v completed /tmp/demo.tcp)" \
	"  reset / stalled / corrupted" "$(v reset /tmp/demo.tcp) / $(v stalled /tmp/demo.tcp) / $(v corrupt /tmp/demo.tcp)" \
	"  longest wait for an echo (the failover)" "$(v max-gap /tmp/demo.tcp) s" \
	"  bytes echoed" "$(v bytes /tmp/demo.tcp)" \
	"UDP flows that kept their real" "$(v kept /tmp/demo.udp) of $(v flows /tmp/demo.udp)" \
	"failover (crash -> route without lb1)" "$t s" \
	"lb1 back in the route after" "$t2 s"
for i in 1 2; do
	echo
	echo "  sluiceadm -L -n --stats on lb$i:"
	adm lb$i -L -n --stats | sed 's/^/  /'
done
[[ $(v completed /tmp/demo.tcp) == 200 && $(v kept /tmp/demo.udp) == 200 ]] ||
	fail "some flows broke"
echo
echo "PASS: every connection survived the crash and the return"
