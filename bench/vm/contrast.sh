# make bench: the cluster's node crash under sluice mh, IPVS mh (default
# settings and sloppy_tcp=1) and sluice rr, side by side in one boot
# (tests/vm/cluster/contrast.sh; make check runs its sluice rows only).
export CONTRAST_IPVS=1
. "$SLUICE_ROOT/tests/vm/cluster/contrast.sh"
