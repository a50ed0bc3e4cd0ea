# make demo: a sluice cluster with real BGP, in network namespaces, in a VM
# running Debian's kernel with the sluice module (tests/vm/cluster/net.sh,
# the same topology the cluster tests use). A router running BIRD learns
# the VIP from two LB nodes and spreads flows over them by its multipath
# hash; lb1 crashes mid-stream and returns; every connection carries on.
# Then sluiced takes both nodes over: a real's server dies and is drained
# on both nodes, comes back; sluiced is killed and its VIP goes with it.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
. "$SLUICE_ROOT/tests/vm/cluster/sd.sh"

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
modprobe tun
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

# Part 2: the same nodes run by sluiced, as in production: one file per
# node, health checks through the VIP, the VIP announced while healthy.
say "part 2: sluiced takes over both nodes (the hand-made VIP interface and rules go)"
for i in 1 2; do
	ip -n lb$i link del sluice-vip
	adm lb$i -C
	sd_conf $i >$CLUSTER_RUN/sd$i.conf <<EOF
vips = ( { address = "$VIP";
    services = ( { protocol = "tcp"; port = 80; checks = [ "tcp" ];
        reals = ( { address = "10.2.0.11"; }, { address = "10.2.0.12"; },
                  { address = "10.2.0.13"; } ); } ); } );
EOF
done
wait_for 10 no_route $VIP >/dev/null || fail "the router still routes $VIP"
echo "  the router has no route to $VIP now. lb1's configuration (/etc/sluice/sluiced.conf on a real node):"
sed 's/^/    /' $CLUSTER_RUN/sd1.conf
t0=$EPOCHREALTIME
for i in 1 2; do sd_start $i $CLUSTER_RUN/sd$i.conf; done
wait_nexthops "10.2.0.1 10.2.0.2" 60 >/dev/null
echo "  both nodes announce $VIP $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s after they started (nothing is announced before the checks have spoken: learn period $SD_LEARN s)"
echo "  sluiced status on lb1:"
sd_status 1 | sed 's/^/    /'

say "real2's server dies while 100 connections stream"
stream_start tcp 100 12 /tmp/demo.sd
real_kill 2
for i in 1 2; do
	t=$(wait_for 10 sd_weight_is $i 10.2.0.12 0) || sd_fail $i "lb$i did not drain real2"
	echo "  lb$i drained real2 (weight 0) $t s after its server died (checks every 0.5 s, fall 2)"
done
sd_status 1 | grep '10.2.0.12' | sed 's/^/    /'
$CL timeout 60 "$WHOAMI" tcp $VIP 80 60 >/tmp/demo.new
echo "  60 new connections: $(awk '$1 ~ /^real/ { n += $2 } END { print n + 0 }' /tmp/demo.new) answered, $(awk '$1 == "real2" { n += $2 } END { print n + 0 }' /tmp/demo.new) of them by real2"
real_serve 2
for i in 1 2; do
	t=$(wait_for 10 sd_weight_is $i 10.2.0.12 1) || sd_fail $i "lb$i did not bring real2 back"
	echo "  lb$i: real2 back $t s after its server returned (rise 2)"
done
stream_wait /tmp/demo.sd >/dev/null
on2=$(awk '$1 == "start" && $2 == "real2" { print $3 }' /tmp/demo.sd)
echo "  connections to real1 and real3 completed: $(v completed /tmp/demo.sd) of $((100 - ${on2:-0})) (real2 had ${on2:-0}: its server died)"

say "sluiced on lb1 killed with SIGKILL: its VIP goes with it (fate-sharing)"
kill -9 "$(cat $CLUSTER_RUN/sd1.pid)"
t=$(wait_nexthops "10.2.0.2" 10)
echo "  the router dropped lb1 $t s later (sluiced's VIP interface died with it; BIRD withdrew the route)"
sd_start 1 $CLUSTER_RUN/sd1.conf
t=$(wait_nexthops "10.2.0.1 10.2.0.2" 30)
echo "  restarted, lb1 adopted the kernel's table (no real flapped) and announced again after $t s"

say "metrics on lb1 (Prometheus text, http://127.0.0.1:9642/metrics), a few lines"
in_ns lb1 curl -sf http://127.0.0.1:9642/metrics |
	grep -E '^sluice_(backend_weight|check_up|vip_announced)\{' | sed -n '1,8s/^/  /p'
[[ $(v completed /tmp/demo.sd) == $((100 - ${on2:-0})) ]] || fail "connections to healthy reals broke"
! grep -q '^(none)\|^real2 ' /tmp/demo.new || fail "a new connection failed or reached the drained real2"
echo
echo "PASS: the dead real was drained on both nodes and came back; no healthy connection broke"
