set terminal pngcairo size 900,540 font "DejaVu Sans,11"
set grid
set key top left
set output "s2-latency.png"
set title "S2 paced publishing to 1000 subscribers: latency percentiles"
set xlabel "publishes per second"
set ylabel "ms from publish to delivery"
set logscale xy
set arrow from graph 0, first 25 to graph 1, first 25 nohead dt 3
set label "S2 target p99 25 ms" at graph 0.02, first 30
plot "s2-rotor.dat" using 1:3 with linespoints lw 2 pt 7 lc 1 title "Rotor p99", "s2-rotor.dat" using 1:2 with linespoints lw 1 dt 2 pt 6 lc 1 title "Rotor p50", "s2-centrifuge.dat" using 1:3 with linespoints lw 2 pt 7 lc 2 title "centrifuge 0.15 p99", "s2-centrifuge.dat" using 1:2 with linespoints lw 1 dt 2 pt 6 lc 2 title "centrifuge 0.15 p50", "s2-socketio.dat" using 1:3 with linespoints lw 2 pt 7 lc 3 title "Socket.IO 4.8 p99", "s2-socketio.dat" using 1:2 with linespoints lw 1 dt 2 pt 6 lc 3 title "Socket.IO 4.8 p50"
