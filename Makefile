# Two commands do everything on a fresh clone:
#   make reproduce   run every notebook headless (BUDGET=quick by default) and write executed notebooks + HTML reports
#   make test        build and run every test
# Knobs: TORCH=cpu|cuda (libtorch backend), BUDGET=smoke|quick|paper, DATA=<folder for data sets>.
SHELL := /bin/bash
TORCH  ?= cpu
BUDGET ?= quick
CONFIG ?= Release
DATA   ?= $(CURDIR)/data
OUT    ?= $(CURDIR)/artifacts
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
export REPRO_DATA := $(DATA)
BUILD_FLAGS := -c $(CONFIG) -p:TorchBackend=$(TORCH) -nologo

.PHONY: all check build data test reproduce verify bench clean
all: test

check:
	@bash environment/check.sh $(TORCH)

build: check
	$(DOTNET) build Reproduce.sln $(BUILD_FLAGS)

data: check
	$(DOTNET) run --project data-scripts/FetchData -c $(CONFIG) -- mnist --data-dir "$(DATA)"

test: build data
	$(DOTNET) test Reproduce.sln $(BUILD_FLAGS) --no-build --logger "console;verbosity=normal"

reproduce: build data
	@echo "notebooks: see notebooks/ (runner arrives with the notebook issue)"

clean:
	$(DOTNET) clean Reproduce.sln -c $(CONFIG) -nologo
	rm -rf $(OUT)
