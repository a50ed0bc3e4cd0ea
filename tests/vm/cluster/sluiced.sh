# sluiced on one LB node of the cluster (tests/vm/cluster/net.sh): one
# probe for a real shared by ten VIPs, a hung check command killed at its
# timeout, metrics (promtool, against sluiceadm), drift (reported; the XDP
# maps follow a change made by another program), reloads: good ones
# applied as a difference that keeps the unchanged reals' state, bad ones
# (each kind of error) refused whole; and events as journal entries with
# fields of their own.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
. "$SLUICE_ROOT/tests/vm/cluster/sd.sh"
out=/tmp/sd
CTLTEST=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest

modprobe tun
net_up
real_add 4
lb_base 1
bird_lb 1

# conf_vips RELOADED: the VIPs before (0) and after (1) the reload: real3's
# weight 1 -> 2, real4 added to $VIP, 10.99.0.3 removed.
conf_vips() {
	local shared i
	for i in $(seq 10 19); do
		shared+="  { address = \"10.99.0.$i\"; services = ( { protocol = \"tcp\"; port = 80; checks = [ \"plain\" ];
      reals = ( { address = \"10.2.0.11\"; } ); } ); },
"
	done
	cat <<EOF
vips = (
  { address = "$VIP";
    services = (
      { protocol = "tcp"; port = 80; checks = [ "tcp" ];
        reals = ( { address = "10.2.0.11"; }, { address = "10.2.0.12"; },
                  { address = "10.2.0.13"; weight = $((1 + $1)); }$( (($1)) && echo ', { address = "10.2.0.14"; }') ); } ); },
$( (($1)) || echo '  { address = "10.99.0.3"; services = ( { protocol = "udp"; port = 53; checks = [ "plain" ];
      reals = ( { address = "10.2.0.12"; port = 80; } ); } ); },')
$shared  { address = "10.99.0.30"; announce = false;
    services = ( { protocol = "tcp"; port = 80; checks = [ "hang" ];
      reals = ( { address = "10.2.0.11"; } ); } ); }
);
EOF
}
conf() {
	conf_vips "$1" | sd_conf 1 'hang = { type = "exec"; command = "sleep 100 & sleep 100"; interval = 1.0; timeout = 0.5; rise = 1; fall = 1; };'
}
conf 0 >$CLUSTER_RUN/sd1.conf
"$SLUICED" --check $CLUSTER_RUN/sd1.conf || fail "the test's configuration is refused"

step "start"
sd_start 1 $CLUSTER_RUN/sd1.conf
wait_nexthops 10.2.0.1 60 >/dev/null
sd_status 1 >$out.status0
head -n 12 $out.status0
# (Its hold-down may still run when $VIP's next hop is in: up to SD_HOLD
# after its first check passed.)
wait_for 10 route_to 10.99.0.3 >/dev/null || fail "10.99.0.3 not announced"
[[ -n $(ip -n router route show 10.99.0.30) ]] && fail "10.99.0.30 announced (announce = false)"

step "one real behind 11 services with the same check: one probe per interval"
in_ns real1 nft -f - <<EOF
table inet t { chain c { type filter hook input priority 0; ip saddr 10.2.0.1 ip daddr 10.2.0.11 tcp dport 80 tcp flags syn counter; }; }
EOF
sleep 5
syns=$(in_ns real1 nft list chain inet t c | grep -o 'packets [0-9]*' | awk '{ print $2 }')
echo "real1 got $syns probe connections in 5 s (interval 0.5 s)"
((syns >= 6 && syns <= 14)) || fail "$syns probes in 5 s: want about 10 (one probe, not one per VIP)"

step "a hung check command is killed at its timeout; they do not pile up"
n=$(pgrep -cf 'sleep 100' || true)
echo "$n processes of the hung command (one run: sh and its 2 sleeps)"
((n <= 3)) || fail "$n check processes: they pile up"
sd_status 1 | grep -A2 '^VIP 10.99.0.30 ' | tee $out.hang
grep -q '10.2.0.11:80 .* down .*check hang: .*timeout' $out.hang || fail "the hung check does not fail at its timeout"

step "metrics: promtool's rules, and the values sluiceadm shows"
$CL timeout 60 "$WHOAMI" tcp $VIP 80 30 >/dev/null
sleep 1
in_ns lb1 curl -sf http://127.0.0.1:9642/metrics >$out.metrics || fail "no metrics"
promtool check metrics <$out.metrics || fail "promtool check metrics"
adm lb1 -L -n --stats -t $VIP:80 | tee $out.stats
for r in 11 12 13; do
	want=$(awk -v r="10.2.0.$r:80" '$2 == r { print $3 }' $out.stats)
	got=$(grep "^sluice_backend_connections_total{local_address=\"$VIP\",local_port=\"80\",proto=\"TCP\",remote_address=\"10.2.0.$r\"" $out.metrics | awk '{ print $2 }')
	echo "real$r: connections $got (metrics), $want (sluiceadm --stats)"
	[[ -n $want && $got == "$want" ]] || fail "real$r: metrics say $got connections, sluiceadm $want"
	got=$(grep "^sluice_backend_weight{local_address=\"$VIP\",local_port=\"80\",proto=\"TCP\",remote_address=\"10.2.0.$r\"" $out.metrics | awk '{ print $2 }')
	[[ $got == "$(sd_weight 1 10.2.0.$r)" ]] || fail "real$r: weight $got in the metrics"
done
[[ $(grep -c '^sluice_check_runs_total{type="tcp",address="10.2.0.11",port="80",via_vip="false"' $out.metrics) == 1 ]] ||
	fail "the shared probe is not one probe in the metrics"
grep '^sluice_vip_announced{vip="10.99.0.1"} 1$' $out.metrics || fail "metrics: $VIP not announced"
grep '^sluice_vip_announced{vip="10.99.0.30"} 0$' $out.metrics || fail "metrics: 10.99.0.30 announced"
grep -q '^sluice_xdp_packets_total{reason=' $out.metrics || fail "metrics: no XDP counters"
grep -q '^sluice_module_drops_total{reason="no-service"}' $out.metrics || fail "metrics: no module drop counters"
grep -q '^sluice_conn_table_entries ' $out.metrics || fail "metrics: no connection table fill"
awk '$1 == "sluice_conn_table_buckets" && $2 >= 256 { b = 1 } $1 == "sluice_conn_table_bytes" && $2 > 0 { y = 1 }
	END { exit !(b && y) }' $out.metrics || fail "metrics: no connection table buckets and bytes"

step "drift: a change by hand is reported; the XDP maps follow a change made by another program"
adm lb1 -e -t $VIP:80 -r 10.2.0.13 -w 5 || fail "sluiceadm -e"
wait_for 5 grep -q 'drift: .*10.2.0.13:80 of TCP 10.99.0.1:80: weight 5 -> 1' $CLUSTER_RUN/sd1.log >/dev/null ||
	fail "the change by hand was not reported: $(tail -3 $CLUSTER_RUN/sd1.log)"
grep 'drift' $CLUSTER_RUN/sd1.log
in_ns lb1 "$CTLTEST" add-one || fail "sluice-ctltest add-one"
t=$(wait_for 5 eval "grep -q '10.0.0.1 ' <<<\"\$(adm lb1 --vips)\"") || fail "the XDP maps did not follow: $(adm lb1 --vips)"
echo "the XDP VIP map has 10.0.0.1 $t s after another program added it"
sd_status 1 | grep '^drift: 2 ' || fail "status does not count the drift"

step "reload: each kind of error is refused whole, with its line"
adm lb1 -S -n >$out.rules0
sd_status 1 --json >$out.json0
conf 1 >$out.good
bad() { # KIND SED-SCRIPT WANTED-MESSAGE
	sed "$2" $out.good >$out.bad-$1
	cmp -s $out.good $out.bad-$1 && fail "$1: the sed script changed nothing"
	"$SLUICED" --check $out.bad-$1 2>$out.err-$1 && fail "$1: --check accepted it"
	grep -q "^sluiced: $out.bad-$1:[0-9]*: $3" $out.err-$1 || fail "$1: $(cat $out.err-$1)"
	cat $out.err-$1
	cp $out.bad-$1 $CLUSTER_RUN/sd1.conf
	n=$(grep -c 'reload refused' $CLUSTER_RUN/sd1.log || true)
	kill -HUP "$(cat $CLUSTER_RUN/sd1.pid)"
	wait_for 10 eval "(( \$(grep -c 'reload refused' $CLUSTER_RUN/sd1.log) > $n ))" >/dev/null ||
		fail "$1: the reload was not refused"
	adm lb1 -S -n | diff $out.rules0 - || fail "$1: a refused reload changed the kernel's table"
}
bad syntax 's/port = 80;/port = ;/' 'syntax'
bad unknown 's/announce = false;/announce = false; colour = "red";/' 'vips\[[0-9]*\]\.colour: unknown setting'
bad value '0,/port = 80;/s/port = 80;/port = 70000;/' 'vips\[0\]\.services\[0\]\.port: 70000 is out of range'
bad duplicate 's/{ address = "10.2.0.12"; }/{ address = "10.2.0.12"; }, { address = "10.2.0.12"; }/' 'vips\[0\]\.services\[0\]\.reals\[2\]: the same real as line'
grep 'reload refused' $CLUSTER_RUN/sd1.log

step "reload: weights changed, a real added, a VIP removed; unchanged reals keep their state"
cp $out.good $CLUSTER_RUN/sd1.conf
logged=$(wc -l <$CLUSTER_RUN/sd1.log)
kill -HUP "$(cat $CLUSTER_RUN/sd1.pid)"
wait_for 10 eval "grep -q reloaded <<<\"\$(tail -n +$((logged + 1)) $CLUSTER_RUN/sd1.log)\"" >/dev/null || fail "no reload"
[[ $(sd_weight 1 10.2.0.13) == 2 ]] || fail "real3's weight is $(sd_weight 1 10.2.0.13), want 2"
t=$(wait_for 10 sd_weight_is 1 10.2.0.14 1) || fail "real4 not added and up"
echo "real4 up $t s after the reload (it starts down: rise 2 x 0.5 s)"
grep -q '10.99.0.3:53' <<<"$(adm lb1 -L -n)" && fail "10.99.0.3's service is still in the kernel"
grep -q '10.0.0.1:80' <<<"$(adm lb1 -L -n)" && fail "the service added by another program is still there"
wait_for 10 no_route 10.99.0.3 >/dev/null || fail "the router still routes the removed VIP 10.99.0.3"
sd_status 1 --json >$out.json1
for r in 10.2.0.11:80 10.2.0.12:80; do
	a=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([x['since'] for v in d['vips'] if v['address']=='$VIP' for s in v['services'] for x in s['reals'] if x['real']=='$r'])" $out.json0)
	b=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([x['since'] for v in d['vips'] if v['address']=='$VIP' for s in v['services'] for x in s['reals'] if x['real']=='$r'])" $out.json1)
	echo "$r up since $a, after the reload $b"
	[[ $a == "$b" && $a != "[]" ]] || fail "$r lost its state in the reload"
done
tail -n +$((logged + 1)) $CLUSTER_RUN/sd1.log | tee $out.log1
grep -E '10.2.0.1[123]:80 of TCP 10.99.0.1:80 is (up|down)' $out.log1 && fail "an unchanged real changed state in the reload"

step "the journal: events are entries with fields of their own"
# A stand-in for journald's socket (the VM runs no systemd): each
# datagram of the native protocol ("FIELD=value" lines) a JSON line.
mkdir -p /run/systemd/journal
python3 -c '
import json, os, signal, socket, sys
signal.alarm(120)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "w") as out:
    while True:
        d = s.recv(65536).decode()
        out.write(json.dumps(dict(l.split("=", 1) for l in d.splitlines() if "=" in l)) + "\n")
        out.flush()
' /run/systemd/journal/socket $out.journal &
journald=$!
wait_for 5 test -S /run/systemd/journal/socket >/dev/null || fail "no journal socket"
kill -TERM "$(cat $CLUSTER_RUN/sd1.pid)"
wait_for 15 sd_gone 1 >/dev/null || fail "sluiced did not stop"
logged=$(wc -l <$CLUSTER_RUN/sd1.log)
# As systemd starts a service: JOURNAL_STREAM names stderr (device:inode).
JOURNAL_STREAM=$(stat -c %d:%i $CLUSTER_RUN/sd1.log) sd_start 1 $CLUSTER_RUN/sd1.conf
real_kill 2
journal_has() { # EVENT FIELD=VALUE...: an entry of EVENT with these fields
	python3 -c '
import json, sys
want = dict(a.split("=", 1) for a in sys.argv[3:])
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("SLUICE_EVENT") == sys.argv[2] and all(e.get(k) == v for k, v in want.items()):
        print(json.dumps(e)); sys.exit(0)
sys.exit(1)' $out.journal "$@"
}
wait_for 10 journal_has real_down SLUICE_REAL=10.2.0.12:80 "SLUICE_SERVICE=TCP $VIP:80" PRIORITY=4 \
	SYSLOG_IDENTIFIER=sluiced >/dev/null || fail "no real_down entry: $(tail -n 5 $out.journal)"
journal_has real_down SLUICE_REAL=10.2.0.12:80 | grep '"SLUICE_REASON": "check tcp: connect: ' ||
	fail "the real_down entry has no reason"
grep -q '"MESSAGE": "real 10.2.0.12:80 of TCP 10.99.0.1:80 is down' <<<"$(journal_has real_down SLUICE_REAL=10.2.0.12:80)" ||
	fail "the entry's message is not the log line's"
wait_for 10 journal_has vip_announced SLUICE_VIP=$VIP PRIORITY=5 || fail "no vip_announced entry"
[[ $(wc -l <$CLUSTER_RUN/sd1.log) == "$logged" ]] || fail "log lines went to stderr too: $(tail -n +$((logged + 1)) $CLUSTER_RUN/sd1.log)"

step "stop: no check process left behind"
kill -TERM "$(cat $CLUSTER_RUN/sd1.pid)"
wait_for 15 sd_gone 1 >/dev/null || fail "sluiced did not stop"
sleep 0.2
! pgrep -af 'sleep 100' || fail "check processes outlived sluiced"
journal_has vip_withdrawn SLUICE_VIP=$VIP || fail "no vip_withdrawn entry"
kill $journald
