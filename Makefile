# pathward - one non-recursive GNU Makefile.
#
# Sources are discovered by directory, so the listing is the build:
#   core/*.c         -> build/libpathward.a (one relocatable object, hidden
#                       symbols localised: only pathward_* is visible)
#   shim/*.c + core  -> build/pathward-preload.so (exports = shim/exports.map)
#   cli/*.c  + core  -> build/pathward
#   tests/unit/test-*.c  -> Criterion binaries, one per module
#   tests/tools/*.c      -> test tools (seccomp forcing, ...)
#   tests/helpers/*.c    -> one-call helper programs, built three ways
#
# User CFLAGS/LDFLAGS come first and are kept apart from the project's
# flags, so an override never drops warnings or hardening.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BUILD      ?= build

CC      ?= cc
LD      ?= ld
AR      ?= ar
OBJCOPY ?= objcopy
CFLAGS  ?= -O2 -g
LDFLAGS ?=

PW_WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wswitch-enum \
	-Werror=implicit-function-declaration -Werror=missing-prototypes \
	-Werror=strict-prototypes -Werror=return-type \
	-Werror=incompatible-pointer-types -Werror=format-security
PW_CFLAGS := -std=gnu17 $(PW_WARN) -D_GNU_SOURCE -Icore \
	-fvisibility=hidden -fno-common -fstack-protector-strong -fPIC -MMD -MP
PW_FORTIFY := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
# The shim's own translation units must not see fortified inline open/
# readlink definitions (shim.md pitfall 21): they define those names.
PW_NOFORTIFY := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0
PW_LDFLAGS := -Wl,-z,relro,-z,now

CORE_SRC := $(sort $(wildcard core/*.c))
SHIM_SRC := $(sort $(wildcard shim/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
HELPER_SRC := $(sort $(wildcard tests/helpers/*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
SHIM_OBJ := $(SHIM_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
HELPER_VARIANTS := plain lfs fortify
HELPER_BIN := $(foreach v,$(HELPER_VARIANTS),$(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/$(v)/%))

LIB  := $(BUILD)/libpathward.a
SHIM := $(BUILD)/pathward-preload.so
CLI  := $(BUILD)/pathward

.PHONY: all test tests check-symbols check-exports install uninstall clean \
	format lint bench fuzz asan
.DELETE_ON_ERROR:

all: $(LIB) $(SHIM) $(CLI)

$(BUILD)/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_FORTIFY) -c $< -o $@

# The launcher looks for the shim relative to itself, then in LIBDIR.
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_FORTIFY) -DPATHWARD_PREFIX='"$(PREFIX)"' \
		-DPATHWARD_LIBDIR='"$(LIBDIR)"' -c $< -o $@

$(BUILD)/shim/%.o: shim/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_NOFORTIFY) -c $< -o $@

# One relocatable object, hidden symbols made local, so a program linking
# the archive sees pathward_* and nothing else (checked by check-symbols).
$(BUILD)/pathward.o: $(CORE_OBJ)
	$(LD) -r -o $@.tmp $^
	$(OBJCOPY) --localize-hidden $@.tmp $@
	@rm -f $@.tmp

$(LIB): $(BUILD)/pathward.o
	@rm -f $@
	$(AR) rcs $@ $<

$(SHIM): $(SHIM_OBJ) $(CORE_OBJ) shim/exports.map
	$(CC) $(CFLAGS) $(LDFLAGS) $(PW_LDFLAGS) -shared -Wl,--version-script=shim/exports.map \
		-o $@ $(SHIM_OBJ) $(CORE_OBJ) -ldl

$(CLI): $(CLI_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PW_LDFLAGS) -o $@ $(CLI_OBJ) $(CORE_OBJ)

# ---- tests ---------------------------------------------------------------

$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_FORTIFY) -Wno-missing-prototypes -Itests/unit \
		-o $@ $< $(CORE_OBJ) -lcriterion -lpthread

$(BUILD)/tests/tools/%: tests/tools/%.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_FORTIFY) -Itests/unit -o $@ $< $(CORE_OBJ) -lpthread

# Helper programs are what a user's binary looks like: no project flags
# beyond warnings, built plain, with large-file names, and fortified.
$(BUILD)/tests/helpers/plain/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) -O0 -g -Wall -D_GNU_SOURCE -o $@ $<
$(BUILD)/tests/helpers/lfs/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) -O0 -g -Wall -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -o $@ $<
$(BUILD)/tests/helpers/fortify/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -D_GNU_SOURCE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -o $@ $<

tests: all $(UNIT_BIN) $(TOOL_BIN) $(HELPER_BIN)

# make test: install what the tests need (scripts/deps.sh), build, run all.
test:
	scripts/deps.sh test
	$(MAKE) tests check-symbols check-exports
	BUILD=$(BUILD) scripts/run-tests.sh

# Only pathward_* may be global in the archive.
check-symbols: $(LIB)
	@bad=$$(nm -g --defined-only $(LIB) | awk 'NF==3 {print $$3}' | grep -v '^pathward_' || true); \
	if [ -n "$$bad" ]; then echo "check-symbols: archive exports non-pathward symbols:" $$bad >&2; exit 1; fi; \
	echo "check-symbols: ok ($$(nm -g --defined-only $(LIB) | awk 'NF==3' | wc -l) pathward_* symbols)"

# The shim exports exactly the libc names listed in shim/exports.map.
check-exports: $(SHIM)
	@scripts/check-exports.sh $(SHIM) shim/exports.map

# ---- install -------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pathward $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/pathward
	install -m 0644 $(SHIM) $(DESTDIR)$(LIBDIR)/pathward/pathward-preload.so
	install -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)/libpathward.a
	install -m 0644 core/pathward.h $(DESTDIR)$(INCLUDEDIR)/pathward.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define PATHWARD_VERSION "\(.*\)"/\1/p' core/pathward.h)|g' \
	    pathward.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/pathward.pc
	for m in man/*.1; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/ || true; done
	for m in man/*.7; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/ || true; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pathward $(DESTDIR)$(LIBDIR)/pathward/pathward-preload.so \
	      $(DESTDIR)$(LIBDIR)/libpathward.a $(DESTDIR)$(INCLUDEDIR)/pathward.h \
	      $(DESTDIR)$(PKGCONFIGDIR)/pathward.pc \
	      $(DESTDIR)$(MANDIR)/man1/pathward.1 $(DESTDIR)$(MANDIR)/man7/pathward.7
	-rmdir $(DESTDIR)$(LIBDIR)/pathward 2>/dev/null

clean:
	rm -rf $(BUILD)

format:
	clang-format -i core/*.[ch] shim/*.[ch] cli/*.[ch] tests/unit/*.[ch] tests/tools/*.c tests/helpers/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -D_GNU_SOURCE -Icore core shim cli
	clang-tidy --quiet $(CORE_SRC) -- -std=gnu17 -D_GNU_SOURCE -Icore

-include $(CORE_OBJ:.o=.d) $(SHIM_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
-include mk/*.mk
