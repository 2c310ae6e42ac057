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
# loaded before anything else, so the shim is preloaded after it:
#
#   LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(ASAN_BUILD)/pathward-preload.so" prog
#
# The helpers stay plain programs (the Makefile builds them without CFLAGS)
# because that is what a user's binary is.  The bats suites get
# PATHWARD_ASAN_PRELOAD=<libasan path>, which a test puts in front of the
# shim in LD_PRELOAD, and ASAN_OPTIONS=verify_asan_link_order=0 so that a
# test which preloads only the shim still runs (the shim's own code keeps
# its stack and global checks then; heap checks need the runtime first).
# A suite that starts programs under `env -i` drops ASAN_OPTIONS too, so
# its programs stop at ASan's "runtime does not come first" check unless
# it passes PATHWARD_ASAN_PRELOAD and ASAN_OPTIONS through.
# The suites run in quick mode (PATHWARD_TEST_QUICK=1): their full loop
# counts ran in the ordinary pass; this pass looks for memory errors and
# undefined behaviour on the same paths.
# Leak checking is off: core/ and the shim allocate nothing on their call
# paths (STYLE.md), bash and the helpers are not ours, and LeakSanitizer
# cannot stop the world in the unit tests that enter namespaces or
# install seccomp filters ("LeakSanitizer has encountered a fatal error").

ASAN_BUILD  ?= $(BUILD)/asan
# The shim suites run under ASan.  Default (auto): every tests/shim/*.bats
# except a suite that starts its programs under `env -i` without passing
# PATHWARD_ASAN_PRELOAD on (it would only measure ASan's link-order check;
# today that is corpus.bats).  ASAN_BATS=all runs every suite; a list of
# files runs those.
ASAN_BATS   ?= auto
# Left out of auto as well: attack.bats.  Its attacks overmount /proc, and
# the ASan runtime reads its options from /proc/self/environ and its name
# from /proc/self/exe at start-up: under an attacked /proc it prints
# warnings on stderr (which the attack checks compare) and loses
# ASAN_OPTIONS.  ASAN_BATS=all runs it anyway.
ASAN_BATS_EXCLUDE ?= tests/shim/attack.bats
asan_bats_auto = $(shell for f in tests/shim/*.bats; do \
	if grep -qs 'env -i' "$$f" $$(sed -n 's|^load *\(.*\)|tests/shim/\1.bash|p' "$$f") && \
	   ! grep -qs PATHWARD_ASAN_PRELOAD "$$f" $$(sed -n 's|^load *\(.*\)|tests/shim/\1.bash|p' "$$f"); then continue; fi; \
	echo "$$f"; done)
ASAN_BATS_FILES = $(if $(filter auto,$(ASAN_BATS)),$(filter-out $(ASAN_BATS_EXCLUDE),$(asan_bats_auto)),$(if $(filter all,$(ASAN_BATS)),$(wildcard tests/shim/*.bats),$(wildcard $(ASAN_BATS))))
ASAN_CC     ?= gcc
ASAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_LIB     = $(shell $(ASAN_CC) -print-file-name=libasan.so)
ASAN_ENV     = PATHWARD_TEST_QUICK=1 ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ASAN_SHIM_ENV = PATHWARD_TEST_QUICK=1 PATHWARD_BUILD=$(ASAN_BUILD) PATHWARD_ASAN_PRELOAD=$(ASAN_LIB) \
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:verify_asan_link_order=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

.PHONY: asan-build asan-test asan
asan-build:
	@$(MAKE) -s --no-print-directory BUILD=$(ASAN_BUILD) CC=$(ASAN_CC) \
		CFLAGS="-O1 -g $(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" tests

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
	set -- $(ASAN_BATS_FILES); \
	if [ $$# -gt 0 ]; then \
		log=$(ASAN_BUILD)/asan-bats.log; \
		$(ASAN_SHIM_ENV) bats --tap "$$@" >$$log 2>&1; rc=$$?; \
		p=$$(grep -cE '^ok ' $$log); f=$$(grep -cE '^not ok ' $$log); \
		if [ $$rc -eq 0 ] && [ $$f -eq 0 ] && ! grep -qE 'Sanitizer|runtime error' $$log; then \
			echo "ok asan shim-bats ($$p tests)"; \
		else \
			grep -vE '^ok ' $$log | head -40; echo "not ok asan shim-bats ($$f failed, log $$log)"; fail=1; \
		fi; \
	fi; \
	exit $$fail
