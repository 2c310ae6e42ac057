# cli.mk - the launcher has PREFIX and LIBDIR compiled in (to find the
# shim); rebuild it when they change, so `make && make install PREFIX=/usr`
# installs a pathward that looks in /usr/lib, not in the first build's.
PW_CLI_PATHS := $(PREFIX) $(LIBDIR)

$(BUILD)/cli/paths.stamp: FORCE-cli-paths
	@mkdir -p $(@D)
	@echo '$(PW_CLI_PATHS)' | cmp -s - $@ || echo '$(PW_CLI_PATHS)' >$@

$(BUILD)/cli/shimpath.o: $(BUILD)/cli/paths.stamp

.PHONY: FORCE-cli-paths
FORCE-cli-paths:
