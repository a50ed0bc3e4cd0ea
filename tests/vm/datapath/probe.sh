# Health checks through the VIP: a socket on the LB marked
# SLUICE_MARK_VALUE | slot reaches that one real encapsulated, as clients'
# packets do, so a real that decapsulates but does not hold the VIP fails
# the check that a plain check of its own address passes (IPv4 and IPv6,
# TCP and UDP). An unmarked local packet to the VIP is not taken by the
# probe path; a mark naming an unused slot is dropped and counted.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
PROBE_PY=$SLUICE_ROOT/tests/vm/datapath/probe.py
CTL=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
trap 'topo_down; rmmod sluice 2>/dev/null' EXIT
sluice_load
topo_up

# probe tcp|udp SLOT|none SRC ADDR [BYTES]: probe.py from the LB to ADDR:80.
probe() {
	local mark=none
	[[ $2 == none ]] || mark=$((0x5c150000 | $2))
	$LB timeout 60 python3 -S "$PROBE_PY" "$1" $mark "$3" "$4" 80 ${5:+"$5"}
}

# expect_answer WHO CMD...: CMD prints WHO's answer; expect_silence CMD...:
# CMD gets none.
expect_answer() {
	local want=$1 out
	shift
	out=$("$@") || fail "$*: no answer ($out), want $want"
	echo "$out"
	[[ ${out%% *} == "$want" ]] || fail "$*: answered by ${out%% *}, want $want"
}

expect_silence() {
	local out
	if out=$("$@"); then
		fail "$*: answered by $out, want no answer"
	fi
	echo "$out"
}

# silent CMD...: expect_silence in the background, its wait (3 s for TCP,
# 6 for UDP) beside the others'; silent_done: each held.
silent_pids=()
silent() {
	expect_silence "$@" &
	silent_pids+=($!)
}
silent_done() {
	local p rc=0
	for p in "${silent_pids[@]}"; do wait "$p" || rc=1; done
	silent_pids=()
	((rc == 0)) || fail "a probe that should have had no answer had one (above)"
}

# counter NAME [N]: the N-th (default first) --dataplane-stats line NAME.
counter() {
	$LB "$SLUICEADM" --dataplane-stats | awk -v k="$1" '$1 == k { print $2 }' | sed -n "${2:-1}p"
}

step "real1 holds the VIPs; real2 decapsulates but does not hold them"
ip -n real2 addr del $VIP4/32 dev lo
ip -n real2 addr del $VIP6/128 dev lo
serve_in real1 real1 $VIP4 80
serve_in real1 real1 $VIP6 80
# real2 serves on its own addresses: a plain check of it passes.
serve_in real2 real2 10.2.0.12 80
serve_in real2 real2 fd00:2::12 80
listening real1 80 4
listening real2 80 4

step "configure: attach, tunnel sources, TCP and UDP services with real1 and real2"
dp_attach lb l0
$LB "$SLUICEADM" --tunnel-source 10.2.0.1/32 || fail "tunnel source v4"
$LB "$SLUICEADM" --tunnel-source fd00:2::1/128 || fail "tunnel source v6"
for p in -t -u; do
	$LB "$SLUICEADM" -A $p $VIP4:80 || fail "service $p $VIP4:80"
	$LB "$SLUICEADM" -A $p "[$VIP6]:80" || fail "service $p [$VIP6]:80"
	for i in 1 2; do
		$LB "$SLUICEADM" -a $p $VIP4:80 -r 10.2.0.1$i -i || fail "real $i"
		$LB "$SLUICEADM" -a $p "[$VIP6]:80" -r "[fd00:2::1$i]" -i || fail "real v6 $i"
	done
done
$LB "$SLUICEADM" -L -n
A4=$($LB "$CTL" slot 10.2.0.11) || fail "slot of real1"
B4=$($LB "$CTL" slot 10.2.0.12) || fail "slot of real2"
A6=$($LB "$CTL" slot fd00:2::11) || fail "slot of real1 v6"
B6=$($LB "$CTL" slot fd00:2::12) || fail "slot of real2 v6"
echo "slots: real1 $A4 $A6, real2 $B4 $B6"
[[ $(printf '%s\n' "$A4" "$B4" "$A6" "$B6" | sort -u | wc -l) == 4 ]] || fail "slots not distinct"

step "without accept_local, the LB drops the real's reply (its source, the VIP, is local)"
ip netns exec lb sysctl -qw net.ipv4.conf.l0.accept_local=0
for k in all default l0; do ip netns exec lb sysctl -qw net.ipv4.conf.$k.rp_filter=0; done
encap=$(counter encap-ipv4)
expect_silence probe udp "$A4" 10.2.0.1 $VIP4
(($(counter encap-ipv4) >= encap + 2)) || fail "the probe was not encapsulated"
ip netns exec lb sysctl -qw net.ipv4.conf.l0.accept_local=1

step "TCP and UDP through the VIP: real1 answers, real2 does not; real2's own address does"
for p in tcp udp; do
	silent probe $p "$B4" 10.2.0.1 $VIP4
	silent probe $p "$B6" fd00:2::1 $VIP6
done
for p in tcp udp; do
	expect_answer real1 probe $p "$A4" 10.2.0.1 $VIP4
	expect_answer real2 probe $p none 10.2.0.1 10.2.0.12
	expect_answer real1 probe $p "$A6" fd00:2::1 $VIP6
	expect_answer real2 probe $p none fd00:2::1 fd00:2::12
done
silent_done

step "the VIP withdrawn from the LB (not local): probes still reach the real"
# The socket needs a route to the VIP (a node has a default route); the
# hook takes the packet whatever that route is, and the reply's source is
# no longer local.
ip -n lb addr del $VIP4/32 dev lo
ip -n lb route add $VIP4/32 via 10.2.0.100
silent probe tcp "$B4" 10.2.0.1 $VIP4
expect_answer real1 probe tcp "$A4" 10.2.0.1 $VIP4
expect_answer real1 probe udp "$A4" 10.2.0.1 $VIP4
silent_done
ip -n lb route del $VIP4/32 via 10.2.0.100
ip -n lb addr add $VIP4/32 dev lo

step "probes bypass the scheduler and the connection table"
$LB "$SLUICEADM" -L -n -c >/tmp/conns.out || fail "-Lnc"
grep -E " (10\.2\.0\.1|\[?fd00:2::1\]?):[0-9]+ " /tmp/conns.out && fail "a probe has a connection entry"
$LB "$SLUICEADM" -L -n --stats | tee /tmp/stats.out
awk '$1 ~ /^(TCP|UDP)$/ && $3 != 0 { bad = 1 } END { exit !bad }' /tmp/stats.out &&
	fail "a probe counted as a connection of a service"

step "1 MB echoed through the VIP over a probe connection (GSO packets, path MTU)"
# The local socket's route to the VIP is loopback's (MTU 65536): its
# segments of the real's MSS are too big for the tunnel, the module sends
# it "too big" from the VIP, and it carries on under the tunnel's MTU
# (1500 - 20 - 40 = 1440 for IPv4, 1500 - 40 - 60 = 1400 for IPv6).
out=$(expect_answer real1 probe tcp "$A4" 10.2.0.1 $VIP4 1000000) || exit 1
echo "$out"
((${out##* } <= 1440)) || fail "IPv4 probe's MSS ${out##* }, want at most 1440"
out=$(expect_answer real1 probe tcp "$A6" fd00:2::1 $VIP6 1000000) || exit 1
echo "$out"
((${out##* } <= 1400)) || fail "IPv6 probe's MSS ${out##* }, want at most 1400"
$LB ip route get $VIP4 from 10.2.0.1
$LB ip -6 route get $VIP6 from fd00:2::1

step "an unmarked local connection to the VIP is not a probe: via loopback into PRE_ROUTING"
# Whichever real the scheduler picks, the flow is in the connection table
# (a probe's never is) and counted as the service's.
$LB timeout 20 python3 -S "$PROBE_PY" tcp none 10.2.0.1 $VIP4 80 || true
$LB "$SLUICEADM" -L -n -c | tee /tmp/conns.out
grep -Eq "^TCP .* 10\.2\.0\.1:[0-9]+ +$VIP4:80 " /tmp/conns.out ||
	fail "the unmarked connection did not reach the scheduler"

step "a mark naming an unused slot: dropped and counted, sender told EPERM"
before=$(counter drop-probe-no-real)
out=$(probe udp 4000 10.2.0.1 $VIP4) && fail "unused slot answered: $out"
echo "$out"
grep -q "Operation not permitted" <<<"$out" || fail "unused slot: want EPERM, got: $out"
expect_silence probe tcp 4001 fd00:2::1 $VIP6
after=$(counter drop-probe-no-real)
((after >= before + 2)) || fail "drop-probe-no-real $before -> $after"

step "a real deleted from every service: its slot is unused once it is freed"
# IPv6: no connection entry holds real1's IPv6 endpoint.
$LB "$SLUICEADM" -d -u "[$VIP6]:80" -r "[fd00:2::11]" || fail "delete real1 v6 from UDP"
expect_answer real1 probe udp "$A6" fd00:2::1 $VIP6 # still a real of the TCP service
$LB "$SLUICEADM" -d -t "[$VIP6]:80" -r "[fd00:2::11]" || fail "delete real1 v6 from TCP"
sleep 1 # the real, then its endpoint, are freed after RCU grace periods
before=$(counter drop-probe-no-real)
expect_silence probe udp "$A6" fd00:2::1 $VIP6
after=$(counter drop-probe-no-real)
((after > before)) || fail "a deleted real's slot was not dropped ($before -> $after)"

$LB "$SLUICEADM" --dataplane-stats
n=$(counter drop-no-route)
((n == 0)) || fail "drop-no-route: $n"
echo PASS
