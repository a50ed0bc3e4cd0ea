# Persistent services (ipvsadm -p): every flow of a client goes to the real
# its first flow went to, while a non-persistent service spreads them; a
# deleted real's clients start over on another.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
cluster_up
serve 82
$LB "$SLUICEADM" -A -u $VIP4:82 -p 60 || fail "persistent service"
for i in 1 2 3; do
	$LB "$SLUICEADM" -a -u $VIP4:82 -r 10.2.0.1$i || fail "real $i"
done

step "300 flows from one client to a persistent service: one real"
out=$($CL timeout 100 "$WHOAMI" udp $VIP4 82 300)
echo "$out"
grep -q '(none)' <<<"$out" && fail "some requests were not answered"
[[ $(grep -c '^real' <<<"$out") == 1 ]] || fail "a persistent client's flows went to several reals"
owner=$(awk '/^real/ { print $1 }' <<<"$out")
$LB "$SLUICEADM" -L -n -u $VIP4:82
$LB "$SLUICEADM" -L -n -c >/tmp/conns.out || fail "-Lnc"
head -n 5 /tmp/conns.out
grep -Eq "^IP  [0-9]{2}:[0-9]{2}  NONE +10\.2\.0\.100:0 +$VIP4:82 +10\.2\.0\.1${owner#real}:82$" /tmp/conns.out ||
	fail "no persistence template for the client in -Lnc"
n=$(grep -c "^UDP .* $VIP4:82 " /tmp/conns.out)
((n >= 250)) || fail "-Lnc lists $n UDP entries for :82, want ~300"

step "TCP: 30 connections to a persistent service go to one real; 10 held open answer from it after a pause"
$LB "$SLUICEADM" -A -t $VIP4:82 -p 60 || fail "persistent TCP service"
for i in 1 2 3; do
	$LB "$SLUICEADM" -a -t $VIP4:82 -r 10.2.0.1$i || fail "TCP real $i"
done
out=$($CL timeout 100 "$WHOAMI" tcp $VIP4 82 30)
echo "$out"
[[ $(grep -c '^real' <<<"$out") == 1 ]] || fail "a persistent client's connections went to several reals"
[[ $(awk '/^real/ { print $2 }' <<<"$out") == 30 ]] || fail "not every connection was answered"
# Each connection asks twice, 0.5 s apart: the second question and its
# acknowledgements are an established flow's packets (the fast path's, when
# it is on: a run with it on must have sent some).
out=$($CL timeout 100 "$WHOAMI" hold $VIP4 82 10 0.5)
echo "$out"
grep -qx "completed 10" <<<"$out" || fail "held connections did not all answer from their real"

step "the owner ($owner) is deleted (expire-nodest on): the client's flows go to one other real"
$LB "$SLUICEADM" --expire-nodest 1 || fail "expire-nodest"
$LB "$SLUICEADM" -d -u $VIP4:82 -r "10.2.0.1${owner#real}" || fail "delete $owner"
out=$($CL timeout 100 "$WHOAMI" udp $VIP4 82 100)
echo "$out"
grep -q '(none)' <<<"$out" && fail "some requests were not answered"
[[ $(grep -c '^real' <<<"$out") == 1 ]] || fail "flows spread after the delete"
grep -q "^$owner " <<<"$out" && fail "flows still reach the deleted $owner"
echo PASS
