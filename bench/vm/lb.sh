# make bench, in the VM: the load balancer's own cost, sluice against IPVS
# (ip_vs_mh, tunnel mode), with plain IP forwarding as the floor: the same
# boot, the same topology, the same traffic. sluice twice: its usual path
# (the module; XDP on the real-facing link only), and with the XDP fast
# path (XDP on the client-facing link too, sluiceadm --fastpath on: a
# flow's packets after its first are encapsulated in XDP and redirected to
# the real-facing link; one a second per flow still takes the module's
# path, as do the first packets of the runs with a new flow each).
#  - UDP: pktgen sends 64-byte packets over 10,000 flows (source ports)
#    from "gen" through "lb" to "real"; the rate is what reaches the real.
#    Three runs per path: "LB only", the real dropping every IP packet at
#    the ingress of its link to the LB (tc), so that what is measured
#    above the floor is the LB's work alone; "end to end", the real
#    decapsulating (IPVS and sluice) and routing every packet, which adds
#    the real's decapsulation (the same for IPVS and sluice, absent from
#    the floor) to both; and "a new flow each", LB only with random source
#    addresses and ports (a connection entry and a scheduling decision per
#    packet): the LB's cost of a new connection.
#  - TCP: connrate (bench/connrate.c) opens connections from "gen" to the
#    VIP, 32 at a time (connect, 1-byte request, 1-byte answer, close);
#    the real answers straight to "gen" over its own link (DSR), so the
#    LB sees only the client's packets.
# In the VM the generator, the LB and the real share two emulated CPUs, so
# compare the LB's cost above the floor: 1/rate - 1/rate_plain (median of
# RUNS rounds).
set -euo pipefail
. "$SLUICE_ROOT/bench/vm/lbnet.sh"

# tcp: one connrate run (CONNS connections, at most 60 s); prints the
# connections per second. Failed connections fail the benchmark.
tcp() {
	local done failed secs
	read -r done failed secs <<<"$($G "$CONNRATE" run $TVIP 80 "$CONNS" 32 60)"
	[[ -n $secs ]] || { echo "tcp: connrate printed nothing" >&2; exit 1; }
	((failed == 0)) || { echo "tcp: $failed of $((done + failed)) connections failed" >&2; exit 1; }
	awk -v n="$done" -v t="$secs" 'BEGIN { printf "%.0f\n", n / t }'
}

# Each path set up and taken down in turn, RUNS rounds of all three, so a
# drift in the machine's speed reaches every path alike.
plain_up() {
	ip -n lb route add $UVIP/32 via 10.4.0.2
	ip -n lb route add $TVIP/32 via 10.4.0.2
}
plain_down() {
	ip -n lb route del $UVIP/32 via 10.4.0.2
	ip -n lb route del $TVIP/32 via 10.4.0.2
}
# The fast path redirects to l1, a veth: its peer r0 takes such frames
# only with an XDP program of its own (XDP_PASS: tests/bpf/xdp_pass.bpf.c);
# a physical NIC needs none. And gen's TCP packets over its veth carry
# unfinished checksums (CHECKSUM_PARTIAL, in the skb) that XDP, seeing
# bytes, would send on as they are: gen computes them itself meanwhile.
fast_up() {
	sluice_up
	$L "$SLUICEADM" --attach l0 >/dev/null
	$L "$SLUICEADM" --fastpath on
	ip -n real link set dev r0 xdpdrv obj "$SLUICE_ROOT/build/userspace/tools/xdp_pass.bpf.o" sec xdp
	ip netns exec gen ethtool -K g0 tx off >/dev/null
}
fast_down() {
	ip netns exec gen ethtool -K g0 tx on >/dev/null
	ip -n real link set dev r0 xdpdrv off
	$L "$SLUICEADM" --dataplane-stats | awk '$1 ~ /^(fast-redirect|pass-vip|miss-)/ { printf "# fast path %s %s\n", $1, $2 }' >&2
	$L "$SLUICEADM" --detach l0 >/dev/null
	sluice_down
}

res=$(mktemp -d)
for _ in $(seq "$RUNS"); do
	for path in plain ipvs sluice fast; do
		dev=tunl0
		[[ $path == plain ]] && dev=r0
		${path}_up
		udp_lb >>"$res/$path.udplb"
		udp $dev >>"$res/$path.udp"
		tcp >>"$res/$path.tcp"
		# Last: it leaves 100,000 entries in the connection table.
		udp_lb "flag IPSRC_RND" "src_min 10.3.0.3" "src_max 10.3.0.254" \
			"flag UDPSRC_RND" "udp_src_min 1" "udp_src_max 65535" >>"$res/$path.newlb"
		${path}_down
	done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Every run, for the log.
for f in "$res"/*; do echo "# $(basename "$f"): $(tr '\n' ' ' <"$f")"; done
# The rates: medians. The ratios: the median of each round's ratio (the
# three paths of a round ran back to back, while the machine ran at one speed).
rates() { # KIND: "plain ipvs sluice" medians, then the per-round ratios
	local p i s
	p=$(median <"$res/plain.$1") i=$(median <"$res/ipvs.$1") s=$(median <"$res/sluice.$1")
	paste "$res/plain.$1" "$res/ipvs.$1" "$res/sluice.$1" |
		awk '{ print $3 / $2, (1 / $3 - 1 / $1) / (1 / $2 - 1 / $1) }' >"$res/ratios.$1"
	echo "$p $i $s $(awk '{ print $1 }' "$res/ratios.$1" | median) $(awk '{ print $2 }' "$res/ratios.$1" | median)" \
		"$(awk '{ print $2 }' "$res/ratios.$1" | sort -n | sed -n '1p;$p' | tr '\n' ' ')"
}
# spread FILE: "median (min to max)" of a column of ratios.
spread() {
	printf '%.2fx (%.2f to %.2f)' "$(median <"$1")" "$(sort -n "$1" | head -n1)" "$(sort -n "$1" | tail -n1)"
}
echo "| traffic | plain forwarding (floor) | IPVS ip_vs_mh, tunnel | sluice mh, IP-in-IP | IPVS above the floor | sluice above the floor | sluice / IPVS rate | sluice / IPVS cost above the floor | the rounds' cost ratios |"
echo "|---|---|---|---|---|---|---|---|---|"
row() { # KIND LABEL UNIT: one row of the table
	local p i s tput cost lo hi
	read -r p i s tput cost lo hi <<<"$(rates "$1")"
	awk -v l="$2" -v u="$3" -v p="$p" -v i="$i" -v s="$s" -v tput="$tput" -v cost="$cost" \
		-v lo="$lo" -v hi="$hi" 'BEGIN {
		printf "| %s | %d | %d | %d | %.2f %s | %.2f %s | %.2fx | %.2f | %.2f to %.2f |\n", l, p, i, s,
			1e6 / i - 1e6 / p, u, 1e6 / s - 1e6 / p, u, tput, cost, lo, hi
	}'
}
row udplb "UDP packets/s, LB only" "us/packet"
row newlb "UDP packets/s, a new flow each, LB only" "us/flow"
row udp "UDP packets/s, end to end" "us/packet"
row tcp "TCP connections/s" "us/connection"
# The fast path against the rest: each round's rate ratios (the paths of a
# round ran back to back), their median and spread over the rounds.
echo
echo "| traffic | sluice fast path | fast path / IPVS | fast path / sluice's usual path | fast path / plain forwarding |"
echo "|---|---|---|---|---|"
fast_row() { # KIND LABEL
	local k
	for k in ipvs sluice plain; do
		paste "$res/fast.$1" "$res/$k.$1" | awk '{ print $1 / $2 }' >"$res/fast-$k.$1"
	done
	echo "| $2 | $(median <"$res/fast.$1") | $(spread "$res/fast-ipvs.$1") | $(spread "$res/fast-sluice.$1") | $(spread "$res/fast-plain.$1") |"
}
fast_row udplb "UDP packets/s, LB only"
fast_row newlb "UDP packets/s, a new flow each, LB only"
fast_row udp "UDP packets/s, end to end"
fast_row tcp "TCP connections/s"
