# The Debian packages, as an operator installs them, in an overlay of the
# host's root (overlay.sh: the read-only 9p root below, a tmpfs above: dpkg
# and DKMS write there, the host never changes). tests/vm/pkg/prepare builds what it
# needs on the host. In order, each step checked:
#  - the other kernel's headers removed (dpkg -r), so that it can come later
#  - apt-get install of sluice-dkms and sluice-tools: DKMS builds the module
#    for every kernel with headers (this one), modinfo shows the version
#  - modprobe sluice, sluiceadm -v, a VIP configured with the packaged
#    sluiceadm and TCP connections through it (the data-path topology),
#    modprobe -r; systemd-modules-load loads it as at boot
#  - upgrade to the next version: one version left (dkms status, /usr/src)
#  - the other kernel's headers installed again: DKMS builds for it
#  - apt-get purge: nothing left; systemd-modules-load does not fail once
#    the module is gone (nor before it is installed)
# The upgrade comes before the other kernel's headers so that no DKMS build
# is done twice: one build per step, three in all.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/lib.sh"
version=$(cat "$SLUICE_ROOT/VERSION")
next=$version+up1
arch=$(dpkg --print-architecture)
. "$SLUICE_ROOT/tests/vm/pkg/overlay.sh"
R=/tmp/pkg/root
SLUICEADM=$R/usr/sbin/sluiceadm
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
t0=$SECONDS

at() { echo "--- $((SECONDS - t0)) s: $*"; }

# set -e holds in the trap too: nothing here may fail the test (topo_down
# after the test's own: ip netns del fails, and failed every run at its
# very end). The script's exit status stays the one it exits with.
cleanup() {
	set +e
	topo_down
	kill $(jobs -p) 2>/dev/null || true
	rmmod sluice 2>/dev/null || true
	overlay_down
}
trap cleanup EXIT

# Every kernel's module tree in the overlay holds IPVS and the modules it
# depends on, not the whole tree: DKMS runs depmod -a after each build and
# each removal, six to eight times here, and over a whole tree under TCG
# that is 50-65 s on 6.12 (4,230 xz-compressed modules, each decompressed)
# and 35 s on 6.1, about a third of the test. Everything else runs as on
# a real system (DKMS, depmod, modinfo, modprobe); the deb layer's
# dkms-autopkgtest, on the host, runs it all over the whole trees.
modprobe overlay
thin=()
# (Their real paths: /lib is a link to /usr/lib, which a directory
# named lib in the upper layer would hide.)
for d in /lib/modules/*/kernel; do d=$(realpath "$d") && thin+=("${d#/}"); done
# The archive's package lists hidden as well: after every dpkg run, apt
# builds its cache of them again (about 60,000 packages: 12 s of user
# time per apt-get under TCG). Nothing here comes from the archive (the
# VM has no network): the packages' dependencies are installed already,
# and apt resolves them from dpkg's status as it would with the lists.
overlay_up /tmp/pkg "${thin[@]}" var/lib/apt/lists || fail "overlay root"
# man-db's index is not rebuilt after each install and removal (10-13 s
# each here): "man-db/auto-update false", as dpkg-reconfigure man-db sets
# it. The pages themselves are checked below (installed, purged).
rm -f "$R/var/lib/man-db/auto-update"
for d in "${thin[@]}"; do
	k=${d%/kernel}
	awk -F': ' '$1 ~ "/ipvs/" { print $1; n = split($2, dep, " "); for (i = 1; i <= n; i++) print dep[i] }' \
		"/$k/modules.dep" | sort -u | while read -r m; do
		mkdir -p "$R/$k/$(dirname "$m")"
		cp "/$k/$m" "$R/$k/$m"
	done
	n=$(find "$R/$d" -name '*.ko*' | wc -l)
	((n >= 10)) || fail "$d in the overlay: $n modules, want IPVS's (10 or more)"
	echo "$d: $n modules in the overlay, $(find "/$d" -name '*.ko*' | wc -l) on the system"
done
# DKMS's compilations from the host's cache (overlay.sh, pkg_ccache).
pkg_ccache

# kernels_with_headers: the kernels DKMS can build for, in the overlay.
kernels_with_headers() {
	local d
	for d in "$R"/lib/modules/*; do
		[[ -e $d/build ]] && echo "${d##*/}"
	done
	return 0
}

# expect_built VERSION: dkms status lists sluice VERSION installed for every
# kernel with headers and nothing else; modinfo shows VERSION for each;
# /usr/src holds that version's sources only.
expect_built() {
	local v=$1 st k want=0 src
	st=$(in_root dkms status sluice)
	echo "$st"
	for k in $(kernels_with_headers); do
		grep -qxF "sluice/$v, $k, $(uname -m): installed" <<<"$st" ||
			fail "dkms status: sluice/$v not installed for $k"
		[[ $(in_root modinfo -k "$k" -F version sluice) == "$v" ]] ||
			fail "modinfo -k $k: version $(in_root modinfo -k "$k" -F version sluice), want $v"
		want=$((want + 1))
	done
	[[ $(grep -c . <<<"$st") == "$want" ]] || fail "dkms status: $want lines expected"
	src=$(cd "$R/usr/src" && echo sluice-*)
	[[ $src == "sluice-$v" ]] || fail "/usr/src: $src, want sluice-$v alone"
	[[ $(ls "$R/var/lib/dkms/sluice" | grep -v '^kernel-') == "$v" ]] ||
		fail "/var/lib/dkms/sluice: $(ls "$R/var/lib/dkms/sluice")"
}

at "systemd-modules-load with sluice-tools' file, the module missing: no failure"
in_root /lib/systemd/systemd-modules-load "$SLUICE_ROOT/debian/modules-load/sluice.conf" ||
	fail "systemd-modules-load fails when the module is missing"
[[ ! -d /sys/module/sluice ]] || fail "sluice loaded before it was installed"

other=$(vm_kernels | grep -vxF "$KVER")
[[ -n $other ]] || fail "no other kernel than $KVER"
hpkg=linux-headers-$other
at "remove $hpkg (and the meta-packages that depend on it)"
metas=$(in_root dpkg-query -W -f '${Package} ${Depends}\n' 'linux-headers-*' |
	awk -v p="$hpkg" '$1 != p && index($0, p) { print $1 }')
in_root dpkg -r $metas "$hpkg" >/dev/null || fail "dpkg -r $hpkg"
[[ ! -e $R/lib/modules/$other/build ]] || fail "$other still has headers"
[[ $(kernels_with_headers) == "$KVER" ]] || fail "kernels with headers: $(kernels_with_headers)"

at "apt-get install sluice-dkms sluice-tools $version"
in_root apt-get install -y "$SLUICE_ROOT/build/deb/sluice-dkms_${version}_all.deb" \
	"$SLUICE_ROOT/build/deb/sluice-tools_${version}_$arch.deb" || fail "apt-get install"
at "installed"
ccache_stats
expect_built "$version"
for f in /usr/sbin/sluiceadm /usr/sbin/sluiced /usr/share/man/man8/sluiceadm.8.gz \
	/usr/share/man/man8/sluiced.8.gz /usr/share/man/man5/sluiced.conf.5.gz \
	/usr/share/bash-completion/completions/sluiceadm /lib/systemd/system/sluiced.service \
	/usr/lib/modules-load.d/sluice.conf; do
	[[ -e $R$f ]] || fail "$f not installed"
done
[[ -L $R/etc/systemd/system/multi-user.target.wants/sluiced.service ]] || fail "sluiced.service not enabled"

at "modprobe sluice, sluiceadm -v"
in_root modprobe sluice || fail "modprobe sluice"
[[ $(cat /sys/module/sluice/version) == "$version" ]] || fail "loaded version $(cat /sys/module/sluice/version)"
v=$(in_root sluiceadm -v) || fail "sluiceadm -v"
echo "$v"
[[ $v == "sluiceadm v$version (kernel module sluice v$version, built for $KVER)" ]] || fail "sluiceadm -v: $v"

at "a VIP configured with the packaged sluiceadm, TCP connections through it"
topo_up
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
$LB "$SLUICEADM" -L -n
serve 80
$CL timeout 60 "$WHOAMI" tcp $VIP4 80 30 | within 1 28 "30 TCP connections"
$CL timeout 60 "$WHOAMI" tcp $VIP6 80 30 | within 1 28 "30 TCP connections over IPv6"
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
topo_down

at "modprobe -r sluice"
in_root modprobe -r sluice || fail "modprobe -r sluice"
[[ ! -d /sys/module/sluice ]] || fail "module still loaded"
at "systemd-modules-load (as at boot)"
in_root /lib/systemd/systemd-modules-load || fail "systemd-modules-load"
[[ -d /sys/module/sluice ]] || fail "systemd-modules-load did not load sluice"
in_root modprobe -r sluice || fail "modprobe -r sluice after systemd-modules-load"

at "upgrade to $next"
in_root apt-get install -y "$SLUICE_ROOT/build/deb-next/sluice-dkms_${next}_all.deb" \
	"$SLUICE_ROOT/build/deb-next/sluice-tools_${next}_$arch.deb" || fail "apt-get install (upgrade)"
at "upgraded"
ccache_stats
expect_built "$next"
v=$(in_root sluiceadm -v 2>/dev/null || true)
[[ $v == "sluiceadm v$next" ]] || fail "sluiceadm -v after the upgrade: $v"

at "install $hpkg again"
in_root apt-get install -y "$SLUICE_ROOT"/build/deb-headers/"${hpkg}"_*.deb || fail "apt-get install $hpkg"
at "headers installed"
ccache_stats
[[ $(kernels_with_headers | sort) == "$(printf '%s\n' "$KVER" "$other" | sort)" ]] ||
	fail "kernels with headers: $(kernels_with_headers)"
expect_built "$next"

at "apt-get purge sluice-dkms"
in_root apt-get purge -y sluice-dkms || fail "apt-get purge sluice-dkms"
in_root /lib/systemd/systemd-modules-load || fail "systemd-modules-load without the module"
[[ ! -d /sys/module/sluice ]] || fail "sluice loaded after its package was purged"
at "apt-get purge sluice-tools"
in_root apt-get purge -y sluice-tools || fail "apt-get purge sluice-tools"
at "purged"
left=$(cd "$R" && ls -d usr/src/sluice-* var/lib/dkms/sluice usr/sbin/sluice* usr/share/man/man*/sluice* \
	usr/share/bash-completion/completions/sluiceadm lib/systemd/system/sluiced.service \
	etc/systemd/system/*/sluiced.service usr/lib/modules-load.d/sluice.conf usr/share/doc/sluice-* \
	2>/dev/null; find lib/modules/*/updates -name 'sluice.ko*' 2>/dev/null; true)
[[ -z $left ]] || fail "left after purge: $left"
for k in $KVER $other; do
	in_root modinfo -k "$k" sluice >/dev/null 2>&1 && fail "modinfo -k $k still finds sluice"
done
st=$(in_root dpkg-query -W -f '${Status}\n' sluice-dkms sluice-tools 2>/dev/null | grep -v 'not-installed' || true)
[[ -z $st ]] || fail "dpkg still knows: $st"
at "done"
