# Every control command needs CAP_NET_ADMIN; a refused one changes nothing.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
CTL=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
sluice_load
trap 'rmmod sluice 2>/dev/null || true' EXIT

unpriv() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}
if unpriv "$CTL" add-one 2>/tmp/err; then
	fail "NEW_SERVICE allowed without CAP_NET_ADMIN"
fi
grep -q "Operation not permitted" /tmp/err || fail "unexpected error: $(cat /tmp/err)"
[[ $("$CTL" count) == 0 ]] || fail "a refused command added a service"
"$CTL" add-one || fail "NEW_SERVICE as root"
unpriv "$CTL" count 2>/dev/null && fail "GET_INFO allowed without CAP_NET_ADMIN"
echo PASS
