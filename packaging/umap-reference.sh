#!/usr/bin/env bash
# UMAP against its references (issue 34, part 5): `latentlab-cli project --method umap`, R's
# uwot and umap-learn lay out the same codes with the same threads, and one measure scores
# every layout: the share of each point's 10 nearest neighbours in the code space that stay
# among its 10 nearest in the layout, over 2,000 items drawn at random (each against all).
# Minutes long, so run by hand, not by test.sh:
#   packaging/umap-reference.sh [ITEMS] [THREADS]        (defaults: 100000 and 2)
# The codes: an AE with an 8-wide code trained 500 steps on lines (as docs/BENCHMARKS.md's
# layout table). uwot (Debian's r-cran-uwot, which also scores the layouts) and umap-learn
# (umap-learn) are optional: one that is absent is said and skipped. Prints a Markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/bin"
items="${1:-100000}"
threads="${2:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -x "$bin/latentlab-cli" ] || "$root/packaging/build.sh" >&2
have_r=false
Rscript -e 'suppressMessages({library(uwot); library(FNN)})' >/dev/null 2>&1 && have_r=true
have_py=false
for py in python3 /usr/bin/python3; do # Debian's, where another python3 comes first
    "$py" -c 'import umap' >/dev/null 2>&1 && have_py=true && break
done

echo "training the AE and encoding lines:$items ..." >&2
"$bin/latentlab-cli" train --data lines:10000 --model ae --arch mlp --latent 8 --hidden 256 \
    --steps 500 --out "$work/ae" >/dev/null
"$bin/latentlab-cli" encode --checkpoint "$work/ae/model.pt" --data "lines:$items" \
    --out "$work/codes.csv" >/dev/null

rows=()
echo "latentlab ..." >&2
line="$("$bin/latentlab-cli" project --checkpoint "$work/ae/model.pt" --data "lines:$items" \
    --method umap --threads "$threads" --out "$work/latentlab.csv" | tail -1)"
ours_seconds="$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s;.*/\1/p')"
ours_kept="$(echo "$line" | sed -n 's/.*preservation \([0-9.]*\).*/\1/p')"
rows+=("latentlab-cli project|$ours_seconds|$ours_kept")

if $have_r; then
    echo "uwot ..." >&2
    # The same settings as ours: 15 neighbours, minimum distance 0.1, 200 epochs above 10,000
    # points, 5 negative samples, a PCA start; uwot's own neighbour search (Annoy).
    OMP_NUM_THREADS=1 Rscript - "$work/codes.csv" "$work/uwot.csv" "$threads" <<'R' >"$work/uwot.txt"
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(uwot))
table <- read.csv(args[1])
codes <- as.matrix(table[, grep("^z", names(table))])
threads <- as.integer(args[3])
epochs <- if (nrow(codes) > 10000) 200 else 500
seconds <- system.time(layout <- umap(codes, n_neighbors = 15, min_dist = 0.1,
                                      n_epochs = epochs, negative_sample_rate = 5,
                                      init = "pca", n_threads = threads,
                                      n_sgd_threads = threads))[["elapsed"]]
write.csv(data.frame(x = layout[, 1], y = layout[, 2]), args[2], row.names = FALSE)
cat(sprintf("%.2f\n", seconds))
R
    rows+=("R uwot $(Rscript -e 'cat(as.character(packageVersion("uwot")))')|$(cat "$work/uwot.txt")|")
else
    echo "uwot is not installed (apt-get install r-cran-uwot): skipped" >&2
fi

if $have_py; then
    echo "umap-learn ..." >&2
    NUMBA_NUM_THREADS="$threads" "$py" - "$work/codes.csv" "$work/umap-learn.csv" "$threads" \
        <<'PY' >"$work/umap-learn.txt"
import csv, sys, time
import numpy as np
import umap
with open(sys.argv[1]) as f:
    reader = csv.reader(f)
    header = next(reader)
    zs = [i for i, name in enumerate(header) if name.startswith("z")]
    codes = np.array([[float(row[i]) for i in zs] for row in reader], dtype=np.float32)
epochs = 200 if len(codes) > 10000 else 500
# umap-learn 0.5.3 takes no "pca" start by name: the codes' first two principal axes, scaled
# to the 0..10 box its own starts are scaled to.
centred = codes - codes.mean(axis=0)
start = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
start = 10 * (start - start.min(axis=0)) / (start.max(axis=0) - start.min(axis=0))
reducer = umap.UMAP(n_neighbors=15, min_dist=0.1, n_epochs=epochs, negative_sample_rate=5,
                    init=start, n_jobs=int(sys.argv[3]))
start = time.perf_counter()
layout = reducer.fit_transform(codes)
seconds = time.perf_counter() - start
np.savetxt(sys.argv[2], layout, delimiter=",", header="x,y", comments="")
print(f"{seconds:.2f}")
PY
    rows+=("umap-learn $("$py" -c 'import umap; print(umap.__version__)' 2>/dev/null || echo)|$(cat "$work/umap-learn.txt")|")
else
    echo "umap-learn is not installed (apt-get install umap-learn): skipped" >&2
fi

# Every layout scored the same way (R's exact search), ours too, as a check on the measure.
score() { # layout.csv
    Rscript - "$work/codes.csv" "$1" <<'R'
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(FNN))
table <- read.csv(args[1])
codes <- as.matrix(table[, grep("^z", names(table))])
layout <- read.csv(args[2])
layout <- as.matrix(layout[, c("x", "y")])
set.seed(1)
queries <- sample(nrow(codes), min(2000, nrow(codes)))
near <- function(points) {
    found <- get.knnx(points, points[queries, , drop = FALSE], k = 11)$nn.index
    t(sapply(seq_along(queries), function(i) head(setdiff(found[i, ], queries[i]), 10)))
}
inCodes <- near(codes)
inLayout <- near(layout)
kept <- mean(sapply(seq_along(queries), function(i)
    length(intersect(inCodes[i, ], inLayout[i, ])) / 10))
cat(sprintf("%.3f", kept))
R
}

echo "| UMAP | $items codes, $threads threads: layout | 10-NN preservation (2,000 items) | the same, scored by R |"
echo "| --- | --- | --- | --- |"
for row in "${rows[@]}"; do
    IFS='|' read -r name seconds kept <<<"$row"
    file="$work/latentlab.csv"
    case "$name" in R*) file="$work/uwot.csv" ;; umap-learn*) file="$work/umap-learn.csv" ;; esac
    scored="(R absent)"
    $have_r && scored="$(score "$file")"
    echo "| $name | $seconds s | ${kept:-} | $scored |"
done
