# make bench, in the VM: sluiced at scale. 1,000 VIPs x 10 reals, each
# real of VIP i checked on its own port 10000+i: 10,000 distinct TCP
# connect checks ("plain", not through the VIP) every 1 s. Measures
# sluiced's CPU (utime+stime from /proc/PID/stat over a window once every
# check is up), its memory (VmRSS, VmHWM), the probes run and failed in
# that window (its metrics), and how long a reload with one real's weight
# changed takes (SIGHUP to its "reloaded" log line). Goals: < 5 % of one
# core, < 50 MiB RSS, reload < 100 ms.
#
# Under TCG every figure is inflated many-fold against real hardware, so
# the incumbent runs in the same VM after sluiced: keepalived's checker
# (keepalived -C, IPVS for its services) with the same 10,000 checks
# (TCP_CHECK, delay_loop 1, connect_timeout 0.5, retry 1: down after 2
# failures as sluiced's fall = 2), its CPU and memory measured the same
# way over the same window (its two processes: parent and checker), and
# the table gives sluiced / keepalived.
#
#   lb1 10.2.0.1: module, XDP on l0, sluiced ── br0 (in "sw") ── real1..real10
#                                                                10.2.0.11-20
# Each real has one listener on port 80 (accept and close) and an nftables
# rule redirecting tcp dports 10000-10999 to it. No BIRD, no router: the
# VIPs are not announced (announce = false); announcing is not measured.
# The Maglev tables are the smallest (mh_size 251): the kernel's building
# of 1,000 tables is not what is measured.
#
# Besides the table (lines starting with '|'), the log has the evidence:
# the VM's CPU use, the listeners' CPU, sluiced's main-loop turns (poll
# calls) and a perf profile of sluiced, in the steady state and over one
# reload.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
. "$SLUICE_ROOT/tests/vm/cluster/sd.sh"
NV=${SLUICE_BENCH_VIPS:-1000}
NR=10
WINDOW=${SLUICE_BENCH_WINDOW:-30}
RELOADS=${SLUICE_BENCH_RELOADS:-3}
UP_WAIT=${SLUICE_BENCH_UP_WAIT:-300}
CONF=$CLUSTER_RUN/sd1.conf
LOG=$CLUSTER_RUN/sd1.log
METRICS=http://127.0.0.1:9642/metrics
out=/tmp/sdbench
mkdir -p $out

trap cluster_down EXIT
mkdir -p $CLUSTER_RUN
modprobe bridge
modprobe tun
sluice_load
ip netns add sw
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
# Connection tracking (the reals' redirect) must not overflow at 10,000
# connections/s: a bigger table, and the reals' closed connections
# forgotten within seconds.
modprobe nf_conntrack
sysctl -qw net.netfilter.nf_conntrack_max=524288

# The listener: accept and close, nothing else (connect-only checks). It
# ends itself after 1,200 s.
LISTENER='
import os, signal, socket
signal.alarm(1200)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80))
s.listen(4096)
while True:
    fd, _ = s._accept()
    os.close(fd)
'
for r in $(seq $NR); do
	n=real$r
	seg_join $n 10.2.0.$((10 + r))
	in_ns $n nft -f - <<EOF || fail "$n: nft"
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		tcp dport 10000-10999 redirect to :80;
	}
}
EOF
	for k in time_wait close close_wait fin_wait last_ack; do
		ip netns exec $n sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_$k=2
	done
	ip netns exec $n sysctl -qw net.core.somaxconn=4096
	# nsenter execs python3: $! is the listener's pid (cluster_down kills it).
	nsenter --net=/run/netns/$n python3 -c "$LISTENER" >/dev/null 2>&1 &
	echo $! >$CLUSTER_RUN/listen$r.pid
done
for r in $(seq $NR); do
	for _ in $(seq 100); do
		[[ -n $(in_ns real$r ss -Hltn "sport = :80") ]] && continue 2
		sleep 0.1
	done
	fail "real$r: the listener did not start"
done
lb_base 1
# hand_connect: one connect from lb1 to real1, through the redirect.
hand_connect() {
	in_ns lb1 timeout 10 python3 -c '
import socket, sys, time
t = time.monotonic()
socket.create_connection(("10.2.0.11", 10999), timeout=5).close()
print("a connect to real1:10999 by hand: %.1f ms" % ((time.monotonic() - t) * 1000))
'
}
hand_connect || fail "no connection to a real through the redirect"

# vips W: the VIPs, VIP 0's first real with weight W (the reloads change it).
vips() {
	awk -v n=$NV -v nr=$NR -v w="$1" 'BEGIN {
		print "vips = ("
		for (i = 0; i < n; i++) {
			printf "  { address = \"10.100.%d.%d\"; announce = false;\n", int(i / 250), i % 250 + 1
			printf "    services = ( { protocol = \"tcp\"; port = %d; scheduler = \"mh\"; mh_size = 251; checks = [ \"bench\" ];\n      reals = (", 10000 + i
			for (r = 1; r <= nr; r++)
				printf "%s { address = \"10.2.0.%d\"; weight = %d; }", (r > 1 ? "," : ""), 10 + r, (i == 0 && r == 1 ? w : 1)
			printf " ); } ); }%s\n", (i < n - 1 ? "," : "")
		}
		print ");"
	}'
}
conf() {
	vips "$1" | sd_conf 1 'bench = { type = "tcp"; interval = 1.0; timeout = 0.5; rise = 2; fall = 2; via_vip = false; };'
}
conf 1 >$CONF
"$SLUICED" --check $CONF || fail "the configuration is refused"

# The probes' sums in the metrics: "UP RUNS FAILURES" (one fetch).
probe_sums() {
	in_ns lb1 curl -sf --max-time 60 $METRICS | awk '
		/^sluice_check_up\{/ { up += $2 }
		/^sluice_check_runs_total\{/ { runs += $2; n++ }
		/^sluice_check_failures_total\{/ { fails += $2 }
		END { printf "%d %d %d %d\n", up, runs, fails, n }'
}
cpu_ticks() { # PID: utime + stime
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
# The user part alone: the rest (system) is mostly the kernel's TCP work
# of each check's connect and close (and, with veth, the reals' side of
# the handshake, run in the sender's softirq), the same for any checker.
user_ticks() { # PID
	awk '{ print $14 }' "/proc/$1/stat"
}
pct() { # TICKS T0 T1: % of one core
	awk -v c="$1" -v hz=$HZ -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", c / hz / (b - a) * 100 }'
}
vm_cpu() { # "busy total" jiffies of the whole VM
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}
listeners_ticks() {
	local r t=0
	for r in $(seq $NR); do t=$((t + $(cpu_ticks "$(cat $CLUSTER_RUN/listen$r.pid)"))); done
	echo $t
}
passive_opens() { # connections the reals accepted, all of them
	local r t=0 n
	for r in $(seq $NR); do
		n=$(in_ns real$r nstat -az TcpPassiveOpens 2>/dev/null | awk '$1 == "TcpPassiveOpens" { print $2 }')
		t=$((t + ${n:-0}))
	done
	echo $t
}
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
HZ=$(getconf CLK_TCK)

step "start: $NV VIPs x $NR reals"
t0=$EPOCHREALTIME
sd_start 1 $CONF
pid=$(cat $CLUSTER_RUN/sd1.pid)
echo "sluiced (pid $pid) answers its status socket after $(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.1f", b - a }') s"
# Until every probe is up, or none came up for 120 s, or UP_WAIT s. A
# fetch of the metrics gives up after 60 s (sluiced too busy to answer).
up=0 nprobes=0 best=0 since=$SECONDS
for _ in $(seq $((UP_WAIT / 5))); do
	sd_gone 1 && fail "sluiced died: $(tail -n 3 $LOG)"
	read -r up runs fails nprobes <<<"$(probe_sums)" || true
	echo "  $(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.0f", b - a }') s: ${nprobes:-?} probes, ${up:-?} up, ${runs:-?} runs, ${fails:-?} failures"
	[[ ${up:-0} == $((NV * NR)) ]] && break
	if ((${up:-0} > best)); then best=$up since=$SECONDS; fi
	((SECONDS - since < 120 && $(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.0f", b - a }') < UP_WAIT)) || break
	sleep 5
done
all_up=$(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.0f", b - a }')
note=
if [[ $nprobes != $((NV * NR)) ]]; then
	echo "the metrics showed $nprobes probes (want $((NV * NR)) distinct checks): no answer within 60 s?"
	note=" (metrics: no answer)"
elif [[ $up == $((NV * NR)) ]]; then
	echo "every probe up $all_up s after the start"
else
	echo "only $up of $((NV * NR)) probes up after $all_up s"
	note=" (only $(commas $up) of $(commas $((NV * NR))) checks up)"
fi
sleep 5

head -n 20 $LOG
step "steady state: $WINDOW s"
read -r _ runs0 fails0 _ <<<"$(probe_sums)"
m0=$EPOCHREALTIME
p0=$(passive_opens)
c0=$(cpu_ticks $pid) u0=$(user_ticks $pid) l0=$(listeners_ticks) t0=$EPOCHREALTIME
read -r vb0 vt0 <<<"$(vm_cpu)"
sleep "$WINDOW"
c1=$(cpu_ticks $pid) u1=$(user_ticks $pid) l1=$(listeners_ticks) t1=$EPOCHREALTIME
p1=$(passive_opens)
read -r vb1 vt1 <<<"$(vm_cpu)"
read -r _ runs1 fails1 _ <<<"$(probe_sums)"
m1=$EPOCHREALTIME
cpu=$(pct $((c1 - c0)) $t0 $t1) ucpu=$(pct $((u1 - u0)) $t0 $t1)
lcpu=$(awk -v c=$((l1 - l0)) -v hz=$HZ -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", c / hz / (b - a) * 100 }')
vcpu=$(awk -v b=$((vb1 - vb0)) -v t=$((vt1 - vt0)) -v n="$(nproc)" 'BEGIN { printf "%.0f", b / t * n * 100 }')
rate=$(awk -v r=$((runs1 - runs0)) -v a=$m0 -v b=$m1 'BEGIN { printf "%.0f", r / (b - a) }')
failed=$((fails1 - fails0))
probes="$(commas $rate) checks/s, $(commas $failed) failed"
((runs0 && runs1)) || probes="not measured: the metrics did not answer within 60 s"
rss=$(awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
hwm=$(awk '$1 == "VmHWM:" { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
echo "sluiced: $cpu % of a core, user $ucpu % ($((c1 - c0)) ticks at $HZ Hz over $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s); VmRSS $rss MiB, VmHWM $hwm MiB"
echo "probes: $((runs1 - runs0)) runs, $failed failures between the fetches ($rate/s)"
sd_accepts=$(awk -v n=$((p1 - p0)) -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", n / (b - a) }')
echo "the reals accepted $((p1 - p0)) connections in the window ($sd_accepts/s)"
echo "the 10 listeners: $lcpu % of a core; the whole VM: $vcpu % of $(($(nproc) * 100)) %"
grep -E 'voluntary_ctxt|Threads' /proc/$pid/status
echo "open fds: $(ls /proc/$pid/fd | wc -l) ($(grep 'open files' /proc/$pid/limits))"
hand_connect || echo "a connect to real1:10999 by hand failed"
for ns in lb1 real1; do
	echo "$ns: $(in_ns $ns nstat -az 2>/dev/null | awk '$1 ~ /^(TcpActiveOpens|TcpPassiveOpens|TcpAttemptFails|TcpRetransSegs|TcpOutRsts|TcpExtListenDrops|TcpExtListenOverflows|TcpExtTCPReqQFullDrop|TcpExtTCPTimeouts)$/ { printf "%s %s ", $1, $2 }')"
done
if ((failed)); then
	echo "the last errors (sluiced status):"
	"$SLUICED" status -s "$(sd_sock 1)" 2>/dev/null | grep -m 10 'check bench' || true
fi

if command -v perf >/dev/null; then
	step "evidence: main-loop turns and a profile, steady state"
	timeout 60 perf stat -e 'syscalls:sys_enter_poll,syscalls:sys_enter_ppoll' -p $pid -- sleep 5 2>&1 |
		grep -E 'sys_enter|elapsed' || echo "perf stat: no tracepoints"
	timeout 120 perf record -q -N -F 199 -e cpu-clock -p $pid -o $out/perf.steady -- sleep 10 >/dev/null 2>&1 &&
		timeout 120 perf report -q -i $out/perf.steady --stdio --no-children --sort dso,sym 2>/dev/null |
		grep -v '^$' | head -n 25 || true
fi

step "reloads: one real's weight changed, $RELOADS times"
# reload_ms: SIGHUP, then the ms until the log's next "reloaded" line
# (polled every ms), 120000.0 after 120 s; "refused" if refused.
RELOAD_PY='
import os, signal, sys, time
pid, log = int(sys.argv[1]), sys.argv[2]
f = open(log, "rb"); f.seek(0, 2)
buf = b""
t0 = time.monotonic()
os.kill(pid, signal.SIGHUP)
while time.monotonic() - t0 < 120:
    buf += f.read()
    if b"reloaded" in buf:
        print("%.1f" % ((time.monotonic() - t0) * 1000)); sys.exit(0)
    if b"refused" in buf or b"exiting" in buf:
        print("refused"); sys.exit(1)
    time.sleep(0.001)
print("120000.0"); sys.exit(0)
'
weight() { # the kernel's weight of real1 in VIP 0's service
	adm lb1 -L -n -t 10.100.0.1:10000 | awk '$2 == "10.2.0.11:10000" { print $4 }'
}
: >$out/reload.ms
for i in $(seq "$RELOADS"); do
	w=$((i % 2 + 1))
	conf $w >$CONF
	ms=$(python3 -c "$RELOAD_PY" $pid $LOG) || fail "reload $i: $ms: $(tail -n 3 $LOG)"
	# The kernel's weight: the configured one while the real is up.
	echo "reload $i: the kernel's weight of 10.2.0.11:10000 is now $(weight), configured $w"
	echo "reload $i (weight $w): $ms ms"
	echo "$ms" >>$out/reload.ms
	sleep 2
done
med=$(sort -n $out/reload.ms | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }')
max=$(sort -n $out/reload.ms | awk 'END { printf "%.0f", $1 }')
grep -qx '120000.0' $out/reload.ms && max=">120000"
# Where the time went, as sluiced logs it (file, kernel, states).
grep -o 'reloaded .*' $LOG | tail -n "$RELOADS"
echo "\"is down\" log lines so far: $(grep -c 'is down' $LOG || true)"

if command -v perf >/dev/null; then
	step "evidence: a profile of one more reload"
	conf 3 >$CONF
	timeout 150 perf record -q -N -F 199 -e cpu-clock -p $pid -o $out/perf.reload -- \
		python3 -c "$RELOAD_PY" $pid $LOG 2>&1 | sed 's/^/reload under perf: /; s/$/ ms/' || true
	timeout 120 perf report -q -i $out/perf.reload --stdio --no-children --sort dso,sym 2>/dev/null |
		grep -v '^$' | head -n 25 || true
fi

step "keepalived: the same checks, in the same VM"
kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
kill -9 $pid 2>/dev/null || true
KA_CONF=$CLUSTER_RUN/keepalived.conf
KA_LOG=$CLUSTER_RUN/keepalived.log
ka_conf() { # [W]: VIP 0's first real with weight W (the reloads change it)
	echo 'global_defs { router_id bench; }'
	awk -v n=$NV -v nr=$NR -v w="${1:-1}" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "virtual_server 10.100.%d.%d %d {\n", int(i / 250), i % 250 + 1, 10000 + i
			print "  delay_loop 1\n  lb_algo rr\n  lb_kind DR\n  protocol TCP"
			for (r = 1; r <= nr; r++)
				printf "  real_server 10.2.0.%d %d { weight %d\n    TCP_CHECK { connect_timeout 0.5 retry 1 } }\n", 10 + r, 10000 + i, (i == 0 && r == 1 ? w : 1)
			print "}"
		}
	}'
}
ka_pids() { # parent and checker
	cat $CLUSTER_RUN/ka.pid $CLUSTER_RUN/ka_checker.pid 2>/dev/null
}
ka_ticks() { # FN: the processes' sum
	local p t=0
	for p in $(ka_pids); do t=$((t + $($1 $p))); done
	echo $t
}
ka_mem() { # FIELD: the processes' sum, MiB
	local p
	for p in $(ka_pids); do cat /proc/$p/status; done |
		awk -v f="$1:" '$1 == f { s += $2 } END { printf "%.1f", s / 1024 }'
}
ka_weight() { # IPVS's weight of real1 in VIP 0's service
	in_ns lb1 ipvsadm -L -n -t 10.100.0.1:10000 | awk '$2 == "10.2.0.11:10000" { print $4 }'
}
ka_reals() { # reals in IPVS (keepalived removes the failed ones)
	in_ns lb1 ipvsadm -L -n | grep -c -- '->.*Route' || true
}
ka_version=$(keepalived --version 2>&1 | awk 'NR == 1 { print $2 }')
ka_cpu=- ka_ucpu=- ka_rss=- ka_hwm=- ka_accepts=- ka_note= ka_med=-
if ! command -v keepalived >/dev/null; then
	ka_note="not installed"
else
	modprobe ip_vs && modprobe ip_vs_rr || fail "no IPVS for keepalived"
	ka_conf >$KA_CONF
	keepalived -t -f $KA_CONF -l || fail "keepalived refuses its configuration"
	nsenter --net=/run/netns/lb1 keepalived -n -l -D -C -f $KA_CONF \
		-p $CLUSTER_RUN/ka.pid -c $CLUSTER_RUN/ka_checker.pid >$KA_LOG 2>&1 &
	t0=$EPOCHREALTIME
	for _ in $(seq 120); do
		[[ -s $CLUSTER_RUN/ka_checker.pid ]] && (($(ka_reals) == NV * NR)) && break
		sleep 1
	done
	echo "keepalived $ka_version: $(ka_reals) reals in IPVS after $(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.0f", b - a }') s (pids $(ka_pids | xargs))"
	# Its checkers start spread over their first delay_loop; then steady.
	sleep 15
	p0=$(passive_opens)
	c0=$(ka_ticks cpu_ticks) u0=$(ka_ticks user_ticks) t0=$EPOCHREALTIME
	sleep "$WINDOW"
	c1=$(ka_ticks cpu_ticks) u1=$(ka_ticks user_ticks) t1=$EPOCHREALTIME
	p1=$(passive_opens)
	ka_cpu=$(pct $((c1 - c0)) $t0 $t1) ka_ucpu=$(pct $((u1 - u0)) $t0 $t1)
	ka_rss=$(ka_mem VmRSS) ka_hwm=$(ka_mem VmHWM)
	ka_accepts=$(awk -v n=$((p1 - p0)) -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", n / (b - a) }')
	echo "keepalived: $ka_cpu % of a core, user $ka_ucpu % ($((c1 - c0)) ticks over $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s); VmRSS $ka_rss MiB, VmHWM $ka_hwm MiB (parent + checker)"
	for p in $(ka_pids); do grep -E '^(Name|VmRSS|VmHWM)' /proc/$p/status | xargs; done
	echo "the reals accepted $((p1 - p0)) connections in the window ($ka_accepts/s); $(ka_reals) reals in IPVS"
	echo "keepalived's log: $(wc -l <$KA_LOG) lines, $(grep -c -i 'fail\|timeout' $KA_LOG || true) about failures or timeouts"
	grep -i 'fail\|timeout\|error' $KA_LOG | head -n 5 || true
	(($(ka_reals) == NV * NR)) || ka_note=" (only $(commas "$(ka_reals)") reals up)"
	# keepalived's reload of the same change: SIGHUP, then the ms until
	# IPVS has the new weight (polled every 10 ms; sluiced's figure runs
	# to its log line, after the kernel has the weight: the comparison
	# favours keepalived).
	: >$out/ka-reload.ms
	for i in $(seq "$RELOADS"); do
		w=$((i % 2 + 1))
		ka_conf $w >$KA_CONF
		t0=$EPOCHREALTIME
		kill -HUP "$(cat $CLUSTER_RUN/ka.pid)"
		ms=120000.0
		while awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { exit !(b - a < 120) }'; do
			if [[ $(ka_weight) == "$w" ]]; then
				ms=$(awk -v a=$t0 -v b=$EPOCHREALTIME 'BEGIN { printf "%.1f", (b - a) * 1000 }')
				break
			fi
			sleep 0.01
		done
		echo "keepalived reload $i (weight $w): $ms ms"
		echo "$ms" >>$out/ka-reload.ms
		sleep 2
	done
	ka_med=$(sort -n $out/ka-reload.ms | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }')
	kill -TERM $(cat $CLUSTER_RUN/ka.pid) 2>/dev/null
fi
dmesg | grep -Ei 'conntrack|time wait|out of memory' | tail -n 5 || true

ok() { awk -v v="$1" -v g="$2" 'BEGIN { print v < g ? "met" : "not met" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
echo
echo "| in the VM (TCG): $(commas $NV) VIPs x $NR reals, $(commas $((NV * NR))) TCP checks at 1 s | CPU (goal < 5 % of a core) | memory (goal < 50 MiB RSS) | reload, one real's weight (goal < 100 ms) | checks in ${WINDOW} s | connects/s the reals accepted | goals |"
echo "|---|---|---|---|---|---|---|"
echo "| sluiced$note | $cpu % of a core (user $ucpu %) | RSS $rss MiB (peak $hwm) | median $med ms, max $max ms ($RELOADS reloads) | $probes | $(commas $sd_accepts) | CPU $(ok $cpu 5), memory $(ok $rss 50), reload $(ok "${max#>}" 100) |"
echo "| keepalived $ka_version (-C: parent + checker)$ka_note | $ka_cpu % of a core (user $ka_ucpu %) | RSS $ka_rss MiB (peak $ka_hwm) | median $ka_med ms ($RELOADS reloads, to the weight in IPVS) | - | $(commas "$ka_accepts") | - |"
echo "| sluiced / keepalived | $(ratio $cpu $ka_cpu) (user $(ratio $ucpu $ka_ucpu)) | $(ratio $rss $ka_rss) (peak $(ratio $hwm $ka_hwm)) | $(ratio $med $ka_med) | - | $(ratio $sd_accepts $ka_accepts) | - |"
