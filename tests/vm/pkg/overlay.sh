# Sourced by the package tests: an overlay of this system's root to install
# packages in. The root file system alone is the lower layer, read-only
# (its submounts are not part of it: in the VM, /var/lib is the host's,
# dpkg's database included); a tmpfs is the upper one, where dpkg, apt and
# DKMS write, so the system itself never changes.

# overlay_up DIR [HIDE...]: a tmpfs on DIR and the overlay on DIR/root
# ($R), with /proc, /sys, /dev, an empty /tmp and /run, and the checkout
# under test at its path. Each HIDE (a directory, relative to the root)
# shows empty in the overlay (opaque in the upper layer; its caller puts
# back what it needs).
overlay_up() {
	local d
	R=$1/root
	mkdir -p "$1"
	mount -t tmpfs tmpfs "$1" || return 1
	mkdir -p "$1/upper" "$1/work" "$R"
	for d in "${@:2}"; do
		mkdir -p "$1/upper/$d"
		python3 -c 'import os, sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")' \
			"$1/upper/$d" || return 1
	done
	mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$R" || return 1
	# apt's caches of the package lists as Debian has them (this machine's
	# container-style configuration turns them off, and every apt run then
	# parses the lists again: 6.5 s under TCG, 0.8 s with the caches).
	printf 'Dir::Cache::pkgcache "pkgcache.bin";\nDir::Cache::srcpkgcache "srcpkgcache.bin";\n' \
		>"$R/etc/apt/apt.conf.d/zz-sluice-test-caches"
	mount -t proc proc "$R/proc"
	mount --rbind /sys "$R/sys"
	mount --rbind /dev "$R/dev"
	# The VM's devtmpfs has no /dev/fd (udev makes it): bash's <(...),
	# which dkms uses, needs it.
	[[ -e $R/dev/fd ]] || ln -s /proc/self/fd "$R/dev/fd"
	mount -t tmpfs tmpfs "$R/tmp"
	mount -t tmpfs tmpfs "$R/run"
	mkdir -p "$R$SLUICE_ROOT"
	mount --bind "$SLUICE_ROOT" "$R$SLUICE_ROOT"
	# The compilations' cache, where ccache writes it (the host's warm
	# run) or reads it (read-only in the VM).
	if [[ -d $PKG_CCACHE ]]; then
		mkdir -p "$R$PKG_CCACHE"
		mount --bind "$PKG_CCACHE" "$R$PKG_CCACHE"
	fi
}

overlay_down() {
	umount -R -l "$R" 2>/dev/null
	return 0
}

# in_root CMD...: CMD inside the overlay, with a clean environment (and
# ROOT_ENV's variables, if any: pkg_ccache).
in_root() {
	chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive ${ROOT_ENV[@]+"${ROOT_ENV[@]}"} "$@"
}

# The package tests' DKMS builds, under TCG in the VM, are the same
# compilations every time: the host compiles them once (tests/vm/pkg/ccache,
# run by prepare) into PKG_CCACHE, and the VM's builds take the objects
# from there. Same sources, paths, compiler and headers, so the same
# objects: what the packages contain and how DKMS builds them does not
# change (dkms, make, objtool, modpost, the link and the signing all run).
# Kept with the machine's other caches (tests/vm/lib.sh), not in the
# checkout: a fresh clone finds it warm when the sources did not change.
PKG_CCACHE=${PKG_CCACHE:-$SLUICE_CACHE/pkg-ccache}

# pkg_ccache [rw]: from now on, in_root's compilations go through ccache
# with PKG_CCACHE, read-only unless "rw" (the VM's root and checkout are
# read-only), each one's result logged to $R/tmp/ccache-stats.log
# (ccache_stats). Debian's kernel headers use "ccache gcc-12" as CC when
# DEBIAN_KERNEL_USE_CCACHE is set (their .kernelvariables), dkms as well;
# through apt and dpkg too (apt resets PATH for dpkg, not the environment).
pkg_ccache() {
	ROOT_ENV=(DEBIAN_KERNEL_USE_CCACHE=1 CCACHE_DIR="$PKG_CCACHE" CCACHE_TEMPDIR=/tmp/ccache-tmp
		CCACHE_STATSLOG=/tmp/ccache-stats.log)
	[[ ${1:-} == rw ]] || ROOT_ENV+=(CCACHE_READONLY=1)
}

# ccache_stats: how many of the compilations since the last call were
# hits and misses ("N hits, 0 misses" when every one came from the cache;
# ccache's stats log: a "# FILE" line, then one line per counter, per
# compilation), and start the log again.
ccache_stats() {
	local log=$R/tmp/ccache-stats.log
	hits=0 misses=0
	if [[ -f $log ]]; then
		# grep -c exits 1 when it counts 0: not a failure (set -e).
		hits=$(grep -cE '^(direct|preprocessed)_cache_hit$' "$log" || true)
		misses=$(grep -c '^cache_miss$' "$log" || true)
		rm -f "$log"
	fi
	echo "ccache: $hits hits, $misses misses"
}
