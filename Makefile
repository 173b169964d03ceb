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
CFLAGS   += -std=c11 -D_GNU_SOURCE $(WARN)
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lmicrohttpd

SRCS     := $(sort $(wildcard src/*.c))
LIBSRCS  := $(filter-out src/main.c,$(SRCS))
OBJS      = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIBOBJS   = $(LIBSRCS:src/%.c=$(BUILD)/obj/%.o)
UNITSRCS := $(sort $(wildcard tests/unit/test_*.c))
UNITBINS  = $(UNITSRCS:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages the project needs (build, tests, workbook verification).
DEB_BUILD = build-essential pkg-config libxlsxwriter-dev libcsv-dev libgmp-dev \
            libssl-dev libmicrohttpd-dev
DEB_TEST  = libcmocka-dev clang valgrind libreoffice-calc poppler-utils \
            unzip time
DEB_ALL   = $(DEB_BUILD) $(DEB_TEST) $(DEB_EXTRA)

.PHONY: all deps run check units install clean

all: $(BUILD)/samla

$(BUILD)/samla: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIBOBJS) $(LDLIBS) -lcmocka

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# Install the Debian packages that are missing: as root with apt-get,
# otherwise print the command to run.
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

units: $(UNITBINS)

# The main job on the example book: check it, print the reports, write the
# workbooks to exports/.
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p exports
	$(BUILD)/samla -f $(BOOK) check
	$(BUILD)/samla -f $(BOOK) list --period 2025 --summary
	$(BUILD)/samla -f $(BOOK) result 2025 --unit tkr
	$(BUILD)/samla -f $(BOOK) earmarks --at 2026-01-01
	$(BUILD)/samla -f $(BOOK) budget 2026 --unit tkr
	$(BUILD)/samla -f $(BOOK) export budget 2026 -o exports/budget-2026.xlsx
	$(BUILD)/samla -f $(BOOK) export annual 2025 -o exports/arsbokslut-2025.xlsx

# Every test: unit tests, end-to-end tests, the sanitizer build, workbooks
# recalculated by LibreOffice. Ends with "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory BUILD=build/asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build/asan/samla units
	@sh tests/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/samla $(DESTDIR)$(PREFIX)/bin/samla

clean:
	rm -rf build
