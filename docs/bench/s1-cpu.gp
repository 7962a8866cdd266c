set terminal pngcairo size 900,540 font "DejaVu Sans,11"
set grid
set key top left
set output "s1-cpu.png"
set title "S1 fan-out: server CPU per delivered message (lower is better)"
set xlabel "subscribers on one channel"
set ylabel "µs CPU per delivery"
set logscale xy
plot "s1-rotor.dat" using 1:3 with linespoints lw 2 pt 7 title "Rotor", "s1-centrifuge.dat" using 1:3 with linespoints lw 2 pt 7 title "centrifuge 0.15", "s1-socketio.dat" using 1:3 with linespoints lw 2 pt 7 title "Socket.IO 4.8"
