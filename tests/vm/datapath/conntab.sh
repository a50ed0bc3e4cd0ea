# The connection table resizes itself under traffic without losing an
# entry (#17): 10,000 half-open flows grow it from its 256 buckets to keep
# its load under 75 %, then expire and let it shrink back, while 30
# established connections are open, each asked every 10 s and at the end
# whether it still answers from its first real. Their reals but one are
# drained once they are open, so a connection whose entry were lost would
# be scheduled again (to the one real left), which answers a stranger's
# segment with a reset. And the table's accounting (entries, buckets,
# bytes) adds up.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
cluster_up
serve 80
# Half-open entries expire 20 s after they came (ipvsadm --set tcp tcpfin
# udp): after the flood and the checks that follow it (the flood took
# 15 s on the debug kernel, each sluiceadm 1-2 s).
$LB "$SLUICEADM" --set 900 20 300 || fail "timeouts"
flood_source
# The client's established entries, each once (a listing during a resize
# may show an entry twice).
established() {
	$LB "$SLUICEADM" -L -n -c | awk -v v="$VIP4:80" '$1 == "TCP" && $3 == "ESTABLISHED" &&
		$4 ~ /^10\.2\.0\.100:/ && $5 == v { print $4 }' | sort -u | wc -l
}
# table: "ENTRIES BUCKETS ENTRY-SIZE BYTES", read at once.
table() {
	$LB "$SLUICEADM" --dataplane-stats | awk '
		$1 == "connections" { e = $2 } $1 == "connection-buckets" { b = $2 }
		$1 == "connection-entry-size" { s = $2 } $1 == "connection-bytes" { y = $2 }
		END { print e + 0, b + 0, s + 0, y + 0 }'
}
# table_ok: entries x their size + a bucket pointer each <= the bytes
# reported, which add only the expiry wheels (a few KB per CPU).
table_ok() {
	local e b s bytes
	read -r e b s bytes <<<"$(table)"
	echo "entries $e, buckets $b, $s bytes per entry, $bytes bytes"
	((s >= 64 && s <= 128)) || fail "an entry takes $s bytes, want at most 128"
	((bytes >= e * s + b * 8 && bytes <= e * s + b * 8 + 64 * 1024 * $(nproc))) ||
		fail "the bytes reported ($bytes) are not entries, buckets and wheels"
}
# grown: at least 8,192 buckets, and load at most 75 %.
grown() {
	local e b _
	read -r e b _ <<<"$(table)"
	((b >= 8192 && e * 4 <= b * 3))
}
shrunk() { (($(lb_stat connection-buckets) == 256)); }
step "the table starts at 256 buckets"
table_ok
shrunk || fail "$(lb_stat connection-buckets) buckets, want 256"

step "30 established connections; every real but real3 drained"
hold_open $VIP4 30 300 400 10
n=$(established)
((n == 30)) || fail "$n established entries, want 30"
$LB "$SLUICEADM" -L -n -c | awk '/ESTABLISHED/ { print $NF }' | sort | uniq -c
for i in 1 2; do
	$LB "$SLUICEADM" -e -t $VIP4:80 -r 10.2.0.1$i -w 0 || fail "drain real$i"
done

step "10,000 half-open flows: the table grows to keep its load under 75 %"
$CL timeout 120 "$WHOAMI" synflood 10.2.0.200 $VIP4 80 10000 5000 || fail "flood"
t=$(wait_for 30 grown) || fail "the table did not grow: $(lb_stat connections) entries in $(lb_stat connection-buckets) buckets"
echo "grown in $t s after the flood"
table_ok
# Enough for 16,384 buckets (the debug kernel's veths drop some of the flood).
(($(lb_stat connections) > 6144)) || fail "only $(lb_stat connections) entries after 10,000 flows"
n=$(established)
((n == 30)) || fail "$n established entries after the growth, want 30"

step "the half-open entries expire: the table shrinks back to 256 buckets"
t=$(wait_for 90 shrunk) || fail "the table did not shrink: $(lb_stat connections) entries in $(lb_stat connection-buckets) buckets"
echo "shrunk in $t s"
table_ok
n=$(established)
((n == 30)) || fail "$n established entries after the shrink, want 30"

step "every connection answered from its own real throughout"
hold_done 30 "connections lost their real across the resizes"
echo PASS
