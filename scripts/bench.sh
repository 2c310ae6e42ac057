#!/usr/bin/env bash
# bench.sh - what `make bench` runs after building: prepare the scratch
# trees, run every figure (build/bench/pw-bench), draw the plot.
#
# Output: one line per figure on stdout,
#   bench <name> <ratio>x target <=<t>x <ok|over>     (a figure with a target)
#   bench <name> <ratio>x target none info            (informational)
#   bench <name> n/a target <=<t>x missing            (its module not built yet)
#   bench <name> n/a target none wrong                (a tool gave a wrong result)
# each followed by one indented line with the medians and spread it came
# from; the same table in $BUILD/bench/bench.md, the ratios in bench.tsv and
# a plot in bench.png and bench.svg.  Exit 0 whether or not targets are met.
#
# Environment: BUILD (default build), PATHWARD_BENCH_SCALE (multiplies the
# number of rounds; 0.3 for a quick look, 3 for a quiet machine),
# PATHWARD_BENCH_BUDGET (seconds, default 180: past 60% of it the remaining
# figures take half their rounds, past 85% a quarter), PATHWARD_BENCH_CPU
# (the CPU to pin to; -1 for none).
set -uo pipefail

B=$(realpath "${BUILD:-build}")
OUT=$B/bench
WORK=$OUT/work
R=$WORK/read-root
start=$(date +%s)

rm -rf "$WORK"
mkdir -p "$WORK" "$R/links" "$R/data"

# The 1,000-file root: links/lNNNN -> /data/fNNNN (absolute), fNNNN holds
# NNNN; plus pw-child and the libraries its ELF interpreter loads, at the
# same paths, so the one reader runs on the host and inside R under proot
# and fakechroot.
perl -e 'for my $i (0..999) { my $n = sprintf("%04d", $i);
	open(my $f, ">", "$ARGV[0]/data/f$n") or die; print $f "$n\n"; close $f;
	symlink("/data/f$n", "$ARGV[0]/links/l$n") or die; }' "$R" || R=
if [ -n "$R" ]; then
	cp "$OUT/pw-child" "$R/pw-child"
	for lib in $(ldd "$OUT/pw-child" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib"
	done
fi

uname_line="$(uname -srm), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "# pathward bench: $uname_line; load $(cut -d' ' -f1-3 /proc/loadavg)"

"$OUT/pw-bench" --out "$OUT" --work "$WORK" --child "$OUT/pw-child" \
	--shim "$B/pathward-preload.so" --cli "$B/pathward" \
	--enosys "$B/tests/tools/enosys" --passthrough "$OUT/pw-passthrough.so" ${R:+--readroot "$R"} all
rc=$?

{
	echo
	echo "Machine: $uname_line; load at the end $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Command: \`make bench\` ($(date -u '+%Y-%m-%d %H:%M UTC'), $(( $(date +%s) - start )) s)."
} >>"$OUT/bench.md"

# A compact copy for the README: figure, ratio, target, verdict, the two
# medians (no IQR, sample counts or notes, except why a row has no ratio).
awk -F' \\| ' '/^\| --- / { print "| figure | ratio | target | verdict | measured | baseline |";
		print "| --- | ---: | ---: | --- | --- | --- |"; next }
	/^\| figure / { next }
	/^\| \*\*/ { print $1 " | | | | | |"; next }
	/^\| `/ { a = $5; b = $6; sub(/ \[.*/, "", a); sub(/ \[.*/, "", b);
		if ($2 == "n/a") { a = $8; sub(/ \|$/, "", a); if ($5 != "-") { m = $5; sub(/ \[.*/, "", m); a = m "; " a } }
		print $1 " | " $2 " | " $3 " | " $4 " | " a " | " b " |"; next }
	{ print }' "$OUT/bench.md" >"$OUT/bench-summary.md"

# The plot: one bar per figure (log scale), coloured by verdict, with the
# target as a mark.  Rows without a number (missing, wrong) are left out.
awk -F'\t' '!/^#/ && $2 > 0 {
	c = ($4 == "ok") ? "0x2e8b57" : ($4 == "over") ? "0xcc3333" : "0x4682b4";
	t = ($3 > 0) ? $3 : "NaN";
	printf "%d\t%s\t%s\t%s\t%s\n", n++, $1, $2, t, c }' "$OUT/bench.tsv" >"$OUT/plot.tsv"
if command -v gnuplot >/dev/null && [ -s "$OUT/plot.tsv" ]; then
	for fmt in png svg; do
		case $fmt in
		png) term="pngcairo size 1600,800 font 'sans,9'" ;;
		svg) term="svg size 1600,800 dynamic font 'sans,9'" ;;
		esac
		gnuplot <<GP 2>"$OUT/gnuplot.log" || echo "bench: gnuplot failed (see $OUT/gnuplot.log)" >&2
set terminal $term
set output '$OUT/bench.$fmt'
set title "pathward make bench: median over interleaved rounds of A / baseline, same run (green ok, red over, blue informational; diamond = target)"
set rmargin 18
set bmargin 12
set logscale y 10
set yrange [0.5:*]
set ylabel 'ratio (log scale)'
set xtics rotate by -50 left noenhanced
set grid ytics
set style fill solid 0.85 border -1
set boxwidth 0.7
set key off
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'gray40'
plot '$OUT/plot.tsv' using 1:3:5:xtic(2) with boxes lc rgb variable, \
     '' using 1:4 with points pt 13 ps 1.5 lc rgb 'black', \
     '' using 1:3:(sprintf('%.2f', \$3)) with labels offset 0,0.7 font 'sans,8'
GP
	done
fi
# The slope: contained open against components and symlinks, both routes.
awk -F'\t' '$1 ~ /^growth\./ && $2 > 0 { split($1, p, "."); v[p[3]] = v[p[3]] "\t" $2;
	r[p[2] p[3]] = $2 }
	END { for (k in v) { c = substr(k, 1, 1); n = substr(k, 2);
		print c "\t" n "\t" r["kernel" k] "\t" r["fallback" k] } }' "$OUT/bench.tsv" |
	sort -k1,1 -k2,2n >"$OUT/growth.tsv"
if command -v gnuplot >/dev/null && [ "$(wc -l <"$OUT/growth.tsv")" -ge 2 ]; then
	grep '^c' "$OUT/growth.tsv" >"$OUT/growth-c.tsv"
	grep '^s' "$OUT/growth.tsv" >"$OUT/growth-s.tsv"
	gnuplot <<GP 2>>"$OUT/gnuplot.log" || echo "bench: gnuplot failed (see $OUT/gnuplot.log)" >&2
set terminal pngcairo size 1200,500 font 'sans,10'
set output '$OUT/bench-growth.png'
set multiplot layout 1,2 title "contained open: cost against a plain openat(root, \"g/f\") (ratio)"
set grid
set key top left
set xlabel 'path components (no symlink)'
set ylabel 'ratio'
plot '$OUT/growth-c.tsv' using 2:3 with linespoints pt 7 title 'kernel (openat2)', \
     '' using 2:4 with linespoints pt 5 title 'fallback walker'
set xlabel 'absolute symlinks (2 components)'
plot '$OUT/growth-s.tsv' using 2:3 with linespoints pt 7 title 'kernel (openat2)', \
     '' using 2:4 with linespoints pt 5 title 'fallback walker'
unset multiplot
GP
fi
echo "# report: $OUT/bench.md, plots: $OUT/bench.png $OUT/bench.svg $OUT/bench-growth.png ($(( $(date +%s) - start )) s)"
exit $rc
