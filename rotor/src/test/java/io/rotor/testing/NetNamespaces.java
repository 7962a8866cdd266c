package io.rotor.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for partition tests: namespace {@code i} is joined to this (the test's)
 * namespace by a veth pair, {@code 10.<s>.<i>.1} on this side and {@code 10.<s>.<i>.2} inside, with
 * its default route through this side. A process started with {@link #exec} lives inside and reaches
 * servers here at {@link #hostAddress}; this side reaches it at {@link #nodeAddress}. {@link #cut}
 * takes this side of the link down (every packet either way is dropped, TCP connections stall as
 * in a real partition) and {@link #heal} brings it back. Needs root (CAP_NET_ADMIN) and {@code ip}.
 */
public final class NetNamespaces implements AutoCloseable {

  private final String tag = UUID.randomUUID().toString().substring(0, 4);
  private final int subnet = ThreadLocalRandom.current().nextInt(100, 250);
  private final List<Integer> created = new ArrayList<>();

  private NetNamespaces() {
  }

  /** Null when namespaces and veth pairs can be made here, else why not. */
  public static String unavailableReason() {
    try (NetNamespaces probe = new NetNamespaces()) {
      probe.add(0);
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  public static NetNamespaces create(int n) throws IOException, InterruptedException {
    NetNamespaces net = new NetNamespaces();
    try {
      for (int i = 0; i < n; i++) {
        net.add(i);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      net.close();
      throw e;
    }
    return net;
  }

  private void add(int i) throws IOException, InterruptedException {
    String ns = ns(i);
    run("ip", "netns", "add", ns);
    created.add(i);
    run("ip", "link", "add", hostVeth(i), "type", "veth", "peer", "name", nsVeth(i));
    run("ip", "link", "set", nsVeth(i), "netns", ns);
    run("ip", "addr", "add", hostAddress(i) + "/24", "dev", hostVeth(i));
    run("ip", "link", "set", hostVeth(i), "up");
    run("ip", "netns", "exec", ns, "ip", "addr", "add", nodeAddress(i) + "/24", "dev", nsVeth(i));
    run("ip", "netns", "exec", ns, "ip", "link", "set", nsVeth(i), "up");
    run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    run("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", hostAddress(i));
  }

  public String ns(int i) {
    return "rotor-" + tag + "-" + i;
  }

  private String hostVeth(int i) {
    return "rv" + tag + i + "h";
  }

  private String nsVeth(int i) {
    return "rv" + tag + i + "n";
  }

  /** This side's address of link {@code i}: what a process in namespace {@code i} reaches here by. */
  public String hostAddress(int i) {
    return "10." + subnet + "." + i + ".1";
  }

  /** The address of namespace {@code i}, as reached from here. */
  public String nodeAddress(int i) {
    return "10." + subnet + "." + i + ".2";
  }

  /** The command prefix that runs a program inside namespace {@code i}. */
  public List<String> exec(int i) {
    return List.of("ip", "netns", "exec", ns(i));
  }

  /** Drops everything on link {@code i}, both ways. */
  public void cut(int i) throws IOException, InterruptedException {
    run("ip", "link", "set", hostVeth(i), "down");
  }

  public void heal(int i) throws IOException, InterruptedException {
    run("ip", "link", "set", hostVeth(i), "up");
  }

  @Override
  public void close() {
    for (int i : created) {
      try {
        run("ip", "netns", "del", ns(i)); // takes its end of the veth pair, and so the pair, along
      } catch (IOException | RuntimeException e) {
        // already gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    created.clear();
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
  }
}
