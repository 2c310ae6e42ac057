# fuzz.mk - libFuzzer targets (issue 6).
#
#   make fuzz          run every target for FUZZ_SECONDS (default 60) each,
#                      then fuzz-diff (the walker differential at volume)
#   make fuzz-smoke    run every target briefly (FUZZ_SMOKE_RUNS inputs or
#                      FUZZ_SMOKE_SECONDS, whichever ends first) after every
#                      committed regression input; prints "ok fuzz NAME" or
#                      "not ok fuzz NAME" lines (counted by run-tests.sh)
#   make fuzz-build    build the fuzz binaries only
#   make fuzz-fast     build the standalone drivers (see below)
#
# Each tests/fuzz/fuzz-NAME.c becomes $(FUZZ_DIR)/fuzz-NAME, compiled by
# clang with -fsanitize=fuzzer,address,undefined and linked with the core
# sources compiled the same way (and the shim sources for fuzz-shim*).  A
# target that needs a module which has not landed yet names it in a line
#   /* fuzz-needs: core/resolve.c */
# and is left out until every named file exists.
#
# tests/fuzz/standalone.c is a second driver for the same targets: a plain
# main() feeding N pseudo-random inputs from a seed, with no instrumentation,
# for long differential runs that need raw speed:
#   $(FUZZ_DIR)/fast-NAME -n 10000000 -s 1
# Seeds live in tests/fuzz/corpus/NAME/, reproducers of past findings in
# tests/fuzz/regress/NAME/; both are only read (new inputs go to a scratch
# corpus under $(FUZZ_DIR)).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 1000
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_COMMON  := -g -std=gnu17 -D_GNU_SOURCE -Icore -Ishim -Itests/fuzz -Wall -Wextra \
	-Wno-unused-parameter -U_FORTIFY_SOURCE -fPIC -MMD -MP
FUZZ_CFLAGS  := -O1 $(FUZZ_COMMON)
FAST_CFLAGS  := -O2 $(FUZZ_COMMON)

fuzz_needs = $(shell sed -n 's|.*fuzz-needs: *\(.*\) \*/.*|\1|p' $(1))
fuzz_ready = $(if $(strip $(foreach n,$(call fuzz_needs,$(1)),$(if $(wildcard $(n)),,x))),,$(1))
FUZZ_SRC_ALL = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_SRC     = $(foreach f,$(FUZZ_SRC_ALL),$(call fuzz_ready,$(f)))
FUZZ_NAMES   = $(FUZZ_SRC:tests/fuzz/fuzz-%.c=%)
FUZZ_BIN     = $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz-%)
FAST_BIN     = $(FUZZ_NAMES:%=$(FUZZ_DIR)/fast-%)
FUZZ_LIBSRC  = $(CORE_SRC) tests/fuzz/fuzzlib.c

# Instrumented objects (no libFuzzer main) and plain fast objects, kept
# between runs (they are intermediate to make).
.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/fastobj/%.o
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@
$(FUZZ_DIR)/fastobj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FAST_CFLAGS) -c $< -o $@

fuzz_objs = $(FUZZ_LIBSRC:%.c=$(FUZZ_DIR)/$(1)/%.o) $(if $(filter shim%,$(2)),$(SHIM_SRC:%.c=$(FUZZ_DIR)/$(1)/%.o))

.SECONDEXPANSION:
$(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz-%.o $$(call fuzz_objs,obj,$$*)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ -ldl -lpthread
$(FUZZ_DIR)/fast-%: $(FUZZ_DIR)/fastobj/tests/fuzz/fuzz-%.o $(FUZZ_DIR)/fastobj/tests/fuzz/standalone.o \
		$$(call fuzz_objs,fastobj,$$*)
	$(FUZZ_CC) -o $@ $^ -ldl -lpthread

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-fast
fuzz-build: $$(FUZZ_BIN)
fuzz-fast: $$(FAST_BIN)

# The differential run at volume: the walker against openat2 on
# FUZZ_DIFF_INPUTS generated layouts (about 30 cases each, so the default
# is over 10 million cases), without instrumentation; stops at the first
# divergence (input saved as fast-crash-SEED-N in $(FUZZ_DIR)).
FUZZ_DIFF_INPUTS ?= 360000
FUZZ_DIFF_SEED ?= 1
.PHONY: fuzz-diff
fuzz-diff: $(FUZZ_DIR)/fast-walker
	@cd $(FUZZ_DIR) && ./fast-walker -n $(FUZZ_DIFF_INPUTS) -s $(FUZZ_DIFF_SEED) -l 400 | tail -1

# Full runs: a scratch corpus per target, seeded from the committed ones,
# then the differential run.
fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		c=$(FUZZ_DIR)/corpus/$$n; mkdir -p $$c; log=$(FUZZ_DIR)/$$n.log; \
		$(FUZZ_DIR)/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/crash-$$n- $$c \
			$$(ls -d tests/fuzz/corpus/$$n tests/fuzz/regress/$$n 2>/dev/null) >$$log 2>&1; rc=$$?; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -1); \
		eps=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log | tail -1); \
		if [ $$rc -ne 0 ]; then tail -40 $$log; echo "fuzz $$n: FAILED (rc=$$rc, log $$log)"; exit 1; fi; \
		echo "fuzz $$n: $${runs:-?} executions in $(FUZZ_SECONDS)s ($${eps:-?}/s), no finding"; \
	done
	@$(MAKE) -s --no-print-directory fuzz-diff

fuzz-smoke: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		c=$(FUZZ_DIR)/smoke/$$n; rm -rf $$c; mkdir -p $$c; \
		log=$(FUZZ_DIR)/smoke-$$n.log; : >$$log; ok=1; r=tests/fuzz/regress/$$n; \
		if [ -d $$r ] && [ -n "$$(ls -A $$r)" ]; then \
			$(FUZZ_DIR)/fuzz-$$n $$r/* >>$$log 2>&1 || ok=0; \
		fi; \
		if [ $$ok = 1 ]; then \
			$(FUZZ_DIR)/fuzz-$$n -runs=$(FUZZ_SMOKE_RUNS) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
				-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$$n- $$c \
				$$(ls -d tests/fuzz/corpus/$$n 2>/dev/null) >>$$log 2>&1 || ok=0; \
		fi; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -1); \
		if [ $$ok = 1 ]; then echo "ok fuzz $$n ($${runs:-?} runs)"; \
		else tail -30 $$log; echo "not ok fuzz $$n (log $$log)"; fi; \
	done

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
