# mk/helpers.mk - extra rules for the shim suites' helpers (tests/shim/).
#
# Every helper includes tests/helpers/helper.h, which the pattern rules in
# the Makefile do not track.  The constructor probe is a shared library
# (libctor.so) plus a program linked to it, built in each helper variant
# with the same flags as the one-call helpers; the program finds the
# library beside itself through $ORIGIN.

HELPER_HDR := tests/helpers/helper.h
$(HELPER_BIN): $(HELPER_HDR)

PW_HELPER_CFLAGS_plain   := -O0 -g -Wall -D_GNU_SOURCE
PW_HELPER_CFLAGS_lfs     := -O0 -g -Wall -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
PW_HELPER_CFLAGS_fortify := -O2 -g -Wall -D_GNU_SOURCE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2

CTOR_BIN := $(foreach v,$(HELPER_VARIANTS),$(BUILD)/tests/helpers/$(v)/h-ctor)
CTOR_LIB := $(foreach v,$(HELPER_VARIANTS),$(BUILD)/tests/helpers/$(v)/libctor.so)

define pw_ctor_rules
$(BUILD)/tests/helpers/$(1)/libctor.so: tests/helpers/ctor/libctor.c $(HELPER_HDR)
	@mkdir -p $$(@D)
	$$(CC) $(PW_HELPER_CFLAGS_$(1)) -fPIC -shared -o $$@ $$<
$(BUILD)/tests/helpers/$(1)/h-ctor: tests/helpers/ctor/ctor-main.c $(BUILD)/tests/helpers/$(1)/libctor.so $(HELPER_HDR)
	@mkdir -p $$(@D)
	$$(CC) $(PW_HELPER_CFLAGS_$(1)) -o $$@ $$< -L$(BUILD)/tests/helpers/$(1) -lctor -Wl,-rpath,'$$$$ORIGIN'
endef
$(foreach v,$(HELPER_VARIANTS),$(eval $(call pw_ctor_rules,$(v))))

# h-signal uses threads.
$(foreach v,$(HELPER_VARIANTS),$(BUILD)/tests/helpers/$(v)/h-signal): LDLIBS += -lpthread

tests: $(CTOR_BIN) $(CTOR_LIB)
