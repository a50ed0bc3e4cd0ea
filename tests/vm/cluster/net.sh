# The cluster in network namespaces (sourced by tests/vm/cluster/*.sh and
# by demo/cluster.sh): real BGP, a real router's multipath hashing.
#
#   client 10.1.0.100 ── router 10.1.0.1 | 10.2.0.254 ── segment (bridge in "sw")
#                        BIRD: BGP + BFD       ├── lb1 10.2.0.1  BIRD + sluice
#                        to every LB node,     ├── lb2 10.2.0.2  BIRD + sluice
#                        merge paths, L4 hash  ├── lb3 10.2.0.3  BIRD + sluice (joins later)
#                                              └── real1..real4 10.2.0.11-14
#
# A one-armed LB, as Katran deploys it: the LB nodes reach the router and
# the reals over one link. Each LB node holds the VIP on its dummy
# interface "sluice-vip", and its BIRD announces it with the shipped
# snippet examples/bird/sluice-lb.conf (the router's BIRD uses
# examples/bird/router.conf), both as they are in the repo. The router's
# kernel gets one route to the VIP with a next hop per node and spreads
# flows by their 5-tuple (fib_multipath_hash_policy=1). The reals
# decapsulate (tunl0), hold the VIP on lo and answer the client through
# the router (direct server return: replies never pass an LB node).
VIP=10.99.0.1
ROUTER=10.2.0.254
BIRD_DIR=$SLUICE_ROOT/examples/bird
CL="nsenter --net=/run/netns/client"
CLUSTER_RUN=/run/sluice-cluster
# The streams' size: flows per stream (stream_start: guest-lib.sh).
STREAM_N=${STREAM_N:-200}

in_ns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

adm() {
	local ns=$1
	shift
	in_ns "$ns" "$SLUICEADM" "$@"
}

# seg_join NS ADDR: a namespace with a link "l0" on the segment, default
# route via the router.
# (Its commands batched, one ip per namespace: under TCG each program run
# costs about 0.1 s.)
seg_join() {
	[[ -e /run/netns/$1 ]] || ip netns add "$1"
	ip link add "p-$1" netns sw type veth peer name l0 netns "$1"
	ip -n sw link set "p-$1" master br0 up
	{
		echo "link set lo up"
		echo "link set l0 up"
		echo "addr add $2/24 dev l0"
		[[ $1 == router ]] || echo "route add default via $ROUTER"
	} | ip -n "$1" -b -
}

# real_add I [novip]: real server I (10.2.0.1I): decapsulates IP-in-IP,
# VIP on lo (not with "novip": a misconfigured real), the sysctls a DSR
# backend needs, and its servers (real_serve; sluice-whoami: its name to
# "who", an echo of anything else).
real_add() {
	local n=real$1
	seg_join $n "10.2.0.1$1"
	{
		[[ ${2:-} == novip ]] || echo "addr add $VIP/32 dev lo"
		echo "link set tunl0 up"
	} | ip -n $n -b -
	# No reverse-path filter (decapsulated packets come from the client,
	# on tunl0). The VIP is on lo: never answer ARP for it on the segment,
	# never use it as the source of an ARP request.
	ip netns exec $n sysctl -qw net.ipv4.conf.{all,default,tunl0,l0}.rp_filter=0 \
		net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
	real_serve "$1"
}
# real_serve I: real I's servers: on VIP:80 (clients, through the tunnel)
# when it holds the VIP, and on its own address (health checks that do not
# go through the VIP).
# Each server's output goes to $CLUSTER_RUN/realI-ADDR.log (shown by
# cluster_down when a test fails). Ready when each answers with its name,
# over TCP and UDP, asked from inside the real. A server accepts for
# WHOAMI_SECONDS + 60 s (its default of 240 s is shorter than the longest
# cluster test on a slow machine) and is killed at 900 s.
real_serve() {
	local n=real$1 a addrs="10.2.0.1$1"
	[[ -n $(ip -n $n addr show dev lo to $VIP/32) ]] && addrs="$VIP $addrs"
	for a in $addrs; do
		in_ns $n env WHOAMI_LOG=1 WHOAMI_SECONDS=840 timeout 900 "$WHOAMI" serve $n $a 80 >>"$CLUSTER_RUN/$n-$a.log" 2>&1 &
	done
	# (Up to 60 s: on the debug kernel beside another guest, 10 s ran out
	# with both servers started and logging.)
	wait_for 60 in_ns $n timeout 20 "$WHOAMI" answers $n 80 $addrs >/dev/null ||
		fail "$n: a server did not start: $(cd $CLUSTER_RUN && tail -n 5 $n-*.log)"
}
# real_kill I...: stop the servers of reals I..., and wait until they are
# gone, sockets and all. Not by pgrep alone: a server's main thread exits
# (and its command line goes) before its other threads, one per open
# connection; its sockets close with the last of them. Under TCG, with
# dozens of connections, a server started at once found its old one's
# socket still bound and died ("Address already in use").
real_kill() {
	local i pat
	for i in "$@"; do
		pat="sluice-whoami serve real$i "
		pkill -f "$pat" || fail "real$i: no server"
		wait_for 30 real_gone $i >/dev/null || fail "real$i: the server did not stop"
	done
}
real_gone() {
	! pgrep -f "sluice-whoami serve real$1 " >/dev/null &&
		[[ -z $(in_ns real$1 ss -Htuln "sport = :80") ]]
}

# lb_base I: LB node lbI (10.2.0.I) on the segment with the data plane
# attached and nothing configured (sluiced configures the rest).
lb_base() {
	seg_join "lb$1" "10.2.0.$1"
	dp_attach "lb$1" l0
}

# lb_add I: lb_base, the VIP on its dummy interface, the tunnel source and
# the cluster's seed set. No services yet (lb_rules), no BIRD yet (bird_lb).
lb_add() {
	local n=lb$1
	lb_base "$1"
	ip -n $n link add sluice-vip type dummy
	ip -n $n link set sluice-vip up
	ip -n $n addr add $VIP/32 dev sluice-vip
	printf '%s\n' "--tunnel-source 10.2.0.$1/32" "--mh-seed 0x5eed" | adm $n -R ||
		fail "$n: tunnel source and seed"
}

# lb_rules NS SCHED ORDER...: TCP and UDP services on VIP:80 with reals
# added in ORDER (Maglev must not care about the order).
# One sluiceadm -R: the same requests, in the same order, as a command
# each (a program run each, 0.1 s under TCG).
lb_rules() {
	local ns=$1 sched=$2 p i
	shift 2
	for p in -t -u; do
		echo "-A $p $VIP:80 -s $sched"
		for i in "$@"; do
			echo "-a $p $VIP:80 -r 10.2.0.1$i -i"
		done
	done | adm "$ns" -R || fail "$ns: rules (scheduler $sched, reals $*)"
}

# bird_start NS CONF: BIRD in NS with its own control socket and pid file.
bird_start() {
	in_ns "$1" bird -c "$2" -s "$CLUSTER_RUN/$1.ctl" -P "$CLUSTER_RUN/$1.pid" ||
		fail "$1: bird did not start"
}

birdc_ns() {
	local ns=$1
	shift
	birdc -s "$CLUSTER_RUN/$ns.ctl" "$@"
}

# bird_lb I: lbI's BIRD, the shipped snippet included as it is.
bird_lb() {
	local conf=$CLUSTER_RUN/lb$1.conf
	cat >"$conf" <<EOF
router id 10.2.0.$1;
define SLUICE_VIPS4 = [ 10.99.0.0/24{32,32} ];
define SLUICE_VIPS6 = [ fd00:99::/64{128,128} ];
include "$BIRD_DIR/sluice-lb.conf";
protocol bgp uplink1 from sluice_uplink {
	local 10.2.0.$1 as 65001;
	neighbor $ROUTER as 65000;
	bfd ${BFD:-on};${HOLD:+ hold time $HOLD; keepalive time $((HOLD / 3));}
}
EOF
	bird_start "lb$1" "$conf"
}

# bird_kill NS: SIGKILL, no BGP notification leaves the node.
bird_kill() {
	kill -9 "$(cat "$CLUSTER_RUN/$1.pid")" 2>/dev/null || true
}

# nexthops: the router kernel's next hops for the VIP, one per line.
nexthops() {
	ip -n router route show $VIP 2>/dev/null | grep -o 'via [0-9.]*' | awk '{ print $2 }' | sort
}

# wait_nexthops LIST SECONDS: wait until the router's route to the VIP has
# exactly the next hops in LIST ("10.2.0.1 10.2.0.2"); print the seconds
# it took. Fails after SECONDS.
nexthops_are() {
	[[ $(nexthops) == "$1" ]]
}
wait_nexthops() {
	local want
	want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort)
	wait_for "$2" nexthops_are "$want" ||
		fail "router's next hops for $VIP: $(nexthops | tr '\n' ' ')want $1"
}
# net_up: client, router (BIRD, ECMP, sessions for lb1..lb3), reals 1-3;
# no LB node yet. Everything is torn down when the script exits.
# BFD=off: the router notices a dead node by BGP's hold timer alone;
# HOLD=SECONDS: another hold time than the snippets' 3 s (keepalives at a
# third of it).
net_up() {
	local i
	trap cluster_down EXIT
	mkdir -p $CLUSTER_RUN
	modprobe ipip
	modprobe dummy
	modprobe bridge
	sluice_load
	ip netns add sw
	ip -n sw link add br0 type bridge
	ip -n sw link set br0 up
	ip netns add client
	ip netns add router
	ip -n client link set lo up
	ip -n router link set lo up
	ip link add c0 netns client type veth peer name c0 netns router
	ip -n client link set c0 up
	ip -n router link set c0 up
	ip -n client addr add 10.1.0.100/24 dev c0
	ip -n client route add default via 10.1.0.1
	# The router hashes forwarded flows by their 5-tuple, as a hardware
	# router does. Over veth, though, a packet brings its sender's socket
	# hash (sk_txhash) along, and the kernel's multipath hash uses that
	# when present; TCP draws a new one on every retransmission timeout,
	# so a flow would hop between LB nodes whenever the client's TCP
	# times out (under load in the VM): more than any real router does.
	ip netns exec client sysctl -qw net.core.txrehash=0
	ip -n router addr add 10.1.0.1/24 dev c0
	seg_join router $ROUTER
	ip netns exec router sysctl -qw net.ipv4.ip_forward=1
	ip netns exec router sysctl -qw net.ipv4.fib_multipath_hash_policy=1
	cat >"$CLUSTER_RUN/router.conf" <<EOF
log "$CLUSTER_RUN/router.log" all;
debug protocols { states };
router id $ROUTER;
include "$BIRD_DIR/router.conf";
EOF
	for i in 1 2 3; do
		echo "protocol bgp lb$i from sluice_lb { neighbor 10.2.0.$i as 65001; bfd ${BFD:-on};${HOLD:+ hold time $HOLD; keepalive time $((HOLD / 3));} }"
	done >>"$CLUSTER_RUN/router.conf"
	bird_start router "$CLUSTER_RUN/router.conf"
	for i in 1 2 3; do real_add $i; done
}
# cluster_up NODES: net_up, then LB nodes lb1..lbNODES with rules and
# BIRD (lb1 adds the reals 1 2 3, lb2 3 1 2, lb3 restores lb1's
# `sluiceadm -S` output). Waits for the router's multipath route.
# SCHED: the services' scheduler (default mh).
cluster_up() {
	local i
	net_up
	lb_add 1
	lb_rules lb1 "${SCHED:-mh}" 1 2 3
	bird_lb 1
	if (($1 >= 2)); then
		lb_add 2
		lb_rules lb2 "${SCHED:-mh}" 3 1 2
		bird_lb 2
	fi
	for i in $(seq 3 "$1"); do node_join "$i"; done
	wait_nexthops "$(seq -f '10.2.0.%g' "$1" | tr '\n' ' ')" 120 >/dev/null
}

# node_prepare I: LB node lbI set up with the rules restored from lb1's
# `sluiceadm -S`, not announcing yet. node_join I: prepared, and its BIRD
# started: it joins the router's ECMP set.
node_prepare() {
	lb_add "$1"
	adm lb1 -S -n >"$CLUSTER_RUN/rules"
	adm "lb$1" -R <"$CLUSTER_RUN/rules" || fail "lb$1: restore lb1's rules"
}

node_join() {
	node_prepare "$1"
	bird_lb "$1"
}

cluster_down() {
	local rc=$? f
	set +e
	# What the router's BIRD saw (sessions up and down), for a failed run.
	((rc == 0)) || [[ ! -f $CLUSTER_RUN/router.log ]] || grep -Ei 'changed|down|error|received' "$CLUSTER_RUN/router.log" | tail -n 40 | sed 's/^/router bird: /'
	# What the reals' servers said (a server that died says why).
	if ((rc != 0)); then
		for f in "$CLUSTER_RUN"/real*.log; do
			[[ -s $f ]] && tail -n 20 "$f" | sed "s|^|${f##*/}: |"
		done
	fi
	for f in "$CLUSTER_RUN"/*.pid; do
		[[ -e $f ]] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	pkill -f "$WHOAMI" 2>/dev/null
	pkill -f "$STREAM" 2>/dev/null
	fastpath_tally
	for f in $(ip netns list | awk '{ print $1 }'); do
		ip netns del "$f"
	done
	rm -rf "$CLUSTER_RUN"
	rmmod sluice 2>/dev/null
	return 0
}

# node_crash I: lbI's link goes down and its BIRD is killed (no BGP
# notification: the router notices by BFD or its hold timer).
node_crash() {
	ip -n "lb$1" link set l0 down
	bird_kill "lb$1"
}

# node_return I: lbI's link up and its BIRD started again; its sluice
# state (connection entries and all) is what it was before the crash.
node_return() {
	ip -n "lb$1" link set l0 up
	ip -n "lb$1" route add default via $ROUTER 2>/dev/null || true
	bird_start "lb$1" "$CLUSTER_RUN/lb$1.conf"
}

# client_entries NS PROTO: LB node NS's connection entries from the client
# (entries of earlier runs that have not expired included).
client_entries() {
	adm "$1" -L -n -c | awk -v p="$2" '$1 == p && $4 ~ /^10\.1\.0\.100:/' | wc -l
}

# probe_add: a namespace "probe" (10.2.0.200) on the segment that sends
# flows to the VIP through one LB node of its choosing (probe_flows), to
# compare the nodes' choices for the very same flows.
probe_add() {
	seg_join probe 10.2.0.200
	# The reals' answers come straight back and nothing listens for them:
	# drop them quietly (no ICMP port unreachable toward the VIP).
	in_ns probe nft add table inet probe
	in_ns probe nft add chain inet probe in '{ type filter hook input priority 0; policy drop; }'
	in_ns probe nft add rule inet probe in udp sport != 80 accept
}

# probe_flows NODE FIRST N: N new UDP flows (source ports FIRST..) to
# VIP:80 through NODE.
probe_flows() {
	ip -n probe route replace $VIP/32 via "10.2.0.${1#lb}"
	in_ns probe timeout 120 python3 -S "$STREAM" flows $VIP 80 "$2" "$3" >/dev/null ||
		fail "probe flows through $1"
}

# choices NODE FIRST N: "PORT REAL" for the probe's flows FIRST..FIRST+N-1
# in NODE's connection table, sorted by port.
choices() {
	adm "$1" -L -n -c | awk -v f="$2" -v n="$3" '$1 == "UDP" && $4 ~ /^10\.2\.0\.200:/ {
		split($4, s, ":"); split($6, d, ":")
		if (s[2] >= f && s[2] < f + n) print s[2], d[1] }' | sort -n
}

# The streams of a change to the ECMP set (crash_run, failover.sh's
# scale-out) go on until the router's route has the new set and
# CRASH_SETTLE seconds more (a dozen chunks per flow on whatever node the
# router sends it to now), then end (stream_stop): every chunk sent must
# still come back and every flow be on its real, however long the change
# took; CRASH_MAX bounds them.
CRASH_SETTLE=${CRASH_SETTLE:-3}
CRASH_MAX=${CRASH_MAX:-150}

# streams_settle OUT...: the streams writing to each OUT (stream_start)
# end CRASH_SETTLE seconds from now, and their results are printed.
streams_settle() {
	local o
	sleep "$CRASH_SETTLE"
	for o in "$@"; do stream_stop "$o"; done
	for o in "$@"; do stream_wait "$o"; done
}

# crash_run WHAT: STREAM_N (200) TCP connections and as many UDP flows
# streaming through the VIP while lb1 crashes (link down, BIRD killed) and, once the router
# has dropped it, returns. Prints the failover time (crash -> the router's
# kernel route without lb1) and each stream's summary; the outputs are
# left in /tmp/crash.tcp and /tmp/crash.udp for the caller to judge.
crash_run() {
	local t
	stream_start tcp "$STREAM_N" "$CRASH_MAX" /tmp/crash.tcp
	stream_start udp "$STREAM_N" "$CRASH_MAX" /tmp/crash.udp
	sleep 3
	echo "$1: before the crash, lb1 holds $(client_entries lb1 TCP) TCP and $(client_entries lb1 UDP) UDP entries of the client's, lb2 $(client_entries lb2 TCP) and $(client_entries lb2 UDP)"
	node_crash 1
	t=$(wait_nexthops "10.2.0.2" 60)
	echo "$1: lb1 crashed; the router dropped it after $t s"
	echo "$t" >/tmp/crash.failover
	sleep 3
	node_return 1
	t=$(wait_nexthops "10.2.0.1 10.2.0.2" 120)
	echo "$1: lb1 back in the router's route after $t s"
	streams_settle /tmp/crash.tcp /tmp/crash.udp
}

