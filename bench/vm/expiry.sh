# make bench, in the VM (#17): what a million connection entries expiring
# at once cost the packets going through meanwhile, sluice against IPVS
# (per-entry timers), one boot, the topology of lb.sh (lbnet.sh). For each
# path: 1,000,000 UDP flows from random sources (pktgen, LB only) with a
# UDP timeout of 60 s, so they expire within about as long as the fill
# took (30-40 s), after it; from the fill's end until the table is empty,
# pings from gen to the LB
# every 10 ms (each an interrupt, a softirq and an echo on the LB's CPUs,
# which the expiry shares). Printed: the RTTs before the fill (baseline)
# and during the expiry (median, 99th percentile, worst), and the time the
# table took to empty.
set -euo pipefail
. "$SLUICE_ROOT/bench/vm/lbnet.sh"
FLOWS=${SLUICE_BENCH_EXPIRE:-1000000}

# pings N: N pings from gen to the LB every 10 ms; their RTTs in ms.
pings() {
	$G ping -n -i 0.01 -c "$1" -W 1 10.3.0.1 2>/dev/null |
		awk -F'time=' '/time=/ { split($2, a, " "); print a[1] }'
}
# stats: "median p99 worst" of the numbers on stdin.
stats() {
	sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit }
		p = int(NR * 0.99); if (p < 1) p = 1
		printf "%.2f %.2f %.2f\n", v[int((NR + 1) / 2)], v[p], v[NR] }'
}

res=$(mktemp -d)
for path in ipvs sluice; do
	IPVS_TAB_BITS=20 "${path}_up"
	if [[ $path == ipvs ]]; then
		$L ipvsadm --set 900 120 60
	else
		$L "$SLUICEADM" --set 900 120 60
		$L "$SLUICEADM" --conn-max 4194304
	fi
	base=$(pings 300 | stats)
	t0=$EPOCHREALTIME
	COUNT=$((FLOWS * 115 / 100)) udp_lb "flag IPSRC_RND" "src_min 10.3.0.3" "src_max 10.3.0.254" \
		"flag UDPSRC_RND" "udp_src_min 1" "udp_src_max 65535" >/dev/null
	t1=$EPOCHREALTIME
	peak=$(entries $path)
	# Pings in rounds of 5 s until the table is empty (at most 5 minutes).
	: >"$res/$path.rtt"
	for _ in $(seq 60); do
		pings 500 >>"$res/$path.rtt"
		(($(entries $path) > 0)) || break
	done
	t2=$EPOCHREALTIME
	left=$(entries $path)
	during=$(stats <"$res/$path.rtt")
	awk -v p="$path" -v n="$peak" -v a="$t0" -v b="$t1" -v c="$t2" -v l="$left" -v base="$base" -v d="$during" 'BEGIN {
		split(base, x, " "); split(d, y, " ")
		printf "| %s | %d in %.0f s | %s / %s / %s | %s / %s / %s | %.0f s after the fill (%d left) |\n",
			p, n, b - a, x[1], x[2], x[3], y[1], y[2], y[3], c - b, l
	}' >"$res/$path.row"
	cat "$res/$path.row" >&2
	"${path}_down"
done
echo "| path | entries added (UDP timeout 60 s) | ping RTT before, ms (median / p99 / worst) | ping RTT while they expire, ms (median / p99 / worst) | table empty |"
echo "|---|---|---|---|---|"
cat "$res/ipvs.row" "$res/sluice.row"
