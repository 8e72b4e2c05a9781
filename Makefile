# Beacon build. `make` builds the Kore module, beaconctl and the unit tests;
# `make run` and `make test` are the two commands the README gives.

CC       ?= gcc
BUILD    ?= build
KORE_FEATURES := $(shell cat /usr/share/kore/features 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wsign-compare -Wformat=2 -Wvla
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
# Hidden by default: the module exports only what Kore looks up (app.c, beacon_dispatch), so a
# library loaded later (libkrb5 through libpq has profile_init...) cannot take our names.
CFLAGS_BASE = -std=c17 -D_GNU_SOURCE -fPIC -fvisibility=hidden -Isrc -I$(BUILD)/gen $(WARN) $(DOC_CFLAGS)
OPT     ?= -O2 -g
# Documents (src/model/documents.c): libmagic sniffs content, poppler-glib reads PDF text,
# libzip + libxml2 read DOCX. Their headers come in with -isystem so their warnings never
# meet -Werror.
DOC_PKGS  := poppler-glib libxml-2.0 libzip
DOC_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(DOC_PKGS) 2>/dev/null))
DOC_LIBS  := $(shell pkg-config --libs $(DOC_PKGS) 2>/dev/null)
LIBS    := -lsqlite3 -lpq -ljansson -lcmark -lsodium -loath -lqrencode -lcurl -lhiredis -lunistring -lz -lm \
           -lmagic $(DOC_LIBS)
LDHARD  := -Wl,-z,relro,-z,now

# The ASan/UBSan flavour shares the sources; objects go to their own tree.
ifeq ($(SANITIZE),1)
BUILD   := build/asan
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
HARDEN  :=
LDSAN   := -fsanitize=address,undefined
endif

CFLAGS  := $(CFLAGS_BASE) $(OPT) $(HARDEN) $(EXTRA_CFLAGS)

CORE_SRC   := $(wildcard src/core/*.c)
DB_SRC     := $(wildcard src/db/*.c)
MODEL_SRC  := $(wildcard src/model/*.c)
SEARCH_SRC := $(wildcard src/search/*.c)
WEB_SRC    := $(wildcard src/web/*.c src/web/pages/*.c src/web/api/*.c)
CLI_SRC    := $(wildcard src/cli/*.c)
GEN_SRC    := $(BUILD)/gen/migrations_gen.c
LIB_SRC    := $(CORE_SRC) $(DB_SRC) $(MODEL_SRC) $(SEARCH_SRC)
UNIT_SRC   := $(wildcard tests/unit/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJ  := $(call obj,$(LIB_SRC)) $(BUILD)/obj/gen/migrations_gen.o
WEB_OBJ  := $(call obj,$(WEB_SRC))
CLI_OBJ  := $(call obj,$(CLI_SRC))
UNIT_OBJ := $(call obj,$(UNIT_SRC))

MIGRATIONS := $(sort $(wildcard migrations/*/*.sql))

.PHONY: all run test test-unit test-e2e test-browser bootstrap clean format asan
all: $(BUILD)/beacon.so $(BUILD)/beaconctl $(BUILD)/unit-tests static/vendor/htmx.min.js

# Flags live in this file: a change to it rebuilds everything.
$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KORE_FEATURES) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/migrations_gen.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(GEN_SRC): $(MIGRATIONS) scripts/embed-migrations
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/beacon.so: $(LIB_OBJ) $(WEB_OBJ)
	$(CC) -shared $(LDSAN) $(LDHARD) -o $@ $^ $(LIBS)

$(BUILD)/beaconctl: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) -pie $(LDSAN) $(LDHARD) -o $@ $^ $(LIBS)

$(BUILD)/unit-tests: $(LIB_OBJ) $(UNIT_OBJ)
	$(CC) -pie $(LDSAN) $(LDHARD) -o $@ $^ $(LIBS)

static/vendor/htmx.min.js: node_modules/htmx.org/dist/htmx.min.js
	@mkdir -p $(dir $@)
	cp $< $@

node_modules/htmx.org/dist/htmx.min.js: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

asan:
	$(MAKE) SANITIZE=1 build/asan/beacon.so build/asan/beaconctl build/asan/unit-tests

bootstrap:
	sh scripts/bootstrap

run: bootstrap
	$(MAKE) all
	$(BUILD)/beaconctl serve

test: bootstrap
	$(MAKE) all asan
	bash scripts/test

test-unit: all
	$(BUILD)/unit-tests

format:
	clang-format -i $(LIB_SRC) $(WEB_SRC) $(CLI_SRC) $(wildcard src/*/*.h src/web/*/*.h) $(UNIT_SRC)

clean:
	rm -rf build static/vendor

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
