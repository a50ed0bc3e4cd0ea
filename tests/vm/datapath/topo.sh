# A load-balanced cluster in namespaces (sourced by the data-path tests and
# the demo): one L2 segment (bridge in "sw") with the client, the LB and
# three reals; the client routes the VIPs via the LB; the reals hold the
# VIPs on lo, decapsulate with the kernel's tunl0 / ip6tnl0 and answer the
# client directly (DSR: replies never pass the LB).
#
#   client 10.2.0.100 fd00:2::100    lb 10.2.0.1 fd00:2::1 (l0)
#   real$i 10.2.0.1$i fd00:2::1$i    VIPs 10.99.0.1 fd00:99::1
VIP4=10.99.0.1
VIP6=fd00:99::1
LB="nsenter --net=/run/netns/lb"
CL="nsenter --net=/run/netns/client"

topo_up() {
	local i n
	modprobe ipip
	modprobe ip6_tunnel
	modprobe bridge
	# One ip per namespace, its commands batched (under TCG each program
	# run costs about 0.1 s, more on the debug kernel).
	for n in sw lb client real1 real2 real3; do ip netns add $n; done
	for n in lb client real1 real2 real3; do
		echo "link add p-$n netns sw type veth peer name l0 netns $n"
	done | ip -b -
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n in lb client real1 real2 real3; do echo "link set p-$n master br0 up"; done
	} | ip -n sw -b -
	# The VIPs are local on the LB too (as with IPVS): ICMP errors it sends
	# the client come from the VIP.
	ip -n lb -b - <<-EOF
		link set lo up
		link set l0 up
		addr add 10.2.0.1/24 dev l0
		addr add fd00:2::1/64 dev l0 nodad
		addr add $VIP4/32 dev lo
		addr add $VIP6/128 dev lo nodad
	EOF
	ip -n client -b - <<-EOF
		link set lo up
		link set l0 up
		addr add 10.2.0.100/24 dev l0
		addr add fd00:2::100/64 dev l0 nodad
		route add $VIP4/32 via 10.2.0.1
		route add $VIP6/128 via fd00:2::1
	EOF
	for i in 1 2 3; do topo_real $i; done
}

# topo_real I: real I's namespace (made and on the segment already): its
# addresses, the VIPs on lo, the tunnels up, the sysctls of a DSR real.
topo_real() {
	local n=real$1
	ip -n $n -b - <<-EOF
		link set lo up
		link set l0 up
		addr add 10.2.0.1$1/24 dev l0
		addr add fd00:2::1$1/64 dev l0 nodad
		addr add $VIP4/32 dev lo
		addr add $VIP6/128 dev lo nodad
		link set tunl0 up
		link set ip6tnl0 up
	EOF
	# No reverse-path filter (the decapsulated packets come from the
	# client, on tunl0); do not answer ARP/ND for the VIP on the shared
	# segment.
	ip netns exec $n sysctl -qw net.ipv4.conf.{all,default,tunl0,l0}.rp_filter=0 \
		net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
}

# real_join I: another real, real I (10.2.0.1I, fd00:2::1I), on the segment.
real_join() {
	ip netns add real$1
	ip link add p-real$1 netns sw type veth peer name l0 netns real$1
	ip -n sw link set p-real$1 master br0 up
	topo_real $1
}

# serve_in NS NAME ADDR PORT: NAME answers on ADDR:PORT (TCP and UDP) in NS
# for as long as a test may run (the harness's limit; on the debug kernel
# beside another guest forward.sh took over 300 s, the servers' old limit,
# and its last steps met no server); topo_down ends it.
serve_in() {
	local life=${SLUICE_TEST_TIMEOUT:-300}
	nsenter --net=/run/netns/"$1" env WHOAMI_SECONDS="$life" timeout "$life" \
		"$WHOAMI" serve "$2" "$3" "$4" &
}

# listening NS PORT N: wait (up to 20 s) until NS has N sockets on PORT,
# TCP listening and UDP bound: a server's Python takes its time to start,
# more than a fixed second in a loaded guest.
listening() {
	local _
	for _ in $(seq 200); do
		(($(nsenter --net=/run/netns/"$1" ss -Hltun "sport = :$2" | wc -l) >= $3)) && return 0
		sleep 0.1
	done
	fail "$1: want $3 sockets on port $2: $(nsenter --net=/run/netns/"$1" ss -Hltun "sport = :$2" | paste -sd' ')"
}

# serve PORT: each real answers with its name on VIP:PORT (TCP and UDP).
serve() {
	local i
	for i in 1 2 3; do
		serve_in real$i real$i $VIP4 "$1"
		serve_in real$i real$i $VIP6 "$1"
	done
	for i in 1 2 3; do listening real$i "$1" 4; done
}

# Every process left in the test's namespaces ends with them.
topo_down() {
	local n pids
	fastpath_tally
	for n in sw lb client real1 real2 real3 real4; do
		pids=$(ip netns pids $n 2>/dev/null) || continue
		# shellcheck disable=SC2086
		[[ -z $pids ]] || kill $pids 2>/dev/null
		ip netns del $n 2>/dev/null
	done
	return 0
}

# lb_add NAME ADDR4 ADDR6: another LB node on the segment, VIPs on lo.
lb_add() {
	ip netns add "$1"
	ip link add "p-$1" netns sw type veth peer name l0 netns "$1"
	ip -n sw link set "p-$1" master br0 up
	ip -n "$1" -b - <<-EOF
		link set lo up
		link set l0 up
		addr add $2/24 dev l0
		addr add $3/64 dev l0 nodad
		addr add $VIP4/32 dev lo
		addr add $VIP6/128 dev lo nodad
	EOF
}

# lb_config NAME SRC4 SRC6 ORDER...: attach the programs, set the tunnel
# source and seed, and add TCP and UDP services on port 80 (IPv4 and IPv6)
# with reals 1..3 added in ORDER (Maglev must not care).
lb_config() {
	local ns=$1 src4=$2 src6=$3 p i
	shift 3
	dp_attach $ns l0
	# The settings and the rules in one sluiceadm -R: the same requests, in
	# the same order, as a command each (a program run each, 0.1 s under
	# TCG).
	{
		echo "--tunnel-source $src4/32"
		echo "--tunnel-source $src6/128"
		echo "--mh-seed 0x5eed"
		for p in -t -u; do
			echo "-A $p $VIP4:80 -s mh"
			echo "-A $p [$VIP6]:80 -s mh"
			for i in "$@"; do
				echo "-a $p $VIP4:80 -r 10.2.0.1$i -i"
				echo "-a $p [$VIP6]:80 -r [fd00:2::1$i] -i"
			done
		done
	} | nsenter --net=/run/netns/$ns "$SLUICEADM" -R || fail "$ns: settings and rules"
}

# cluster_up: the module, the cluster and the LB "lb" configured (reals 1 2
# 3), all taken down when the test exits.
cluster_up() {
	trap 'topo_down; rmmod sluice 2>/dev/null' EXIT
	sluice_load
	topo_up
	lb_config lb 10.2.0.1 fd00:2::1 1 2 3
}

# within LO HI [WHAT]: "NAME COUNT" lines on stdin (sluice-whoami udp/tcp) show
# every request answered and each of real1..real3 between LO and HI times;
# else fail, naming WHAT.
within() {
	local lo=$1 hi=$2 what=${3:+$3: } out name count
	out=$(cat)
	echo "$out"
	grep -q '(none)' <<<"$out" && fail "${what}some requests were not answered"
	for name in real1 real2 real3; do
		count=$(awk -v n=$name '$1 == n { print $2 }' <<<"$out")
		((${count:-0} >= lo && ${count:-0} <= hi)) ||
			fail "$what$name got ${count:-0}, want $lo..$hi"
	done
}

# no_drops NS WHAT: none of the drop counters of LB NS (XDP's, tc's, the
# module's) has counted a packet; else fail, naming WHAT.
no_drops() {
	local d
	d=$(nsenter --net=/run/netns/"$1" "$SLUICEADM" --dataplane-stats | awk '$1 ~ /^drop-/ && $2 != 0')
	[[ -z $d ]] || fail "$2: $1 dropped packets: $d"
}

# expect_mtu VIP SIZE WANT WHAT: a SIZE-byte DF datagram to VIP:80 teaches
# the client the path MTU WANT.
expect_mtu() {
	local m
	m=$($CL timeout 10 "$WHOAMI" mtu "$1" 80 "$2")
	[[ $m == "$3" ]] || fail "$4: path MTU learnt $m, want $3"
}

# unreach NETNS: the ICMP destination-unreachable messages NETNS received.
unreach() {
	nsenter --net=/run/netns/"$1" awk '/^Icmp:/ { if (h) { print $5; exit } h = 1 }' /proc/net/snmp
}

# flood_source: 10.2.0.200 on the client, the source of SYN floods
# (sluice-whoami synflood): answers to it are dropped on arrival, so no RST
# and the flows stay half-open.
flood_source() {
	ip -n client addr add 10.2.0.200/24 dev l0
	ip netns exec client nft -f - <<-'NFT'
	table ip flood {
		chain in {
			type filter hook input priority 0;
			ip daddr 10.2.0.200 drop
		}
	}
	NFT
}

# lb_stat NAME: the LB's counter NAME (sluiceadm --dataplane-stats).
lb_stat() {
	$LB "$SLUICEADM" --dataplane-stats | awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }'
}

# hold_open VIP N SECONDS [TIMEOUT [EVERY]]: the client opens N TCP
# connections to VIP:80 and holds them (sluice-whoami hold; with EVERY, each
# asked every EVERY seconds meanwhile) in the background; returns once they
# are open. hold_done N WHAT: ends the hold (SIGUSR1: the change the
# test made while they were open is in), then all N must answer from their
# real, else fail saying WHAT. SECONDS only bounds a hold nobody ends.
hold_open() {
	$CL timeout "${4:-100}" "$WHOAMI" hold "$1" 80 "$2" "$3" ${5:+"$5"} >/tmp/hold.out &
	HOLDER=$!
	for _ in $(seq 100); do grep -q open /tmp/hold.out 2>/dev/null && break; sleep 0.2; done
	grep -q open /tmp/hold.out || fail "connections did not open"
}

hold_done() {
	# The pid is timeout's (nsenter execs it); sluice-whoami is its child.
	pkill -USR1 -P "$HOLDER" || true
	wait "$HOLDER" || fail "holding connections"
	cat /tmp/hold.out
	grep -q "completed $1" /tmp/hold.out || fail "$2: $(cat /tmp/hold.out)"
}
