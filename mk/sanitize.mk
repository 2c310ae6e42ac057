# sanitize.mk - AddressSanitizer + UndefinedBehaviorSanitizer runs (issue 6).
#
#   make asan-test     build the unit tests, the shim, the launcher, the tools
#                      and the stress programs with ASan+UBSan into
#                      $(ASAN_BUILD), then run the unit suites and the shim
#                      suites (bats) against that build; prints
#                      "ok asan NAME" / "not ok asan NAME" lines (counted by
#                      run-tests.sh).  `make asan` is the same.
#
# The sanitized objects come from the ordinary rules run with
# BUILD=$(ASAN_BUILD) and the sanitizer flags in CFLAGS/LDFLAGS, so the
# project's warnings and hardening stay on.  UBSan does not recover: the
# first finding fails the run.
#
# Loading the ASan shim into a program that is not itself built with ASan
# (every helper program, and every user's binary) needs the ASan runtime
# ahead of libc, so the shim is preloaded after it:
#
#   LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(ASAN_BUILD)/pathward-preload.so" prog
#
# The helpers stay plain programs (the Makefile builds them without CFLAGS)
# because that is what a user's binary is.  The bats suites get
# PATHWARD_ASAN_PRELOAD="$(ASAN_DEFAULTS) <libasan path>", which a test
# puts in front of the shim in LD_PRELOAD (stress, corpus, and every
# pw_attack check: the attack, routing, context and f8 suites), and
# ASAN_OPTIONS with verify_asan_link_order=0 so that a test which
# preloads only the shim still runs (the shim's own code keeps its stack
# and global checks then; heap checks need the runtime ahead of libc).
# $(ASAN_DEFAULTS) (tests/shim/lib/asan-defaults.c) defines no libc name;
# it gives the runtime its options where ASAN_OPTIONS cannot be read (a
# preloaded libasan reads them only from /proc/self/environ: gone under
# the attacks that overmount /proc, and under `env -i`) and it keeps ps,
# top and pgrep from hanging in a preloaded runtime's start-up (the
# gettext lock; details in the file).  Under an overmounted /proc the
# runtime also warns once or twice that it cannot read /proc/self/exe;
# pw_attack drops exactly that line before it looks at stderr.
# The suites run in quick mode (PATHWARD_TEST_QUICK=1): their full loop
# counts ran in the ordinary pass; this pass looks for memory errors and
# undefined behaviour on the same paths.  The corpus is the exception: it
# runs every line (each is a different program's use of the shim).
# Leak checking is off: core/ and the shim allocate nothing on their call
# paths (STYLE.md), bash and the helpers are not ours, and LeakSanitizer
# cannot stop the world in the unit tests that enter namespaces or
# install seccomp filters ("LeakSanitizer has encountered a fatal error").

ASAN_BUILD  ?= $(BUILD)/asan
# The shim suites run under ASan, one "ok asan shim-NAME" line each:
# every tests/shim/*.bats unless ASAN_BATS lists the files to run.
ASAN_BATS   ?= $(wildcard tests/shim/*.bats)
ASAN_CC     ?= gcc
ASAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_LIB     = $(shell $(ASAN_CC) -print-file-name=libasan.so)
ASAN_ENV     = PATHWARD_TEST_QUICK=1 ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ASAN_SHIM_OPTIONS := abort_on_error=1:detect_leaks=0:verify_asan_link_order=0
ASAN_DEFAULTS = $(ASAN_BUILD)/tests/shim/asan-defaults.so
ASAN_SHIM_ENV = PATHWARD_TEST_QUICK=1 PATHWARD_BUILD=$(ASAN_BUILD) \
	PATHWARD_ASAN_PRELOAD="$(ASAN_DEFAULTS) $(ASAN_LIB)" ASAN_OPTIONS=$(ASAN_SHIM_OPTIONS) \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

.PHONY: asan-build asan-test asan
asan-build: $(ASAN_DEFAULTS)
	@$(MAKE) -s --no-print-directory BUILD=$(ASAN_BUILD) CC=$(ASAN_CC) \
		CFLAGS="-O1 -g $(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" tests

# Not sanitized itself, and no libc: it only answers the runtime's hooks.
$(ASAN_DEFAULTS): tests/shim/lib/asan-defaults.c mk/sanitize.mk
	@mkdir -p $(@D)
	$(ASAN_CC) -O2 -Wall -Wextra -Werror -fPIC -shared -nostdlib \
		-DPW_ASAN_OPTIONS='"$(ASAN_SHIM_OPTIONS)"' -o $@ $<

asan: asan-test
asan-test: asan-build
	@fail=0; \
	for u in $(ASAN_BUILD)/tests/unit/test-*; do \
		[ -x "$$u" ] || continue; n=$$(basename $$u); log=$(ASAN_BUILD)/asan-$$n.log; \
		if $(ASAN_ENV) $$u --jobs=2 --ascii >$$log 2>&1 && ! grep -qE 'Sanitizer|runtime error' $$log; then \
			echo "ok asan $$n ($$(grep -o 'Tested: [0-9]*' $$log | tail -1))"; \
		else \
			grep -E 'ERROR|SUMMARY|runtime error|FAIL|Synthesis' $$log | head -20; \
			echo "not ok asan $$n (log $$log)"; fail=1; \
		fi; \
	done; \
	for b in $(ASAN_BATS); do \
		n=shim-$$(basename $$b .bats); log=$(ASAN_BUILD)/asan-$$n.log; \
		$(ASAN_SHIM_ENV) bats --tap $$b >$$log 2>&1; rc=$$?; \
		p=$$(grep -cE '^ok ' $$log); f=$$(grep -cE '^not ok ' $$log); \
		s=$$(grep -cE '^ok .* # skip' $$log); \
		if [ $$rc -eq 0 ] && [ $$f -eq 0 ] && [ $$p -gt 0 ] && ! grep -qE 'Sanitizer|runtime error' $$log; then \
			echo "ok asan $$n ($$p tests, $$s skipped)"; \
		else \
			grep -vE '^ok ' $$log | head -40; echo "not ok asan $$n ($$f failed, log $$log)"; fail=1; \
		fi; \
	done; \
	exit $$fail
