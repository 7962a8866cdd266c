set terminal pngcairo size 900,540 font "DejaVu Sans,11"
set grid
set key top left
set output "s1-deliveries.png"
set title "S1 fan-out: delivered messages per second (server on one core)"
set xlabel "subscribers on one channel"
set ylabel "delivered msg/s"
set logscale x
set format y "%.0s%c"
plot "s1-rotor.dat" using 1:2 with linespoints lw 2 pt 7 title "Rotor", "s1-centrifuge.dat" using 1:2 with linespoints lw 2 pt 7 title "centrifuge 0.15", "s1-socketio.dat" using 1:2 with linespoints lw 2 pt 7 title "Socket.IO 4.8"
