# make bench, in the VM (#17): does the LB's cost per packet stay flat
# while its connection table fills? sluice against IPVS (ip_vs_mh, tunnel
# mode, conn_tab_bits=20: the largest IPVS takes), one boot, the topology
# of lb.sh (lbnet.sh), the real dropping what reaches it (LB only).
# For each path, the table is filled in steps to each size of SIZES
# (default 0, 100,000, 1,000,000 and 4,000,000 entries): pktgen sends UDP
# packets from random sources and ports (a new flow each) until the table
# holds that many (they stay: the UDP timeout is 300 s); the packets per
# second of those runs are the new flows per second at that size.
# Then RUNS runs (default 5) of the fixed 10,000 flows of lb.sh: the
# packets per second at that size (median and best). Memory per
# flow: the machine's free memory before the first fill and after the
# last, over the entries added. The two paths run one after the other (a
# filled table cannot be shared between rounds): a drift in the machine's
# speed between them shows in the rates at 0 entries.
set -euo pipefail
. "$SLUICE_ROOT/bench/vm/lbnet.sh"
SIZES=${SLUICE_BENCH_SIZES:-0 100000 1000000 4000000}
RUNS=${SLUICE_BENCH_RUNS:-5}

memfree() { awk '$1 == "MemFree:" { print $2 * 1024 }' /proc/meminfo; }

# fill PATH SIZE: new flows until the table holds SIZE entries; prints the
# packets per second of the first (largest) run, each packet a new flow
# but for the few whose source and port came up before ("-": none needed).
fill() {
	local have want=$2 rate=- r n
	have=$(entries "$1")
	while ((have < want)); do
		# Random sources collide: a few more packets than entries wanted.
		n=$(((want - have) * 115 / 100 + 1000))
		r=$(COUNT=$n udp_lb "flag IPSRC_RND" "src_min 10.3.0.3" "src_max 10.3.0.254" \
			"flag UDPSRC_RND" "udp_src_min 1" "udp_src_max 65535")
		[[ $rate != - ]] || rate=$r
		n=$(entries "$1")
		((n > have)) || { echo "fill: the table stays at $have entries" >&2; exit 1; }
		have=$n
	done
	echo "$rate"
}

res=$(mktemp -d)
for path in ipvs sluice; do
	IPVS_TAB_BITS=20 "${path}_up"
	[[ $path == ipvs ]] || $L "$SLUICEADM" --conn-max 8388608
	# The 10,000 flows' own entries first; the sizes are the others.
	udp_lb >/dev/null
	mem0=$(memfree) have0=$(entries $path)
	for size in $SIZES; do
		rate=$(fill $path $((have0 + size)))
		have=$(entries $path)
		for _ in $(seq "$RUNS"); do udp_lb; done >"$res/$path.$size"
		echo "# $path at $((have - have0)) other entries: new flows $rate/s; 10,000 flows: $(tr '\n' ' ' <"$res/$path.$size")"
		echo "$((have - have0)) $rate" >"$res/$path.$size.fill"
	done
	mem1=$(memfree)
	awk -v a="$mem0" -v b="$mem1" -v n="$((have - have0))" 'BEGIN { printf "%.0f\n", (a - b) / n }' >"$res/$path.mem"
	if [[ $path == sluice ]]; then
		$L "$SLUICEADM" --dataplane-stats | grep connection >&2
	fi
	"${path}_down"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
best() { sort -n | tail -n1; }
# Under TCG a run's rate is bimodal (about 35,000 or 55,000 a second on
# 2026-12-01, whichever path): the median and the best of the runs.
echo "| other entries in the table | IPVS packets/s, median (best) | sluice packets/s, median (best) | sluice / IPVS, median (best) | sluice against 0, median (best) | IPVS against 0, median (best) | new flows/s IPVS | new flows/s sluice |"
echo "|---|---|---|---|---|---|---|---|"
first=${SIZES%% *}
i0=$(median <"$res/ipvs.$first") s0=$(median <"$res/sluice.$first")
bi0=$(best <"$res/ipvs.$first") bs0=$(best <"$res/sluice.$first")
for size in $SIZES; do
	i=$(median <"$res/ipvs.$size") s=$(median <"$res/sluice.$size")
	bi=$(best <"$res/ipvs.$size") bs=$(best <"$res/sluice.$size")
	read -r ni ri <"$res/ipvs.$size.fill"
	read -r ns rs <"$res/sluice.$size.fill"
	awk -v ni="$ni" -v ns="$ns" -v i="$i" -v s="$s" -v i0="$i0" -v s0="$s0" -v bi="$bi" -v bs="$bs" \
		-v bi0="$bi0" -v bs0="$bs0" -v ri="$ri" -v rs="$rs" 'BEGIN {
		printf "| %d (IPVS), %d (sluice) | %d (%d) | %d (%d) | %.2fx (%.2fx) | %+.1f %% (%+.1f %%) | %+.1f %% (%+.1f %%) | %s | %s |\n",
			ni, ns, i, bi, s, bs, s / i, bs / bi, 100 * (s / s0 - 1), 100 * (bs / bs0 - 1),
			100 * (i / i0 - 1), 100 * (bi / bi0 - 1), ri, rs
	}'
done
echo
echo "| memory per flow (free memory used / entries added) | IPVS | sluice |"
echo "|---|---|---|"
echo "| bytes | $(cat "$res/ipvs.mem") | $(cat "$res/sluice.mem") |"
