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
# libtorch 2.10's oneDNN AVX/AVX2/AVX-512 float32 conv2d kernels returned wrong values on some of this package's
# build machines (virtualised AMD EPYC: ~40% errors in LeNet5-Caffe's second convolution, NaNs in training) and right
# ones on others of the same model; SSE4.1 was right everywhere (lib/Compression/Training/ConvolutionCheck.cs). So every
# process that trains or evaluates gets ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA): the fastest instruction set whose float32
# convolutions (outputs and gradients) agree with float64 on this machine, probed after the build by
# environment/onednn-isa.sh (ALL, then AVX2, then AVX; SSE41 when none passes; cached per machine in .onednn-isa/).
# `make ... ONEDNN_MAX_CPU_ISA=SSE41` (or that variable in the environment) fixes the choice.
ONEDNN_ISA = $(shell ONEDNN_MAX_CPU_ISA="$(ONEDNN_MAX_CPU_ISA)" bash environment/onednn-isa.sh "lib/Experiments/bin/$(CONFIG)/net10.0/Experiments.dll" "$(DOTNET)")
# libtorch threads per notebook for the methods whose default is every core (soft weight-sharing, entropy-constrained
# training), as REPRO_THREADS. Empty: their defaults. Under `make -jN` (seen in recipes only) it is 1, so that N
# notebooks share the cores.
PARALLEL = $(filter -j%,$(MAKEFLAGS))
THREADS ?= $(if $(PARALLEL),1,)
# A notebook's output goes to <run>/<name>.log, and to the terminal too unless notebooks run in parallel.
NB_OUTPUT = $(if $(PARALLEL),> "$(RUN_DIR)/$*.log" 2>&1,2>&1 | tee "$(RUN_DIR)/$*.log")
BUILD_FLAGS := -c $(CONFIG) -p:TorchBackend=$(TORCH) -nologo
RUNNER := $(DOTNET) lib/NotebookRunner/bin/$(CONFIG)/net10.0/NotebookRunner.dll
# Paths handed to notebooks are relative to the repository root when they lie inside it (executed notebooks then hold
# no path of this machine and run again wherever they are copied in the repository); absolute otherwise.
repo_relative = $(patsubst $(CURDIR)/%,%,$(abspath $(1)))
# The dotnet-interactive Jupyter kernel (environment/jupyter-kernel.sh): a fixed copy of the tool and its kernel spec.
KERNEL_DIR := $(CURDIR)/.kernel
TEST_JUPYTER_PATH := $(KERNEL_DIR)/jupyter
EXPERIMENTS := $(DOTNET) lib/Experiments/bin/$(CONFIG)/net10.0/Experiments.dll
NOTEBOOKS := $(basename $(notdir $(wildcard notebooks/*.ipynb)))
RUN_DIR := $(OUT)/$(BUDGET)

PACKAGE_VERSION ?= 0.1.0
PACKAGES ?= $(OUT)/packages

.PHONY: all check build data test test-external pack reproduce notebooks publish-notebooks verify bench fuzz mutation clean jupyter jupyter-tools test-kernel $(addprefix nb-,$(NOTEBOOKS))
all: test

check:
	@bash environment/check.sh $(TORCH)

build: check
	$(DOTNET) build Reproduce.sln $(BUILD_FLAGS)

data: check
	$(DOTNET) run --project data-scripts/FetchData -c $(CONFIG) -- mnist --data-dir "$(DATA)"

# Every test; the notebook tests run each notebook in the runner and in the Jupyter kernel (installed for the tests
# into .kernel/jupyter, not into the user's Jupyter).
# The log is kept in artifacts/test.log; on failure the failed tests and their messages are repeated at the end, where
# a reader of the last lines (CI) sees them.
test: build data test-kernel
	@mkdir -p artifacts; set -o pipefail; \
	REPRO_JUPYTER_PATH="$(TEST_JUPYTER_PATH)" ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(DOTNET) test Reproduce.sln $(BUILD_FLAGS) --no-build --logger "console;verbosity=normal" 2>&1 | tee artifacts/test.log \
	|| { echo "=== failed tests (full log: artifacts/test.log) ==="; grep -A30 -E '^ *Failed [A-Za-z]' artifacts/test.log | head -300; exit 1; }

# Jupyter's executor and kernelspec commands (Debian packages when missing).
jupyter-tools:
	@bash environment/jupyter-tools.sh

test-kernel: build jupyter-tools
	@ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) bash environment/jupyter-kernel.sh "$(KERNEL_DIR)" "$(TEST_JUPYTER_PATH)"

# For readers: registers the .NET (C#) kernel ".net-csharp" in this user's Jupyter (JupyterLab, Notebook, VS Code's
# Jupyter extension). Then open notebooks/ and run a cell.
jupyter: build data jupyter-tools
	@ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) bash environment/jupyter-kernel.sh "$(KERNEL_DIR)"

# CIFAR-10 (binary version, 170 MB; length, MD5 and SHA-256 of the archive verified before extraction) into $(DATA)/cifar10.
# With the archive at hand: make data-cifar10 CIFAR10_ARCHIVE=<cifar-10-binary.tar.gz>; with extracted files: CIFAR10_FROM=<folder>.
# ImageNet cannot be downloaded: prepare it from your ILSVRC2012 files into $(DATA)/imagenet (folders + manifest of SHA-256):
#   make data-imagenet IMAGENET_TRAIN=<ILSVRC2012_img_train.tar or folder> IMAGENET_VAL=<ILSVRC2012_img_val.tar or folder> \
#        IMAGENET_DEVKIT=<ILSVRC2012_devkit_t12.tar.gz>   (or IMAGENET_VAL_LABELS=<file of "<image> <wnid>" lines>; neither for a sorted val folder)
.PHONY: data-cifar10 data-imagenet bench-vision
data-cifar10: check
	$(DOTNET) run --project data-scripts/FetchData -c $(CONFIG) -- cifar10 --data-dir "$(DATA)" $(if $(CIFAR10_ARCHIVE),--archive "$(CIFAR10_ARCHIVE)") $(if $(CIFAR10_FROM),--from "$(CIFAR10_FROM)")

data-imagenet: check
	$(DOTNET) run --project data-scripts/FetchData -c $(CONFIG) -- imagenet --data-dir "$(DATA)" --train "$(IMAGENET_TRAIN)" --val "$(IMAGENET_VAL)" $(if $(IMAGENET_DEVKIT),--devkit "$(IMAGENET_DEVKIT)") $(if $(IMAGENET_VAL_LABELS),--val-labels "$(IMAGENET_VAL_LABELS)")

# Training images per second of the CIFAR-10 and ImageNet networks (EPR step and plain step; REPRO_DEVICE picks the device).
bench-vision: build
	ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(DOTNET) run -c $(CONFIG) --project tests/Benchmarks -- vision


# Local NuGet packages Reproduce.Compression and Reproduce.Datasets ($(PACKAGE_VERSION)) in $(PACKAGES), for projects
# outside the repository; they bring the TorchSharp libstdc++ fix along (see README, "Your own network").
pack: build
	$(DOTNET) pack lib/Datasets $(BUILD_FLAGS) --no-build -o "$(PACKAGES)" -p:Version=$(PACKAGE_VERSION)
	$(DOTNET) pack lib/Compression $(BUILD_FLAGS) --no-build -o "$(PACKAGES)" -p:Version=$(PACKAGE_VERSION)

# A project outside the repository references the packages, builds, and runs TorchSharp and the library (minutes).
test-external: build
	ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(DOTNET) test tests/Compression.Tests $(BUILD_FLAGS) --no-build --filter "Category=External" --logger "console;verbosity=normal"

# Every notebook, headless, on $(BUDGET); executed notebooks and HTML reports land in $(RUN_DIR). `make -j2 reproduce`
# runs two notebooks at a time (each on one libtorch thread), the longest first; the comparison notebook waits for the rest.
reproduce: build data
	@isa=$(ONEDNN_ISA); echo "== oneDNN instruction set: $$isa (environment/onednn-isa.sh)"; \
	$(MAKE) --no-print-directory run-notebooks SKIP_SETUP=1 ALL_NOTEBOOKS=1 ONEDNN_MAX_CPU_ISA=$$isa
	@echo; echo "Results of this run ($(RUN_DIR)/results), beside the papers:"
	@$(EXPERIMENTS) summary "$(RUN_DIR)/results"

# The notebooks by their time at the quick budget, longest first (any not listed follow), then the comparison.
LONGEST_FIRST := 02-epr-lenet5-caffe 09-ec-lenet5-caffe 08-ec-lenet300-100 01-epr-lenet300-100 04-sws-lenet5-caffe \
	06-miracle-lenet5-caffe 07-miracle-lenet300-100 03-sws-lenet300-100
ORDERED := $(foreach n,$(LONGEST_FIRST),$(filter $(n),$(NOTEBOOKS))) $(filter-out $(LONGEST_FIRST) 05-comparison,$(NOTEBOOKS))
.PHONY: run-notebooks
run-notebooks: $(addprefix nb-,$(ORDERED)) $(if $(filter 05-comparison,$(NOTEBOOKS)),nb-05-comparison)
# (only inside make reproduce: `make nb-05-comparison` alone runs just that notebook)
ifdef ALL_NOTEBOOKS
nb-05-comparison: $(addprefix nb-,$(ORDERED))
endif

# One notebook: make nb-<name> (e.g. make nb-01-epr-lenet300-100 BUDGET=smoke)
$(addprefix nb-,$(NOTEBOOKS)): nb-%: $(if $(SKIP_SETUP),,build data)
	@mkdir -p "$(RUN_DIR)"
	@echo "== $* (budget $(BUDGET)) -> $(RUN_DIR)/$*.ipynb, $(RUN_DIR)/$*.html"
	@set -o pipefail; start=$$(date +%s); \
	if ! ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(if $(strip $(THREADS)),REPRO_THREADS=$(strip $(THREADS))) $(RUNNER) run notebooks/$*.ipynb \
		--output "$(RUN_DIR)/$*.ipynb" --html "$(RUN_DIR)/$*.html" -p budget=$(BUDGET) -p dataDir="$(call repo_relative,$(DATA))" \
		-p outputDir="$(call repo_relative,$(RUN_DIR))/results" $(NB_OUTPUT); then \
		$(if $(PARALLEL),tail -40 "$(RUN_DIR)/$*.log";) echo "== $* FAILED (output: $(RUN_DIR)/$*.log)"; exit 1; fi; \
	echo "== $* done in $$(( $$(date +%s) - start )) s (output: $(RUN_DIR)/$*.log)"

# Copy the executed notebooks of a finished run ($(RUN_DIR)) to results/notebooks/$(BUDGET)/, to be committed so
# that readers see outputs without rerunning: their #r paths rewritten for that folder, the copy of plotly.js their
# first chart carries removed. Their HTML reports are not copied (each embeds plotly.js and MathJax, ~6 MB);
# `NotebookRunner report <executed.ipynb> --html <report.html>` re-renders one offline without running anything.
publish-notebooks:
	@set -e; files=""; for nb in $(NOTEBOOKS); do if [ -f "$(RUN_DIR)/$$nb.ipynb" ]; then files="$$files $(RUN_DIR)/$$nb.ipynb"; fi; done; \
	if [ -n "$$files" ]; then $(RUNNER) publish $$files --to results/notebooks/$(BUDGET); fi

# Decode every committed compressed file under results/, re-evaluate it on the MNIST test set, and fail
# if its size or error disagrees with its summary.json.
verify: build data
	ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(EXPERIMENTS) verify results

# Benchmarks print figures (coder throughput, EPR step cost); they are not tests.
# The layer profile of LeNet5-Caffe runs under SSE41 and under this machine's instruction set, on 1 and 2 threads.
BENCH := $(DOTNET) tests/Benchmarks/bin/$(CONFIG)/net10.0/Benchmarks.dll
bench: build
	$(BENCH) coder
	ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(BENCH) epr
	ONEDNN_MAX_CPU_ISA=$(ONEDNN_ISA) $(BENCH) epr --threads 2 --model lenet5-caffe --out results/benchmarks/epr-lenet5-2threads.md
	rm -f results/benchmarks/layers.md
	@isa=$(ONEDNN_ISA); for t in 1 2; do ONEDNN_MAX_CPU_ISA=SSE41 $(BENCH) layers $$t; \
		if [ "$$isa" != SSE41 ]; then ONEDNN_MAX_CPU_ISA=$$isa $(BENCH) layers $$t; fi; done

# A longer fuzz campaign than make test's (tests/Compression.Tests/Fuzzing, MethodFuzzTests): mutated EPR and soft
# weight-sharing files, checksums recomputed, through the method decoders, until FUZZ_INPUTS inputs or FUZZ_SECONDS
# have passed; fails on any finding (an exception other than CorruptModelFileException, or an input over its CPU or
# allocation limit). Its figures (inputs, outcome classes, throughput, load) go to results/benchmarks/fuzz.md.
FUZZ_INPUTS ?= 200000
FUZZ_SECONDS ?= 1200
FUZZ_SEED ?= 2026
fuzz: build
	FUZZ_INPUTS=$(FUZZ_INPUTS) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) FUZZ_REPORT="$(CURDIR)/results/benchmarks/fuzz.md" \
		$(DOTNET) test tests/Compression.Tests $(BUILD_FLAGS) --no-build --filter "FullyQualifiedName~MethodFuzzTests.MutatedFiles" --logger "console;verbosity=detailed"

# Mutation testing (Stryker.NET 5.1.0, a local dotnet tool of .config/dotnet-tools.json) of lib/Compression's Coding/ and
# Format/ against their own tests (tests/Compression.Tests/stryker-config.json); heavy: over an hour on 2 busy cores.
# Reports land in tests/Compression.Tests/StrykerOutput/; the measured score is in results/benchmarks/mutation.md.
mutation: build
	$(DOTNET) tool restore
	cd tests/Compression.Tests && $(DOTNET) tool run dotnet-stryker --config-file stryker-config.json

clean:
	$(DOTNET) clean Reproduce.sln -c $(CONFIG) -nologo
	rm -rf $(OUT) $(KERNEL_DIR)
