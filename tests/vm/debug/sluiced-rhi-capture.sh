# Not a test of make check: tests/vm/cluster/sluiced-rhi.sh with packet
# captures, to find who sends the resets in the open 6.1 bug (docs/TESTS.md,
# "sluiced"). Captures (TCP port 80, ICMP, IP-in-IP) run on lb1, lb2 and
# real1-3 from the moment the network is up; on a failure, each is decoded
# into SLUICE_LOGDIR/diag-PID with both sluiced logs, the sockets, lb1's
# table and its counters. Kept on the host with SLUICE_KEEP=1:
#   make module KVER=6.1.0-56-amd64 userspace
#   flock /tmp/sluice-vm.lock env SLUICE_KEEP=1 SLUICE_TEST_TIMEOUT=500 \
#     tests/vm/run -t 1200 6.1.0-56-amd64 tests/vm/debug/sluiced-rhi-capture.sh
# then read /tmp/sluice-vm.*/logs/diag-*/ (the bug showed in 3 runs of 3 in
# one boot, in none of 4 in two others).
CAPTURED="lb1 lb2 real1 real2 real3"

capture_start() {
	local n
	# -Z root: tcpdump otherwise drops to its own user, which cannot
	# write the file here.
	for n in $CAPTURED; do
		in_ns "$n" tcpdump -Z root -U -ni any -s 200 -w "/tmp/cap-$n.pcap" \
			'tcp port 80 or icmp or ip proto 4' >/dev/null 2>&1 &
	done
	sleep 1
}

capture_fail() {
	local d=$SLUICE_LOGDIR/diag-$$ n
	set +e # collect all there is, whatever fails
	echo "FAIL: $*" >&2
	sleep 1
	mkdir -p "$d"
	for n in $CAPTURED; do
		tcpdump -nn -tttt -r "/tmp/cap-$n.pcap" >"$d/cap-$n.txt" 2>&1
		in_ns "$n" ss -tanp >"$d/ss-$n.txt" 2>&1
		in_ns "$n" nstat -az >"$d/nstat-$n.txt" 2>&1
		ip -n "$n" addr >"$d/addr-$n.txt"
		ip -n "$n" route >>"$d/addr-$n.txt"
	done
	cp "$CLUSTER_RUN"/sd*.log "$CLUSTER_RUN"/real*.log "$d/"
	ps -eo pid,ppid,pgid,stat,lstart,args >"$d/ps.txt"
	dmesg >"$d/dmesg.txt"
	{ adm lb1 -L -n; adm lb1 -L -n --stats; } >"$d/lb1-table.txt" 2>&1
	exit 1
}

# The test itself, with the captures started once its network is up and
# its failures going through capture_fail.
# (Through a file: the guest's /dev has no /dev/fd for "source <(...)".)
sed 's/^real_add 4 novip$/&\ncapture_start\nfail() { capture_fail "$@"; }/' \
	"$SLUICE_ROOT/tests/vm/cluster/sluiced-rhi.sh" >/tmp/rhi-capture-$$.sh
. /tmp/rhi-capture-$$.sh
