package io.rotor.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Sentinel setup for tests: a master, one replica and three Sentinels (quorum 2), all
 * {@code redis-server} processes on free ports. The Sentinels declare a master down after
 * {@code downAfterMs} without an answer and promote the replica.
 */
public final class RedisSentinels implements AutoCloseable {

  public static final String MASTER_NAME = "rotor-master";

  private final List<RedisProcess> servers = new ArrayList<>();
  private final List<RedisProcess> sentinels = new ArrayList<>();

  private RedisSentinels() {
  }

  public static RedisSentinels start(long downAfterMs) {
    RedisSentinels s = new RedisSentinels();
    try {
      RedisProcess master = RedisProcess.start();
      s.servers.add(master);
      s.servers.add(RedisProcess.start(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port()))));
      for (int i = 0; i < 3; i++) {
        s.sentinels.add(RedisProcess.sentinel(MASTER_NAME, master.port(), 2, downAfterMs));
      }
      Await.until("the replica is in sync and every Sentinel knows it", 30_000, () -> s.replicaInSync()
          && s.sentinels.stream().allMatch(x -> s.sentinelSees(x, 1)));
    } catch (InterruptedException e) {
      s.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
    return s;
  }

  private boolean replicaInSync() {
    try {
      String info = servers.get(0).command("INFO", "replication");
      return info.contains("connected_slaves:1") && info.contains("state=online");
    } catch (IOException e) {
      return false;
    }
  }

  private boolean sentinelSees(RedisProcess sentinel, int replicas) {
    try {
      String info = sentinel.command("INFO", "sentinel");
      return info.contains("slaves=" + replicas) && info.contains("sentinels=3");
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code engine.redis} object of a node that reaches this setup through its Sentinels. */
  public String engineConfig() {
    String addresses = sentinels.stream().map(RedisProcess::address).collect(Collectors.joining(","));
    return "{\"sentinel_address\": [\"" + addresses + "\"], \"sentinel_master_name\": \"" + MASTER_NAME + "\"}";
  }

  /** The port of the master as the first live Sentinel names it. */
  public int masterPort() throws IOException {
    for (RedisProcess s : sentinels) {
      if (s.isAlive()) {
        String reply = s.commandArray("SENTINEL", "get-master-addr-by-name", MASTER_NAME).get(1);
        return Integer.parseInt(reply);
      }
    }
    throw new IOException("no Sentinel alive");
  }

  public RedisProcess server(int port) {
    return servers.stream().filter(r -> r.port() == port).findFirst().orElseThrow();
  }

  public RedisProcess master() throws IOException {
    return server(masterPort());
  }

  public List<RedisProcess> sentinels() {
    return sentinels;
  }

  @Override
  public void close() {
    sentinels.forEach(RedisProcess::close);
    servers.forEach(RedisProcess::close);
  }
}
