# sluiced on the cluster's LB nodes (sourced after net.sh by the sluiced
# tests): configuration, start, status, and what the tests wait for.
SLUICED=$SLUICE_ROOT/build/bin/sluiced
# The timing the tests' configurations use (seconds).
SD_LEARN=2
SD_HOLD=2
SD_DRAIN=3

# sd_conf I [CHECKS]: lbI's configuration on stdout: the daemon and
# settings parts, checks "tcp" (through the VIP) and "plain" (to the real's
# own address), both every 0.5 s (timeout 0.4 s, rise 2, fall 2), and
# CHECKS, then stdin (the VIPs).
sd_conf() {
	cat <<EOF
daemon = {
  learn = $SD_LEARN; hold_down = $SD_HOLD; drain = $SD_DRAIN;
  control = "$(sd_sock "$1")";
  metrics = "127.0.0.1:9642";
};
settings = { mh_seed = 0x5eed; tunnel_source = "10.2.0.$1/32"; };
checks = {
  tcp = { type = "tcp"; interval = 0.5; timeout = 0.4; rise = 2; fall = 2; };
  plain = { type = "tcp"; interval = 0.5; timeout = 0.4; rise = 2; fall = 2; via_vip = false; };
  ${2:-}
};
EOF
	cat
}

# sluiced on LB node I (sd_start I CONF): its log in $CLUSTER_RUN/sdI.log,
# its pid in sdI.pid (cluster_down kills it). Returns once its status
# socket answers.
sd_sock() {
	echo "$CLUSTER_RUN/sd$1.sock"
}
sd_start() {
	# Replies from a VIP (through-the-VIP checks) come to a node that
	# holds the VIP itself.
	ip netns exec "lb$1" sysctl -qw net.ipv4.conf.l0.accept_local=1
	# nsenter execs sluiced: $! is sluiced's pid.
	nsenter --net="/run/netns/lb$1" "$SLUICED" -f "$2" >>"$CLUSTER_RUN/sd$1.log" 2>&1 &
	echo $! >"$CLUSTER_RUN/sd$1.pid"
	# Killed on purpose later: no "Killed" job notice from the shell.
	disown $!
	for _ in $(seq 300); do
		"$SLUICED" status -s "$(sd_sock "$1")" >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$CLUSTER_RUN/sd$1.pid")" 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/  sluiced: /' "$CLUSTER_RUN/sd$1.log"
	fail "lb$1: sluiced did not start"
}
sd_gone() {
	! kill -0 "$(cat "$CLUSTER_RUN/sd$1.pid")" 2>/dev/null
}
sd_status() {
	local i=$1
	shift
	"$SLUICED" status -s "$(sd_sock "$i")" "$@"
}
# sd_weight I REAL [VIP]: REAL's weight in lbI's TCP service VIP:80.
sd_weight() {
	adm "lb$1" -L -n -t "${3:-$VIP}:80" | awk -v r="$2:80" '$2 == r { print $4 }'
}
# sd_between I FIRST THEN: seconds from the last log line of lbI's sluiced
# containing FIRST to the first line after it containing THEN.
sd_between() {
	local a b
	a=$(grep -F "$2" "$CLUSTER_RUN/sd$1.log" | tail -n 1 | awk '{ print $2 }')
	b=$(awk -v a="$a" -v p="$3" '$2 >= a && index($0, p) { print $2; exit }' "$CLUSTER_RUN/sd$1.log")
	[[ -n $a && -n $b ]] || { echo "?"; return 0; }
	echo "$(date -d "$b" +%s.%N) $(date -d "$a" +%s.%N)" | awk '{ printf "%.2f\n", $1 - $2 }'
}
# sd_fail I MESSAGE: fail, showing lbI's sluiced status and last log lines.
sd_fail() {
	sd_status "$1" | sed 's/^/  status: /'
	tail -n 20 "$CLUSTER_RUN/sd$1.log" | sed 's/^/  log: /'
	fail "$2"
}
sd_weight_is() {
	[[ $(sd_weight "$1" "$2") == "$3" ]]
}
no_route() {
	[[ -z $(ip -n router route show "$1") ]]
}
route_to() {
	[[ -n $(ip -n router route show "$1") ]]
}
# sample_weights I: lbI's weights of VIP:80's reals, one line per sample
# (every 50 ms) until killed.
sample_weights() {
	while :; do
		adm "lb$1" -L -n -t "$VIP:80" | awk '$1 == "->" && $3 == "Tunnel" { printf "%s ", $4 } END { print "" }' |
			sed 's/ $//'
		sleep 0.05
	done
}
