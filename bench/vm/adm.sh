# make bench, in the VM: sluiceadm against sluice vs ipvsadm against IPVS,
# the same boot and the same rules: restore 10,000 services x 10 reals
# (-R), list them all (-Ln), save them (-Sn), flush (-C). Schedulers both
# have and that cost IPVS no big per-service tables (rr wrr wlc lc). Each
# tool in its own network namespace; median of RUNS runs.
set -euo pipefail
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
RUNS=${SLUICE_BENCH_RUNS:-3}
N=${SLUICE_BENCH_SERVICES:-10000}
sluice_load
modprobe ip_vs
for s in rr wrr wlc lc; do modprobe "ip_vs_$s"; done
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
		svc = sprintf("-t 10.1.%d.%d:80", int(i / 256), i % 256)
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
for tool in ipvsadm sluiceadm; do
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
	a=${ms[ipvsadm.$op]} b=${ms[sluiceadm.$op]}
	echo "| $op | $a ms | $b ms | $(echo "scale=2; $b / $a" | bc)x |"
done
