# Front door of the harness (see README.md). Nothing here goes into the kernel.

.PHONY: all run check series bench help

all: help

help:
	@echo "make run              boot a kernel with the Gunyah drivers on the simulated hypervisor"
	@echo "make check            run every test and check"
	@echo "make series OUT=dir   write the patch series against the pinned base into dir"
	@echo "make bench            print the benchmark figures"

run:
	@bash harness/run.sh

check:
	@bash harness/check.sh

series:
	@test -n "$(OUT)" || { echo "usage: make series OUT=dir"; exit 2; }
	@bash harness/setup.sh
	@bash harness/prepare.sh
	@bash harness/series.sh "$(OUT)"

bench:
	@bash harness/bench.sh
