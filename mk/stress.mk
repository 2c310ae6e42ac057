# stress.mk - stress programs (issue 6): tests/stress/NAME.c ->
# $(BUILD)/tests/stress/NAME, driven by tests/shim/stress.bats with the shim
# preloaded.  They are ordinary user programs (libc only, no project
# headers), built with the user's CFLAGS so the sanitizer build
# (mk/sanitize.mk) instruments them too.

STRESS_SRC := $(sort $(wildcard tests/stress/*.c))
STRESS_BIN := $(STRESS_SRC:tests/stress/%.c=$(BUILD)/tests/stress/%)

.PHONY: stress-build
stress-build: $(STRESS_BIN)
tests: stress-build

$(BUILD)/tests/stress/%: tests/stress/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Wall -Wextra -D_GNU_SOURCE -pthread $(LDFLAGS) -o $@ $<
