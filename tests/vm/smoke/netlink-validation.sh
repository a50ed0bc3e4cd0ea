# Strict generic netlink validation and permissions on the first command.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
sluice_load
trap 'rmmod sluice 2>/dev/null || true' EXIT

"$PROBE" info >/dev/null || fail "GET_INFO"
"$PROBE" unknown-attr || fail "unknown attribute accepted"
"$PROBE" reserved || fail "non-zero reserved header field accepted"
"$PROBE" unknown-cmd || fail "unknown command accepted"

step "unprivileged caller"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$PROBE" eperm || fail "GET_INFO allowed without CAP_NET_ADMIN"
echo PASS
