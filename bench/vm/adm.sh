# make bench, in the VM: sluiceadm against sluice vs ipvsadm against IPVS,
# the same boot and the same rules: restore 10,000 services x 10 reals
# (-R), list them all (-Ln), save them (-Sn), flush (-C). Schedulers both
# have and that cost IPVS no big per-service tables (rr wrr wlc lc). Each
# tool in its own network namespace; median of RUNS runs. SLUICE_BENCH_TOOLS
# (default "ipvsadm sluiceadm") names the tools run: ipvsadm's restore grows
# faster than the rules (221 s for 110,000 on 2026-11-30), too slow for
# SLUICE_BENCH_SERVICES=100000.
# Then (#17) one service with SLUICE_BENCH_REALS (10,000) reals, restored
# under rr and switched to mh (sluice: the largest table, 131,071 slots;
# IPVS: its fixed one), and one real's weight changed: a table rebuilt.
set -euo pipefail
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
RUNS=${SLUICE_BENCH_RUNS:-3}
N=${SLUICE_BENCH_SERVICES:-10000}
TOOLS=${SLUICE_BENCH_TOOLS:-ipvsadm sluiceadm}
REALS=${SLUICE_BENCH_REALS:-10000}
sluice_load
modprobe ip_vs
for s in rr wrr wlc lc mh; do modprobe "ip_vs_$s"; done
for ns in ipvs sluice; do
	ip netns add $ns
	ip -n $ns link set lo up
	# IPVS wants unicast routes to its reals
	ip -n $ns link add d0 type dummy
	ip -n $ns link set d0 up
	ip -n $ns addr add 10.255.255.254/8 dev d0
done
awk -v n=$N 'BEGIN {
	split("rr wrr wlc lc", sched, " ")
	for (i = 0; i < n; i++) {
		svc = sprintf("-t 10.%d.%d.%d:80", 1 + int(i / 65536), int(i / 256) % 256, i % 256)
		print "-A " svc " -s " sched[i % 4 + 1]
		for (j = 1; j <= 10; j++)
			printf "-a %s -r 10.3.%d.%d:80 -i -w %d\n", svc, i % 100, j, j
	}
}' >/tmp/bench.rules

secs() { # CMD...: run, print the seconds it took
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000))"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A ms
for tool in $TOOLS; do
	ns=ipvs bin=ipvsadm
	[[ $tool == sluiceadm ]] && ns=sluice bin=$SLUICEADM
	run="nsenter --net=/run/netns/$ns $bin"
	for r in $(seq "$RUNS"); do
		echo "restore $(secs $run -R </tmp/bench.rules)"
		echo "list $(secs $run -Ln)"
		echo "save $(secs $run -Sn)"
		[[ $($run -Sn | wc -l) == $((N * 11)) ]] || fail "$tool: not $((N * 11)) rules"
		echo "flush $(secs $run -C)"
	done >/tmp/$tool.times
	cat /tmp/$tool.times >&2
	for op in restore list save flush; do
		ms[$tool.$op]=$(awk -v op=$op '$1 == op { print $2 }' /tmp/$tool.times | median)
	done
done
echo "| operation ($N services x 10 reals) | ipvsadm + IPVS | sluiceadm + sluice | sluice / IPVS time |"
echo "|---|---|---|---|"
for op in restore list save flush; do
	a=${ms[ipvsadm.$op]:-} b=${ms[sluiceadm.$op]:-}
	r=-
	[[ -z $a || -z $b ]] || r=$(echo "scale=2; $b / $a" | bc)x
	echo "| $op | ${a:--} ms | ${b:--} ms | $r |"
done

# One service with REALS reals: rr, then mh, then one weight changed.
awk -v n="$REALS" 'BEGIN {
	print "-A -t 10.250.0.1:80 -s rr"
	for (j = 0; j < n; j++)
		printf "-a -t 10.250.0.1:80 -r 10.4.%d.%d:80 -i -w 1\n", int(j / 250), j % 250 + 1
}' >/tmp/reals.rules
# try CMD...: the milliseconds it took, or "refused: ERROR".
try() {
	local t0 t1 err
	t0=$(date +%s%N)
	if err=$("$@" 2>&1 >/dev/null); then
		t1=$(date +%s%N)
		echo "$(((t1 - t0) / 1000000)) ms"
	else
		echo "refused: ${err//|/}"
	fi
}
declare -A one
for tool in ipvsadm sluiceadm; do
	ns=ipvs bin=ipvsadm mh=(-s mh)
	[[ $tool == sluiceadm ]] && ns=sluice bin=$SLUICEADM mh=(-s mh --mh-size 131071)
	run="nsenter --net=/run/netns/$ns $bin"
	one[$tool.restore]=$(try $run -R </tmp/reals.rules)
	[[ $($run -Sn | grep -c '^-a') == "$REALS" ]] || fail "$tool: not $REALS reals"
	one[$tool.mh]=$(try $run -E -t 10.250.0.1:80 "${mh[@]}")
	one[$tool.edit]=$(try $run -e -t 10.250.0.1:80 -r 10.4.0.1:80 -i -w 2)
	one[$tool.flush]=$(try $run -C)
done
echo
echo "| one service, $REALS reals | ipvsadm + IPVS | sluiceadm + sluice |"
echo "|---|---|---|"
echo "| restore under rr | ${one[ipvsadm.restore]} | ${one[sluiceadm.restore]} |"
echo "| switch to mh (one table build; IPVS: its fixed size, sluice: 131,071 slots) | ${one[ipvsadm.mh]} | ${one[sluiceadm.mh]} |"
echo "| one weight changed (a table rebuilt) | ${one[ipvsadm.edit]} | ${one[sluiceadm.edit]} |"
echo "| flush | ${one[ipvsadm.flush]} | ${one[sluiceadm.flush]} |"
