# samla - build, test and run. The README's two commands are `make run` and
# `make check`; both install what is missing first (make deps).

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
BOOK     ?= ledgers/samla

PKGS      = xlsxwriter gmp libcrypto
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN)
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lmicrohttpd -lcrypt -lpthread
# samla itself: what every command needs, with the small libraries linked
# in (GMP, libcsv, and libcrypto's SHA-256 functions: sha256.h),
# so a command loads only libxlsxwriter (with zlib and minizip) and libc at
# start. Each shared library cost about 0.3-1 ms per command, and a small
# book's command has 10 ms (docs/performance.md). The web server's
# libraries (libmicrohttpd, GnuTLS) and libcrypt are linked only into
# samla-serve, which `samla serve` and `samla passwd` run (main.c). The unit tests and fuzz replays link
# everything the usual way ($(LDLIBS)).
# xlsx_minizip.c's definition of minizip's zipOpenNewFileInZip4_64 is taken
# from the archive by name and exported (nothing of samla calls it:
# libxlsxwriter does, through the dynamic linker).
XLSX_LINK    = -Wl,--undefined=zipOpenNewFileInZip4_64 \
               -Wl,--export-dynamic-symbol=zipOpenNewFileInZip4_64
SAMLA_LDLIBS = $(XLSX_LINK) -Wl,--as-needed -lxlsxwriter -lz -lcrypto -Wl,-Bstatic -lgmp -lcsv \
               -Wl,-Bdynamic -lpthread

SRCS     := $(sort $(wildcard src/*.c))
MAINS     = src/main.c src/main_serve.c
LIBSRCS  := $(filter-out $(MAINS),$(SRCS))
LIBOBJS   = $(LIBSRCS:src/%.c=$(BUILD)/obj/%.o)
UNITSRCS := $(sort $(wildcard tests/unit/test_*.c))
UNITBINS  = $(UNITSRCS:tests/unit/%.c=$(BUILD)/tests/%)
# A file that defines STATIC functions (diag.h: static unless built for the
# tests) is compiled a second time with -DSAMLA_TESTING for the unit tests,
# which link that copy; the program keeps the functions static.
TESTINGSRCS := $(shell grep -l '^STATIC ' $(LIBSRCS) 2>/dev/null)
TESTOBJS  = $(filter-out $(TESTINGSRCS:src/%.c=$(BUILD)/obj/%.o),$(LIBOBJS)) \
            $(TESTINGSRCS:src/%.c=$(BUILD)/tobj/%.o)

# Debian packages the project needs (build, tests, workbook verification).
DEB_BUILD = build-essential pkg-config libxlsxwriter-dev libcsv-dev libgmp-dev \
            libssl-dev libmicrohttpd-dev libcrypt-dev
DEB_TEST  = libcmocka-dev clang valgrind libreoffice-calc fonts-crosextra-carlito \
            poppler-utils unzip time tzdata python3 nodejs ledger hledger beancount locales
DEB_ALL   = $(DEB_BUILD) $(DEB_TEST) $(DEB_EXTRA)

.PHONY: all deps run check units install clean

all: $(BUILD)/samla $(BUILD)/samla-serve

# Every module but the two mains, as an archive: each program takes the
# objects it uses (samla leaves the web server's out).
$(BUILD)/libsamla.a: $(LIBOBJS)
	rm -f $@
	ar rcs $@ $(LIBOBJS)

$(BUILD)/samla: $(BUILD)/obj/main.o $(BUILD)/libsamla.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/obj/main.o $(BUILD)/libsamla.a $(SAMLA_LDLIBS)

$(BUILD)/samla-serve: $(BUILD)/obj/main_serve.o $(BUILD)/libsamla.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/obj/main_serve.o $(BUILD)/libsamla.a $(XLSX_LINK) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(TESTOBJS) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -DSAMLA_TESTING -Isrc -o $@ $< $(TESTOBJS) $(LDLIBS) -lcmocka

$(BUILD)/tobj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/tobj
	$(CC) $(CPPFLAGS) $(CFLAGS) -DSAMLA_TESTING -c -o $@ $<

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tobj:
	mkdir -p $@

# Install the Debian packages that are missing: as root with apt-get,
# otherwise print the command to run. Then the comma-decimal locale the
# workbook writer's locale test needs (sv_SE.UTF-8; a fresh Debian has the
# `locales` package's data but no generated locale): generated as root,
# otherwise the command is printed and that test is reported as skipped.
deps:
	@missing=""; for p in $(DEB_ALL); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "make deps: installerar$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	else \
	  echo "make deps: saknade paket; kör som root:"; \
	  echo "  apt-get install --no-install-recommends$$missing"; exit 1; \
	fi
	@# npm comes with NodeSource's nodejs but is its own package in Debian;
	@# the browser tests need it (npm ci in tests/web). Installed only when
	@# no npm command exists, so a NodeSource node is left alone.
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installerar npm"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null || exit 1; \
	  else \
	    echo "make deps: npm saknas; kör som root:"; \
	    echo "  apt-get install --no-install-recommends npm"; exit 1; \
	  fi; \
	fi
	@if ! locale -a 2>/dev/null | grep -qi '^sv_SE\.utf-\{0,1\}8$$'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: genererar språkmiljön sv_SE.UTF-8"; \
	    touch /etc/locale.gen; \
	    sed -i 's/^# *\(sv_SE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen; \
	    grep -q '^sv_SE\.UTF-8 UTF-8' /etc/locale.gen || echo 'sv_SE.UTF-8 UTF-8' >>/etc/locale.gen; \
	    locale-gen >/dev/null || exit 1; \
	  else \
	    echo "make deps: språkmiljön sv_SE.UTF-8 saknas (testet av decimalkomma hoppas över); kör som root:"; \
	    echo "  sed -i 's/^# *sv_SE.UTF-8/sv_SE.UTF-8/' /etc/locale.gen && locale-gen"; \
	  fi; \
	fi

units: $(UNITBINS)

# The main job on the example book: check it, print the reports, write the
# workbooks to exports/. The follow-up (earmarks, budget, the budget
# workbook) is as of the book's reported-through date (samla reported:
# 2026-09-30, Q1-Q3 registered), whatever today is.
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p exports
	$(BUILD)/samla -f $(BOOK) check
	$(BUILD)/samla -f $(BOOK) balance --period 2025 --by quarter --rows activity --unit tkr
	$(BUILD)/samla -f $(BOOK) result 2025 --unit tkr
	$(BUILD)/samla -f $(BOOK) balance --period 2026 --by quarter --rows activity --unit tkr
	$(BUILD)/samla -f $(BOOK) reported
	$(BUILD)/samla -f $(BOOK) earmarks
	$(BUILD)/samla -f $(BOOK) budget 2026 --unit tkr
	$(BUILD)/samla -f $(BOOK) export budget 2026 -o exports/budget-2026.xlsx
	$(BUILD)/samla -f $(BOOK) export annual 2025 -o exports/arsbokslut-2025.xlsx

# Every test: unit tests, end-to-end tests, the sanitizer build, workbooks
# recalculated by LibreOffice. Ends with "N passed, N failed, N skipped".
check: deps
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory BUILD=build/asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build/asan/samla build/asan/samla-serve units
	@sh tests/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/samla $(DESTDIR)$(PREFIX)/bin/samla
	install -m 755 $(BUILD)/samla-serve $(DESTDIR)$(PREFIX)/bin/samla-serve

clean:
	rm -rf build

# ---- Fuzzing and memory checks (issue 6, docs/reliability.md) -------------
# `make fuzz` builds the libFuzzer targets tests/fuzz/fuzz_*.c with clang
# (ASan + UBSan) and runs each for FUZZ_SECONDS on a working corpus in
# $(FUZZBUILD)/corpus/TARGET, seeded from the target's pack
# tests/fuzz/corpus/TARGET.pack (every input in one file, tests/fuzz/pack.h)
# and from a folder tests/fuzz/corpus/TARGET/ of new seeds if there is one.
# Crashes are written to $(FUZZBUILD)/artifacts/TARGET/; once fixed, copy
# them to tests/fuzz/crashes/TARGET/ so that `make check` replays them for
# ever. `make fuzz-merge` keeps what the fuzzers found: seeds and working
# corpus merged by libFuzzer (-merge=1: the fewest inputs that reach the
# same coverage) into a fresh folder, packed into TARGET.pack (commit it;
# the seed folder can then go). FUZZ=amount runs one target; FUZZ_FLAGS
# passes libFuzzer options.
# `make check` replays every committed input without libFuzzer: the same
# targets linked with tests/fuzz/replay.c (into $(BUILD)/replay/, built with
# the unit tests, so also under ASan/UBSan), one process per target, run by
# tests/e2e/fuzz_replay.sh.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZBUILD    ?= build/fuzz
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer $(WARN) \
                -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZSRCS     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZNAMES    := $(FUZZSRCS:tests/fuzz/fuzz_%.c=%)
FUZZ         ?= $(FUZZNAMES)
FUZZOBJS      = $(LIBSRCS:src/%.c=$(FUZZBUILD)/obj/%.o)
REPLAYBINS    = $(FUZZNAMES:%=$(BUILD)/replay/fuzz_%)
FUZZPACK      = $(FUZZBUILD)/fuzzpack
# FUZZ_SEED: the seed folder $$seed of target $$t, made afresh from its pack
# and its folder of new seeds.
FUZZ_SEED     = seed=$(FUZZBUILD)/seed/$$t; rm -rf $$seed; mkdir -p $$seed; \
                if [ -f tests/fuzz/corpus/$$t.pack ]; then \
                  $(FUZZPACK) unpack tests/fuzz/corpus/$$t.pack $$seed >/dev/null || exit 1; fi; \
                if [ -d tests/fuzz/corpus/$$t ]; then cp tests/fuzz/corpus/$$t/* $$seed/ 2>/dev/null; fi

.PHONY: fuzz-build fuzz-merge valgrind

units: $(REPLAYBINS)

$(BUILD)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/pack.h tests/fuzz/scratch_dir.h $(LIBOBJS) | $(BUILD)/replay
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(LIBOBJS) $(LDLIBS)

$(BUILD)/replay $(FUZZBUILD)/obj:
	mkdir -p $@

$(FUZZPACK): tests/fuzz/fuzzpack.c tests/fuzz/pack.h | $(FUZZBUILD)/obj
	$(CC) -O1 -g -std=c11 -D_GNU_SOURCE $(WARN) -o $@ tests/fuzz/fuzzpack.c

$(FUZZBUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(FUZZBUILD)/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZBUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZOBJS)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZOBJS) $(LDLIBS)

fuzz-build: $(FUZZNAMES:%=$(FUZZBUILD)/fuzz_%) $(FUZZPACK)

fuzz: fuzz-build
	@for t in $(FUZZ); do \
	  $(FUZZ_SEED); \
	  mkdir -p $(FUZZBUILD)/corpus/$$t $(FUZZBUILD)/artifacts/$$t; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  echo "== fuzz_$$t, $(FUZZ_SECONDS) s"; \
	  $(FUZZBUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZBUILD)/artifacts/$$t/ $$dict $(FUZZ_FLAGS) \
	    $(FUZZBUILD)/corpus/$$t $$seed || exit 1; \
	done

fuzz-merge: fuzz-build
	@for t in $(FUZZ); do \
	  $(FUZZ_SEED); \
	  m=$(FUZZBUILD)/merged/$$t; rm -rf $$m; mkdir -p $$m $(FUZZBUILD)/corpus/$$t; \
	  $(FUZZBUILD)/fuzz_$$t -merge=1 $$m $$seed $(FUZZBUILD)/corpus/$$t \
	    >$(FUZZBUILD)/merge-$$t.log 2>&1 || { tail -20 $(FUZZBUILD)/merge-$$t.log; exit 1; }; \
	  $(FUZZPACK) pack tests/fuzz/corpus/$$t.pack $$m || exit 1; \
	done

# The end-to-end suite with every samla run under valgrind (memcheck: leaks,
# invalid reads and writes, uninitialised values); a valgrind error makes
# that run exit 99, which fails its test. Also replays the fuzz corpora under
# valgrind. Slow: minutes, not seconds.
# (Not named VALGRIND: LibreOffice's soffice runs itself under $VALGRIND.)
# --trace-children: `samla serve` and `samla passwd` run samla-serve (main.c).
SAMLA_VALGRIND ?= valgrind --quiet --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes \
            --trace-children=yes
valgrind: deps
	@$(MAKE) --no-print-directory all units
	@SAMLA_REAL=$(CURDIR)/$(BUILD)/samla SAMLA_VALGRIND="$(SAMLA_VALGRIND)" \
	  SAMLA=$(CURDIR)/tests/valgrind-samla.sh REPLAY_DIR=$(CURDIR)/$(BUILD)/replay \
	  REPLAY_WRAP="$(SAMLA_VALGRIND)" sh tests/run.sh
.SECONDARY: $(FUZZOBJS)

# Benchmark against ledger-cli, hledger and beancount (issue 7; bench/README.md):
# an optimised build without sanitizers, synthetic books of 10k, 100k and 1M
# entries cached in $(BENCH_CACHE), the peers installed if missing, and the
# side-by-side table with ratios. BENCH_ARGS passes options to bench/bench.py
# (e.g. BENCH_ARGS="--sizes 10000,100000 --runs 5").
BENCH_CACHE ?= $(BUILD)/bench-cache
BENCH_PEERS  = ledger hledger beancount time
BENCH_CFLAGS = -O2 -g -std=c11 -D_GNU_SOURCE $(WARN)

.PHONY: bench
bench:
	@missing=""; for p in $(BENCH_PEERS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make bench: installerar$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "make bench: saknar$$missing (kör som root för att installera); de hoppas över"; \
	  fi; \
	fi
	@$(MAKE) --no-print-directory BUILD=build/bench CFLAGS="$(BENCH_CFLAGS)" build/bench/samla
	$(CC) $(BENCH_CFLAGS) -o build/bench/gen bench/gen.c
	$(CC) $(BENCH_CFLAGS) -o build/bench/runner bench/runner.c
	/usr/bin/python3 bench/bench.py --samla build/bench/samla --gen build/bench/gen \
	  --runner build/bench/runner \
	  --cache $(BENCH_CACHE) --out build/bench/results.md $(BENCH_ARGS)

# ---- The web page (issue 8, docs/web.md) ------------------------------------
# `make serve` starts it on the example book at http://127.0.0.1:8080/.
# Its tests (tests/e2e/web.sh, web_load.sh) drive Debian's chromium with
# playwright-core (tests/web/, installed by npm ci at test time; it downloads
# no browser) and load it with wrk.
DEB_TEST += chromium chromium-driver wrk curl openssl util-linux

.PHONY: serve
serve: all
	$(BUILD)/samla -f $(BOOK) serve
