package io.rotor.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The whole node configuration, with Centrifugo v6 key names ({@code http_server.port},
 * {@code client.token.hmac_secret_key}, {@code channel.namespaces}, ...). Load it with
 * {@link ConfigLoader}; see docs/configuration.md.
 */
public class RotorOptions {

  private HttpServerOptions httpServer = new HttpServerOptions();
  private ClientOptions client = new ClientOptions();
  private HttpApiOptions httpApi = new HttpApiOptions();
  private WebSocketOptions websocket = new WebSocketOptions();
  private ChannelsOptions channel = new ChannelsOptions();
  private EngineOptions engine = new EngineOptions();
  private BrokerOptions broker = new BrokerOptions();
  private RpcOptions rpc = new RpcOptions();
  private java.util.List<NamedProxyOptions> proxies = new java.util.ArrayList<>();
  private ShutdownOptions shutdown = new ShutdownOptions();
  private HealthOptions health = new HealthOptions();
  private PrometheusOptions prometheus = new PrometheusOptions();
  private AdminOptions admin = new AdminOptions();
  private LogOptions log = new LogOptions();
  private ClusterOptions cluster = new ClusterOptions();
  private EventBusApiOptions eventBusApi = new EventBusApiOptions();
  private GrpcApiOptions grpcApi = new GrpcApiOptions();
  private java.util.List<ConsumerOptions> consumers = new java.util.ArrayList<>();
  private SockJsOptions sockjs = new SockJsOptions();
  private HttpTransportOptions httpStream = new HttpTransportOptions();
  private HttpTransportOptions sse = new HttpTransportOptions();
  private EmulationOptions emulation = new EmulationOptions();
  private UniWebSocketOptions uniWebsocket = new UniWebSocketOptions();
  private HttpTransportOptions uniSse = new HttpTransportOptions();
  private HttpTransportOptions uniHttpStream = new HttpTransportOptions();

  public HttpServerOptions getHttpServer() {
    return httpServer;
  }

  public RotorOptions setHttpServer(HttpServerOptions httpServer) {
    this.httpServer = httpServer;
    return this;
  }

  public ClientOptions getClient() {
    return client;
  }

  public RotorOptions setClient(ClientOptions client) {
    this.client = client;
    return this;
  }

  public HttpApiOptions getHttpApi() {
    return httpApi;
  }

  public RotorOptions setHttpApi(HttpApiOptions httpApi) {
    this.httpApi = httpApi;
    return this;
  }

  public WebSocketOptions getWebsocket() {
    return websocket;
  }

  public RotorOptions setWebsocket(WebSocketOptions websocket) {
    this.websocket = websocket;
    return this;
  }

  public ChannelsOptions getChannel() {
    return channel;
  }

  public RotorOptions setChannel(ChannelsOptions channel) {
    this.channel = channel;
    return this;
  }

  public EngineOptions getEngine() {
    return engine;
  }

  public RotorOptions setEngine(EngineOptions engine) {
    this.engine = engine;
    return this;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public RotorOptions setCluster(ClusterOptions cluster) {
    this.cluster = cluster;
    return this;
  }

  public EventBusApiOptions getEventBusApi() {
    return eventBusApi;
  }

  public RotorOptions setEventBusApi(EventBusApiOptions eventBusApi) {
    this.eventBusApi = eventBusApi;
    return this;
  }

  public SockJsOptions getSockjs() {
    return sockjs;
  }

  public RotorOptions setSockjs(SockJsOptions sockjs) {
    this.sockjs = sockjs;
    return this;
  }

  public HttpTransportOptions getHttpStream() {
    return httpStream;
  }

  public RotorOptions setHttpStream(HttpTransportOptions httpStream) {
    this.httpStream = httpStream;
    return this;
  }

  public HttpTransportOptions getSse() {
    return sse;
  }

  public RotorOptions setSse(HttpTransportOptions sse) {
    this.sse = sse;
    return this;
  }

  public EmulationOptions getEmulation() {
    return emulation;
  }

  public RotorOptions setEmulation(EmulationOptions emulation) {
    this.emulation = emulation;
    return this;
  }

  public UniWebSocketOptions getUniWebsocket() {
    return uniWebsocket;
  }

  public RotorOptions setUniWebsocket(UniWebSocketOptions uniWebsocket) {
    this.uniWebsocket = uniWebsocket;
    return this;
  }

  public HttpTransportOptions getUniSse() {
    return uniSse;
  }

  public RotorOptions setUniSse(HttpTransportOptions uniSse) {
    this.uniSse = uniSse;
    return this;
  }

  public HttpTransportOptions getUniHttpStream() {
    return uniHttpStream;
  }

  public RotorOptions setUniHttpStream(HttpTransportOptions uniHttpStream) {
    this.uniHttpStream = uniHttpStream;
    return this;
  }

  /**
   * The configuration as JSON with the file's key names and durations as strings ({@code "25s"});
   * {@link ConfigLoader#fromJson} reads it back to equal options. It includes the secrets
   * ({@code client.token.hmac_secret_key}, {@code http_api.key}): mask them before logging.
   */
  public ObjectNode toJson() {
    return ConfigMapper.MAPPER.valueToTree(this);
  }

  public BrokerOptions getBroker() {
    return broker;
  }

  public RotorOptions setBroker(BrokerOptions broker) {
    this.broker = broker;
    return this;
  }

  public RpcOptions getRpc() {
    return rpc;
  }

  public RotorOptions setRpc(RpcOptions rpc) {
    this.rpc = rpc;
    return this;
  }

  public java.util.List<NamedProxyOptions> getProxies() {
    return proxies;
  }

  public RotorOptions setProxies(java.util.List<NamedProxyOptions> proxies) {
    this.proxies = proxies;
    return this;
  }

  public ShutdownOptions getShutdown() {
    return shutdown;
  }

  public RotorOptions setShutdown(ShutdownOptions shutdown) {
    this.shutdown = shutdown;
    return this;
  }

  public HealthOptions getHealth() {
    return health;
  }

  public RotorOptions setHealth(HealthOptions health) {
    this.health = health;
    return this;
  }

  public PrometheusOptions getPrometheus() {
    return prometheus;
  }

  public RotorOptions setPrometheus(PrometheusOptions prometheus) {
    this.prometheus = prometheus;
    return this;
  }

  public LogOptions getLog() {
    return log;
  }

  public RotorOptions setLog(LogOptions log) {
    this.log = log;
    return this;
  }

  public AdminOptions getAdmin() {
    return admin;
  }

  public RotorOptions setAdmin(AdminOptions admin) {
    this.admin = admin;
    return this;
  }

  public GrpcApiOptions getGrpcApi() {
    return grpcApi;
  }

  public RotorOptions setGrpcApi(GrpcApiOptions grpcApi) {
    this.grpcApi = grpcApi;
    return this;
  }

  public java.util.List<ConsumerOptions> getConsumers() {
    return consumers;
  }

  public RotorOptions setConsumers(java.util.List<ConsumerOptions> consumers) {
    this.consumers = consumers;
    return this;
  }
}
