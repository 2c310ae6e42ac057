# mk/bench.mk - `make bench` (issue 7): one benchmark report.
#
#   make bench     install fakechroot/proot/gnuplot when missing
#                  (scripts/deps.sh bench), build the bench programs and
#                  whatever of the shim, launcher and enosys builds, then
#                  run scripts/bench.sh: one line per figure on stdout,
#                  $(BUILD)/bench/bench.md, bench.tsv, bench.png, bench.svg.
#
# pw-bench links the core objects directly (it measures internal routes such
# as the shim's own-view /proc open).
# pw-child is built like a user's program: libc only, no pathward code;
# pw-passthrough.so is the do-nothing preload measured beside the shim.
# A figure over its target is reported, never an error: `make bench` exits 0
# unless the bench itself cannot be built or run.

BENCH_DIR   := $(BUILD)/bench
BENCH_SRC   := $(filter-out bench/pw-%.c,$(sort $(wildcard bench/*.c)))
BENCH_OBJ   := $(BENCH_SRC:bench/%.c=$(BENCH_DIR)/obj/%.o)
BENCH_BIN   := $(BENCH_DIR)/pw-bench
BENCH_CHILD := $(BENCH_DIR)/pw-child
BENCH_PASS  := $(BENCH_DIR)/pw-passthrough.so

$(BENCH_DIR)/obj/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PW_CFLAGS) $(PW_FORTIFY) -c $< -o $@

$(BENCH_BIN): $(BENCH_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PW_LDFLAGS) -o $@ $(BENCH_OBJ) $(CORE_OBJ) -lm

$(BENCH_CHILD): bench/pw-child.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -D_GNU_SOURCE -o $@ $<

$(BENCH_PASS): bench/pw-passthrough.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -D_GNU_SOURCE -fPIC -shared -o $@ $< -ldl

bench:
	scripts/deps.sh bench
	$(MAKE) --no-print-directory $(BENCH_BIN) $(BENCH_CHILD) $(BENCH_PASS)
	@mkdir -p $(BENCH_DIR)
	@$(MAKE) --no-print-directory -k $(SHIM) $(CLI) $(BUILD)/tests/tools/enosys >$(BENCH_DIR)/build.log 2>&1 || \
		echo "bench: part of the shim/launcher/enosys did not build; its figures will say missing (see $(BENCH_DIR)/build.log)"
	BUILD=$(BUILD) scripts/bench.sh

-include $(BENCH_OBJ:.o=.d)
