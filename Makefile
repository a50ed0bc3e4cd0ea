# sluice top-level Makefile. `make help` lists the targets.
#
#   make                 module (for KVER), BPF objects + skeletons, userspace tools
#   make KVER=<release>  build the module against /lib/modules/<release>/build
#   make demo            a cluster with BGP (client, router, 2 LB nodes, 3 reals) in a VM; lb1 crashes
#   make check           every test layer; ends with "N passed, N failed"
#   make soak            SOAK_MINUTES (30) of traffic and a config change a second, 2 LB nodes, in a VM
#   make bench           benchmarks: BPF ns/packet, Maglev build, LB cost (UDP per packet, TCP per connection) vs IPVS,
#                        sluiceadm vs ipvsadm restore/list
#   make deb             Debian packages sluice-dkms and sluice-tools in build/deb/, checked by lintian
#   make style           checkpatch (kernel code) + clang-format check (userspace, BPF)

VERSION := $(shell cat VERSION)

# The kernel to build for: the running one if its headers are installed,
# else the newest installed headers (these machines run a kernel without
# module support and without headers).
KVER ?= $(shell r=$$(uname -r); if [ -d /lib/modules/$$r/build ]; then echo $$r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1 | cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

# Module builds happen in build/<KVER>/, a tree of symlinks to the sources,
# so that builds for several kernels coexist.
MODDIR := build/$(KVER)
MODULE := $(MODDIR)/kmod/sluice.ko
KMOD_SOURCES := Kbuild VERSION $(wildcard kmod/Kbuild kmod/*.c kmod/*.h kmod/tests/*) \
	include/uapi/linux/sluice.h

.PHONY: all deps module bpf userspace check bench soak style dkms-install deb clean help demo \
	test-unit test-bpf test-fuzz test-vm test-dkms test-deb test-style test-kunit test-pkg test-faults

all: deps module bpf userspace

deps:
	@scripts/install-deps

help:
	@sed -n 's/^#   //p' Makefile

module: deps
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR); try KVER=" >&2; exit 1; }
	@scripts/mirror-tree $(MODDIR) $(KMOD_SOURCES)
	$(MAKE) -C $(KDIR) M=$(abspath $(MODDIR)) W=1 modules
	@echo "built $(MODULE) for $(KVER)"

bpf: deps
	$(MAKE) -C bpf

userspace: deps bpf
	$(MAKE) -C userspace

style: deps
	@scripts/style

# In-kernel Maglev benchmark: built for the newest Debian kernel the VM
# tests use and run in the VM next to the userspace build of the same file.
BENCH_KVER = $(shell bash -c '. tests/vm/lib.sh; vm_kernels | tail -n1')
BENCH_MODDIR = build/$(BENCH_KVER)/bench-kmod
bench: deps bpf userspace
	@$(MAKE) -s -C bench run
	@scripts/mirror-tree $(BENCH_MODDIR) kmod/maglev.c kmod/maglev.h
	@ln -sfn $(abspath bench/kmod/Kbuild) $(BENCH_MODDIR)/Kbuild
	@ln -sfn $(abspath bench/kmod/sluice_mh_bench.c) $(BENCH_MODDIR)/sluice_mh_bench.c
	@ln -sfn $(abspath bench/mh_reals.h) $(BENCH_MODDIR)/mh_reals.h
	@$(MAKE) -s -C /lib/modules/$(BENCH_KVER)/build M=$(abspath $(BENCH_MODDIR)) modules
	@echo; echo "## Maglev table build, kernel vs userspace, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_VM_SHOW_LOGS=1 tests/vm/run $(BENCH_KVER) bench/vm/maglev.sh | grep '^|'
	@$(MAKE) -s module KVER=$(BENCH_KVER)
	@echo; echo "## Load balancer cost: sluice vs IPVS, UDP 64 B over 10,000 flows and TCP connections/s, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_TEST_TIMEOUT=1100 SLUICE_VM_SHOW_LOGS=1 tests/vm/run -t 1200 $(BENCH_KVER) bench/vm/lb.sh | grep '^|'
	@echo; echo "## Scale: UDP packets/s over 10,000 flows while the connection table holds 0 to 4,000,000 other entries, new flows/s, memory per flow: sluice vs IPVS (conn_tab_bits=20), in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_TEST_TIMEOUT=2300 SLUICE_VM_SHOW_LOGS=1 tests/vm/run -m 6G -t 2400 $(BENCH_KVER) bench/vm/scale.sh | grep '^|'
	@echo; echo "## Expiry: ping RTTs through the LB while 1,000,000 entries expire, sluice vs IPVS, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_TEST_TIMEOUT=1100 SLUICE_VM_SHOW_LOGS=1 tests/vm/run -m 4G -t 1200 $(BENCH_KVER) bench/vm/expiry.sh | grep '^|'
	@echo; echo "## sluiceadm vs ipvsadm: restore, list, save, flush of 10,000 services x 10 reals, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_TEST_TIMEOUT=1500 SLUICE_VM_SHOW_LOGS=1 tests/vm/run -t 1600 $(BENCH_KVER) bench/vm/adm.sh | grep '^|'
	@echo; echo "## sluiced: 1,000 VIPs x 10 reals (10,000 TCP checks at 1 s): CPU, memory, reload of one real, keepalived's checker side by side, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_TEST_TIMEOUT=1400 SLUICE_VM_SHOW_LOGS=1 tests/vm/run -t 1500 $(BENCH_KVER) bench/vm/sluiced.sh | grep '^|'
	@echo; echo "## The cluster's node crash (BGP, hold timer) under sluice mh, IPVS mh (default, sloppy_tcp=1) and sluice rr, in the VM ($(BENCH_KVER), TCG)"
	@SLUICE_VM_SHOW_LOGS=1 tests/vm/run -t 900 $(BENCH_KVER) bench/vm/contrast.sh | grep '^|'

# The soak (not in make check): SOAK_MINUTES (30) of mixed traffic through
# two LB nodes with a configuration change every second, in the VM on the
# newest Debian kernel (SOAK_KERNEL=kunit: the KUnit test kernel).
soak: deps bpf userspace
	@tests/vm/soak/run

# The demo runs in the VM on the newest Debian kernel the tests use.
demo: deps bpf userspace
	@$(MAKE) -s module KVER=$(BENCH_KVER)
	@echo "booting Debian $(BENCH_KVER) in qemu (TCG: about a minute)..."
	@SLUICE_VM_FOLLOW=1 tests/vm/run $(BENCH_KVER) demo/cluster.sh

# Install the module's sources for DKMS (what dkms.conf needs, nothing else).
DKMS_SRC ?= $(DESTDIR)/usr/src/sluice-$(VERSION)
dkms-install:
	@scripts/dkms-tree $(DKMS_SRC)
	@echo "installed sources to $(DKMS_SRC); now: dkms install sluice/$(VERSION)"

# The Debian packages (dpkg-buildpackage -us -uc -b in a copy of the tree),
# lintian-clean: build/deb/sluice-dkms_VERSION_all.deb, sluice-tools_VERSION_ARCH.deb.
deb: deps
	@scripts/build-deb build/deb

check: deps
	@tests/run-all

test-unit test-bpf test-fuzz test-vm test-dkms test-deb test-style test-kunit test-pkg test-faults: deps
	@tests/run-all $(@:test-%=%)

clean:
	rm -rf build
	$(MAKE) -C bpf clean
	$(MAKE) -C userspace clean
	$(MAKE) -C bench clean
