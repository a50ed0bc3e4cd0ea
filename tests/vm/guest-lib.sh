# Helpers for test scripts that run inside the VM (sourced).
# The harness exports SLUICE_ROOT, KVER and SLUICE_KO.
set -euo pipefail

PROBE=$SLUICE_ROOT/build/userspace/tools/sluice-probe
# The test peers, servers and clients (sluice-whoami,
# tests/tools/sluice-whoami.c), are in C: in Python they cost as much of
# the guest's CPU as the packets' path did. The Python helpers (stream.py,
# probe.py, tcp_echo.py) use the standard library alone and run with
# python3 -S: without site's start-up (the machine's .pth files), Python
# starts in half the time under TCG.
WHOAMI=$SLUICE_ROOT/build/userspace/tools/sluice-whoami
SLUICEADM=$SLUICE_ROOT/build/bin/sluiceadm

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# step WHAT: a heading in the test's log, with the seconds since it began
# (where a test's time goes).
step() {
	echo "--- $SECONDS s: $*"
}

# wait_for SECS CMD...: until CMD succeeds; prints the seconds it took.
wait_for() {
	local secs=$1 start=$EPOCHREALTIME
	shift
	until "$@"; do
		(($(date +%s%N) / 1000000 - ${start/./} / 1000 < secs * 1000)) || return 1
		sleep 0.05
	done
	awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", e - s }'
}

sluice_load() {
	insmod "$SLUICE_KO" "$@"
	[[ -d /sys/module/sluice ]] || fail "module not present after insmod"
}

sluice_unload() {
	rmmod sluice
	[[ ! -d /sys/module/sluice ]] || fail "module still present after rmmod"
}

# Can netfilter list its hooks here? (nfnetlink_hook: Debian's 6.12 has it,
# Debian's 6.1 does not.) Without it, expect_hooks cannot look, and
# expect_no_hooks relies on traffic: a hook left behind by an unloaded
# module oopses on the next packet, which fails the run.
can_list_hooks() {
	if [[ -z ${_can_list_hooks:-} ]]; then
		modprobe -q nfnetlink_hook 2>/dev/null
		_can_list_hooks=no
		[[ -n $(nft list hooks ip 2>/dev/null) ]] && _can_list_hooks=yes
	fi
	[[ $_can_list_hooks == yes ]]
}

# sluice_hooks [NETNS]: print the sluice hooks netfilter reports (nft
# lists every registered hook, with its priority, function and module).
sluice_hooks() {
	local ns=()
	[[ -n ${1:-} ]] && ns=(ip netns exec "$1")
	"${ns[@]}" nft list hooks 2>/dev/null | grep -E '\[sluice\]' || true
}

# Both hooks (IPv4 and IPv6 PRE_ROUTING) registered in NETNS (or here).
expect_hooks() {
	local h
	can_list_hooks || return 0
	h=$(sluice_hooks "${1:-}")
	[[ $(grep -c 'sluice_hook_v4' <<<"$h") == 1 ]] || fail "no IPv4 hook in ${1:-init netns}: $h"
	[[ $(grep -c 'sluice_hook_v6' <<<"$h") == 1 ]] || fail "no IPv6 hook in ${1:-init netns}: $h"
}

expect_no_hooks() {
	local h ns=()
	[[ -n ${1:-} ]] && ns=(ip netns exec "$1")
	# Where nft cannot list hooks (6.1), each try costs 0.7 s under TCG
	# and shows nothing: only the traffic below can tell.
	if can_list_hooks; then
		h=$(sluice_hooks "${1:-}")
		[[ -z $h ]] || fail "sluice hooks left in ${1:-init netns}: $h"
	fi
	# Packets through PRE_ROUTING, IPv4 and IPv6.
	"${ns[@]}" ip link set lo up
	"${ns[@]}" ping -c 1 -W 1 127.0.0.1 >/dev/null || fail "IPv4 ping in ${1:-init netns}"
	"${ns[@]}" ping -6 -c 1 -W 1 ::1 >/dev/null || fail "IPv6 ping in ${1:-init netns}"
}

# kmemleak (debug kernels): forget what is reported so far, and later
# fail if anything new is unreferenced. Objects are reported once older
# than 5 s, so the check waits and scans twice.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_clear() {
	[[ -e $KMEMLEAK ]] || fail "kmemleak is not available in this kernel"
	echo clear >"$KMEMLEAK"
}

# kmemleak_if_any clear|check: the same where the kernel has kmemleak (the
# debug kernel: tests/kunit/run), nothing elsewhere.
kmemleak_if_any() {
	[[ ! -e $KMEMLEAK ]] || "kmemleak_$1"
}

# kmemleak_check [FUNCTION]: no leak, or (FUNCTION) only leaks whose
# backtrace has FUNCTION (a kernel bug that is not the module's: said where
# it is used). Needs lib.sh (KERNEL_LOG_BAD) for FUNCTION.
kmemleak_check() {
	local n
	sleep 6
	echo scan >"$KMEMLEAK"
	sleep 1
	echo scan >"$KMEMLEAK"
	n=$(awk -v known="${1:-}" '
		function done() { if (obj && !(known != "" && hit)) n++ }
		/^unreferenced object/ { done(); obj = 1; hit = 0 }
		known != "" && index($0, known) { hit = 1 }
		END { done(); print n + 0 }' "$KMEMLEAK")
	if ((n)); then
		head -n 60 "$KMEMLEAK"
		fail "kmemleak found $n leaks"
	fi
	[[ -n ${1:-} ]] || return 0
	echo "kmemleak: $(grep -c '^unreferenced object' "$KMEMLEAK") leaks, all in $1"
	# The scan's line about them would fail the test (the harness reads the
	# kernel's log after it): anything else bad in the log still fails here,
	# then the log is cleared.
	if dmesg | grep -v 'kmemleak: [0-9]* new suspected memory leaks' | grep -Eq "$KERNEL_LOG_BAD"; then
		dmesg | grep -E -B2 -A20 "$KERNEL_LOG_BAD" | head -n 60
		fail "the kernel's log has a report"
	fi
	dmesg -C
}

# fault_injection_on: fail-nth reaches GFP_KERNEL slab allocations of every
# cache and order-0 pages (the debug kernel); no report of each injected
# failure in the kernel's log.
fault_injection_on() {
	local d=/sys/kernel/debug f
	[[ -e /proc/self/fail-nth && -d $d/failslab ]] || fail "this kernel has no fault injection"
	for f in failslab fail_page_alloc; do
		echo N >"$d/$f/ignore-gfp-wait"
		echo 0 >"$d/$f/verbose"
	done
	echo N >"$d/fail_page_alloc/ignore-gfp-highmem"
	echo 0 >"$d/fail_page_alloc/min-order"
	# Every cache, not only those dpfail.sh's filter left marked.
	echo N >"$d/failslab/cache-filter"
}

# dp_attach NETNS IFACE: attach the programs to IFACE in NETNS. The XDP
# fast path goes on too with SLUICE_FASTPATH set (tests/vm/run runs a
# test so when named "fastpath:PATH"; guest-main then checks that the
# fast path sent packets: fastpath_tally):
# - SLUICE_FASTPATH=generic (make check runs the data-path tests so too:
#   tests/run-all): XDP in generic mode, which keeps the skb: a frame sent
#   back (XDP_TX) leaves by the veth's own transmit, and a packet's
#   unfinished checksum (CHECKSUM_PARTIAL, which a packet sent over veths
#   keeps) stays the skb's to finish. The program, its maps and its
#   decisions are the native mode's. IFACE's veth peer segments TCP and
#   UDP itself, as native XDP makes it (veth_xdp_set): the program sees
#   packets of the wire's size, not GSO packets of 64 KB.
# - SLUICE_FASTPATH=1 (fastpath.sh): XDP in native mode, as on a NIC;
#   IFACE's veth peer gets an XDP program: a veth hands on the frames its
#   peer's XDP program sends back (XDP_TX) only then
#   (tests/bpf/xdp_pass.bpf.c). And the client's veths compute their
#   checksums: a frame has no skb to carry an unfinished checksum, and
#   the fast path, seeing bytes only, would send it on unfinished; a host
#   behind a real NIC sends them finished.
dp_attach() {
	local ns dev mode=()
	[[ ${SLUICE_FASTPATH:-} != generic ]] || mode=(--xdp-mode generic)
	nsenter --net=/run/netns/"$1" "$SLUICEADM" --attach "$2" "${mode[@]}" >/dev/null || fail "$1: attach $2"
	[[ -n ${SLUICE_FASTPATH:-} ]] || return 0
	nsenter --net=/run/netns/"$1" "$SLUICEADM" --fastpath on || fail "$1: fast path on"
	echo "$1" >>/tmp/fastpath-nodes
	read -r ns dev <<<"$(veth_peer "$1" "$2")"
	[[ -n $dev ]] || fail "$1: no veth peer of $2"
	if [[ $SLUICE_FASTPATH == generic ]]; then
		ip netns exec "$ns" ethtool -K "$dev" tso off tx-udp-segmentation off >/dev/null ||
			fail "$ns: segmentation off on $dev"
		return 0
	fi
	ip -force -n "$ns" link set dev "$dev" xdpdrv obj "$SLUICE_ROOT/build/userspace/tools/xdp_pass.bpf.o" sec xdp ||
		fail "$ns: XDP on $dev"
	[[ -e /run/netns/client ]] || return 0
	for dev in $(ip -n client -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		ip netns exec client ethtool -K "$dev" tx off >/dev/null || fail "client: checksums on $dev"
	done
}

# fastpath_tally: the packets the XDP fast path sent (fast-tx,
# fast-redirect) in each namespace that switched it on (dp_attach), added
# to /tmp/fastpath-sent; the topologies' teardowns call it before their
# namespaces go, guest-main after the test (a test run with the fast path
# on fails if it sent nothing).
fastpath_tally() {
	local ns
	[[ -f /tmp/fastpath-nodes ]] || return 0
	for ns in $(sort -u /tmp/fastpath-nodes); do
		[[ -e /run/netns/$ns ]] || continue
		{ nsenter --net=/run/netns/"$ns" "$SLUICEADM" --dataplane-stats 2>/dev/null || true; } |
			awk '$1 ~ /^fast-(tx|redirect)$/ { s += $2 } END { print s + 0 }' >>/tmp/fastpath-sent
	done
	rm -f /tmp/fastpath-nodes
}

# veth_peer NETNS IFACE: "PEER_NETNS PEER_IFACE" of veth IFACE, whose
# peer is in a named namespace ("l0@if5: ... link-netns sw").
veth_peer() {
	local line idx ns
	line=$(ip -n "$1" -o link show "$2")
	[[ $line =~ @if([0-9]+):.*link-netns\ ([^ \\]+) ]] || fail "$1: $2 is not a veth with a named peer: $line"
	idx=${BASH_REMATCH[1]} ns=${BASH_REMATCH[2]}
	echo "$ns $(ip -n "$ns" -o link show | awk -F': ' -v i="$idx" '$1 == i { sub(/@.*/, "", $2); print $2 }')"
}

# fp_stat NETNS NAME: fast-path or XDP counter NAME's packets (--dataplane-stats).
fp_stat() {
	nsenter --net=/run/netns/"$1" "$SLUICEADM" --dataplane-stats | awk -v n="$2" '$1 == n { print $2; exit }'
}

# conn_entries NETNS: the connection-table entries of LB node NETNS.
conn_entries() {
	nsenter --net=/run/netns/"$1" "$SLUICEADM" --dataplane-stats | awk '$1 == "connections" { print $2 }'
}

# counters_agree NETNS WHAT: for the traffic LB node NETNS took (since its
# counters began), XDP's pass-vip, the module's InPkts (every service) and
# tc's encapsulations are equal, else fail naming WHAT; tc's count less the
# node's own packets marked for a real (sluiced's health checks through
# the VIP), where probe_counter counts them. With the XDP fast path, the
# packets it sent (fast-tx, fast-redirect) are in the module's InPkts too,
# but for those not carried to the module yet (pending): XDP's pass-vip +
# fast = module + pending, pass-vip = tc + what the module counted and then
# dropped (too big for the tunnel, no route: d). The counters are read one after
# the other, so a late packet (a retransmission, a closing flow's last
# ACK) can fall between two reads: while they disagree, they are read
# again until two readings a second apart are the same (up to 30 s), and
# that still reading must agree.
counters_agree() {
	local x m t p f q d now last= i
	for i in $(seq 30); do
		# (No process substitution: the guest has no /dev/fd.)
		read -r x t f q d <<<"$(nsenter --net=/run/netns/"$1" "$SLUICEADM" --dataplane-stats |
			awk '$1 == "pass-vip" { x = $2 } $1 ~ /^encap-ipv[46]$/ { t += $2 }
				$1 ~ /^fast-(tx|redirect)$/ { f += $2 } $1 == "pending" { q = $2 }
				m { if ($1 ~ /^drop-(too-big|no-route|no-memory)$/) d += $2 }
				$1 == "kernel" { m = 1 }
				END { print x + 0, t + 0, f + 0, q + 0, d + 0 }')"
		m=$(nsenter --net=/run/netns/"$1" "$SLUICEADM" -L -n --stats | awk '/^(TCP|UDP) / { s += $4 } END { print s + 0 }')
		# (0 where probe_counter did not run: no such chain.)
		p=$({ ip netns exec "$1" nft list chain inet sluice_probes out 2>/dev/null || true; } |
			awk '{ for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) } END { print s + 0 }')
		now="$x $m $t $p $f $q $d"
		((x + f == m + q && x == t - p + d)) || [[ $now == "$last" ]] || { last=$now; sleep 1; continue; }
		break
	done
	echo "$1: XDP passed $x and sent $f itself, the module scheduled $m (then dropped $d) and has $q of the fast path's to come, tc encapsulated $t ($p of them the node's own probes)${last:+; read $i times}"
	((x + f == m + q && x == t - p + d)) || nsenter --net=/run/netns/"$1" "$SLUICEADM" --dataplane-stats | awk '$2 != 0'
	((x + f == m + q && x == t - p + d)) || fail "$2: $1's counters disagree: XDP $x + fast path $f, module $m + pending $q, tc $t less $p probes + $d dropped"
}

# probe_counter NETNS: count the packets NETNS sends itself with a real's
# mark (SLUICE_MARK_VALUE under SLUICE_MARK_MASK: health checks through
# the VIP, which tc encapsulates), for counters_agree; before the module's
# LOCAL_OUT hook (priority -410), which takes them.
probe_counter() {
	ip netns exec "$1" nft -f - <<-'EOF'
		table inet sluice_probes {
			chain out {
				type filter hook output priority -500; policy accept;
				meta mark & 0xffff0000 == 0x5c150000 counter
			}
		}
	EOF
}

# Long-lived flows (tests/vm/cluster/stream.py; standard library only, run
# with python3 -S). stream_start PROTO N SECONDS OUT: the client ($CL)
# streams N flows to $VIP:80 in the background, a chunk every
# $STREAM_INTERVAL seconds, results in OUT; returns once they are open.
# stream_stop OUT: ends their SECONDS now. stream_wait OUT: waits for them
# and shows the results.
STREAM=$SLUICE_ROOT/tests/vm/cluster/stream.py
STREAM_INTERVAL=${STREAM_INTERVAL:-0.25}
stream_start() {
	$CL timeout $(($3 + 120)) python3 -S "$STREAM" "$1" $VIP 80 "$2" "$3" "$STREAM_INTERVAL" >"$4" 2>&1 &
	echo $! >"$4.pid"
	for _ in $(seq 600); do
		grep -q '^open' "$4" 2>/dev/null && return 0
		kill -0 "$(cat "$4.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$4"
	fail "$1 flows did not open"
}

stream_stop() {
	# The pid is timeout's (nsenter execs it); stream.py is its child.
	# Gone already: the streams' SECONDS ran out before what they were
	# to outlast ended (a slow guest), so they did not cover all of it.
	pkill -USR1 -P "$(cat "$1.pid")" ||
		fail "the flows of $1 ended on their own before they were stopped: raise their time bound"
}

stream_wait() {
	wait "$(cat "$1.pid")" || true
	sed 's/^/  /' "$1"
}
