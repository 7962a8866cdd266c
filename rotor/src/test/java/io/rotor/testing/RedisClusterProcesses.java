package io.rotor.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: {@code masters} masters with one replica each, all
 * {@code redis-server} processes on free ports, joined with {@code redis-cli --cluster create}. A
 * master that does not answer for {@code nodeTimeoutMs} is failed over to its replica.
 */
public final class RedisClusterProcesses implements AutoCloseable {

  private final List<RedisProcess> servers = new ArrayList<>();

  private RedisClusterProcesses() {
  }

  public static RedisClusterProcesses start(int masters, long nodeTimeoutMs) {
    RedisClusterProcesses c = new RedisClusterProcesses();
    try {
      for (int i = 0; i < masters * 2; i++) {
        c.servers.add(RedisProcess.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", String.valueOf(nodeTimeoutMs))));
      }
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      c.servers.forEach(s -> cmd.add(s.address()));
      cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      Process create = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(create.getInputStream().readAllBytes());
      if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + out);
      }
      Await.until("every node reports cluster_state:ok", 30_000, () -> c.servers.stream().allMatch(s -> {
        try {
          return s.command("CLUSTER", "INFO").contains("cluster_state:ok");
        } catch (IOException e) {
          return false;
        }
      }));
    } catch (IOException e) {
      c.close();
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      c.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The {@code engine.redis} object of a node on this cluster (every node as a seed). */
  public String engineConfig() {
    String seeds = servers.stream().map(RedisProcess::address).collect(Collectors.joining(","));
    return "{\"cluster_address\": [\"" + seeds + "\"]}";
  }

  /** The master serving the slot of {@code channel}'s keys (the channel is their hash tag). */
  public RedisProcess masterOf(String channel) throws IOException {
    RedisProcess any = servers.stream().filter(RedisProcess::isAlive).findFirst().orElseThrow();
    int slot = Integer.parseInt(any.command("CLUSTER", "KEYSLOT", channel));
    for (String line : any.command("CLUSTER", "NODES").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        if (range[0].startsWith("[")) {
          continue;
        }
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
        }
      }
    }
    throw new IOException("no master serves slot " + slot);
  }

  public List<RedisProcess> servers() {
    return servers;
  }

  @Override
  public void close() {
    servers.forEach(RedisProcess::close);
  }
}
