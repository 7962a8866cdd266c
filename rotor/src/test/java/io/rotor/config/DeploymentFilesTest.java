package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml parses (SnakeYAML, which comes with the YAML config support and resolves the
 * file's anchors and merge keys as Compose does), and each node's environment loads over
 * conf/config.json without a warning. scripts/cluster.sh installs Redis where it is missing.
 */
class DeploymentFilesTest {

  @Test
  @SuppressWarnings("unchecked")
  void composeNodesLoad() throws Exception {
    Map<String, Object> compose;
    try (Reader r = Files.newBufferedReader(Path.of("../docker-compose.yml"))) {
      compose = new Yaml().load(r);
    }
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    int nodes = 0;
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) service.getValue()).get("environment");
      if (env == null || !env.containsKey("ROTOR_CLUSTER_ENABLED")) {
        continue;
      }
      Map<String, String> vars = new LinkedHashMap<>();
      env.forEach((k, v) -> vars.put(k, String.valueOf(v)));
      ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(Path.of("../conf/config.json"), vars);
      assertEquals(List.of(), r.warnings(), service.getKey());
      assertTrue(r.options().getCluster().isEnabled());
      assertEquals(List.of("node1:5701", "node2:5701", "node3:5701"), r.options().getCluster().getMembers());
      assertEquals(List.of("redis:6379"), r.options().getEngine().getRedis().getAddress());
      assertEquals(service.getKey(), r.options().getCluster().getPublicHost());
      nodes++;
    }
    assertEquals(3, nodes);
    assertTrue(services.containsKey("redis"));
  }

  /**
   * What {@code scripts/cluster.sh start} runs first on a fresh machine, run for real with a PATH
   * that has no redis-server, redis-cli nor curl: it asks apt-get (through sudo, as a user other
   * than root) to install exactly their packages. apt-get and sudo are stand-ins that record their
   * arguments: this machine keeps its packages (the other tests need them).
   */
  @Test
  void clusterShInstallsRedisWithAptGetWhereItIsMissing(@TempDir Path tmp) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path calls = tmp.resolve("calls.log");
    stub(bin, "apt-get", "echo \"apt-get $*\" >> '" + calls + "'");
    stub(bin, "sudo", "echo \"sudo $*\" >> '" + calls + "'; exec \"$@\"");
    stub(bin, "id", "echo 1000");
    Files.createSymbolicLink(bin.resolve("dirname"), which("dirname"));
    Process p = run(bin, "deps");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("installing curl redis-server redis-tools (apt-get)"), out);
    String install = "apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 curl redis-server redis-tools";
    assertEquals(List.of("sudo apt-get update -qq", "apt-get update -qq", "sudo " + install, install),
        Files.readAllLines(calls));

    // Where the commands are there, nothing is installed.
    Files.delete(calls);
    for (String command : new String[] {"curl", "redis-server", "redis-cli"}) {
      stub(bin, command, "exit 0");
    }
    Process again = run(bin, "deps");
    String out2 = new String(again.getInputStream().readAllBytes());
    assertEquals(0, again.waitFor(), out2);
    assertTrue(!Files.exists(calls), "apt-get was not called: " + out2);
    Process bad = run(bin, "deps", "--broker", "kafka");
    bad.getInputStream().readAllBytes();
    assertEquals(2, bad.waitFor());
  }

  /** Runs {@code cluster.sh ARGS} with only {@code bin} on the PATH: the stand-ins and dirname. */
  private static Process run(Path bin, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(which("bash").toString(), "../scripts/cluster.sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    return pb.start();
  }

  private static void stub(Path bin, String name, String body) throws Exception {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!" + which("bash") + "\n" + body + "\n");
    f.toFile().setExecutable(true);
  }

  /** A command on this JVM's PATH. */
  private static Path which(String command) {
    for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(command + " is not on the PATH");
  }
}
