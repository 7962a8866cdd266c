package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code consumers[i].redis_stream}: a consumer group reading API commands from Redis streams. An
 * entry's {@code method} field names the method and its {@code payload} field holds the params; an
 * entry without the method field carries {@code {"method": ..., "payload": ...}} in its payload.
 */
public class RedisStreamConsumerOptions {

  private List<String> address = new ArrayList<>(List.of("redis://127.0.0.1:6379"));
  private Duration connectTimeout = Duration.ofSeconds(1);
  private Duration ioTimeout = Duration.ofSeconds(4);
  private int db = 0;
  private String user = "";
  private String password = "";
  private List<String> streams = new ArrayList<>();
  private String consumerGroup = "";
  private Duration visibilityTimeout = Duration.ofSeconds(30);
  private int numWorkers = 1;
  private String payloadValue = "payload";
  private String methodValue = "method";

  public List<String> getAddress() {
    return address;
  }

  public RedisStreamConsumerOptions setAddress(List<String> address) {
    this.address = address;
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public RedisStreamConsumerOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
    return this;
  }

  public Duration getIoTimeout() {
    return ioTimeout;
  }

  public RedisStreamConsumerOptions setIoTimeout(Duration ioTimeout) {
    this.ioTimeout = ioTimeout;
    return this;
  }

  public int getDb() {
    return db;
  }

  public RedisStreamConsumerOptions setDb(int db) {
    this.db = db;
    return this;
  }

  public String getUser() {
    return user;
  }

  public RedisStreamConsumerOptions setUser(String user) {
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public RedisStreamConsumerOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public List<String> getStreams() {
    return streams;
  }

  public RedisStreamConsumerOptions setStreams(List<String> streams) {
    this.streams = streams;
    return this;
  }

  public String getConsumerGroup() {
    return consumerGroup;
  }

  public RedisStreamConsumerOptions setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
    return this;
  }

  public Duration getVisibilityTimeout() {
    return visibilityTimeout;
  }

  public RedisStreamConsumerOptions setVisibilityTimeout(Duration visibilityTimeout) {
    this.visibilityTimeout = visibilityTimeout;
    return this;
  }

  public int getNumWorkers() {
    return numWorkers;
  }

  public RedisStreamConsumerOptions setNumWorkers(int numWorkers) {
    this.numWorkers = numWorkers;
    return this;
  }

  public String getPayloadValue() {
    return payloadValue;
  }

  public RedisStreamConsumerOptions setPayloadValue(String payloadValue) {
    this.payloadValue = payloadValue;
    return this;
  }

  public String getMethodValue() {
    return methodValue;
  }

  public RedisStreamConsumerOptions setMethodValue(String methodValue) {
    this.methodValue = methodValue;
    return this;
  }
}
