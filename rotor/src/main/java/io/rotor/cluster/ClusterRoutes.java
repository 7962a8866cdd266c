package io.rotor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.config.RotorOptions;
import io.rotor.node.Node;
import io.rotor.protocol.JsonCodec;
import io.rotor.transport.TransportSessions;
import io.rotor.transport.emulation.EmulationSessions;
import io.rotor.transport.sockjs.SockJsSessions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes the HTTP transports' requests between nodes, so no balancer needs sticky sessions. Both
 * ride on the node's one event-bus address (no registration per session):
 *
 * <ul>
 *   <li>{@code emulation}: an {@code /emulation} request names the node holding the stream; a
 *       node that receives one for another node sends {@code {session, data}} there, which hands it
 *       to its {@link EmulationSessions} and replies whether the session exists.</li>
 *   <li>{@code sockjs-owner}: SockJS session ids are chosen by the client, so a node that gets a
 *       request for a session it does not hold asks the others; the holder answers with its HTTP
 *       address and the request is proxied there (see {@code SockJsForwarder}). Nothing is written
 *       to Hazelcast per session; the cost is one question to each other node per request that
 *       lands on a node not holding its session (and per new session).</li>
 * </ul>
 */
public final class ClusterRoutes {

  private static final Buffer NO = Buffer.buffer("0");
  private static final Buffer YES = Buffer.buffer("1");

  private final NodeMesh cluster;
  private final String httpHost;
  private volatile int httpPort;

  private ClusterRoutes(NodeMesh cluster, String httpHost) {
    this.cluster = cluster;
    this.httpHost = httpHost;
  }

  /** Registers the ops (before {@link Cluster#start}) and the node's {@link SessionRoutes}. */
  public static ClusterRoutes install(NodeMesh cluster, Node node, TransportSessions sessions) {
    ClusterRoutes routes = new ClusterRoutes(cluster, advertisedHost(node.options()));
    EmulationSessions emulation = sessions.emulation();
    SockJsSessions sockjs = sessions.sockJs();
    cluster.on("emulation", m -> {
      JsonNode r = parse(m.body());
      m.reply(emulation.deliver(r.path("session").asText(), data(r)) ? YES : NO);
    });
    cluster.on("sockjs-owner", m -> {
      int port = routes.httpPort;
      m.reply(port != 0 && sockjs.holds(m.body().toString()) ? Buffer.buffer(routes.httpHost + ":" + port) : Buffer.buffer());
    });
    sessions.routes().install(routes::emulation, routes::sockJsOwner);
    return routes;
  }

  /** The node's HTTP port, once it listens; until then it claims no SockJS session. */
  public void listening(int port) {
    this.httpPort = port;
  }

  /** The host other nodes reach this node's HTTP server by. */
  static String advertisedHost(RotorOptions o) {
    String address = o.getHttpServer().getAddress();
    if (!address.isEmpty() && !address.equals("0.0.0.0") && !address.equals("::")) {
      return address;
    }
    return o.getCluster().getPublicHost().isEmpty() ? o.getCluster().getHost() : o.getCluster().getPublicHost();
  }

  /** False for an unknown node, an unknown session, or a node that did not answer. */
  private Future<Boolean> emulation(String nodeId, String session, byte[] data) {
    if (!cluster.memberIds().contains(nodeId)) {
      return Future.succeededFuture(false);
    }
    Buffer body = Buffer.buffer(JsonCodec.object().put("session", session).put("data", data).toString());
    return cluster.request(nodeId, "emulation", body).map(YES::equals).otherwise(false);
  }

  /** Asks every other node at once; the first that holds the session wins. */
  private Future<SocketAddress> sockJsOwner(String session) {
    List<String> others = cluster.otherIds();
    if (others.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<SocketAddress> found = Promise.promise();
    AtomicInteger pending = new AtomicInteger(others.size());
    Buffer body = Buffer.buffer(session);
    for (String id : others) {
      cluster.request(id, "sockjs-owner", body).onComplete(ar -> {
        if (ar.succeeded() && ar.result().length() > 0) {
          found.tryComplete(address(ar.result().toString()));
        }
        if (pending.decrementAndGet() == 0) {
          found.tryComplete();
        }
      });
    }
    return found.future();
  }

  private static SocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)), hostPort.substring(0, colon));
  }

  /** The frame bytes (JSON text or Protobuf), carried base64-encoded in the op's JSON body. */
  private static byte[] data(JsonNode r) {
    try {
      byte[] data = r.path("data").binaryValue();
      return data == null ? new byte[0] : data;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static JsonNode parse(Buffer body) {
    try {
      return JsonCodec.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      return JsonCodec.object();
    }
  }
}
