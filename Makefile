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
# libtorch 2.10's oneDNN AVX2/AVX-512 float32 conv2d kernels return wrong values on some virtualised CPUs
# (seen on this package's AMD EPYC build machines: ~40% errors in LeNet5-Caffe's second convolution, NaNs
# in training; see lib/Compression/Training/ConvolutionCheck.cs). The SSE4.1 kernels are right. Override
# with `make ... ONEDNN_MAX_CPU_ISA=ALL` on a machine where the check passes without it.
export ONEDNN_MAX_CPU_ISA ?= SSE41
BUILD_FLAGS := -c $(CONFIG) -p:TorchBackend=$(TORCH) -nologo
RUNNER := $(DOTNET) lib/NotebookRunner/bin/$(CONFIG)/net10.0/NotebookRunner.dll
EXPERIMENTS := $(DOTNET) lib/Experiments/bin/$(CONFIG)/net10.0/Experiments.dll
NOTEBOOKS := $(basename $(notdir $(wildcard notebooks/*.ipynb)))
RUN_DIR := $(OUT)/$(BUDGET)

PACKAGE_VERSION ?= 0.1.0
PACKAGES ?= $(OUT)/packages

.PHONY: all check build data test test-external pack reproduce notebooks publish-notebooks verify bench clean $(addprefix nb-,$(NOTEBOOKS))
all: test

check:
	@bash environment/check.sh $(TORCH)

build: check
	$(DOTNET) build Reproduce.sln $(BUILD_FLAGS)

data: check
	$(DOTNET) run --project data-scripts/FetchData -c $(CONFIG) -- mnist --data-dir "$(DATA)"

test: build data
	$(DOTNET) test Reproduce.sln $(BUILD_FLAGS) --no-build --logger "console;verbosity=normal"

# Local NuGet packages Reproduce.Compression and Reproduce.Datasets ($(PACKAGE_VERSION)) in $(PACKAGES), for projects
# outside the repository; they bring the TorchSharp libstdc++ fix along (see README, "Your own network").
pack: build
	$(DOTNET) pack lib/Datasets $(BUILD_FLAGS) --no-build -o "$(PACKAGES)" -p:Version=$(PACKAGE_VERSION)
	$(DOTNET) pack lib/Compression $(BUILD_FLAGS) --no-build -o "$(PACKAGES)" -p:Version=$(PACKAGE_VERSION)

# A project outside the repository references the packages, builds, and runs TorchSharp and the library (minutes).
test-external: build
	$(DOTNET) test tests/Compression.Tests $(BUILD_FLAGS) --no-build --filter "Category=External" --logger "console;verbosity=normal"

# Every notebook, headless, on $(BUDGET); executed notebooks and HTML reports land in $(RUN_DIR).
reproduce: build data
	@set -e; for nb in $(NOTEBOOKS); do $(MAKE) --no-print-directory nb-$$nb SKIP_SETUP=1; done
	@echo; echo "Results of this run ($(RUN_DIR)/results), beside the papers:"
	@$(EXPERIMENTS) summary "$(RUN_DIR)/results"

# One notebook: make nb-<name> (e.g. make nb-01-epr-lenet300-100 BUDGET=smoke)
$(addprefix nb-,$(NOTEBOOKS)): nb-%: $(if $(SKIP_SETUP),,build data)
	@mkdir -p "$(RUN_DIR)"
	@echo "== $* (budget $(BUDGET)) -> $(RUN_DIR)/$*.ipynb, $(RUN_DIR)/$*.html"
	$(RUNNER) run notebooks/$*.ipynb --output "$(RUN_DIR)/$*.ipynb" --html "$(RUN_DIR)/$*.html" \
		-p budget=$(BUDGET) -p dataDir="$(DATA)" -p outputDir="$(RUN_DIR)/results"

# Copy the executed notebooks of a finished run ($(RUN_DIR)) to results/notebooks/$(BUDGET)/, to be committed so
# that readers see outputs without rerunning. Their HTML reports are not copied (each embeds plotly.js, ~3.6 MB);
# `NotebookRunner report <executed.ipynb> --html <report.html>` re-renders one offline without running anything.
publish-notebooks:
	@mkdir -p results/notebooks/$(BUDGET)
	@for nb in $(NOTEBOOKS); do if [ -f "$(RUN_DIR)/$$nb.ipynb" ]; then cp "$(RUN_DIR)/$$nb.ipynb" results/notebooks/$(BUDGET)/ && echo "results/notebooks/$(BUDGET)/$$nb.ipynb"; fi; done

# Decode every committed compressed file under results/, re-evaluate it on the MNIST test set, and fail
# if its size or error disagrees with its summary.json.
verify: build data
	$(EXPERIMENTS) verify results

# Benchmarks print figures (coder throughput, EPR step cost); they are not tests.
bench: build
	$(DOTNET) run -c $(CONFIG) --project tests/Benchmarks -- coder
	$(DOTNET) run -c $(CONFIG) --project tests/Benchmarks -- epr

clean:
	$(DOTNET) clean Reproduce.sln -c $(CONFIG) -nologo
	rm -rf $(OUT)
