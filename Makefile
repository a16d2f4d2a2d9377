# Quick start: `make demo`, `make test`. See README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
BIN := .build/debug/wsauth
# What `make release` leaves: both executables stripped, side by side (wsauth finds
# wsauth-serve next to itself). .build/release/ keeps the symbols for bench-profile.
STRIPPED := .build/stripped

.PHONY: all deps build release test unit interop docs check-docs format demo install \
    deb dist package-test bench bench-profile order fuzz clean

all: build

deps:
	./scripts/install-deps.sh

# Both executables in one build: the client `wsauth` and the server `wsauth-serve`
# that `wsauth serve` and `wsauth demo` start.
build: deps
	$(SWIFT) build

# The Swift runtime (and the server's Foundation) linked in statically: a probe is a whole process in a
# CI step, and resolving ~50 shared libraries at start-up was most of its time (bench/).
# libstdc++, which the Swift runtime uses, statically too (libc stays shared): binding it
# was 1.7 M of --version's 7.2 M instructions (docs/ARCHITECTURE.md, "Lean start-up").
# The linker takes -lstdc++ from the first directory that has it: one holding only
# libstdc++.a comes first.
STATIC_CXX := .build/static-libstdc++
# A section per function, so that the link can drop unused ones and lay out the hot ones
# together in the order of packaging/wsauth.order (Package.swift).
SECTIONS := -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
release: deps
	install -d $(STATIC_CXX)
	@archive=$$($(CC) -print-file-name=libstdc++.a); [ -f "$$archive" ] \
		|| { echo "release: no libstdc++.a (apt install libstdc++-12-dev)" >&2; exit 1; }; \
		ln -sf "$$archive" $(STATIC_CXX)/libstdc++.a
	@# SwiftPM does not know the link reads packaging/wsauth.order and wsauth-unnamed.ld:
	@# link again when one changed.
	@for layout in packaging/wsauth.order packaging/wsauth-unnamed.ld; do \
		[ ! .build/release/wsauth -ot $$layout ] || rm -f .build/release/wsauth; done
	$(SWIFT) build -c release --static-swift-stdlib -Xlinker -L$(CURDIR)/$(STATIC_CXX) $(SECTIONS)
	install -d $(STRIPPED)
	strip -o $(STRIPPED)/wsauth .build/release/wsauth
	strip -o $(STRIPPED)/wsauth-serve .build/release/wsauth-serve
	@ls -l $(STRIPPED)/wsauth $(STRIPPED)/wsauth-serve

# Every test: unit tests of the library, the binary against real peers, the
# generated docs being in step with the parser, and the client linking no Foundation.
test: build
	$(SWIFT_FORMAT) lint --strict $(FORMATTED)
	$(SWIFT) test
	WSAUTH_BIN=$(CURDIR)/$(BIN) .venv/bin/python -m pytest -q Tests/interop
	./scripts/generate-docs.sh --check $(BIN)
	./scripts/check-no-foundation.sh $(BIN)

unit: deps
	$(SWIFT) test

interop: build
	WSAUTH_BIN=$(CURDIR)/$(BIN) .venv/bin/python -m pytest -q Tests/interop

# Regenerates completions/, man/ and the generated pages of docs/reference/ from the binary.
docs: build
	./scripts/generate-docs.sh $(BIN)

# swift-format (in the Swift toolchain) with .swift-format, swift-nio's style: `make format`
# rewrites, `make test` fails on anything left to rewrite.
SWIFT_FORMAT ?= swift-format
FORMATTED = -r --parallel Sources Tests Fuzz/Sources Fuzz/Package.swift Package.swift

format:
	$(SWIFT_FORMAT) format -i $(FORMATTED)

check-docs: build
	./scripts/generate-docs.sh --check $(BIN)

demo: build
	$(BIN) demo

# libFuzzer targets (Fuzz/, a package of its own), each run for FUZZ_SECONDS from the
# committed seeds; fails when one crashes.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./Fuzz/fuzz.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(STRIPPED)/wsauth $(DESTDIR)$(PREFIX)/bin/wsauth
	install -m 755 $(STRIPPED)/wsauth-serve $(DESTDIR)$(PREFIX)/bin/wsauth-serve
	install -m 644 man/wsauth.1 $(DESTDIR)$(PREFIX)/share/man/man1/wsauth.1
	install -m 644 completions/wsauth.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wsauth
	install -m 644 completions/_wsauth $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wsauth
	install -m 644 completions/wsauth.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/wsauth.fish

# Packages of the files of `make release` (docs/install.md): wsauth_VERSION_ARCH.deb,
# checked by lintian, and wsauth-VERSION-linux-ARCH.tar.gz with an install script. The
# version is Version.swift's, and CHANGELOG.md's top entry must be it.
deb: release
	./packaging/build-deb.sh

dist: release
	./packaging/build-dist.sh

# Not in make test (it takes minutes and needs root): the release client (unstripped, the
# same code as the packaged one) linking no Foundation and laid out by use
# (scripts/check-layout.sh), the tarball installed into a
# DESTDIR, and the .deb installed with apt on a clean Debian 12 root (debootstrap).
package-test: deb dist
	./scripts/check-no-foundation.sh .build/release/wsauth
	./scripts/check-layout.sh .build/release/wsauth
	./Tests/package/dist-install.sh
	./Tests/package/clean-root-install.sh

# Not a test (make test never runs it): wsauth against websocat and Python websockets
# on a local server, medians and the issue 7 targets. BENCH_ARGS=--readme updates
# the table of docs/ARCHITECTURE.md; see bench/run.py --help.
bench: release
	./bench/setup.sh
	.venv-bench/bin/python bench/run.py $(BENCH_ARGS)

# Instruction counts (callgrind) of wsauth on smaller instances of the scenarios.
bench-profile: release
	./bench/setup.sh
	./bench/profile.sh

# Rewrites packaging/wsauth.order from what common runs of the release client execute
# (callgrind), then links the client again with it (docs/ARCHITECTURE.md, "Code laid out
# by use").
order: release
	./bench/setup.sh
	./scripts/hot-functions.sh
	$(MAKE) release

clean:
	rm -rf .build .venv .venv-bench
